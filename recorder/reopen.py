"""Reopening a dataset to append to it: every file checked, and what a killed run left decided,
before anything of it changes.

A reopening is refused, with the dataset byte for byte as it was, when anything that the repair
of a killed run (:func:`recorder.staging.plan_repair`), LeRobot's writer or a later append would
touch is damaged or leads outside: ``info.json``, the provenance (``dataset.json``, the stored
configs, ``hashes.json``, ``package.json``, ``episodes.jsonl``, ``runs.jsonl``), a staged
``COMMIT.json``, a symbolic link anywhere in the dataset (links in a killed run's recordings
and staged files are never followed: no refusal), and every file the metadata names (LeRobot's
task table, episode index, statistics, each data file and video: there, whole and decodable,
:func:`recorder.dataset_files.check_dataset_files`), all as they will be once a cut commit is
finished. Only then may :meth:`recorder.writer.DatasetWriter.open_checked` repair the dataset;
until then :class:`ResumeCheck` holds its lock and has changed nothing.

Reading every parquet file and the first frame of every video is the check ``report``, ``strip``
and ``merge`` make too: about 10 ms per episode with two 64x48 cameras (0.4 s for 40 episodes),
about 2 ms per parquet file or video.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from recorder.checked import OBJECT, read_json
from recorder.confine import check_in_place, symlinks_in
from recorder.dataset_files import check_dataset_files
from recorder.errors import DatasetCorruptError, DatasetPathError, RecorderError
from recorder.lock import DirLock
from recorder.provenance import PROVENANCE_DIR, check_episode_configs, load_spec, read_episode_records
from recorder.runs import RUNS_LOG, read_run_records
from recorder.spec import DatasetSpec
from recorder.staging import SPOOL_DIR, STAGING_DIR, RepairPlan, committed_episodes, plan_repair

__all__ = ["PACKAGE_FILE", "STATS", "ResumeCheck", "check_for_resume"]

#: LeRobot's statistics of every feature, aggregated over the episodes (its resume adds the
#: next episodes' to them: without the file, the earlier episodes' would be lost).
STATS = "meta/stats.json"
#: The versions that made the dataset (:func:`recorder.provenance.package_versions`).
PACKAGE_FILE = f"{PROVENANCE_DIR}/package.json"


class ResumeCheck(NamedTuple):
    """A dataset found fit to append to, not changed yet: its spec, its lock (held) and what the
    repair of a killed run will do (:class:`~recorder.staging.RepairPlan`)."""

    spec: DatasetSpec
    lock: DirLock
    plan: RepairPlan

    def release(self) -> None:
        """Give the dataset back unopened (idempotent); nothing of it was changed."""
        self.lock.release()


def check_for_resume(root: Path, check: Callable[[DatasetSpec], None] | None = None) -> ResumeCheck:
    """Lock the dataset at ``root`` and check all of it for appending episodes, changing nothing.

    ``check`` is called with the dataset's spec first (a :class:`~recorder.errors.RunMismatchError`
    of a run that would make other data); then a damaged file or one that leads outside is
    refused (:class:`~recorder.errors.DatasetCorruptError`, :class:`~recorder.errors.DatasetPathError`,
    naming the file and why). On any refusal the lock is released.
    """
    if not os.path.lexists(root / "meta" / "info.json"):
        raise RecorderError(f"{root} is not a LeRobot dataset: meta/info.json is missing")
    lock = DirLock(root)
    try:
        committed_episodes(root)
        spec = load_spec(root)
        check_episode_configs(root, spec, read_episode_records(root))
        if check is not None:
            check(spec)
        plan = plan_repair(root)
        check_episode_configs(root, spec, list(plan.records))  # with those of a staged commit
        _check_files(root, plan)
    except BaseException:
        lock.release()
        raise
    return ResumeCheck(spec, lock, plan)


def _check_files(root: Path, plan: RepairPlan) -> None:
    """Refuse links anywhere in the dataset, a damaged run log or metadata file, and a data file
    or video that is missing or damaged, with the dataset as the repair will leave it."""
    # a killed run's recordings and staged files are removed without following links, or moved
    # in checked one by one (:func:`~recorder.staging.read_manifest`): links in them are no refusal
    links = [name for name in symlinks_in(root) if not name.startswith((f"{SPOOL_DIR}/", f"{STAGING_DIR}/"))]
    if links:
        shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
        raise DatasetPathError(f"{root} holds symbolic links ({shown}); a dataset holds none: refusing to resume it")
    check_in_place(root, RUNS_LOG)  # rewritten after each commit and when the run ends
    read_run_records(root)
    moving = plan.moving(root)
    staging = root / STAGING_DIR
    for name, needed in ((PACKAGE_FILE, True), (STATS, plan.episodes > 0)):
        if needed and not OBJECT.accepts(read_json(staging if name in moving else root, name)):
            raise DatasetCorruptError(f"{(staging if name in moving else root) / name} must hold a JSON object")
    check_dataset_files(root, staging, moving)
