"""File operations that a SIGKILL (or a power loss) cannot leave half done.

A file is either written completely under a temporary name and then renamed over its
destination (``os.replace`` is atomic on POSIX), or appended to with one ``write`` and an
``fsync``. Directories are fsynced after a rename so that the rename itself is on disk.

None of them follows a symbolic link in the last part of a path (``O_NOFOLLOW``): a link
where a file of ours should be makes them fail instead of writing where it points. (Folders
on the way are checked by :func:`recorder.confine.dataset_path` where the path comes from a
dataset.)
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = [
    "append_line",
    "drop_torn_tail",
    "fsync_dir",
    "fsync_file",
    "json_bytes",
    "move",
    "read_lines",
    "write_atomic",
]


def fsync_file(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush ``path``'s entries (names created, renamed or removed in it) to the disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def json_bytes(data: Any) -> bytes:
    """``data`` as indented UTF-8 JSON with a final newline; keys keep their insertion order."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def write_atomic(path: Path, data: bytes) -> None:
    """Make ``path`` hold ``data``: readers see the old content or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if os.path.lexists(temporary):  # left by a killed process that had our pid
        os.unlink(temporary)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):  # nothing half-written is left behind
            os.unlink(temporary)
        raise
    fsync_dir(path.parent)


def move(source: Path, destination: Path) -> None:
    """Rename ``source`` to ``destination`` (same file system), creating its folders."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, destination)
    fsync_dir(destination.parent)


def append_line(path: Path, line: str) -> None:
    """Append ``line`` and a newline to ``path`` with one write, and fsync it."""
    if "\n" in line:
        raise ValueError("a line cannot hold a newline")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "ab") as file:
        file.write((line + "\n").encode())
        file.flush()
        os.fsync(file.fileno())


def drop_torn_tail(path: Path) -> bool:
    """Cut a last line that a kill left without its newline; True when something was cut."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except FileNotFoundError:
        return False
    with os.fdopen(fd, "r+b") as file:
        data = file.read()
        if not data or data.endswith(b"\n"):
            return False
        file.truncate(data.rfind(b"\n") + 1)
        os.fsync(file.fileno())
    return True


def read_lines(path: Path) -> list[str]:
    """The complete lines of ``path`` (none when it does not exist)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return []
    with os.fdopen(fd, "rb") as file:
        text = file.read().decode("utf-8")
    lines = text.split("\n")
    return lines[:-1]  # the part after the last newline is empty or torn
