"""Merging shards of one run (synthetic datasets written by the real writer, merged by LeRobot's
aggregation): the same data as one dataset over the union, and every refusal leaves nothing."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import tree_state
from synthetic_rollouts import FRAMES, make_frame, make_spec

from actionbank.cli import main
from recorder import DatasetWriter, EpisodeInfo, load_spec, open_dataset, read_episode_records
from recorder.merge import MERGE_FILE, merge_datasets
from recorder.merge_checks import MergeError, read_part
from recorder.runs import read_run_records, run_record, write_runs

SEED = 11


def _shard(root: Path, attempts: tuple[int, int] | None, valid: list[int], use_videos: bool, **changes: object) -> Path:
    """A dataset of a run limited to ``attempts`` whose valid attempts were ``valid``: episode data
    depend on the attempt alone, as a real run's do."""
    changes = {"seed": SEED, "attempts": attempts, **changes}
    spec = dataclasses.replace(make_spec(root, use_videos), **changes)  # type: ignore[arg-type]
    with DatasetWriter.create(spec) as writer:
        for attempt in valid:
            writer.begin_episode()
            for step in range(FRAMES):
                writer.add_frame(make_frame(attempt, step))
            writer.save_episode(EpisodeInfo(1000 + attempt, metrics={"attempt": attempt, "t": 1.5}))
    return root


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two shards (attempts 0:2 and 2:5, attempt 3 invalid) and one dataset over 0:5, with videos
    (which LeRobot's aggregation concatenates)."""
    folder = tmp_path_factory.mktemp("shards")
    use_videos = True
    return {
        "a": _shard(folder / "a", (0, 2), [0, 1], use_videos),
        "b": _shard(folder / "b", (2, 5), [2, 4], use_videos),
        "whole": _shard(folder / "whole", (0, 5), [0, 1, 2, 4], use_videos),
        "folder": folder,
    }


@pytest.fixture(scope="module")
def merged(shards: dict[str, Path]) -> Path:
    output = shards["folder"] / "merged"
    summary = merge_datasets(output, [shards["b"], shards["a"]])  # given out of order
    assert (summary.episodes, summary.attempts) == (4, (0, 5))
    assert [(part[0].name, part[1], part[2]) for part in summary.parts] == [("a", (0, 2), 2), ("b", (2, 5), 2)]
    return output


def _table(root: Path) -> dict[str, object]:
    dataset = open_dataset(f"actionbank/{root.name}", root)
    raw = dataset.hf_dataset
    data = raw.with_format("numpy")
    columns: dict[str, object] = {
        name: np.asarray(data[name])
        for name in ("action", "observation.state", "episode_index", "frame_index", "timestamp", "index")
    }
    columns["language_persistent"] = raw["language_persistent"]
    columns["images"] = [
        np.asarray(dataset[i][f"observation.images.{uid}"])
        for i in range(dataset.num_frames)
        for uid in ("top", "wrist")
    ]
    return columns


def test_merged_shards_hold_the_same_frames_language_and_images_as_one_dataset_over_the_union(shards, merged):
    mine, whole = _table(merged), _table(shards["whole"])
    for name, values in whole.items():
        if isinstance(values, np.ndarray):
            np.testing.assert_array_equal(mine[name], values, err_msg=name)
        elif name == "images":
            assert len(mine[name]) == len(values) == 4 * FRAMES * 2  # type: ignore[arg-type]
            for got, expected in zip(mine[name], values, strict=True):  # type: ignore[call-overload]
                np.testing.assert_array_equal(got, expected)
        else:
            assert mine[name] == values, name


def test_the_merged_provenance_is_the_runs_with_episodes_reindexed_in_attempt_order(shards, merged):
    records = read_episode_records(merged)
    assert [r["episode_index"] for r in records] == [0, 1, 2, 3]
    assert [r["metrics"]["attempt"] for r in records] == [0, 1, 2, 4]
    assert records == read_episode_records(shards["whole"])
    spec, whole = load_spec(merged), load_spec(shards["whole"])
    assert spec.attempts == (0, 5) and spec.seed == SEED and spec.repo_id == "actionbank/merged"
    assert dataclasses.replace(spec, root=whole.root, repo_id=whole.repo_id) == whole
    parts = json.loads((merged / MERGE_FILE).read_text())["parts"]
    assert [(p["attempts"], p["episodes"], p["first_episode"]) for p in parts] == [([0, 2], 2, 0), ([2, 5], 2, 2)]
    info = json.loads((merged / "meta" / "info.json").read_text())
    assert (info["total_episodes"], info["total_frames"]) == (4, 4 * FRAMES)


def test_a_merged_dataset_reopens_with_the_writer_and_takes_more_episodes(shards, tmp_path):
    output = tmp_path / "merged"
    merge_datasets(output, [shards["a"], shards["b"]])
    with DatasetWriter.open_for_resume(output) as writer:
        assert writer.num_episodes == 4
        writer.begin_episode()
        for step in range(FRAMES):
            writer.add_frame(make_frame(9, step))
        assert writer.save_episode(EpisodeInfo(9, metrics={"attempt": 9})) == 4
    assert open_dataset("actionbank/merged", output).num_episodes == 5
    assert [r["metrics"]["attempt"] for r in read_episode_records(output)] == [0, 1, 2, 4, 9]


def _refused(output: Path, sources: list[Path], match: str) -> str:
    with pytest.raises(MergeError, match=match) as raised:
        merge_datasets(output, sources)
    assert not output.exists() or not any(output.iterdir())
    assert not any(path.name.startswith(f".{output.name}.merging") for path in output.parent.iterdir())
    return str(raised.value)


def test_overlapping_attempt_ranges_are_refused(shards, tmp_path):
    message = _refused(tmp_path / "out", [shards["a"], shards["whole"]], "overlap")
    assert "(0:2)" in message and "(0:5)" in message


def test_a_dataset_given_twice_is_refused(shards, tmp_path):
    _refused(tmp_path / "out", [shards["a"], shards["a"]], "given twice")


def test_datasets_of_other_configs_are_refused_naming_the_first_difference(shards, tmp_path):
    use_videos = load_spec(shards["a"]).use_videos
    text = make_spec(tmp_path).action_config_text.replace("right_eef", "left_eef")
    other = _shard(tmp_path / "other", (5, 6), [5], use_videos, action_config_text=text)
    message = _refused(tmp_path / "out", [shards["a"], other], "made from different runs")
    assert "the action config differs" in message and "first at line 1" in message
    assert "left_eef" in message and "right_eef" in message
    reseeded = _shard(tmp_path / "reseeded", (5, 6), [5], use_videos, seed=SEED + 1)
    assert "'seed' differs: 11 and 12" in _refused(tmp_path / "out", [shards["a"], reseeded], "different runs")


def test_a_folder_that_is_no_dataset_is_refused(shards, tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("hello")
    with pytest.raises(MergeError.__mro__[1], match="is not an actionbank dataset"):
        merge_datasets(tmp_path / "out", [shards["a"], tmp_path / "plain"])
    assert not (tmp_path / "out").exists()
    _refused(tmp_path / "out", [shards["a"], tmp_path / "missing"], "is not a dataset folder")


def test_an_output_that_is_not_empty_is_refused_and_left_alone(shards, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("mine")
    with pytest.raises(MergeError, match="already exists and is not empty"):
        merge_datasets(output, [shards["a"], shards["b"]])
    assert [p.name for p in output.iterdir()] == ["keep.txt"] and (output / "keep.txt").read_text() == "mine"
    _refused(shards["a"] / "inside", [shards["a"], shards["b"]], "lie in one another")


def test_a_shard_without_valid_episodes_adds_its_range_and_nothing_else(shards, tmp_path):
    empty = _shard(tmp_path / "empty", (5, 7), [], True)
    summary = merge_datasets(tmp_path / "out", [empty, shards["b"], shards["a"]])
    assert (summary.episodes, summary.attempts) == (4, (0, 7))
    assert [(part[0].name, part[2]) for part in summary.parts] == [("a", 2), ("b", 2), ("empty", 0)]
    assert [r["metrics"]["attempt"] for r in read_episode_records(tmp_path / "out")] == [0, 1, 2, 4]
    assert open_dataset("actionbank/out", tmp_path / "out").num_episodes == 4


def test_an_empty_output_folder_is_used(shards, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    assert merge_datasets(output, [shards["a"]]).episodes == 2
    assert load_spec(output).attempts == (0, 2)


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def test_ranges_that_leave_a_gap_are_refused_naming_the_missing_attempts(shards, tmp_path):
    later = _shard(tmp_path / "later", (6, 7), [6], True)
    message = _refused(tmp_path / "out", [later, shards["a"], shards["b"]], "in no part")
    assert "attempts 5:6 are in no part" in message and "generate that shard (--attempts 5:6)" in message
    assert str(shards["b"]) in message and str(later) in message and "\n" not in message


@pytest.mark.parametrize("folder", [".actionbank_spool/attempts-1-ab12", ".actionbank_staging"])
def test_a_shard_holding_recordings_of_a_run_that_did_not_finish_is_refused(shards, tmp_path, folder):
    killed = _copy(shards["b"], tmp_path / "killed")
    (killed / folder).mkdir(parents=True)
    (killed / folder / "recording.bin").write_bytes(b"frames")
    before = tree_state(killed)
    message = _refused(tmp_path / "out", [shards["a"], killed], "did not finish")
    assert f"recordings left in {killed / folder.split('/')[0]}" in message
    assert f"generate --resume {killed} --attempts 2:5, then merge" in message
    assert tree_state(killed) == before


def _add_run(root, record):
    write_runs(root, [*read_run_records(root), record])


def test_a_shard_whose_run_log_stops_short_of_its_range_or_its_episodes_is_refused(shards, tmp_path):
    short = _copy(shards["b"], tmp_path / "short")
    _add_run(short, run_record(2, 2, {"IK failure": 1}))  # attempts 2..4: 2 and 4 saved, 3 discarded
    assert merge_datasets(tmp_path / "out", [shards["a"], short]).attempts == (0, 5)
    cut = _copy(shards["b"], tmp_path / "cut")
    _add_run(cut, run_record(2, 1, {"IK failure": 1}))  # attempts 2..3, yet episode of attempt 4
    assert "episode of attempt 4" in _refused(tmp_path / "out2", [shards["a"], cut], "did not finish")
    stopped = _copy(shards["a"], tmp_path / "stopped")
    _add_run(stopped, run_record(0, 1, {}))  # attempt 0 only of 0:2 (episode 1 saved by a killed run)
    _add_run(stopped, run_record(1, 0, {}))  # a run that decided nothing is not logged; nor is it here
    message = _refused(tmp_path / "out3", [stopped, shards["b"]], "did not finish")
    assert "attempt 1" in message
    interrupted = _shard(tmp_path / "interrupted", (5, 8), [5], True)
    _add_run(interrupted, run_record(0, 1, {}))  # a new shard's run logs 0 as its first: it made attempt 5 only
    message = _refused(tmp_path / "out4", [shards["a"], shards["b"], interrupted], "did not finish")
    assert "its attempts 6:8 were never made" in message and "--attempts 5:8" in message


def test_failed_episodes_are_not_mixed_with_valid_ones(shards, tmp_path):
    failed = tmp_path / "f1_failed"
    spec = dataclasses.replace(make_spec(failed, True), seed=SEED, attempts=(5, 7))
    with DatasetWriter.create(spec) as writer:
        writer.begin_episode()
        for step in range(FRAMES):
            writer.add_frame(make_frame(5, step))
        failure = {"stage": "task_check", "name": "lifted", "function": "f", "reason": "dropped"}
        writer.save_episode(EpisodeInfo(1005, metrics={"attempt": 5}, failure=failure))
    message = _refused(tmp_path / "out", [shards["a"], shards["b"], failed], "holds failed episodes")
    assert message.startswith(f"{failed} holds failed episodes") and str(shards["a"]) in message
    assert merge_datasets(tmp_path / "failed_only", [failed]).episodes == 1


def test_config_file_names_may_differ_when_the_texts_are_equal(shards, tmp_path):
    renamed = _shard(tmp_path / "renamed", (5, 6), [5], True, gym_config_name="other.yml", action_config_name="a.json")
    output = tmp_path / "out"
    assert merge_datasets(output, [renamed, shards["a"], shards["b"]]).episodes == 5
    spec = load_spec(output)
    assert (spec.gym_config_name, spec.action_config_name) == ("pick_gym.yaml", "pick_actions.json")
    hashes = {json.dumps(r["config_sha256"], sort_keys=True) for r in read_episode_records(output)}
    assert len(hashes) == 1 and "gym_config.yaml" in next(iter(hashes))
    assert len(read_part(output).records) == 5  # its episodes' config hashes check out


def test_the_cli_counts_one_episode_and_names_failed_datasets_it_left_out(shards, tmp_path):
    one = _shard(tmp_path / "f0", (0, 1), [0], True)
    (tmp_path / "f0_failed").mkdir()
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "fm"), str(one)])
    assert result.exit_code == 0, result.output
    assert "merged 1 episode (" in result.stdout and "1 episodes" not in result.stdout
    assert f"{tmp_path / 'f0_failed'}) were not merged" in result.stderr
    assert f"actionbank merge {tmp_path / 'fm_failed'} {tmp_path / 'f0_failed'}" in result.stderr


def test_the_cli_refuses_a_gap_with_one_line_and_exit_2(shards, tmp_path):
    later = _shard(tmp_path / "later", (6, 7), [6], True)
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "out"), str(shards["a"]), str(later)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "attempts 2:6 are in no part" in result.output
    assert not (tmp_path / "out").exists()


def test_a_merged_dataset_merges_again_and_its_index_rows_point_at_their_files(shards, merged, tmp_path):
    """LeRobot's aggregation copied each index row's file pointer from its part (ours writes an
    index file per commit), so merging a merged dataset failed on a file it does not have."""
    import pyarrow.parquet as pq

    for path in sorted((merged / "meta" / "episodes").glob("chunk-*/file-*.parquet")):
        table = pq.read_table(path).to_pydict()
        assert set(table["meta/episodes/file_index"]) == {int(path.stem.removeprefix("file-"))}, path
        assert set(table["meta/episodes/chunk_index"]) == {int(path.parent.name.removeprefix("chunk-"))}, path
    later = _shard(tmp_path / "later", (5, 6), [5], True)
    summary = merge_datasets(tmp_path / "again", [merged, later])
    assert (summary.episodes, summary.attempts) == (5, (0, 6))
    assert open_dataset("actionbank/again", tmp_path / "again").num_episodes == 5
