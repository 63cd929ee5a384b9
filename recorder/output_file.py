"""Where a command writes a file of its own (not part of a dataset): checked before any work.

``report -o``, ``strip -o``, ``replay --video`` and ``merge OUT`` read a dataset and write
something else. :func:`output_problem` says why a path cannot or must not be written before
the dataset is read: it lies inside the dataset read (the dataset is not ours to change), it
is a folder, a part of it is a regular file, or its folder cannot be written.
:func:`write_output` writes the bytes atomically (:func:`recorder.durable.write_atomic`), so
a failure leaves nothing half-written, and says why in an :class:`OutputPathError`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from recorder.durable import write_atomic
from recorder.errors import OutputPathError

__all__ = ["check_output", "inside_dataset", "output_problem", "place_problem", "write_output"]


def inside_dataset(output: Path, dataset: Path) -> bool:
    """Whether ``output`` (links followed) lies in the dataset folder ``dataset`` or is it."""
    return output.resolve().is_relative_to(dataset.resolve())


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder above ``path`` that exists (or the regular file in the way)."""
    here = path.parent if str(path.parent) else Path(".")
    while not os.path.lexists(here) and here != here.parent:
        here = here.parent
    return here


def output_problem(output: Path, datasets: Sequence[Path] = (), make_folders: bool = False) -> str | None:
    """Why ``output`` (a file to write) cannot or must not be written, or None.

    ``datasets``: the folders read, which it must stay out of. ``make_folders``: missing folders
    above it will be created (else its folder must exist).
    """
    for dataset in datasets:
        if inside_dataset(output, dataset):
            return f"it lies inside the dataset {dataset}, which is only read; write it elsewhere"
    if output.is_dir():
        return "it is a folder; give the file to write"
    if output.exists() and not os.access(output, os.W_OK):
        return "permission denied"
    return place_problem(output, make_folders)


def place_problem(path: Path, make_folders: bool = False) -> str | None:
    """Why nothing can be created at ``path`` (a file or a folder): a part of it above is a
    regular file, or the folder it would be made in is missing (unless ``make_folders``) or
    not writable; None when it can."""
    folder = path.parent if str(path.parent) else Path(".")
    ancestor = _existing_ancestor(path)
    if not ancestor.is_dir():
        return f"{ancestor} is a file, not a folder"
    if ancestor != folder and not make_folders:
        return f"the folder {folder} does not exist"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"permission denied in {ancestor}"
    return None


def check_output(output: Path, option: str, datasets: Sequence[Path] = (), make_folders: bool = False) -> None:
    """:func:`output_problem` as an :class:`OutputPathError` naming ``option`` (``-o``, ``--video``)."""
    problem = output_problem(output, datasets, make_folders)
    if problem is not None:
        raise OutputPathError(f"{option} {output}: {problem}")


def write_output(output: Path, data: bytes, option: str) -> None:
    """Write ``data`` to ``output`` atomically; an :class:`OutputPathError` naming ``option`` and
    the reason when the file system refuses (a read-only folder, ``/proc``, a full disk)."""
    try:
        write_atomic(output, data)
    except OSError as error:
        raise OutputPathError(f"{option} {output} cannot be written: {error.strerror or error}") from None
