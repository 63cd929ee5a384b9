"""What LeRobot and FFmpeg print while they work, held back unless the work fails.

LeRobot's aggregation draws tqdm bars ("Validate all meta data", "Copy data and videos") and
FFmpeg's muxer writes "Starting second pass: moving the moov atom…" straight to file
descriptor 2: lines that say nothing to someone who asked for a merge. Within
:func:`held_output`, both go to a temporary file instead (Python's ``sys.stderr`` and the
descriptor underneath, where C libraries write); they are dropped when the block ends
normally and written out as they came when it raises, next to the error they explain.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO

__all__ = ["held_output"]


@contextlib.contextmanager
def held_output() -> Iterator[None]:
    """Hold back everything written to standard error within the block, unless it raises."""
    sys.stderr.flush()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as held:
        saved = os.dup(2)
        try:
            os.dup2(held.fileno(), 2)
            with contextlib.redirect_stderr(held):
                yield
        except BaseException:
            _restore(saved, held)
            held.seek(0)
            sys.stderr.write(held.read())
            sys.stderr.flush()
            raise
        else:
            _restore(saved, held)
        finally:
            os.close(saved)


def _restore(saved: int, held: IO[str]) -> None:
    held.flush()
    os.dup2(saved, 2)
