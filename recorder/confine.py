"""Paths that come from a dataset stay inside it: the one check every file operation on a dataset uses.

A dataset folder can be crafted (or damaged): ``COMMIT.json`` names files to move, ``info.json``
has path templates, and any file or folder in it can be a symbolic link to somewhere else.
Before we read, write, move, truncate or delete anything of a dataset, its dataset-relative
name goes through :func:`dataset_path`, which refuses a name that is absolute or has ``..``
(or ``.``, or empty) parts, any existing part of the path that is a symbolic link, and any
path that resolves (links followed) outside the dataset root. Files changed in place
(appended to, truncated) must not be hard links either (:func:`check_in_place`): a hard link
is the same file as one outside.

The checks look at the disk when they are made; a process changing the dataset at the same
time could still swap a folder for a link afterwards. The dataset's lock keeps our own
writers apart; a hostile process with write access to the dataset is out of scope.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from recorder.errors import DatasetPathError

__all__ = [
    "check_in_place",
    "dataset_path",
    "name_problem",
    "read_dataset_bytes",
    "remove_tree",
    "symlinks_in",
]


def name_problem(name: str, allowed: Sequence[str] | None = None) -> str | None:
    """Why the dataset-relative ``name`` (POSIX, ``/``-separated) is not acceptable, or None.

    ``allowed``: the folders (ending in ``/``) and files the name must be in or be; None: anywhere.
    """
    if not name:
        return "it is empty"
    if "\\" in name or "\0" in name:
        return "it holds a backslash or a NUL"
    path = PurePosixPath(name)
    if path.is_absolute():
        return "it is absolute"
    if any(part in ("..", ".") for part in name.split("/")) or "//" in name or name.endswith("/"):
        return "it has '..', '.' or empty parts"
    if allowed is not None and not any(
        name.startswith(entry) if entry.endswith("/") else name == entry for entry in allowed
    ):
        return f"it is not in {', '.join(allowed)}"
    return None


def dataset_path(root: Path, name: str, allowed: Sequence[str] | None = None) -> Path:
    """``root / name``, checked to stay in the dataset at ``root``; raises :class:`DatasetPathError`.

    ``name`` must be relative, without ``..``/``.`` parts (and in ``allowed`` when given); no
    part of the path below ``root`` that exists may be a symbolic link (``root`` itself may:
    it is the folder the user named); the path, resolved, must lie in ``root`` resolved.
    The file itself need not exist.
    """
    problem = name_problem(name, allowed)
    if problem is not None:
        raise DatasetPathError(f"{root}: refusing the path {name!r} from the dataset: {problem}")
    path = root
    for part in name.split("/"):
        path = path / part
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            break  # nothing below it exists: nothing to follow
        except NotADirectoryError:
            raise DatasetPathError(f"{root}: refusing {name!r}: a part of it is a file, not a folder") from None
        if stat.S_ISLNK(mode):
            where = path.relative_to(root).as_posix()
            raise DatasetPathError(
                f"{root}: refusing {name!r}: {where} is a symbolic link (to {os.readlink(path)}); "
                "a dataset holds no links"
            )
    full = root / name
    if not full.resolve().is_relative_to(root.resolve()):
        raise DatasetPathError(f"{root}: refusing {name!r}: it leads outside the dataset ({full.resolve()})")
    return full


def read_dataset_bytes(root: Path, name: str) -> bytes:
    """The content of the dataset file ``name`` (checked with :func:`dataset_path`; a link is never followed)."""
    path = dataset_path(root, name)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        return file.read()


def check_in_place(root: Path, name: str) -> Path:
    """:func:`dataset_path` for a file changed in place (appended to, truncated): it must also not
    be a hard link (another name of the same file, which could be outside the dataset)."""
    path = dataset_path(root, name)
    try:
        links = path.lstat().st_nlink
    except FileNotFoundError:
        return path
    if links != 1:
        raise DatasetPathError(f"{root}: refusing to change {name!r} in place: it is a hard link ({links} names)")
    return path


def remove_tree(root: Path, name: str) -> bool:
    """Delete the folder ``name`` of the dataset and everything in it; False when it did not exist.

    A symbolic link there is refused (:class:`DatasetPathError`), not followed nor removed.
    ``shutil.rmtree`` itself never follows links inside the tree (it deletes the links) and
    refuses to start on a link, which :func:`dataset_path` reports first, with a message.
    """
    path = dataset_path(root, name)
    if not os.path.lexists(path):
        return False
    if not path.is_dir():
        raise DatasetPathError(f"{root}: refusing to delete {name!r}: it is not a folder")
    shutil.rmtree(path)
    return True


def symlinks_in(root: Path) -> Iterator[str]:
    """Dataset-relative names of the symbolic links anywhere in the dataset (links are not followed)."""
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        for name in sorted(subfolders + files):
            if (here / name).is_symlink():
                yield (here / name).relative_to(root).as_posix()
