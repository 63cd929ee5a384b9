"""The recorder's exceptions, under the package's one root :class:`~actionbank.errors.ActionbankError`."""

from __future__ import annotations

from actionbank.errors import ActionbankError

__all__ = [
    "DatasetCorruptError",
    "DatasetExistsError",
    "DatasetInUseError",
    "DatasetPathError",
    "RecorderError",
    "RunMismatchError",
]


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


class RunMismatchError(RecorderError):
    """``--resume`` with configs, assets or a seed other than the ones the dataset was made with."""
