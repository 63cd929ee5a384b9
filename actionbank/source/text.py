"""Reading bytes from disk and turning them into text, with diagnostics for what is not text."""

from __future__ import annotations

from pathlib import Path

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "decode_text", "read_bytes"]

#: Inputs larger than this are refused before parsing [bytes].
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
_BINARY_PROBE = 8192


def read_bytes(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most ``max_bytes + 1`` bytes; raise :class:`InputError` when the file cannot be read."""
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "it is a directory"
    except PermissionError:
        reason = "permission denied"
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    raise InputError([Diagnostic.make("AB101", path=display, reason=reason).at(display, None, None)])


def _line_column_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode_text(
    raw: bytes, display: str, expected: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (a BOM is allowed), or ``None`` with the diagnostics saying why not."""
    if len(raw) > max_bytes:
        reason = f"more than {max_bytes} bytes"
        return None, [Diagnostic.make("AB107", reason=reason).at(display, 1, 1)]
    if b"\x00" in raw[:_BINARY_PROBE]:
        return None, [Diagnostic.make("AB103", expected=expected).at(display, 1, 1)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column_of_byte(raw, exc.start)
        reason = f"byte 0x{raw[exc.start]:02x} at offset {exc.start} ({exc.reason})"
        hint = "save the file as UTF-8"
        return None, [Diagnostic.make("AB104", reason=reason, hint=hint).at(display, line, column)]
    if not text.strip():
        return None, [Diagnostic.make("AB102").at(display, 1, 1)]
    return text, []
