"""``actionbank merge``: one dataset from shards of one run (``generate --attempts``).

The parts are checked first (:mod:`recorder.merge_checks`: same configs, assets and seed,
attempt ranges that do not overlap) and each is locked against a writer while it is read.
LeRobot's own aggregation (``lerobot.datasets.aggregate.aggregate_datasets``, what
``lerobot-edit-dataset --operation.type merge`` runs) then copies data, videos and episode
metadata in the parts' attempt order and combines the statistics; the language columns
(:mod:`recorder.language`) are data columns and travel with the frames. Our provenance is
written for the whole: the parts' spec with the merged repo id and attempt span, the
configs, ``hashes.json``, the parts' ``episodes.jsonl`` re-indexed, and ``merge.json`` naming
the parts. Everything is built in a hidden sibling folder and renamed onto the output, so
a refused or failed merge leaves nothing, and the result is an actionbank dataset like
any other (``--resume`` continues it with ``--attempts`` set to its span).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from recorder.dataset_files import check_readable
from recorder.durable import fsync_dir, json_bytes, write_atomic
from recorder.errors import OutputPathError, removed_on_failure
from recorder.held_output import held_output
from recorder.lock import DirLock
from recorder.merge_checks import MergeError, MergePart, check_distinct, merge_order, merged_attempts, read_part
from recorder.output_file import place_problem
from recorder.provenance import (
    CONFIG_HASHES_KEY,
    EPISODES_LOG,
    PROVENANCE_DIR,
    config_hashes,
    provenance_files,
    record_line,
)
from recorder.runs import write_runs

__all__ = ["MERGE_FILE", "MergeSummary", "merge_datasets"]

#: Which datasets a merged dataset was made from, in its order.
MERGE_FILE = f"{PROVENANCE_DIR}/merge.json"


class MergeSummary(NamedTuple):
    """What a merge made: the dataset at ``root`` with ``episodes`` episodes of ``frames`` frames in
    all, from ``parts`` (in merged order: folder, attempt range or None, episodes)."""

    root: Path
    episodes: int
    frames: int
    attempts: tuple[int, int] | None
    parts: list[tuple[Path, tuple[int, int] | None, int]]


def _check_output(output: Path, sources: Sequence[Path]) -> None:
    if output.is_symlink() or (output.exists() and (not output.is_dir() or any(output.iterdir()))):
        raise MergeError(f"{output} already exists and is not empty: merge into a new folder")
    target = output.resolve()
    for source in sources:
        where = source.resolve()
        if target == where or target.is_relative_to(where) or where.is_relative_to(target):
            raise MergeError(f"{output} and the dataset {source} lie in one another: merge into a separate folder")
    problem = place_problem(output, make_folders=True)
    if problem is not None:
        raise OutputPathError(f"{output} cannot be made: {problem}")


@contextlib.contextmanager
def _locked(sources: Sequence[Path]) -> Iterator[list[MergePart]]:
    """The parts read and checked, each dataset locked against writers until the merge is done."""
    locks: list[DirLock] = []
    try:
        parts = []
        for source in sources:
            if not source.is_dir():
                raise MergeError(f"{source} is not a dataset folder")
            locks.append(DirLock(source))
            parts.append(read_part(source))
            check_readable(source)  # LeRobot's files there and decodable: nothing is downloaded
        yield parts
    finally:
        for lock in locks:
            lock.release()


def _check_lerobot(parts: Sequence[MergePart]) -> None:
    """LeRobot's own merge conditions (same fps, robot type and features), as a :class:`MergeError`."""
    from lerobot.datasets.aggregate import validate_all_metadata  # type: ignore[import-untyped]
    from lerobot.datasets.dataset_metadata import LeRobotDatasetMetadata  # type: ignore[import-untyped]

    from recorder.lerobot_api import hub_offline

    with hub_offline():
        metadata = [LeRobotDatasetMetadata(part.spec.repo_id, root=part.root) for part in parts]
    try:
        with held_output():  # its progress bar
            validate_all_metadata(metadata)
    except ValueError as error:
        raise MergeError(f"LeRobot refuses to merge {', '.join(str(p.root) for p in parts)}: {error}") from None


