"""Episodes are written aside and committed into the dataset by renames, with a redo log.

LeRobot writes the episodes of one commit (one or several) into ``<root>/.actionbank_staging/``,
a dataset of its own that holds copies of the committed metadata. Once LeRobot has finalized
it, the staging folder gets ``COMMIT.json`` (the files to move, in order, and the episodes'
provenance records). Committing renames each file into the dataset, ``meta/info.json`` last:
that rename is the moment the episodes exist. Then their provenance lines are appended and
staging is removed.

After a kill, :func:`repair` finishes a commit whose ``COMMIT.json`` exists (roll forward)
and otherwise throws the staging folder away (its episodes never happened). What it will do is
decided first, with nothing changed (:func:`plan_repair`), so that a refusal leaves the dataset
as it was. Until then the
dataset opens as before the kill: staging is a hidden folder LeRobot never looks into, and
files moved ahead of ``info.json`` are complete files of episodes LeRobot does not count.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any, NamedTuple

from recorder.checked import INFO, OBJECT_LIST, STR_LIST, field_problems, read_info, read_json
from recorder.confine import check_in_place, dataset_path, name_problem, read_dataset_bytes, remove_tree
from recorder.durable import append_line, drop_torn_tail, fsync_file, json_bytes, move, write_atomic
from recorder.errors import DatasetCorruptError, DatasetPathError, RecorderError
from recorder.provenance import EPISODES_LOG, read_episode_records, record_line, record_problems

__all__ = [
    "COMMIT_TARGETS",
    "INFO",
    "MANIFEST",
    "SPOOL_DIR",
    "STAGING_DIR",
    "RepairPlan",
    "RepairReport",
    "commit",
    "committed_episodes",
    "plan_repair",
    "prepare_staging",
    "read_manifest",
    "repair",
    "spool_folder",
    "stage_commit",
]

STAGING_DIR = ".actionbank_staging"
#: Episodes being recorded (:mod:`recorder.episode`); nothing in it is part of the dataset.
SPOOL_DIR = ".actionbank_spool"
MANIFEST = "COMMIT.json"
#: Small metadata files LeRobot rewrites in place; copied into staging, moved back last.
_REWRITTEN = ("meta/tasks.parquet", "meta/stats.json", INFO)
#: Folders where each episode adds new files (LeRobot's resume never appends to old ones).
_NEW_FILE_DIRS = ("data", "videos", "meta/episodes")
#: Where a commit may put files: the folders of new files and the rewritten metadata. A
#: ``COMMIT.json`` naming anything else is refused.
COMMIT_TARGETS = (*(f"{folder}/" for folder in _NEW_FILE_DIRS), *_REWRITTEN)
_CHUNK_FILE = re.compile(r"chunk-(\d+)/file-(\d+)\.parquet")


def spool_folder(root: Path, name: str) -> Path:
    """Folder ``name`` for recordings of the dataset at ``root`` (on its file system, hidden from
    LeRobot, removed by the writer when it finishes and by :func:`repair`). Refused
    (:class:`~recorder.errors.DatasetPathError`) when the spool folder is a link."""
    return dataset_path(root, f"{SPOOL_DIR}/{name}")


def committed_episodes(root: Path) -> int:
    """How many episodes ``meta/info.json`` counts (the file is checked, see :func:`read_info`)."""
    return int(read_info(root)["total_episodes"])


def _last_episodes_file(root: Path) -> str | None:
    """The newest ``meta/episodes`` parquet file (by chunk, then file number), dataset-relative."""
    found = []
    for path in dataset_path(root, "meta/episodes").glob("*/*.parquet"):
        match = _CHUNK_FILE.fullmatch(f"{path.parent.name}/{path.name}")
        if match:
            found.append((int(match.group(1)), int(match.group(2)), path.relative_to(root).as_posix()))
    return max(found)[2] if found else None


def prepare_staging(root: Path) -> tuple[Path, frozenset[str]]:
    """Create the staging folder with what ``LeRobotDataset.resume`` needs; return it and the copies.

    That is the rewritten metadata and only the *last* ``meta/episodes`` file: LeRobot's
    writer reads ``episodes[-1]`` alone (where the next files go and the next frame index).
    Every file copied is checked to be a file of the dataset (no link).
    """
    staging = dataset_path(root, STAGING_DIR)
    copies = [name for name in _REWRITTEN if os.path.lexists(root / name)]
    last = _last_episodes_file(root)
    if last is not None:
        copies.append(last)
    sources = [dataset_path(root, name) for name in copies]  # all checked before staging exists
    staging.mkdir()
    for name, source in zip(copies, sources, strict=True):
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, staging / name, follow_symlinks=False)
    return staging, frozenset(copies)


def _new_files(staging: Path, copies: frozenset[str]) -> list[str]:
    """The staged files to move, in commit order: new data, videos and episode metadata, then meta."""
    new = []
    for folder in _NEW_FILE_DIRS:
        for path in sorted((staging / folder).rglob("*")):
            name = path.relative_to(staging).as_posix()
            if path.is_file() and name not in copies:
                new.append(name)
    return new + [name for name in _REWRITTEN if (staging / name).is_file()]


def stage_commit(staging: Path, copies: frozenset[str], records: list[dict[str, Any]]) -> None:
    """Write ``COMMIT.json`` after LeRobot finalized the staged episodes (``records``: their
    provenance, in episode order); from here they will be committed."""
    files = _new_files(staging, copies)
    if INFO not in files:
        raise RecorderError(f"staged episodes in {staging} have no {INFO}")
    for name in files:
        fsync_file(staging / name)
    write_atomic(staging / MANIFEST, json_bytes({"files": files, "records": records}))


def read_manifest(root: Path) -> dict[str, Any]:
    """The staged ``COMMIT.json``, checked before anything of it is carried out.

    Each file it names must be a plain dataset-relative name in :data:`COMMIT_TARGETS`, its
    staged copy (when still there) a regular file, and neither the copy's nor the
    destination's path may pass through a link or leave the dataset
    (:class:`~recorder.errors.DatasetPathError`); its records must be episode records with
    consecutive indices (:class:`~recorder.errors.DatasetCorruptError`). A manifest of an
    earlier version, with one ``record``, is read as a list of one.
    """
    name = f"{STAGING_DIR}/{MANIFEST}"
    manifest = read_json(root, name)
    if isinstance(manifest, dict) and "record" in manifest and "records" not in manifest:
        manifest["records"] = [manifest.pop("record")]
    problems = field_problems(manifest, {"files": (STR_LIST, True), "records": (OBJECT_LIST, True)})
    if not problems:
        problems = _records_problems(manifest["records"])
    if problems:
        raise DatasetCorruptError(f"{root / name}: " + "; ".join(problems))
    for file in manifest["files"]:
        problem = name_problem(file, COMMIT_TARGETS)
        if problem is not None:
            raise DatasetPathError(f"{root / name}: refusing to commit {file!r}: {problem}")
        staged = dataset_path(root, f"{STAGING_DIR}/{file}")
        dataset_path(root, file, COMMIT_TARGETS)
        if os.path.lexists(staged) and not stat.S_ISREG(staged.lstat().st_mode):
            raise DatasetPathError(f"{root / name}: refusing to commit {file!r}: the staged one is not a file")
    return dict(manifest)


def _records_problems(records: list[dict[str, Any]]) -> list[str]:
    """What is wrong with a manifest's ``records``: none, one that is not an episode record, or
    indices that do not follow the first one's."""
    if not records:
        return ["records: empty"]
    first = records[0].get("episode_index")
    return [
        f"records[{i}]: {problem}"
        for i, record in enumerate(records)
        for problem in record_problems(record, first + i if isinstance(first, int) and i else None)
    ]


