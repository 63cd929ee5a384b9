"""`generate --attempts` shards of a run and `actionbank merge` end to end: real MuJoCo rollouts,
LeRobot's writer and aggregation; the merged shards equal one run over the union."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import small_example, tree_state

from actionbank.cli import main
from actionbank.generate.attempt_range import AttemptRange, attempt_indices, parse_attempt_range, range_target
from recorder import load_spec, open_dataset, read_episode_records

SEED = 3


def _generate(gym: Path, action: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["generate", "--gym-config", str(gym), "--action-config", str(action), "--seed", str(SEED), *extra]
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """transfer_cube (small images): shard 0:1; shard 1:3 stopped at one episode by --max-episodes
    and resumed to its end; one run over 0:3; the two shards merged."""
    folder = tmp_path_factory.mktemp("shards")
    gym, action = small_example("transfer_cube", folder / "configs")
    found: dict[str, Any] = {"gym": gym, "action": action, "folder": folder}
    for name, extra in (
        ("a", ["--attempts", "0:1"]),
        ("b", ["--attempts", "1:3", "--max-episodes", "1"]),
        ("b_resumed", ["--attempts", "1:3", "--resume", str(folder / "b")]),
        ("whole", ["--attempts", "0:3"]),
    ):
        output = [] if name == "b_resumed" else ["--output", str(folder / name)]
        result = _generate(gym, action, *extra, *output)
        assert result.exit_code == 0, result.output
        found[f"{name}_output"] = result.output
    merged = CliRunner().invoke(main, ["merge", str(folder / "merged"), str(folder / "b"), str(folder / "a")])
    assert merged.exit_code == 0, merged.output
    found["merge_output"] = merged.output
    return found


def _table(root: Path) -> dict[str, Any]:
    dataset = open_dataset(f"actionbank/{root.name}", root)
    raw = dataset.hf_dataset
    data = raw.with_format("numpy")
    names = ("action", "observation.state", "episode_index", "frame_index", "timestamp", "index", "task_index")
    table: dict[str, Any] = {name: np.asarray(data[name]) for name in names}
    table["language_persistent"] = raw["language_persistent"]
    step = max(1, dataset.num_frames // 40)  # decoding every frame is slow; every episode is sampled
    table["images"] = [np.asarray(dataset[i]["observation.images.top"]) for i in range(0, dataset.num_frames, step)]
    return table


def test_a_shard_stops_at_max_episodes_and_resumes_to_the_end_of_its_range(runs):
    folder = runs["folder"]
    assert "saved now  1" in runs["b_output"]
    assert "saved now  1" in runs["b_resumed_output"] and "total      2" in runs["b_resumed_output"]
    assert [r["metrics"]["attempt"] for r in read_episode_records(folder / "a")] == [0]
    assert [r["metrics"]["attempt"] for r in read_episode_records(folder / "b")] == [1, 2]
    assert load_spec(folder / "b").attempts == (1, 3)
    stored = json.loads((folder / "b" / "meta" / "actionbank" / "dataset.json").read_text())
    assert stored["attempts"] == [1, 3] and stored["seed"] == SEED
    # each run's log line starts at the first attempt it handed out: the range's start, then after the saved one
    logged = [
        json.loads(line) for line in (folder / "b" / "meta" / "actionbank" / "runs.jsonl").read_text().splitlines()
    ]
    assert [run["first_attempt"] for run in logged] == [1, 2]


def test_merged_shards_equal_one_run_over_the_union(runs):
    folder = runs["folder"]
    assert "merged 3 episodes" in runs["merge_output"] and "attempts 0:3" in runs["merge_output"]
    assert "it/s" not in runs["merge_output"]  # LeRobot's progress bars are held back (recorder.held_output)
    merged, whole = _table(folder / "merged"), _table(folder / "whole")
    for name, values in whole.items():
        if isinstance(values, np.ndarray):
            np.testing.assert_array_equal(merged[name], values, err_msg=name)
        elif name == "images":
            assert len(merged[name]) == len(values) > 3
            for got, expected in zip(merged[name], values, strict=True):
                np.testing.assert_array_equal(got, expected)
        else:
            assert merged[name] == values, name
    assert read_episode_records(folder / "merged") == read_episode_records(folder / "whole")
    assert load_spec(folder / "merged").attempts == load_spec(folder / "whole").attempts == (0, 3)


def test_a_merged_dataset_logs_the_runs_that_made_its_parts_in_attempt_order(runs):
    """So report counts its attempts (before: "attempts not recorded" for every merged dataset)."""
    folder = runs["folder"]

    def logged(name: str) -> list[dict[str, Any]]:
        text = (folder / name / "meta" / "actionbank" / "runs.jsonl").read_text()
        return [json.loads(line) for line in text.splitlines()]

    assert logged("merged") == logged("a") + logged("b")  # merged from b, a: put in attempt order
    assert sum(run["attempts"] for run in logged("merged")) == 3


def test_a_merged_dataset_resumes_with_its_span_and_nothing_is_left_to_run(runs):
    result = _generate(runs["gym"], runs["action"], "--attempts", "0:3", "--resume", str(runs["folder"] / "merged"))
    assert result.exit_code == 0, result.output
    assert "saved now  0" in result.output and "total      3" in result.output


def test_resuming_with_another_range_is_refused_and_changes_nothing(runs):
    shard = runs["folder"] / "a"
    before = tree_state(shard)
    for extra in (["--attempts", "0:2"], []):
        result = _generate(runs["gym"], runs["action"], *extra, "--resume", str(shard))
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        expected = "--attempts 0:2 now" if extra else "no --attempts range now"
        assert f"{expected} differs from the dataset's --attempts 0:1" in result.output
    assert tree_state(shard) == before


def test_merging_overlapping_shards_is_refused_and_writes_nothing(runs):
    folder = runs["folder"]
    result = CliRunner().invoke(main, ["merge", str(folder / "out"), str(folder / "a"), str(folder / "whole")])
    assert result.exit_code == 2
    assert "overlap" in result.output and "Traceback" not in result.output
    assert not (folder / "out").exists()


def test_merge_refuses_a_folder_that_is_no_dataset_and_an_output_that_is_not_empty(runs, tmp_path):
    folder = runs["folder"]
    (tmp_path / "plain").mkdir()
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "out"), str(folder / "a"), str(tmp_path / "plain")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "is not an actionbank dataset: meta/actionbank/dataset.json is missing" in result.output
    assert not (tmp_path / "out").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "full"), str(folder / "a"), str(folder / "b")])
    assert result.exit_code == 2 and "already exists and is not empty" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("3:1", "STOP must be greater than START"),
        ("2:2", "STOP must be greater than START"),
        ("-1:2", "attempt indices start at 0"),
        ("a:3", "is not START:STOP"),
        ("5", "is not START:STOP"),
        ("1:2:3", "is not START:STOP"),
    ],
)
def test_bad_attempt_ranges_exit_2_with_a_message(tmp_path, value, reason):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    result = _generate(gym, action, f"--attempts={value}", "--output", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Invalid value for '--attempts'" in result.output and reason in result.output
    assert not (tmp_path / "out").exists()


def test_attempts_and_max_attempts_exclude_each_other(tmp_path):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    result = _generate(gym, action, "--attempts", "0:2", "--max-attempts", "4", "--output", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "--attempts and --max-attempts exclude each other" in result.output


def test_a_range_bounds_the_attempts_handed_out_and_a_resumed_run_continues_within_it():
    assert attempt_indices(None, 0, 8) == range(0, 8)
    assert attempt_indices(None, 5, 8) == range(5, 13)  # resumed after attempt 4, no range
    assert attempt_indices(AttemptRange(1000, 2000), 0, 1000) == range(1000, 2000)
    assert attempt_indices(AttemptRange(1000, 2000), 1500, 1000) == range(1500, 2000)  # resumed inside
    assert len(attempt_indices(AttemptRange(1000, 2000), 2000, 1000)) == 0  # nothing left
    assert range_target(AttemptRange(10, 30), None) == 20 and range_target(AttemptRange(10, 30), 5) == 5
    assert parse_attempt_range(" 0 : 1000") == (0, 1000) and str(AttemptRange(3, 6)) == "3:6"
