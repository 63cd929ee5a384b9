"""``generate --resume`` continues a dataset only with what made it: the same config texts, asset
files and seed. Anything else, and a damaged or crafted dataset, is refused with exit code 2 and
a message naming what differs, before anything runs; the dataset is byte for byte unchanged.

The scene is the toy arm (tests/sim/toy_arm) with a randomly placed block, a mesh and a
12-step plan, so an episode takes a fraction of a second."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result
from helpers import ROOT, tree_state

from actionbank.cli import main
from actionbank.generate import episode_seed
from recorder import edges_at, open_dataset, read_episode_records

TOY = ROOT / "tests" / "sim" / "toy_arm"
SEED = 5
PEBBLE = b"# a small tetrahedron [m]\nv 0 0 0\nv 0.02 0 0\nv 0 0.02 0\nv 0 0 0.02\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n"
EVENT = """  events:
    place_block:
      func: randomize_rigid_object_pose
      mode: reset
      params:
        entity_cfg: {uid: block}
        position_range: [[0.25, -0.15, 0.015], [0.35, -0.05, 0.015]]
        relative_position: false
"""
MESH = """  - uid: pebble
    shape: {shape_type: Mesh, fpath: meshes/pebble.obj}
    attrs: {mass: 0.01}
    init_pos: [0.1, 0.2, 0.0]
"""


def write_configs(folder: Path) -> tuple[Path, Path]:
    """The toy arm's configs with a randomised block, a mesh and a 12-step plan; (gym, action)."""
    gym_text = (TOY / "gym_config.yaml").read_text()
    gym_text = gym_text.replace("  affordances:\n", EVENT + "  affordances:\n") + MESH
    action_text = (TOY / "action_config.yaml").read_text()
    action_text = action_text.replace("duration: 40", "duration: 8").replace("duration: 20", "duration: 4")
    (folder / "meshes").mkdir(parents=True)
    (folder / "meshes" / "pebble.obj").write_bytes(PEBBLE)
    gym, action = folder / "gym_config.yaml", folder / "action_config.yaml"
    gym.write_text(gym_text)
    action.write_text(action_text)
    return gym, action


def run(gym: Path, action: Path, *flags: str) -> Result:
    return CliRunner().invoke(main, ["generate", "--gym-config", str(gym), "--action-config", str(action), *flags])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-episode dataset made with --seed 5 from the configs beside it."""
    folder = tmp_path_factory.mktemp("resume")
    gym, action = write_configs(folder / "configs")
    root = folder / "dataset"
    result = run(gym, action, "--seed", str(SEED), "--max-episodes", "1", "-o", str(root))
    assert result.exit_code == 0, result.output
    return {"gym": gym, "action": action, "root": root}


@pytest.fixture
def copy(made: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """The made dataset and its configs, copied for one test to change."""
    shutil.copytree(made["root"], tmp_path / "dataset")
    shutil.copytree(made["gym"].parent, tmp_path / "configs")
    configs = tmp_path / "configs"
    return {"gym": configs / "gym_config.yaml", "action": configs / "action_config.yaml", "root": tmp_path / "dataset"}


def refused(result: Result) -> str:
    """The output of a run that must have stopped with exit code 2 and a message, not a traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


def _line_number(path: Path, line: str) -> int:
    return path.read_text().split("\n").index(line) + 1


def test_resume_with_another_gym_config_names_its_first_differing_line_and_changes_nothing(copy):
    gym, root = copy["gym"], copy["root"]
    number = _line_number(gym, "control_freq: 50")
    gym.write_text(gym.read_text().replace("control_freq: 50", "control_freq: 25"))
    before = tree_state(root)
    output = refused(run(gym, copy["action"], "--resume", str(root), "--max-episodes", "2"))
    assert "the gym config (scene, randomisation, control rate, episode length, video codec) differs" in output
    assert f"{gym} line {number}: 'control_freq: 25'" in output
    assert f"{root / 'meta/actionbank/gym_config.yaml'} line {number}: 'control_freq: 50'" in output
    assert "the action config (the plan)" not in output and "asset" not in output
    assert tree_state(root) == before


