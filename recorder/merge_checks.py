"""Whether datasets can be merged, and in which order: ``actionbank merge``'s checks.

Datasets merge when the same run could have made all of them: the same config texts and
asset files (``hashes.json``), the same seed and the same ``dataset.json`` otherwise (names,
sizes, codec, package version), all but the repo id, the attempt range and the names the
config files had. Each part's attempts (``episodes.jsonl``'s ``metrics.attempt``) must lie in
its own range (declared by ``generate --attempts``, else from its first to its last attempt)
and the ranges must neither overlap nor, when all are declared, leave a gap: the parts are then
put in the order of their ranges, and their episodes stay in attempt order. A part whose
``generate`` did not finish is refused: recordings left in its spool or staging folder, or a run
log (``runs.jsonl``) that stops short of its range or of its last episode. Parts of failed
episodes (``save_failed_episodes``) merge only with each other. Everything is read with the
checked readers of :mod:`recorder.provenance`; nothing is written.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recorder.checked import read_info
from recorder.confine import symlinks_in
from recorder.errors import RecorderError
from recorder.provenance import (
    FAILURE_KEY,
    HASHES_FILE,
    PROVENANCE_DIR,
    SPEC_FILE,
    check_episode_configs,
    config_file_names,
    load_spec,
    read_episode_records,
)
from recorder.run_identity import first_difference
from recorder.runs import RUNS_LOG, read_run_records
from recorder.spec import DatasetSpec
from recorder.staging import SPOOL_DIR, STAGING_DIR

__all__ = [
    "MergeError",
    "MergePart",
    "check_distinct",
    "merge_order",
    "merged_attempts",
    "part_differences",
    "read_part",
]

#: ``dataset.json`` keys that may differ between the parts of a merge (the config file names:
#: the texts are compared, whatever the files were called).
_OWN_KEYS = ("repo_id", "attempts", "gym_config_name", "action_config_name")
#: Characters of a config line shown in a message.
_SHOWN = 120


class MergeError(RecorderError):
    """The datasets cannot be merged (other configs, overlapping attempts, ...) or the output
    folder cannot take the merge: nothing was written (exit code 2)."""


@dataclass(frozen=True)
class MergePart:
    """A dataset to merge: its spec, its episode records, and its attempt range ``(start, stop)``
    (declared, else its first to its last attempt; None when it holds no episode and declares none);
    ``runs``: its run log's lines ([] for a dataset made before run logs)."""

    root: Path
    spec: DatasetSpec
    records: list[dict[str, Any]]
    attempts: tuple[int, int] | None
    frames: int
    runs: list[dict[str, Any]]

    @property
    def failed(self) -> bool:
        """Whether it holds failed episodes (a ``<dataset>_failed`` of ``save_failed_episodes``)."""
        return any(FAILURE_KEY in record for record in self.records)


def read_part(root: Path) -> MergePart:
    """Read and check the actionbank dataset at ``root`` as a part of a merge."""
    if not root.is_dir():
        raise MergeError(f"{root} is not a folder")
    spec = load_spec(root)  # "not an actionbank dataset" when dataset.json is missing
    info = read_info(root)
    records = read_episode_records(root)
    check_episode_configs(root, spec, records)
    links = list(symlinks_in(root))
    if links:
        raise MergeError(f"{root} holds symbolic links ({', '.join(links[:3])}): refusing to read through them")
    _check_no_leftovers(root, spec)
    if info["total_episodes"] != len(records):
        raise MergeError(
            f"{root}: meta/info.json counts {info['total_episodes']} episodes but its provenance "
            f"has {len(records)}; repair it with --resume first"
        )
    attempts = []
    for record in records:
        attempt = record["metrics"].get("attempt")
        if attempt is None or int(attempt) != attempt:
            raise MergeError(f"{root}: episode {record['episode_index']} does not record its attempt index")
        attempts.append(int(attempt))
    if any(later <= earlier for earlier, later in itertools.pairwise(attempts)):
        raise MergeError(f"{root}: its episodes are not in attempt order")
    declared = spec.attempts
    if declared is not None and attempts and not declared[0] <= attempts[0] <= attempts[-1] < declared[1]:
        raise MergeError(f"{root}: its attempts {attempts[0]}..{attempts[-1]} leave its range {_text(declared)}")
    span = declared if declared is not None else (attempts[0], attempts[-1] + 1) if attempts else None
    runs = read_run_records(root)
    _check_runs_finished(root, spec, attempts, runs)
    return MergePart(root, spec, records, span, int(info["total_frames"]), runs)


def _unfinished(root: Path, spec: DatasetSpec, why: str) -> MergeError:
    attempts = f" --attempts {_text(spec.attempts)}" if spec.attempts is not None else ""
    return MergeError(
        f"{root}: a generate run did not finish there ({why}): "
        f"finish it with generate --resume {root}{attempts}, then merge"
    )


def _check_no_leftovers(root: Path, spec: DatasetSpec) -> None:
    """:class:`MergeError` when a killed run left recordings in the spool or staging folder (a
    finished run removes both)."""
    for folder in (SPOOL_DIR, STAGING_DIR):
        if (root / folder).is_dir() and any((root / folder).iterdir()):
            raise _unfinished(root, spec, f"recordings left in {root / folder}")


