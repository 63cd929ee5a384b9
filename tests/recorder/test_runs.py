"""``meta/actionbank/runs.jsonl``: one checked line per generate run, appended durably, read back
checked (a damaged line named with its number), torn tails cut, links refused."""

from __future__ import annotations

import json
import os

import pytest

from recorder.errors import DatasetCorruptError, DatasetPathError
from recorder.runs import RUNS_LOG, read_run_records, run_problems, run_record, write_runs


def test_a_run_record_counts_its_attempts_and_keeps_reasons_in_order():
    record = run_record(4, 3, {"task check failed: no cube": 1, "IK failure": 2, "node failure": 0}, seed=7)
    assert record["first_attempt"] == 4
    assert record["attempts"] == 6 and record["saved"] == 3
    assert list(record["discarded"].items()) == [("IK failure", 2), ("task check failed: no cube", 1)]
    assert record["seed"] == 7
    assert run_problems(record) == []


def _add_run(root, record):
    """What a run does with the log: the earlier lines as read, then its own."""
    write_runs(root, [*read_run_records(root), record])


def test_runs_are_written_in_order_and_read_back(tmp_path):
    _add_run(tmp_path, run_record(0, 2, {"IK failure": 1}, frames=450))
    _add_run(tmp_path, run_record(3, 1, {}))
    records = read_run_records(tmp_path)
    assert [r["first_attempt"] for r in records] == [0, 3]
    assert records[0]["discarded"] == {"IK failure": 1} and records[0]["frames"] == 450
    assert (tmp_path / RUNS_LOG).read_text().count("\n") == 2


def test_notes_are_kept_only_in_a_run_that_had_some(tmp_path):
    told = {"settle_drift": "the robot left its start pose while the scene settled at reset, …"}
    _add_run(tmp_path, run_record(0, 1, {}, notes=told))
    _add_run(tmp_path, run_record(1, 1, {}, notes={}))
    first, second = read_run_records(tmp_path)
    assert first["notes"] == told and "notes" not in second


def test_a_dataset_without_the_log_has_no_runs(tmp_path):
    assert read_run_records(tmp_path) == []


def test_a_torn_last_line_is_ignored_on_reading_and_gone_after_the_next_write(tmp_path):
    _add_run(tmp_path, run_record(0, 1, {}))
    with (tmp_path / RUNS_LOG).open("a") as file:
        file.write('{"first_attempt": 1, "att')
    assert len(read_run_records(tmp_path)) == 1
    _add_run(tmp_path, run_record(1, 2, {}))
    assert [r["saved"] for r in read_run_records(tmp_path)] == [1, 2]
    assert "att\n" not in (tmp_path / RUNS_LOG).read_text() and (tmp_path / RUNS_LOG).read_text().count("\n") == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not json", "line 2 is not valid JSON"),
        ("[1, 2]", "line 2: the file must be an object"),
        ('{"first_attempt": 0, "attempts": 1, "saved": 1}', "the key 'discarded' is missing"),
        ('{"first_attempt": 0, "attempts": 1, "saved": "1", "discarded": {}}', "'saved' must be an integer"),
        ('{"first_attempt": 0, "attempts": 1, "saved": 1, "discarded": {"x": -1}}', "'discarded' must map"),
        ('{"first_attempt": 0, "attempts": 5, "saved": 1, "discarded": {"x": 1}}', "'attempts' must be 'saved' plus"),
        ('{"first_attempt": 0, "attempts": 1, "saved": 1, "discarded": {}, "notes": {"a": 1}}', "'notes' must map"),
        ('{"first_attempt": 0, "attempts": 1, "saved": 1, "discarded": {}, "notes": []}', "'notes' must be"),
    ],
)
def test_a_damaged_line_is_named_with_its_number_and_what_is_wrong(tmp_path, line, expected):
    _add_run(tmp_path, run_record(0, 1, {}))
    with (tmp_path / RUNS_LOG).open("a") as file:
        file.write(line + "\n")
    with pytest.raises(DatasetCorruptError) as caught:
        read_run_records(tmp_path)
    assert str(tmp_path / RUNS_LOG) in str(caught.value)
    assert expected in str(caught.value)


def test_a_link_in_place_of_the_log_is_refused_for_reading_and_writing(tmp_path):
    outside = tmp_path / "outside.jsonl"
    outside.write_text(json.dumps(run_record(0, 1, {})) + "\n")
    root = tmp_path / "dataset"
    (root / "meta" / "actionbank").mkdir(parents=True)
    os.symlink(outside, root / RUNS_LOG)
    with pytest.raises(DatasetPathError):
        read_run_records(root)
    with pytest.raises(DatasetPathError):
        write_runs(root, [run_record(1, 1, {})])
    assert outside.read_text().count("\n") == 1 and (root / RUNS_LOG).is_symlink()


def test_a_hard_linked_log_is_replaced_and_its_other_name_left_as_it_was(tmp_path):
    root = tmp_path / "dataset"
    (root / "meta" / "actionbank").mkdir(parents=True)
    write_runs(root, [run_record(0, 1, {})])
    outside = tmp_path / "outside.jsonl"
    os.link(root / RUNS_LOG, outside)
    before = outside.read_bytes()
    write_runs(root, [run_record(0, 1, {}), run_record(1, 1, {})])
    assert outside.read_bytes() == before
    assert [r["attempts"] for r in read_run_records(root)] == [1, 1]
    assert (root / RUNS_LOG).stat().st_nlink == 1


def test_an_inconsistent_record_is_not_written(tmp_path):
    record = run_record(0, 1, {"IK failure": 1}) | {"attempts": 1}
    with pytest.raises(ValueError, match="'attempts' must be"):
        write_runs(tmp_path, [record])
    assert not (tmp_path / RUNS_LOG).exists()
