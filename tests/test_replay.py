"""``actionbank replay``: every shipped example, generated for one short episode with small images,
replays bit-identically from its dataset's provenance; a changed recording is found and named;
``--actions`` reports each joint's drift; ``--video`` writes a decodable MP4 of the cameras; bad
input exits 2 with a message; another version of a package is a note.

The tampering, asset and bad-input tests use the toy arm with a mesh (test_resume's configs,
12 steps), so an episode takes a fraction of a second."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result
from helpers import EXAMPLES, small_example
from test_resume import PEBBLE, write_configs

from actionbank.cli import main
from actionbank.replay import ReplayOptions, replay
from actionbank.replay.summary import summary_lines
from actionbank.replay.video import video_size
from recorder import load_spec, read_episode_records

EXAMPLE_NAMES = sorted(p.parent.name for p in EXAMPLES.glob("*/action_config.yaml"))
SEED = 3


def _generate(gym: Path, action: Path, root: Path) -> None:
    flags = ["--seed", str(SEED), "--max-episodes", "1", "--output", str(root)]
    result = CliRunner().invoke(main, ["generate", "--gym-config", str(gym), "--action-config", str(action), *flags])
    assert result.exit_code == 0, result.output


def _replay(root: Path, *flags: str) -> Result:
    return CliRunner().invoke(main, ["replay", str(root), *flags])


@pytest.fixture(scope="module")
def example_dataset(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """One episode of an example (cameras an eighth of their size), made on first use."""
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            folder = tmp_path_factory.mktemp(name)
            gym, action = small_example(name, folder / "configs", divisor=8)
            _generate(gym, action, folder / "dataset")
            made[name] = folder / "dataset"
        return made[name]

    return get


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One episode of the toy arm with a mesh, and the configs it was made from."""
    folder = tmp_path_factory.mktemp("toy")
    gym, action = write_configs(folder / "configs")
    _generate(gym, action, folder / "dataset")
    return {"gym": gym, "root": folder / "dataset"}