def _check_runs_finished(root: Path, spec: DatasetSpec, attempts: list[int], runs: list[dict[str, Any]]) -> None:
    """:class:`MergeError` when the run log shows that the dataset's runs stopped short: the runs
    it logs decided attempts up to an end before its range's stop, or before its last episode's
    attempt (a run killed between a commit and its log's update). A dataset without a run log
    (made before there was one) is taken as it is."""
    if not runs:
        return
    start = spec.attempts[0] if spec.attempts is not None else 0
    made = max(max(int(run["first_attempt"]), start) + int(run["attempts"]) for run in runs)
    if attempts and attempts[-1] >= made:
        raise _unfinished(root, spec, f"episode of attempt {attempts[-1]} after the last attempt {RUNS_LOG} counts")
    if spec.attempts is not None and made < spec.attempts[1]:
        missing = _text((made, spec.attempts[1]))
        raise _unfinished(root, spec, f"{RUNS_LOG}: its attempts {missing} were never made")


def _shown(line: str | None) -> str:
    if line is None:
        return "(end of file)"
    text = repr(line)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "…" + text[-1]


def _text(attempts: tuple[int, int] | None) -> str:
    return "(none)" if attempts is None else f"{attempts[0]}:{attempts[1]}"


def part_differences(first: MergePart, other: MergePart) -> list[str]:
    """How ``other`` was made otherwise than ``first``: one message per difference, config texts by
    their first differing line."""
    problems = []
    names = config_file_names(first.spec)
    texts = (
        ("gym config", names[0], first.spec.gym_config_text, other.spec.gym_config_text),
        ("action config", names[1], first.spec.action_config_text, other.spec.action_config_text),
    )
    for what, name, old, new in texts:
        found = first_difference(old, new)
        if found is not None:
            problems.append(
                f"the {what} differs (its sha256 in {HASHES_FILE}); first at line {found.line}:\n"
                f"      {first.root / PROVENANCE_DIR / name} line {found.line}: {_shown(found.old)}\n"
                f"      {other.root / PROVENANCE_DIR / name} line {found.line_in_new}: {_shown(found.new)}"
            )
    for fpath in sorted(set(first.spec.asset_hashes) | set(other.spec.asset_hashes)):
        a, b = first.spec.asset_hashes.get(fpath), other.spec.asset_hashes.get(fpath)
        if a != b:
            problems.append(f"the asset {fpath!r} differs ({HASHES_FILE}): sha256 {a} and {b}")
    mine, theirs = first.spec.to_json(), other.spec.to_json()
    for key in mine.keys() | theirs.keys():
        if key not in _OWN_KEYS and mine.get(key) != theirs.get(key):
            problems.append(f"{SPEC_FILE} {key!r} differs: {mine.get(key)!r} and {theirs.get(key)!r}")
    return sorted(problems, key=lambda p: (not p.startswith("the "), p))


def check_distinct(roots: Sequence[Path]) -> None:
    """:class:`MergeError` when a dataset folder is given twice (by the same or another path)."""
    seen: dict[Path, Path] = {}
    for root in roots:
        resolved = root.resolve()
        if resolved in seen:
            raise MergeError(f"{root} is given twice (also as {seen[resolved]})")
        seen[resolved] = root


def merge_order(parts: Sequence[MergePart]) -> list[MergePart]:
    """``parts`` in the order of their attempt ranges; :class:`MergeError` when two are the same
    folder (:func:`check_distinct`), were made otherwise (naming how) or have overlapping ranges."""
    if not parts:
        raise MergeError("no dataset to merge")
    check_distinct([part.root for part in parts])
    first = parts[0]
    for other in parts[1:]:
        problems = part_differences(first, other)
        if problems:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            raise MergeError(
                f"cannot merge {other.root} with {first.root}: they were made from different runs:\n{listed}"
            )
    ordered = sorted(parts, key=lambda part: part.attempts or (-1, -1))
    ranged = [part for part in ordered if part.attempts is not None]
    for earlier, later in itertools.pairwise(ranged):
        assert earlier.attempts is not None and later.attempts is not None
        if later.attempts[0] < earlier.attempts[1]:
            raise MergeError(
                f"the attempts of {earlier.root} ({_text(earlier.attempts)}) and {later.root} "
                f"({_text(later.attempts)}) overlap: merged, the same attempt would be there twice"
            )
    if all(part.spec.attempts is not None for part in parts):
        _check_no_gap(ranged)
    _check_failed_apart(ordered)
    if not any(part.records for part in parts):
        raise MergeError("the datasets hold no episode: nothing to merge")
    return ordered


def _check_no_gap(ordered: Sequence[MergePart]) -> None:
    """:class:`MergeError` when attempts between two parts' declared ranges are in none: the merged
    range would claim attempts that never ran."""
    gaps = []
    for earlier, later in itertools.pairwise(ordered):
        assert earlier.attempts is not None and later.attempts is not None
        if later.attempts[0] > earlier.attempts[1]:
            missing = _text((earlier.attempts[1], later.attempts[0]))
            gaps.append(
                f"attempts {missing} are in no part (between {earlier.root} ({_text(earlier.attempts)}) and "
                f"{later.root} ({_text(later.attempts)})): generate that shard (--attempts {missing}) and merge it too"
            )
    if gaps:
        raise MergeError("; ".join(gaps))


def _check_failed_apart(ordered: Sequence[MergePart]) -> None:
    """:class:`MergeError` when some parts hold failed episodes and others do not."""
    failed = [part for part in ordered if part.failed]
    kept = [part for part in ordered if part.records and not part.failed]
    if failed and kept:
        raise MergeError(
            f"{failed[0].root} holds failed episodes (save_failed_episodes) and {kept[0].root} does not: "
            "merge the failed-episode datasets apart from the others"
        )


def merged_attempts(parts: Sequence[MergePart]) -> tuple[int, int] | None:
    """The merged dataset's attempt range: the span of its parts' declared ranges, None when one
    part declares none (it was not limited to a range)."""
    if any(part.spec.attempts is None for part in parts):
        return None
    ranges = [part.spec.attempts for part in parts if part.spec.attempts is not None]
    return min(start for start, _ in ranges), max(stop for _, stop in ranges)