def merge_datasets(output: Path, sources: Sequence[Path]) -> MergeSummary:
    """Merge the actionbank datasets ``sources`` into the new dataset ``output`` (a folder that does
    not exist or is empty), episodes in attempt order. :class:`MergeError` (or another
    :class:`~recorder.errors.RecorderError` for a damaged part) before anything is written
    when they cannot be merged."""
    _check_output(output, sources)
    check_distinct(sources)
    with _locked(sources) as parts:
        ordered = merge_order(parts)
        filled = [part for part in ordered if part.records]
        _check_lerobot(filled)
        _build(output, ordered, filled)
    return MergeSummary(
        output,
        sum(len(part.records) for part in ordered),
        sum(part.frames for part in ordered),
        merged_attempts(ordered),
        [(part.root, part.attempts, len(part.records)) for part in ordered],
    )


def _build(output: Path, ordered: Sequence[MergePart], filled: Sequence[MergePart]) -> None:
    """Have LeRobot aggregate ``filled`` (the parts holding episodes) in a hidden sibling of
    ``output``, add the provenance, and rename it onto ``output``."""
    from lerobot.datasets.aggregate import aggregate_datasets

    building = output.parent / f".{output.name}.merging-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        building.mkdir()  # LeRobot makes it again: only the file system's answer is wanted here
        building.rmdir()
    except OSError as error:
        raise OutputPathError(f"{output} cannot be made: {error.strerror or error}") from None
    repo_id = f"actionbank/{output.name}"
    with removed_on_failure(building, f"while merging into {output}"):
        with held_output():  # LeRobot's progress bars, FFmpeg's muxer notes
            aggregate_datasets(
                repo_ids=[part.spec.repo_id for part in filled],
                aggr_repo_id=repo_id,
                roots=[part.root for part in filled],
                aggr_root=building,
            )
        _point_episode_rows_at_their_files(building)
        spec = dataclasses.replace(ordered[0].spec, root=output, repo_id=repo_id, attempts=merged_attempts(ordered))
        for name, content in provenance_files(spec).items():
            write_atomic(building / name, content)
        records = [_restamped(record, config_hashes(spec)) for part in filled for record in part.records]
        lines = "".join(record_line({**record, "episode_index": i}) + "\n" for i, record in enumerate(records))
        write_atomic(building / EPISODES_LOG, lines.encode())
        write_atomic(building / MERGE_FILE, json_bytes(_merge_record(ordered)))
        if all(part.runs for part in ordered):  # the runs that made the parts; a part made before run logs: none
            write_runs(building, [run for part in ordered for run in part.runs])
        os.replace(building, output)  # onto a missing or empty folder only
        fsync_dir(output.parent)


def _point_episode_rows_at_their_files(root: Path) -> None:
    """Set each row of the episode index (``meta/episodes/chunk-C/file-F.parquet``) to say it lives
    in that file (its ``meta/episodes/chunk_index`` and ``file_index``).

    LeRobot's aggregation (0.6.1) copies these two columns from the parts: a part whose index
    spans several files (ours writes one per commit) leaves rows pointing at files the merged
    dataset does not have, and merging that dataset again fails on the first such file. Loading
    reads every file of the index whatever the columns say, so only another merge was hurt.
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    columns = ("meta/episodes/chunk_index", "meta/episodes/file_index")
    for path in sorted((root / "meta" / "episodes").glob("chunk-*/file-*.parquet")):
        chunk, file = int(path.parent.name.removeprefix("chunk-")), int(path.stem.removeprefix("file-"))
        table = pq.read_table(path)
        if not set(columns) <= set(table.column_names):
            continue
        wrong = [
            (name, value)
            for name, value in zip(columns, (chunk, file), strict=True)
            if table.column(name).to_pylist() != [value] * table.num_rows
        ]
        for name, value in wrong:
            column = pa.array([value] * table.num_rows, type=table.column(name).type)
            table = table.set_column(table.column_names.index(name), name, column)
        if wrong:
            pq.write_table(table, path)


def _restamped(record: dict[str, Any], configs: dict[str, str]) -> dict[str, Any]:
    """``record`` with its config hashes keyed by the merged dataset's config file names (a part
    whose config files had another extension stored them under other names; the texts are equal)."""
    if CONFIG_HASHES_KEY not in record:
        return record
    return {**record, CONFIG_HASHES_KEY: configs}


def _merge_record(ordered: Sequence[MergePart]) -> dict[str, Any]:
    """``merge.json``: each part in merged order, with its attempt range and its first episode here."""
    parts, first = [], 0
    for part in ordered:
        parts.append(
            {
                "root": str(part.root),
                "repo_id": part.spec.repo_id,
                "attempts": list(part.attempts) if part.attempts is not None else None,
                "episodes": len(part.records),
                "first_episode": first,
            }
        )
        first += len(part.records)
    return {"parts": parts}
