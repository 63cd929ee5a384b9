"""The diagnostic record that every stage yields and every reporter prints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from actionbank.diagnostics.codes import CODES

__all__ = ["Diagnostic", "Severity", "has_errors", "sort_diagnostics"]

Severity = Literal["error", "warning", "info"]
_SEVERITY_RANK: Mapping[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one input.

    ``pointer`` is an RFC 6901 JSON pointer into the document the problem is in; ``file``,
    ``line`` and ``column`` (1-based) are filled in when the diagnostic is located against
    that document's source map.
    """

    code: str
    severity: Severity
    message: str
    pointer: str = ""
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @classmethod
    def make(
        cls,
        code: str,
        pointer: str = "",
        *,
        hint: str | None = None,
        severity: Severity | None = None,
        **fields: Any,
    ) -> Diagnostic:
        """Build a diagnostic from a registered code, formatting its message with ``fields``."""
        spec = CODES[code]
        return cls(
            code=code,
            severity=severity or spec.severity,
            message=spec.template.format(**fields),
            pointer=pointer,
            hint=hint,
        )

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def at(self, file: str | None, line: int | None, column: int | None) -> Diagnostic:
        return replace(self, file=file, line=line, column=column)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``--format json``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "hint": self.hint,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then position, then severity and code; stable for equal keys."""
    return sorted(
        diagnostics,
        key=lambda d: (
            d.file or "",
            d.line if d.line is not None else 0,
            d.column if d.column is not None else 0,
            _SEVERITY_RANK[d.severity],
            d.code,
        ),
    )
