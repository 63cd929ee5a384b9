"""A new dataset's folder, held from a run's start until the dataset exists in it.

:meth:`Reservation.make` creates the folder (and any missing parent) and, inside it, the run's
own spool folder, where its attempts are recorded before the dataset is created: so an
unusable ``--output`` (a path under a regular file, a read-only file system) fails before
any work starts. A run that ends before its dataset was created calls
:meth:`Reservation.release`, which removes the spool folder and every folder ``make``
created, and leaves nothing behind. A run killed in between (SIGKILL) leaves a folder that
holds nothing but spooled recordings: the writer treats it as vacant
(:meth:`~recorder.writer.DatasetWriter.check_vacant`), and the next run's ``make`` deletes
the spool folders whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path

from recorder.confine import remove_tree
from recorder.errors import RecorderError
from recorder.staging import SPOOL_DIR, spool_folder

__all__ = ["Reservation", "owner_is_gone"]

#: Names that carry the id of the process that made them: ``<anything>-<pid>-<hex>``.
_OWNED = re.compile(r".*-(\d+)-[0-9a-f]+")


def owner_is_gone(name: str) -> bool:
    """Whether ``name`` (made by :meth:`Reservation.make` or a writer's ``create``) belongs to a
    process of this machine that no longer runs; a name without a process id has no owner."""
    match = _OWNED.fullmatch(name)
    if match is None:
        return True
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # another user's process, or not a process id at all
        return False
    return False


class Reservation:
    """The folder ``root`` of a dataset that does not exist yet, and the run's spool folder in it."""

    def __init__(self, root: Path, spool: Path, created: tuple[Path, ...]) -> None:
        self.root = root
        self.spool = spool
        self._created = created  # the folders make() created, outermost first

    @classmethod
    def make(cls, root: Path, reserved: bool = False) -> Reservation:
        """Create ``root`` (a vacant dataset folder; ``reserved``: this run created it already, as
        :func:`~recorder.naming.dataset_root` does) and a spool folder of this run's in it.

        Spool folders of runs that were killed are deleted. Raises :class:`RecorderError` (exit
        code 2) when the folder cannot be created or written, having removed what it made.
        """
        created = [root] if reserved else [p for p in (root, *root.parents) if not p.exists()][::-1]
        name = f"attempts-{os.getpid()}-{secrets.token_hex(4)}"
        spool = root / SPOOL_DIR / name
        try:
            for folder in created:
                folder.mkdir(exist_ok=folder == root and reserved)
            spool_folder(root, name)  # refuses a spool folder that is a link
            for stale in (root / SPOOL_DIR).glob("*") if (root / SPOOL_DIR).is_dir() else ():
                if owner_is_gone(stale.name):
                    remove_tree(root, f"{SPOOL_DIR}/{stale.name}")
            spool.mkdir(parents=True)
        except BaseException as error:  # an unusable folder, or a stop signal
            cls(root, spool, tuple(created)).release()
            if not isinstance(error, OSError):
                raise
            reason = error.strerror or str(error)
            where = f" ({error.filename})" if error.filename and Path(error.filename) != root else ""
            raise RecorderError(f"cannot write the dataset at {root}: {reason}{where}") from error
        return cls(root, spool, tuple(created))

    def release(self) -> None:
        """The run ends without a dataset: remove its spool folder, then each folder :meth:`make`
        created that is empty now (a folder someone else filled meanwhile stays)."""
        shutil.rmtree(self.spool, ignore_errors=True)
        with contextlib.suppress(OSError):  # other runs' recordings are there: it stays
            (self.root / SPOOL_DIR).rmdir()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()
