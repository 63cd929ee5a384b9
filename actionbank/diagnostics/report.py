"""Reporters: diagnostics as ``file:line:col: CODE message`` text, or as one JSON array."""

from __future__ import annotations

import json
from collections.abc import Sequence

from actionbank.diagnostics.diagnostic import Diagnostic

__all__ = ["format_json", "format_text", "summary_line"]


def _location(d: Diagnostic) -> str:
    parts = [d.file or "<input>"]
    if d.line is not None:
        parts.append(str(d.line))
        parts.append(str(d.column if d.column is not None else 1))
    return ":".join(parts)


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    """One ``file:line:col: CODE severity: message`` line per diagnostic, hint indented below."""
    lines: list[str] = []
    for d in diagnostics:
        lines.append(f"{_location(d)}: {d.code} {d.severity}: {d.message}")
        if d.hint:
            lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False)


def summary_line(diagnostics: Sequence[Diagnostic], files: int | None = None) -> str:
    """``1 error, 0 warnings, 2 notes in 2 files`` (without the files when not counted)."""
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['info'], 'note')}" + ("" if files is None else f" in {plural(files, 'file')}")
    )
