"""Whether datasets can be merged, and in which order: ``actionbank merge``'s checks.

Datasets merge when the same run could have made all of them: the same config texts and
asset files (``hashes.json``), the same seed and the same ``dataset.json`` otherwise (names,
sizes, codec, package version), all but the repo id and the attempt range. Each part's
attempts (``episodes.jsonl``'s ``metrics.attempt``) must lie in its own range (declared by
``generate --attempts``, else from its first to its last attempt) and the ranges must not
overlap: the parts are then put in the order of their ranges, and their episodes stay in
attempt order. Everything is read with the checked readers of :mod:`recorder.provenance`;
nothing is written.
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
    HASHES_FILE,
    PROVENANCE_DIR,
    SPEC_FILE,
    check_episode_configs,
    config_file_names,
    load_spec,
    read_episode_records,
)
from recorder.run_identity import first_difference
from recorder.spec import DatasetSpec
from recorder.staging import MANIFEST, STAGING_DIR

__all__ = [
    "MergeError",
    "MergePart",
    "check_distinct",
    "merge_order",
    "merged_attempts",
    "part_differences",
    "read_part",
]

#: ``dataset.json`` keys that may differ between the parts of a merge.
_OWN_KEYS = ("repo_id", "attempts")
#: Characters of a config line shown in a message.
_SHOWN = 120


class MergeError(RecorderError):
    """The datasets cannot be merged (other configs, overlapping attempts, ...) or the output
    folder cannot take the merge: nothing was written (exit code 2)."""


@dataclass(frozen=True)
class MergePart:
    """A dataset to merge: its spec, its episode records, and its attempt range ``(start, stop)``
    (declared, else its first to its last attempt; None when it holds no episode and declares none)."""

    root: Path
    spec: DatasetSpec
    records: list[dict[str, Any]]
    attempts: tuple[int, int] | None
    frames: int


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
    if (root / STAGING_DIR / MANIFEST).exists():
        raise MergeError(f"{root} has an unfinished commit of a killed run: continue it with --resume first")
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
    return MergePart(root, spec, records, span, int(info["total_frames"]))


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
                f"      {other.root / PROVENANCE_DIR / name} line {found.line}: {_shown(found.new)}"
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
    if not any(part.records for part in parts):
        raise MergeError("the datasets hold no episode: nothing to merge")
    return ordered


def merged_attempts(parts: Sequence[MergePart]) -> tuple[int, int] | None:
    """The merged dataset's attempt range: the span of its parts' declared ranges, None when one
    part declares none (it was not limited to a range)."""
    if any(part.spec.attempts is None for part in parts):
        return None
    ranges = [part.spec.attempts for part in parts if part.spec.attempts is not None]
    return min(start for start, _ in ranges), max(stop for _, stop in ranges)