def commit(root: Path, logged: int) -> int:
    """Carry out the staged ``COMMIT.json``; ``logged`` episodes have provenance lines. Returns the new count.

    The manifest is checked in full (:func:`read_manifest`) before the first file moves. The
    records not logged yet (a kill may have come between two lines) are appended one line each.
    """
    staging = root / STAGING_DIR
    manifest = read_manifest(root)
    for name in manifest["files"]:
        if os.path.lexists(staging / name):  # absent: moved before a kill
            move(staging / name, root / name)
    for record in manifest["records"]:
        if logged == record["episode_index"]:
            append_line(check_in_place(root, EPISODES_LOG), record_line(record))
            logged += 1
    remove_tree(root, STAGING_DIR)
    return logged


class RepairReport(NamedTuple):
    """What :func:`repair` found: episodes it committed, or partial ones it threw away."""

    committed_episodes: tuple[int, ...]  # the episodes of a commit it finished (none: no commit was cut)
    discarded_partial_episode: bool  # a staged or recorded episode that was never committed
    cut_torn_log_line: bool


class RepairPlan(NamedTuple):
    """What :func:`repair` will do to a dataset, decided from its files before anything changes."""

    manifest: dict[str, Any] | None  # a staged commit to finish (:func:`read_manifest`)
    logged: int  # complete lines of the provenance log now
    records: tuple[dict[str, Any], ...]  # the episode records once repaired, a finished commit's included
    torn_log_line: bool  # the log ends in a line a kill cut short

    @property
    def episodes(self) -> int:
        """Episodes the dataset holds once repaired."""
        return len(self.records)

    def moving(self, root: Path) -> frozenset[str]:
        """Dataset-relative names of the files the staged commit still has to move into ``root``."""
        files = self.manifest["files"] if self.manifest is not None else []
        return frozenset(name for name in files if os.path.lexists(root / STAGING_DIR / name))