@pytest.fixture
def toy_copy(toy: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """The toy dataset and its configs, copied for one test to change."""
    shutil.copytree(toy["root"], tmp_path / "dataset")
    shutil.copytree(toy["gym"].parent, tmp_path / "configs")
    return {"gym": tmp_path / "configs" / "gym_config.yaml", "root": tmp_path / "dataset"}


def _row(output: str, name: str) -> str:
    """The value of the summary row ``name`` (rows are ``name  value``, aligned)."""
    return next(line[len(name) :].strip() for line in output.splitlines() if line.startswith(name + " "))


def _refused(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.output


def _change_recorded(root: Path, key: str, frame: int, element: int, delta: float) -> float:
    """Add ``delta`` to element ``element`` of column ``key`` at ``frame`` of episode 0 in the
    parquet file; returns the new value as stored (float32)."""
    path = next((root / "data").glob("*/*.parquet"))
    table = pq.read_table(path)
    rows = table[key].to_pylist()
    index = next(i for i, f in enumerate(table["frame_index"].to_pylist()) if f == frame)
    rows[index] = list(rows[index])
    rows[index][element] = float(np.float32(rows[index][element] + delta))
    column = pa.array(rows, type=table.schema.field(key).type)
    pq.write_table(table.set_column(table.schema.get_field_index(key), key, column), path)
    return float(rows[index][element])


# -- every example -----------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_example_replays_bit_identically_from_its_provenance(name, example_dataset):
    root = example_dataset(name)
    spec = load_spec(root)
    report = replay(ReplayOptions(root))
    keys = [column.key for column in report.columns]
    expected = ["observation.state", "action", "observation.velocity"]
    if spec.environment_state_names or name == "pour_water":  # pour_water records object poses
        expected.append("observation.environment_state")
    assert keys == expected
    assert all(column.identical and column.largest == 0.0 for column in report.columns)
    assert all(drift == 0.0 for column in report.columns for _name, drift in column.per_element)
    assert report.frames == read_episode_records(root)[0]["length"]
    assert report.randomization is True and report.initial_poses is True
    assert report.success and report.recorded_success and report.identical
    lines = summary_lines(report)
    assert any(line.split() == ["observation.state", "identical"] for line in lines)
    assert lines[-1].split() == ["result", "identical"]


def test_video_holds_every_frame_of_the_cameras_side_by_side(example_dataset, tmp_path):
    import av

    root = example_dataset("pour_water")
    spec = load_spec(root)
    out = tmp_path / "replay.mp4"
    result = _replay(root, "--video", str(out))
    assert result.exit_code == 0, result.output
    length = read_episode_records(root)[0]["length"]
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
    assert len(frames) == length
    width, height = video_size(dict(spec.cameras))
    assert len(spec.cameras) == 2 and width == sum(w for _h, w in spec.cameras.values())
    assert frames[0].shape == (height, width, 3)
    assert frames[0].mean() > 5  # the cameras see the scene, not black
    assert f"{out} ({length} frames)" in result.output
    assert not list(tmp_path.glob(".*partial"))


# -- differences ---------------------------------------------------------------------------


def test_a_changed_recorded_action_exits_1_naming_the_column_frame_joint_and_difference(toy_copy):
    root = toy_copy["root"]
    names = load_spec(root).action_names
    _change_recorded(root, "action", 5, 1, 0.01)
    result = _replay(root, "--gym-config", str(toy_copy["gym"]))
    assert result.exit_code == 1, result.output
    line = _row(result.output, "action")
    assert "differs by 0.01" in line and f"frame 5, {names[1]}" in line
    assert "observation.state" in result.output and "DIFFERS from the recording" in result.output
    report = replay(ReplayOptions(root, gym_config=toy_copy["gym"]))
    action = next(c for c in report.columns if c.key == "action")
    assert action.largest == pytest.approx(0.01, rel=1e-3)
    assert dict(action.per_element)[names[1]] == action.largest
    assert all(c.identical for c in report.columns if c.key != "action")


def test_actions_replays_open_loop_and_reports_each_joints_drift(toy_copy):
    root, gym = toy_copy["root"], toy_copy["gym"]
    names = load_spec(root).state_names
    clean = _replay(root, "--gym-config", str(gym), "--actions")
    assert clean.exit_code == 0, clean.output
    drift = {line.split()[1]: float(line.split()[2]) for line in clean.output.splitlines() if "drift" in line}
    assert list(drift) == list(names) and set(drift.values()) == {0.0}
    assert _row(clean.output, "success") == "passes (recorded: passed)"
    _change_recorded(root, "action", 2, 0, 0.2)  # push the first joint off its recorded path
    pushed = _replay(root, "--gym-config", str(gym), "--actions")
    assert pushed.exit_code == 1, pushed.output
    drift = {line.split()[1]: float(line.split()[2]) for line in pushed.output.splitlines() if "drift" in line}
    assert drift[names[0]] > 1e-3
    report = replay(ReplayOptions(root, gym_config=gym, actions=True))
    state = next(c for c in report.columns if c.key == "observation.state")
    assert dict(state.per_element)[names[0]] == pytest.approx(drift[names[0]], rel=1e-5)
    assert state.frame is not None and state.frame > 2  # the state moves after the changed action


# -- the gym config's files ----------------------------------------------------------------


def test_a_dataset_whose_gym_config_names_files_needs_the_original_config(toy):
    output = _refused(_replay(toy["root"]))
    assert "meshes/pebble.obj" in output and "--gym-config" in output


def test_a_shard_made_with_attempts_replays_with_its_gym_config(toy, tmp_path):
    """The attempt range is the dataset's own (replay has no --attempts): before, every shard
    and merged dataset was refused, the message blaming the gym config."""
    command = [
        "generate",
        "--gym-config",
        str(toy["gym"]),
        "--action-config",
        str(toy["gym"].parent / "action_config.yaml"),
    ]
    result = CliRunner().invoke(
        main, [*command, "--seed", str(SEED), "--attempts", "2:4", "-o", str(tmp_path / "shard")]
    )
    assert result.exit_code == 0, result.output

    replayed = _replay(tmp_path / "shard", "--episode", "0", "--gym-config", str(toy["gym"]))

    assert replayed.exit_code == 0, replayed.output
    assert "identical" in replayed.output


def test_a_gym_config_whose_mesh_changed_is_refused_naming_the_asset(toy_copy):
    (toy_copy["gym"].parent / "meshes" / "pebble.obj").write_bytes(PEBBLE.replace(b"0.02", b"0.03"))
    output = _refused(_replay(toy_copy["root"], "--gym-config", str(toy_copy["gym"])))
    assert "the asset 'meshes/pebble.obj' differs" in output


def test_a_gym_config_with_other_text_is_refused_naming_the_line(toy_copy):
    gym = toy_copy["gym"]
    gym.write_text(gym.read_text().replace("mass: 0.01", "mass: 0.02"))
    output = _refused(_replay(toy_copy["root"], "--gym-config", str(gym)))
    assert "the gym config" in output and "differs; first at line" in output and "mass: 0.02" in output


# -- bad input -----------------------------------------------------------------------------


def test_an_episode_the_dataset_does_not_have_exits_2(toy):
    output = _refused(_replay(toy["root"], "--episode", "1", "--gym-config", str(toy["gym"])))
    assert "has episodes 0..0; there is no episode 1" in output


@pytest.mark.parametrize("kind", ["empty folder", "missing", "file"])
def test_something_that_is_no_dataset_exits_2(kind, tmp_path):
    target = tmp_path / "x"
    if kind == "empty folder":
        target.mkdir()
    elif kind == "file":
        target.write_text("hi")
    output = _refused(_replay(target))
    assert str(target) in output


def _edit_record(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "meta" / "actionbank" / "episodes.jsonl"
    record = json.loads(path.read_text().splitlines()[0])
    change(record)
    path.write_text(json.dumps(record) + "\n")


def test_an_episode_seed_that_is_not_its_attempts_exits_2(toy_copy):
    _edit_record(toy_copy["root"], lambda record: record.update(seed=record["seed"] + 1))
    output = _refused(_replay(toy_copy["root"], "--gym-config", str(toy_copy["gym"])))
    assert "provenance is damaged" in output and "attempt 0" in output


def test_a_changed_stored_config_exits_2_naming_the_file(toy_copy):
    stored = toy_copy["root"] / "meta" / "actionbank" / "gym_config.yaml"
    stored.write_text(stored.read_text() + "\n# edited\n")
    output = _refused(_replay(toy_copy["root"], "--gym-config", str(toy_copy["gym"])))
    assert "does not match its sha256" in output


def test_a_changed_sampled_randomisation_makes_the_replay_differ(toy_copy):
    def move(record: dict[str, Any]) -> None:
        record["randomization"]["place_block"]["position"][0] += 0.01

    _edit_record(toy_copy["root"], move)
    result = _replay(toy_copy["root"], "--gym-config", str(toy_copy["gym"]))
    assert result.exit_code == 1, result.output
    assert _row(result.output, "randomization") == "DIFFERS"


def test_other_package_versions_are_a_note_and_the_replay_still_runs(toy_copy):
    path = toy_copy["root"] / "meta" / "actionbank" / "package.json"
    versions = json.loads(path.read_text())
    versions["mujoco"] = "0.0.1"
    path.write_text(json.dumps(versions))
    result = _replay(toy_copy["root"], "--gym-config", str(toy_copy["gym"]))
    assert result.exit_code == 0, result.output
    assert "note: the dataset was made with mujoco 0.0.1, mujoco" in result.stderr
    assert result.stdout.splitlines()[-1].split() == ["result", "identical"]
