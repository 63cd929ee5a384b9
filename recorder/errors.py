"""The recorder's exceptions, under the package's one root :class:`~actionbank.errors.ActionbankError`."""

from __future__ import annotations

import contextlib
import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

from actionbank.errors import ActionbankError

__all__ = [
    "DatasetCorruptError",
    "DatasetExistsError",
    "DatasetInUseError",
    "DatasetPathError",
    "DiskFullError",
    "OutputPathError",
    "RecorderError",
    "RunMismatchError",
    "disk_full",
    "disk_full_cause",
    "removed_on_failure",
]

#: ``errno`` values that mean the file system has no room left for us (space, or our quota).
_FULL = (errno.ENOSPC, errno.EDQUOT)
#: How these errors read when a library keeps only the text (pyarrow), or checks the free space
#: itself before writing (Hugging Face ``datasets``: "Not enough disk space. Needed: ...").
_FULL_TEXTS = ("No space left on device", "Disk quota exceeded", "[errno 28]", "[errno 122]", "Not enough disk space")


class RecorderError(ActionbankError):
    """A dataset could not be created, opened or written: bad spec, wrong folder, IO error (exit code 2)."""

    exit_code = 2


class DatasetExistsError(RecorderError):
    """``create`` was given a folder that already holds something; ``--resume`` continues a dataset."""


class DatasetInUseError(RecorderError):
    """Another process is writing to this dataset (it holds the dataset folder's lock)."""


class DatasetCorruptError(RecorderError):
    """A file of the dataset cannot be used: not JSON, a key missing, a value of the wrong type."""


class DatasetPathError(RecorderError):
    """A path taken from a dataset leads outside it (absolute, ``..``, a symbolic link): refused."""


class OutputPathError(RecorderError):
    """A file a command was asked to write (``strip -o``, ``replay --video``, ``merge OUT``,
    ``report -o``) cannot or must not be written there: inside the dataset read, under a
    regular file, in a folder we may not write, an unknown type."""


class RunMismatchError(RecorderError):
    """``--resume`` with configs, assets or a seed other than the ones the dataset was made with."""


class DiskFullError(RecorderError):
    """The file system ran out of space (or quota) while recording or saving: the job failed part
    way (exit code 1); every episode saved before is complete."""

    exit_code = 1


def disk_full_cause(error: BaseException) -> BaseException | None:
    """The exception in ``error``'s chain (itself, its cause or context) that says the disk is full,
    or None. Libraries wrap the ``OSError`` (Hugging Face ``datasets`` raises its own error from
    it) or keep only its text (pyarrow), so both the ``errno`` and the text count."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL:
            return current
        if isinstance(current, OSError) and any(text.lower() in str(current).lower() for text in _FULL_TEXTS):
            return current
        current = current.__cause__ or current.__context__
    return None


def disk_full(error: BaseException, doing: str) -> DiskFullError | None:
    """A :class:`DiskFullError` saying what we were ``doing`` (and in which file) when ``error``
    says the disk is full; None when it says something else."""
    cause = disk_full_cause(error)
    if cause is None:
        return None
    reason = "the disk quota is exceeded" if getattr(cause, "errno", None) == errno.EDQUOT else "no space is left"
    filename = getattr(cause, "filename2", None) or getattr(cause, "filename", None)  # a copy's destination
    where = f" (writing {filename})" if filename else ""
    return DiskFullError(f"{reason} on the device {doing}{where}")


@contextlib.contextmanager
def removed_on_failure(folder: Path, doing: str) -> Iterator[None]:
    """Whatever the block raises, ``folder`` (what it was building) is removed first; a full disk
    is raised as a :class:`DiskFullError` saying what we were ``doing``, anything else as it was."""
    try:
        yield
    except BaseException as error:
        shutil.rmtree(folder, ignore_errors=True)
        full = disk_full(error, doing)
        if full is not None:
            raise full from error
        raise
