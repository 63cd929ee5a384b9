"""One writer per dataset: an exclusive ``flock`` on the dataset folder.

The kernel drops the lock when its process dies, SIGKILL included, so a killed run never
leaves a stale lock behind, and no lock file is needed.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from recorder.errors import DatasetInUseError

__all__ = ["DirLock"]


class DirLock:
    """An exclusive, non-blocking lock on a folder, held until :meth:`release`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise DatasetInUseError(f"{folder} is being written by another process") from None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
