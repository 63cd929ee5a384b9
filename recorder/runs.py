"""What each ``generate`` run into a dataset did with its attempts, kept in ``meta/actionbank/runs.jsonl``.

The episodes a dataset holds say nothing of the attempts that were discarded on the way (an
IK failure, a task check that failed), yet how many were is the first thing one asks of a
dataset. One JSON line per run is kept in ``runs.jsonl``: written after each batch of episodes
the run commits and again when it ends, however it ends (done, stopped, short of its
target), so a run killed with SIGKILL leaves its counts up to its last commit;
``--resume`` adds the next run's line after it::

    {"first_attempt": 0, "attempts": 5, "saved": 3, "discarded": {"IK failure": 2},
     "failed_saved": 0, "frames": 675, "seed": 0}

``first_attempt`` [attempt index] and ``attempts`` (how many were decided: saved or discarded)
locate the run in the dataset's attempt sequence; ``saved``: episodes it added; ``discarded``:
discarded attempts by reason (the reasons of ``generate``'s summary); ``failed_saved``: failed
attempts kept in the ``_failed`` dataset; ``frames``: frames it saved; ``seed``: the run's
seed; ``notes`` (only in a run that had any): what ``generate`` told of its attempts, by
topic, the first of each (``settle_drift``: the robot left its start pose while the scene
settled; ``actions_clipped``: the plan commanded beyond a control range; ``arm_off_target``: an
arm joint stayed short of a target it was held at; ``gripper_out_of_range``: a gripper value read
far outside 0 to 1; ``gripper_stuck``: a gripper sent across its span did not move; ``discarded_node``,
``discarded_ik``, ``discarded_edge``, ``discarded_exception``: the first discarded attempt's
failure at that stage). No time is kept: the same run gives the
same bytes, whatever the machine's speed.

The file is replaced whole, atomically (:func:`write_runs`: the earlier runs' lines as read,
then this run's), so a kill leaves the lines before or after, never a torn one; it is read
back checked (:func:`read_run_records`), a damaged line named with its number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from recorder.checked import INT, OBJECT, Kind, field_problems
from recorder.confine import dataset_path
from recorder.durable import read_lines, write_atomic
from recorder.errors import DatasetCorruptError
from recorder.provenance import PROVENANCE_DIR

__all__ = [
    "RUNS_LOG",
    "read_run_records",
    "run_line",
    "run_problems",
    "run_record",
    "write_runs",
]

#: The dataset-relative name of the runs' log.
RUNS_LOG = f"{PROVENANCE_DIR}/runs.jsonl"

_COUNT = Kind("an integer of at least 0", lambda value: INT.accepts(value) and value >= 0)
_RUN_FIELDS: dict[str, tuple[Kind, bool]] = {
    "first_attempt": (_COUNT, True),
    "attempts": (_COUNT, True),
    "saved": (_COUNT, True),
    "discarded": (OBJECT, True),
    "failed_saved": (_COUNT, False),
    "frames": (_COUNT, False),
    "seed": (INT, False),
    "notes": (OBJECT, False),
}


def run_record(
    first_attempt: int,
    saved: int,
    discarded: Mapping[str, int],
    *,
    failed_saved: int = 0,
    frames: int = 0,
    seed: int = 0,
    notes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One run's line: ``saved`` episodes and ``discarded`` attempts (reason → count) from the
    attempt ``first_attempt`` on. ``attempts`` is their sum. ``notes`` (topic → text) are kept
    when there are any."""
    counts = {str(reason): int(count) for reason, count in sorted(discarded.items()) if count}
    record: dict[str, Any] = {
        "first_attempt": int(first_attempt),
        "attempts": int(saved) + sum(counts.values()),
        "saved": int(saved),
        "discarded": counts,
        "failed_saved": int(failed_saved),
        "frames": int(frames),
        "seed": int(seed),
    }
    if notes:
        record["notes"] = {str(topic): str(text) for topic, text in notes.items()}
    return record


def run_problems(record: Any) -> list[str]:
    """What is wrong with a line of ``runs.jsonl`` read back."""
    problems = field_problems(record, _RUN_FIELDS)
    if problems:
        return problems
    counts = record["discarded"].values()
    if not all(isinstance(text, str) for text in record.get("notes", {}).values()):
        problems.append("'notes' must map topics to text")
    if not all(_COUNT.accepts(count) for count in counts):
        problems.append("'discarded' must map reasons to integers of at least 0")
    elif record["attempts"] != record["saved"] + sum(counts):
        problems.append("'attempts' must be 'saved' plus every count of 'discarded'")
    return problems


def write_runs(root: Path, records: list[Mapping[str, Any]]) -> None:
    """Replace the dataset's ``runs.jsonl`` with ``records``, one line each, atomically. The
    caller holds the dataset's lock."""
    for record in records:
        problems = run_problems(dict(record))
        if problems:
            raise ValueError("; ".join(problems))
    path = dataset_path(root, RUNS_LOG)  # replaced by a rename, so a hard link there is left as it was
    write_atomic(path, "".join(run_line(record) + "\n" for record in records).encode())


def run_line(record: Mapping[str, Any]) -> str:
    """``record`` as its line of ``runs.jsonl`` (no newline)."""
    return json.dumps(dict(record), ensure_ascii=False, separators=(",", ":"))


def read_run_records(root: Path) -> list[dict[str, Any]]:
    """Every complete line of ``runs.jsonl`` in run order, each checked ([] when the dataset has
    none: datasets made before it existed); :class:`DatasetCorruptError` names a bad line."""
    path = dataset_path(root, RUNS_LOG)
    try:
        lines = read_lines(path)
    except UnicodeDecodeError as error:
        raise DatasetCorruptError(f"{path} is not UTF-8 text: {error}") from None
    except OSError as error:
        raise DatasetCorruptError(f"{path} cannot be read: {error.strerror or error}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetCorruptError(f"{path} line {number} is not valid JSON: {error}") from None
        problems = run_problems(record)
        if problems:
            raise DatasetCorruptError(f"{path} line {number}: " + "; ".join(problems))
        records.append(record)
    return records
