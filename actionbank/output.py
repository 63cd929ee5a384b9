"""Writing results: atomically, so a failed run never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | Path, content: str | bytes | Sequence[bytes]) -> None:
    """Write ``content`` (text as UTF-8, bytes, or parts of bytes written one after the other)
    to ``path`` through a temporary file in the same folder and a rename."""
    target = Path(path)
    parts = (content.encode(),) if isinstance(content, str) else (content,) if isinstance(content, bytes) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.writelines(parts)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