def test_resume_with_the_gym_configs_num_envs_added_continues(copy):
    """num_envs only says how many workers generate starts: the data is the same, so it is the same run."""
    gym, root = copy["gym"], copy["root"]
    gym.write_text("num_envs: 2\n" + gym.read_text())
    result = run(gym, copy["action"], "--resume", str(root), "--max-episodes", "2")
    assert result.exit_code == 0, result.output
    assert "saved now  1" in result.output


def test_resume_with_another_action_config_names_its_first_differing_line_and_changes_nothing(copy):
    action, root = copy["action"], copy["root"]
    number = _line_number(action, "        duration: 8")
    action.write_text(action.read_text().replace("duration: 8", "duration: 9"))
    before = tree_state(root)
    output = refused(run(copy["gym"], action, "--resume", str(root), "--max-episodes", "2"))
    assert "the action config (the plan) differs" in output
    assert f"{action} line {number}: '        duration: 9'" in output
    assert f"{root / 'meta/actionbank/action_config.yaml'} line {number}: '        duration: 8'" in output
    assert tree_state(root) == before


def test_resume_with_another_mesh_file_names_the_asset_and_both_hashes_and_changes_nothing(copy):
    mesh, root = copy["gym"].parent / "meshes" / "pebble.obj", copy["root"]
    mesh.write_bytes(PEBBLE.replace(b"v 0.02 0 0", b"v 0.03 0 0"))
    before = tree_state(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2"))
    new, old = hashlib.sha256(mesh.read_bytes()).hexdigest(), hashlib.sha256(PEBBLE).hexdigest()
    assert (
        f"the asset 'meshes/pebble.obj' differs: sha256 {new} now ({mesh}), {old} when the dataset was made" in output
    )
    assert "the gym config (" not in output and "the action config (" not in output  # their texts are the same
    assert tree_state(root) == before


def test_resume_with_another_seed_names_both_seeds_and_changes_nothing(copy):
    root = copy["root"]
    before = tree_state(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2", "--seed", "4"))
    assert f"--seed 4 differs from the dataset's seed {SEED}" in output
    assert f"resume with --seed {SEED} or no --seed, or start a new dataset with --output" in output
    assert "configs" not in output  # the configs are the dataset's own: no remedy about them
    assert tree_state(root) == before


def test_resume_with_output_is_a_usage_error(copy, tmp_path):
    root = copy["root"]
    before = tree_state(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "-o", str(tmp_path / "other")))
    assert "--output and --resume exclude each other" in output
    assert tree_state(root) == before and not (tmp_path / "other").exists()


def _columns(root: Path) -> dict[str, Any]:
    raw = open_dataset(f"actionbank/{root.name}", root).hf_dataset
    data = raw.with_format("numpy")
    columns = {name: np.asarray(data[name]) for name in ("action", "observation.state", "episode_index")}
    running = [
        json.dumps(edges_at(rows, float(t)), sort_keys=True)
        for rows, t in zip(raw["language_persistent"], raw["timestamp"], strict=True)
    ]
    columns["running_edges"] = np.asarray(running)
    return columns


def test_resume_without_a_seed_reuses_the_datasets_and_matches_an_uninterrupted_run(copy, tmp_path):
    gym, action, root = copy["gym"], copy["action"], copy["root"]
    resumed = run(gym, action, "--resume", str(root), "--max-episodes", "2", "--max-attempts", "3")
    assert resumed.exit_code == 0, resumed.output
    assert f"resuming {root} with the seed it was made with: {SEED}" in resumed.output
    assert "saved now  1" in resumed.output and "earlier    1" in resumed.output and "total      2" in resumed.output
    assert f"seed       {SEED}" in resumed.output

    straight = tmp_path / "straight"
    result = run(gym, action, "--seed", str(SEED), "--max-episodes", "2", "-o", str(straight))
    assert result.exit_code == 0, result.output
    for name, column in _columns(straight).items():
        assert np.array_equal(_columns(root)[name], column), name
    records, expected = read_episode_records(root), read_episode_records(straight)
    assert [r["seed"] for r in records] == [episode_seed(SEED, 0), episode_seed(SEED, 1)]
    for record, other in zip(records, expected, strict=True):
        assert record["randomization"] == other["randomization"] and record["initial_poses"] == other["initial_poses"]
    assert records[0]["randomization"] != records[1]["randomization"]  # the seed matters: the block moves
    configs = {
        "gym_config.yaml": hashlib.sha256(gym.read_bytes()).hexdigest(),
        "action_config.yaml": hashlib.sha256(action.read_bytes()).hexdigest(),
    }
    assert [r["config_sha256"] for r in records] == [configs, configs]
    hashes = json.loads((root / "meta/actionbank/hashes.json").read_text())
    assert hashes["assets"] == {"meshes/pebble.obj": {"sha256": hashlib.sha256(PEBBLE).hexdigest()}}
    assert json.loads((root / "meta/actionbank/dataset.json").read_text())["seed"] == SEED


def _rewrite_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


CORRUPTIONS = {
    "info.json is not JSON": ("meta/info.json", lambda p: p.write_text('{"fps": 50,'), "is not valid JSON"),
    "info.json lacks a key": (
        "meta/info.json",
        lambda p: _rewrite_json(p, lambda d: d.pop("total_episodes")),
        "the key 'total_episodes' is missing",
    ),
    "info.json has a wrong type": (
        "meta/info.json",
        lambda p: _rewrite_json(p, lambda d: d.update(total_episodes="one")),
        "'total_episodes' must be an integer, not a string",
    ),
    "dataset.json is not JSON": ("meta/actionbank/dataset.json", lambda p: p.write_bytes(b"\xff\xfe"), "not UTF-8"),
    "dataset.json lacks a key": (
        "meta/actionbank/dataset.json",
        lambda p: _rewrite_json(p, lambda d: d.pop("fps")),
        "the key 'fps' is missing",
    ),
    "dataset.json has a wrong type": (
        "meta/actionbank/dataset.json",
        lambda p: _rewrite_json(p, lambda d: d.update(cameras=[48, 64])),
        "'cameras' must be an object, not a list",
    ),
    "episodes.jsonl has a broken line": (
        "meta/actionbank/episodes.jsonl",
        lambda p: p.write_text('{"episode_index": 0,\n'),
        "line 1 is not valid JSON",
    ),
    "an episode was made from other configs": (
        "meta/actionbank/episodes.jsonl",
        lambda p: p.write_text(p.read_text().replace('"gym_config.yaml":"', '"gym_config.yaml":"0')),
        "episode 0 was recorded with configs",
    ),
    "a stored config was edited": (
        "meta/actionbank/gym_config.yaml",
        lambda p: p.write_text(p.read_text() + "# edited\n"),
        "gym_config.yaml does not match its sha256 here: it was changed",
    ),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_resume_of_a_damaged_dataset_names_the_file_and_exits_2_changing_nothing(copy, case):
    name, damage, problem = CORRUPTIONS[case]
    root = copy["root"]
    damage(root / name)
    before = tree_state(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2"))
    shown = "meta/actionbank/hashes.json" if case == "a stored config was edited" else name
    assert str(root / shown) in output and problem in output
    assert tree_state(root) == before


def test_resume_of_a_dataset_whose_commit_leads_outside_exits_2_and_touches_nothing_outside(copy, tmp_path):
    root = copy["root"]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel.txt").write_text("do not touch\n")
    staging = root / ".actionbank_staging"
    (root / "outside").mkdir()
    (root / "outside" / "sentinel.txt").write_text("overwritten\n")
    record = {"episode_index": 1, "length": 12, "seed": 1, "randomization": {}, "initial_poses": {}, "metrics": {}}
    staging.mkdir()
    (staging / "COMMIT.json").write_text(json.dumps({"files": ["../outside/sentinel.txt"], "record": record}))
    before, inside = tree_state(outside), tree_state(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2"))
    assert "refusing to commit '../outside/sentinel.txt'" in output
    assert tree_state(outside) == before and tree_state(root) == inside


# ── Decide, then act: a refused resume changes no byte; a damaged file is named ──

VIDEO = "videos/observation.images.overhead/chunk-000/file-000.mp4"
DATA = "data/chunk-000/file-000.parquet"
EPISODES = "meta/episodes/chunk-000/file-000.parquet"
RUNS = "meta/actionbank/runs.jsonl"
LOG = "meta/actionbank/episodes.jsonl"


def every_byte(root: Path) -> dict[str, tuple[Any, ...]]:
    """:func:`tree_state` of ``root`` with, for each link, the sha256 of what it points to."""
    state = tree_state(root)
    for name, entry in state.items():
        target = root / name
        if entry[0] == "link" and target.is_file():
            state[name] = (*entry, hashlib.sha256(target.read_bytes()).hexdigest(), target.stat().st_mtime_ns)
    return state


def leave_a_killed_run(root: Path) -> None:
    """What a run killed while writing leaves: torn last lines of both logs, a recording in the
    spool and a staging folder without its COMMIT.json."""
    with (root / LOG).open("a") as log:
        log.write('{"episode_index": 1, "len')
    with (root / RUNS).open("a") as runs:
        runs.write('{"first_attempt": 1, "att')
    (root / ".actionbank_spool" / "episode-0a1b2c3d").mkdir(parents=True)
    (root / ".actionbank_spool" / "episode-0a1b2c3d" / "frames.npy").write_bytes(b"\0" * 64)
    (root / ".actionbank_staging" / "data" / "chunk-000").mkdir(parents=True)
    (root / ".actionbank_staging" / "data" / "chunk-000" / "file-001.parquet").write_bytes(b"PAR1")


def _count_two_episodes(root: Path) -> None:
    _rewrite_json(root / "meta/info.json", lambda d: d.update(total_episodes=2))


LATE_REFUSALS = {
    "another seed": ([], None, "--seed 4 differs from the dataset's seed 5", ["--seed", "4"]),
    "too many workers for the memory": ([], 2**20, "worker processes need about", ["--num-envs", "4"]),
    "info.json counts an episode the log lacks": (
        [_count_two_episodes],
        None,
        "meta/info.json counts 2 episodes but meta/actionbank/episodes.jsonl has 1 records",
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(LATE_REFUSALS))
def test_a_refused_resume_leaves_what_a_killed_run_left_byte_for_byte(copy, monkeypatch, case):
    damages, memory, problem, flags = LATE_REFUSALS[case]
    root = copy["root"]
    leave_a_killed_run(root)
    for damage in damages:
        damage(root)
    if memory is not None:
        monkeypatch.setattr("actionbank.capacity.available_memory", lambda: memory)
    before = every_byte(root)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "5", *flags))
    assert problem in output
    assert "dropped the unfinished episode" not in output
    assert every_byte(root) == before


def test_resume_repairs_what_a_killed_run_left_and_continues(copy):
    root = copy["root"]
    leave_a_killed_run(root)
    result = run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2", "--max-attempts", "3")
    assert result.exit_code == 0, result.output
    assert "dropped the unfinished episode of a killed run" in result.output
    assert [r["episode_index"] for r in read_episode_records(root)] == [0, 1]
    assert (root / LOG).read_bytes().endswith(b"}\n")
    runs = [json.loads(line) for line in (root / RUNS).read_text().splitlines()]
    assert [r["first_attempt"] for r in runs] == [0, 1]  # the torn line is cut, this run's follows
    assert not (root / ".actionbank_spool").exists() and not (root / ".actionbank_staging").exists()


def _link_outside(name: str) -> Callable[[Path, Path], None]:
    def damage(root: Path, outside: Path) -> None:
        moved = outside / Path(name).name
        shutil.move(root / name, moved)
        (root / name).symlink_to(moved)

    return damage


def _link_data_folder(root: Path, outside: Path) -> None:
    shutil.move(root / "data", outside / "data")
    (root / "data").symlink_to(outside / "data", target_is_directory=True)


def _hard_link_runs(root: Path, outside: Path) -> None:
    os.link(root / RUNS, outside / "runs.jsonl")


def _truncate(name: str, size: int) -> Callable[[Path, Path], None]:
    """Cut ``name`` to ``size`` bytes (negative: that many fewer)."""

    def damage(root: Path, outside: Path) -> None:
        path = root / name
        path.write_bytes(path.read_bytes()[:size])

    return damage


def _remove(name: str) -> Callable[[Path, Path], None]:
    return lambda root, outside: (root / name).unlink()


DAMAGED_FILES: dict[str, tuple[Callable[[Path, Path], None], str, str]] = {
    "a data file links outside": (_link_outside(DATA), "", f"holds symbolic links ({DATA})"),
    "a video links outside": (_link_outside(VIDEO), "", f"holds symbolic links ({VIDEO})"),
    "the run log links outside": (_link_outside(RUNS), "", f"holds symbolic links ({RUNS})"),
    "the data folder links outside": (_link_data_folder, "", "holds symbolic links (data)"),
    "the run log is a hard link": (_hard_link_runs, "", f"refusing to change {RUNS!r} in place: it is a hard link"),
    "a video is cut short": (_truncate(VIDEO, 2000), VIDEO, "cannot be decoded: it is cut short"),
    "a video lost its last bytes": (_truncate(VIDEO, -10), VIDEO, "the box 'moov'"),
    "a data file is cut short": (_truncate(DATA, 1000), DATA, "cannot be read (named by meta/episodes)"),
    "the episode index is cut short": (_truncate(EPISODES, 1000), EPISODES, "cannot be read (LeRobot's episode index)"),
    "a data file is missing": (_remove(DATA), DATA, "is missing (named by meta/episodes)"),
    "a video is missing": (_remove(VIDEO), VIDEO, "is missing (named by meta/episodes)"),
    "the episode index is missing": (_remove(EPISODES), EPISODES, "is missing"),
    "the task table is missing": (_remove("meta/tasks.parquet"), "meta/tasks.parquet", "is missing"),
    "the statistics are missing": (_remove("meta/stats.json"), "meta/stats.json", "is missing"),
    "package.json is missing": (_remove("meta/actionbank/package.json"), "meta/actionbank/package.json", "missing"),
    "hashes.json is missing": (_remove("meta/actionbank/hashes.json"), "meta/actionbank/hashes.json", "missing"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_FILES))
def test_resume_of_a_dataset_with_a_damaged_file_names_it_and_changes_no_byte(copy, tmp_path, case):
    damage, name, problem = DAMAGED_FILES[case]
    root, outside = copy["root"], tmp_path / "outside"
    outside.mkdir()
    leave_a_killed_run(root)  # nothing of it is repaired either
    damage(root, outside)
    before, outside_before = every_byte(root), every_byte(outside)
    output = refused(run(copy["gym"], copy["action"], "--resume", str(root), "--max-episodes", "2"))
    assert len(output.strip().splitlines()) <= 2, output  # the seed note and the refusal
    assert str(root / name) in output and problem in output
    assert every_byte(root) == before and every_byte(outside) == outside_before


KEEP_FAILED = """  dataset:
    lerobot:
      save_failed_episodes: true
      params: {robot_meta: {robot_type: toy_arm}, instruction: {lang: reach}}
"""


FAILED_DAMAGES = {
    "of another seed": (
        lambda failed: _rewrite_json(failed / "meta/actionbank/dataset.json", lambda d: d.update(seed=SEED + 1)),
        "holds failed episodes of another run",
    ),
    "without its statistics": (lambda failed: (failed / "meta/stats.json").unlink(), "meta/stats.json is missing"),
}


@pytest.mark.parametrize("case", sorted(FAILED_DAMAGES))
def test_a_refused_failed_episode_dataset_leaves_the_main_one_unrepaired(tmp_path, case):
    damage, problem = FAILED_DAMAGES[case]
    gym, action = write_configs(tmp_path / "configs")
    gym.write_text(gym.read_text().replace("  affordances:\n", KEEP_FAILED + "  affordances:\n"))
    root = tmp_path / "dataset"
    made = run(gym, action, "--seed", str(SEED), "--max-episodes", "1", "-o", str(root))
    assert made.exit_code == 0, made.output
    failed = tmp_path / "dataset_failed"
    shutil.copytree(root, failed)  # a failed-episode dataset of the same run, then damaged
    damage(failed)
    leave_a_killed_run(root)
    before, failed_before = every_byte(root), every_byte(failed)
    output = refused(run(gym, action, "--resume", str(root), "--max-episodes", "2"))
    assert str(failed) in output and problem in output
    assert "dropped the unfinished episode" not in output
    assert every_byte(root) == before and every_byte(failed) == failed_before
