"""Episodes are written aside and committed into the dataset by renames, with a redo log.

LeRobot writes the episode into ``<root>/.actionbank_staging/``, a dataset of its own that
holds copies of the committed metadata. Once LeRobot has finalized it, the staging folder
gets ``COMMIT.json`` (the files to move, in order, and the episode's provenance record).
Committing renames each file into the dataset, ``meta/info.json`` last: that rename is the
moment the episode exists. Then the provenance line is appended and staging is removed.

After a kill, :func:`repair` finishes a commit whose ``COMMIT.json`` exists (roll forward)
and otherwise throws the staging folder away (the episode never happened). Until then the
dataset opens as before the kill: staging is a hidden folder LeRobot never looks into, and
files moved ahead of ``info.json`` are complete files of an episode LeRobot does not count.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, NamedTuple

from recorder.durable import append_line, drop_torn_tail, fsync_file, json_bytes, move, read_lines, write_atomic
from recorder.errors import RecorderError
from recorder.provenance import EPISODES_LOG, record_line

__all__ = [
    "INFO",
    "MANIFEST",
    "SPOOL_DIR",
    "STAGING_DIR",
    "RepairReport",
    "commit",
    "committed_episodes",
    "prepare_staging",
    "repair",
    "spool_folder",
    "stage_commit",
]

STAGING_DIR = ".actionbank_staging"
#: Episodes being recorded (:mod:`recorder.episode`); nothing in it is part of the dataset.
SPOOL_DIR = ".actionbank_spool"
MANIFEST = "COMMIT.json"
INFO = "meta/info.json"
#: Small metadata files LeRobot rewrites in place; copied into staging, moved back last.
_REWRITTEN = ("meta/tasks.parquet", "meta/stats.json", INFO)
#: Folders where each episode adds new files (LeRobot's resume never appends to old ones).
_NEW_FILE_DIRS = ("data", "videos", "meta/episodes")
_CHUNK_FILE = re.compile(r"chunk-(\d+)/file-(\d+)\.parquet")


def spool_folder(root: Path, name: str) -> Path:
    """Folder ``name`` for recordings of the dataset at ``root`` (on its file system, hidden from
    LeRobot, removed by the writer when it finishes and by :func:`repair`)."""
    return root / SPOOL_DIR / name


def committed_episodes(root: Path) -> int:
    """How many episodes ``meta/info.json`` counts."""
    return int(json.loads((root / INFO).read_text(encoding="utf-8"))["total_episodes"])


def _last_episodes_file(root: Path) -> Path | None:
    """The newest ``meta/episodes`` parquet file (by chunk, then file number)."""
    found = []
    for path in (root / "meta" / "episodes").glob("*/*.parquet"):
        match = _CHUNK_FILE.fullmatch(f"{path.parent.name}/{path.name}")
        if match:
            found.append((int(match.group(1)), int(match.group(2)), path))
    return max(found)[2] if found else None


def prepare_staging(root: Path) -> tuple[Path, frozenset[str]]:
    """Create the staging folder with what ``LeRobotDataset.resume`` needs; return it and the copies.

    That is the rewritten metadata and only the *last* ``meta/episodes`` file: LeRobot's
    writer reads ``episodes[-1]`` alone (where the next files go and the next frame index).
    """
    staging = root / STAGING_DIR
    staging.mkdir()
    copies = [name for name in _REWRITTEN if (root / name).is_file()]
    last = _last_episodes_file(root)
    if last is not None:
        copies.append(last.relative_to(root).as_posix())
    for name in copies:
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, staging / name)
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


def stage_commit(staging: Path, copies: frozenset[str], record: dict[str, Any]) -> None:
    """Write ``COMMIT.json`` after LeRobot finalized the staged episode; from here it will be committed."""
    files = _new_files(staging, copies)
    if INFO not in files:
        raise RecorderError(f"staged episode in {staging} has no {INFO}")
    for name in files:
        fsync_file(staging / name)
    write_atomic(staging / MANIFEST, json_bytes({"files": files, "record": record}))


def commit(root: Path, logged: int) -> int:
    """Carry out the staged ``COMMIT.json``; ``logged`` episodes have provenance lines. Returns the new count."""
    staging = root / STAGING_DIR
    manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    for name in manifest["files"]:
        if (staging / name).exists():  # absent: moved before a kill
            move(staging / name, root / name)
    record = manifest["record"]
    if logged == record["episode_index"]:
        append_line(root / EPISODES_LOG, record_line(record))
        logged += 1
    shutil.rmtree(staging)
    return logged


class RepairReport(NamedTuple):
    """What :func:`repair` found: an episode it committed, or a partial one it threw away."""

    committed_episode: int | None
    discarded_partial_episode: bool  # a staged or recorded episode that was never committed
    cut_torn_log_line: bool


def repair(root: Path) -> RepairReport:
    """Bring ``root`` back to a clean state after a kill; the caller holds the dataset lock."""
    cut = drop_torn_tail(root / EPISODES_LOG)
    logged = len(read_lines(root / EPISODES_LOG))
    staging = root / STAGING_DIR
    committed: int | None = None
    discarded = (root / SPOOL_DIR).exists()  # recordings of a killed run: never committed
    shutil.rmtree(root / SPOOL_DIR, ignore_errors=True)
    if (staging / MANIFEST).is_file():
        committed = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))["record"]["episode_index"]
        logged = commit(root, logged)
    elif staging.exists():
        shutil.rmtree(staging)
        discarded = True
    total = committed_episodes(root)
    if logged != total:
        raise RecorderError(
            f"{root}: meta/info.json counts {total} episodes but {EPISODES_LOG} has {logged} records; "
            "the dataset was changed by something other than this recorder"
        )
    return RepairReport(committed, discarded, cut)