def plan_repair(root: Path) -> RepairPlan:
    """Read and check everything :func:`repair` will touch, and decide what it will do; nothing is
    changed. Refused (:class:`~recorder.errors.RecorderError`) when the dataset is damaged or
    leads outside (the provenance log, ``info.json``, the spool and staging folders, a staged
    ``COMMIT.json``), and when, once repaired, ``info.json`` would count other episodes than
    the log holds."""
    check_in_place(root, EPISODES_LOG)
    records = read_episode_records(root)
    dataset_path(root, SPOOL_DIR)
    staging = dataset_path(root, STAGING_DIR)
    manifest = read_manifest(root) if os.path.lexists(staging / MANIFEST) else None
    total = committed_episodes(root)
    counted = root
    after = list(records)
    if manifest is not None:
        for record in manifest["records"]:  # as :func:`commit` appends them
            if len(after) == record["episode_index"]:
                after.append(record)
        if INFO in manifest["files"] and os.path.lexists(staging / INFO):  # not moved yet: it comes in
            counted = staging
            total = committed_episodes(staging)
    if len(after) != total:
        counts = f"{root}: {INFO}" if counted == root else f"{staging / INFO} (a staged commit's)"
        holds = "has" if manifest is None else "will have, with the staged commit's,"
        raise RecorderError(
            f"{counts} counts {total} episodes but {EPISODES_LOG} {holds} {len(after)} records; "
            "the dataset was changed by something other than this recorder"
        )
    try:
        tail = read_dataset_bytes(root, EPISODES_LOG)[-1:]
    except FileNotFoundError:
        tail = b""
    return RepairPlan(manifest, len(records), tuple(after), tail not in (b"", b"\n"))


def repair(root: Path, plan: RepairPlan | None = None) -> RepairReport:
    """Bring ``root`` back to a clean state after a kill; the caller holds the dataset lock.

    ``plan``: :func:`plan_repair` of the dataset, made with the lock held (made here when not
    given). Everything is checked there first: a damaged or crafted dataset is refused with
    nothing changed.
    """
    if plan is None:
        plan = plan_repair(root)
    cut = drop_torn_tail(check_in_place(root, EPISODES_LOG)) if plan.torn_log_line else False
    committed: tuple[int, ...] = ()
    discarded = remove_tree(root, SPOOL_DIR)  # recordings of a killed run: never committed
    if plan.manifest is not None:
        committed = tuple(int(record["episode_index"]) for record in plan.manifest["records"])
        commit(root, plan.logged)
    elif remove_tree(root, STAGING_DIR):
        discarded = True
    return RepairReport(committed, discarded, cut)
