"""`actionbank generate` end to end: real MuJoCo rollouts recorded with LeRobot's writer,
reopened with LeRobot's loader; determinism across runs and worker counts; kill and resume."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, ROOT, small_example

from actionbank.cli import main
from actionbank.compiler import CompileOptions, compile_file
from actionbank.generate import episode_seed
from recorder import edges_at, open_dataset, read_episode_records
from recorder.runs import read_run_records

SEED = 3
#: Camera sizes of the shrunk examples (a quarter of the shipped ones): height, width.
CAMERAS = {"pour_water": {"cam_high": (60, 80), "cam_right_wrist": (60, 80)}, "transfer_cube": {"top": (60, 80)}}


def _generate(gym: Path, action: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["generate", "--gym_config", str(gym), "--action_config", str(action), "--seed", str(SEED), *extra]
    )


def _columns(root: Path) -> dict[str, np.ndarray]:
    raw = open_dataset(f"actionbank/{root.name}", root).hf_dataset
    data = raw.with_format("numpy")
    columns = {name: np.asarray(data[name]) for name in ("action", "observation.state", "episode_index")}
    running = [
        json.dumps(edges_at(rows, float(t)), sort_keys=True)
        for rows, t in zip(raw["language_persistent"], raw["timestamp"], strict=True)
    ]
    columns["running_edges"] = np.asarray(running)
    return columns


@pytest.fixture(scope="module", params=sorted(CAMERAS))
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two episodes of an example (cameras shrunk), generated once for the tests below."""
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    gym, action = small_example(name, folder / "configs")
    out = folder / "dataset"
    result = _generate(gym, action, "--max-episodes", "2", "--output", str(out))
    assert result.exit_code == 0, result.output
    plan = compile_file(action, CompileOptions(gym_config=gym)).plan
    assert plan is not None
    return {"name": name, "gym": gym, "action": action, "root": out, "output": result.output, "plan": plan}


def test_generate_prints_a_summary_with_the_dataset_path(generated):
    output = generated["output"]
    assert "Traceback" not in output
    assert f"dataset    {generated['root']}" in output
    assert "saved now  2" in output and "earlier    0" in output and "total      2" in output
    assert f"frames     {2 * generated['plan'].makespan}" in output


def test_the_dataset_reopens_with_lerobot_with_its_features_shapes_and_fps(generated):
    from lerobot.datasets.lerobot_dataset import LeRobotDataset

    root, plan = generated["root"], generated["plan"]
    dataset = LeRobotDataset(f"actionbank/{root.name}", root=root, video_backend="pyav")
    assert dataset.num_episodes == 2
    assert dataset.num_frames == 2 * plan.makespan
    assert dataset.fps == 50
    cameras = CAMERAS[generated["name"]]
    features = dataset.meta.features
    assert {"observation.state", "observation.velocity", "action", "language_persistent"} <= set(features)
    assert {f"observation.images.{uid}" for uid in cameras} <= set(features)
    assert (
        features["observation.state"]["names"][:7] == [f"left_arm/{j}" for j in range(6)] + ["left_eef/0"]
        or len(features["observation.state"]["names"]) == 14
    )
    frame = dataset[plan.makespan + 5]  # inside the second episode
    assert int(frame["episode_index"]) == 1
    assert tuple(frame["action"].shape) == (14,) and tuple(frame["observation.state"].shape) == (14,)
    assert tuple(frame["observation.velocity"].shape) == (14,)
    assert set(edges_at(frame["language_persistent"], float(frame["timestamp"]))) == {s.name for s in plan.scopes}
    for uid, (height, width) in cameras.items():
        image = frame[f"observation.images.{uid}"]
        assert tuple(image.shape) == (3, height, width)
        assert float(image.std()) > 0.02, f"camera {uid} is blank"


def test_the_motion_rows_follow_the_plans_edges_in_both_episodes(generated):
    root, plan = generated["root"], generated["plan"]
    assert not (root / "meta" / "subtasks.json").exists()
    running = [json.loads(text) for text in _columns(root)["running_edges"]]
    first = running[: plan.makespan]
    assert first == running[plan.makespan :]  # the same plan in both episodes
    for scope in plan.scopes:
        used = {frame[scope.name] for frame in first} - {"idle"}
        assert used == {e.name for e in plan.edges if e.scope == scope.name}  # each of its edges, no other
    assert set(first[0].values()) != {"idle"}


def test_provenance_holds_the_configs_their_hashes_versions_and_each_episodes_seed(generated):
    root = generated["root"]
    meta = root / "meta" / "actionbank"
    stored_gym, stored_action = meta / "gym_config.yaml", meta / "action_config.yaml"
    assert stored_gym.read_text() == generated["gym"].read_text()
    assert stored_action.read_text() == generated["action"].read_text()
    hashes = json.loads((meta / "hashes.json").read_text())
    assert hashes["gym_config.yaml"]["sha256"] == hashlib.sha256(stored_gym.read_bytes()).hexdigest()
    assert hashes["action_config.yaml"]["sha256"] == hashlib.sha256(stored_action.read_bytes()).hexdigest()
    versions = json.loads((meta / "package.json").read_text())
    assert versions["lerobot"] == "0.6.1" and versions["actionbank"] and versions["mujoco"]
    records = read_episode_records(root)
    attempts = [int(r["metrics"]["attempt"]) for r in records]
    assert [r["seed"] for r in records] == [episode_seed(SEED, a) for a in attempts]
    assert attempts == sorted(attempts) and len(records) == 2
    for record in records:
        assert record["initial_poses"] and all(len(pose) == 7 for pose in record["initial_poses"].values())
        assert record["randomization"]


def test_the_same_seed_gives_the_same_columns_with_two_worker_processes(generated, tmp_path):
    out = tmp_path / "again"
    result = _generate(generated["gym"], generated["action"], "--max-episodes", "2", "-o", str(out), "--num-envs", "2")
    assert result.exit_code == 0, result.output
    first, again = _columns(generated["root"]), _columns(out)
    for name in ("action", "observation.state", "episode_index", "running_edges"):
        assert np.array_equal(first[name], again[name]), name
    assert [r["seed"] for r in read_episode_records(out)] == [
        r["seed"] for r in read_episode_records(generated["root"])
    ]


def test_a_killed_generate_keeps_its_episodes_and_resume_completes_it(tmp_path):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    out = tmp_path / "dataset"
    command = [sys.executable, "-m", "actionbank", "generate", "--gym-config", str(gym), "--action-config", str(action)]
    command += ["--seed", str(SEED), "--max-episodes", "4", "-o", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = out / "meta" / "actionbank" / "runs.jsonl"  # written after each commit, not only at the end
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if log.is_file() and log.read_text().count("\n") >= 1:
            break
        time.sleep(0.05)
    assert process.poll() is None, "generate finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    saved = open_dataset(f"actionbank/{out.name}", out).num_episodes
    assert 1 <= saved < 4
    (killed,) = read_run_records(out)  # the killed run's counts up to a commit
    assert killed["first_attempt"] == 0 and 1 <= killed["saved"] <= saved
    result = CliRunner().invoke(main, [*command[3:-2], "--resume", str(out)])  # without -o: it is the dataset
    assert result.exit_code == 0, result.output
    columns = _columns(out)
    assert sorted(set(columns["episode_index"].tolist())) == [0, 1, 2, 3]
    records = read_episode_records(out)
    attempts = [int(r["metrics"]["attempt"]) for r in records]
    assert attempts == sorted(attempts)
    assert len({r["seed"] for r in records}) == 4
    assert not (out / ".actionbank_staging").exists() and not (out / ".actionbank_spool").exists()
    runs = read_run_records(out)
    assert len(runs) == 2 and runs[0] == killed
    # The resumed run starts after every attempt the log counts: none is counted twice.
    assert runs[1]["first_attempt"] >= killed["first_attempt"] + killed["attempts"]
    assert sum(run["attempts"] for run in runs) <= attempts[-1] + 1
    assert sum(run["saved"] for run in runs) <= 4


def test_filter_dataset_saving_runs_everything_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONBANK_DATASET_ROOT", str(tmp_path / "datasets"))
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    result = _generate(gym, action, "--max-episodes", "1", "--filter-dataset-saving")
    assert result.exit_code == 0, result.output
    assert "saved now  1" in result.output and "(not saved)" in result.output
    assert not (tmp_path / "datasets").exists()


def test_generate_with_a_broken_config_exits_1_with_diagnostics_and_no_traceback(tmp_path):
    broken = tmp_path / "action_config.yaml"
    text = (EXAMPLES / "transfer_cube" / "action_config.yaml").read_text()
    broken.write_text(text.replace("name: plan_trajectory", "name: plan_trajectry", 1))
    result = _generate(EXAMPLES / "transfer_cube" / "gym_config.yaml", broken)
    assert result.exit_code == 1
    assert "AB2" in result.output and "plan_trajectry" in result.output
    assert result.output.splitlines()[-1] == "1 error, 0 warnings, 0 notes"  # as lint ends its report
    assert "Traceback" not in result.output


def test_a_scope_that_drives_no_control_part_is_refused_by_generate_as_by_lint(tmp_path):
    misnamed = tmp_path / "action_config.yaml"
    text = (EXAMPLES / "transfer_cube" / "action_config.yaml").read_text()
    misnamed.write_text(text.replace("\n  left_eef:", "\n  left_eeff:", 1))
    gym = EXAMPLES / "transfer_cube" / "gym_config.yaml"
    out = tmp_path / "dataset"
    result = _generate(gym, misnamed, "--max-episodes", "1", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "AB505 error: scope 'left_eeff' is not one of the gym config's control parts" in result.output
    assert not out.exists()
    linted = CliRunner().invoke(main, ["lint", str(misnamed), "--gym-config", str(gym)])
    assert "AB505" in linted.output and linted.exit_code == 1


def test_generate_that_cannot_reach_its_target_exits_1_with_the_reasons_and_keeps_nothing_invalid(tmp_path):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    text = gym.read_text()
    out_of_reach = "position_range: [[2.0, 0.4, 0.02], [2.2, 0.6, 0.02]]"  # 2 m away: no grasp pose has IK
    gym.write_text(text.replace("position_range: [[0.0, 0.4, 0.02], [0.2, 0.6, 0.02]]", out_of_reach))
    out = tmp_path / "dataset"
    result = _generate(gym, action, "--max-episodes", "1", "--max-attempts", "2", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "only 0 of 1 episodes are valid after 2 attempts (discarded: 2 IK failure)" in result.output
    assert "Traceback" not in result.output
    assert json.loads((out / "meta" / "info.json").read_text())["total_episodes"] == 0


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--device", "cuda"], "cpu"),
        (["--enable_rt"], "ray"),
        (["--num-envs", "0"], "num-envs"),
        (["--max-episodes", "-1"], "max-episodes"),
        (["--no-such-flag"], "no-such-flag"),
    ],
)
def test_generate_rejects_bad_flags_with_exit_2_and_a_message(flags, message):
    example = EXAMPLES / "transfer_cube"
    result = _generate(example / "gym_config.yaml", example / "action_config.yaml", *flags)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_preview_without_a_display_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    example = EXAMPLES / "transfer_cube"
    result = _generate(example / "gym_config.yaml", example / "action_config.yaml", "--preview")
    assert result.exit_code == 2 and "needs a display" in result.output


def test_generate_with_a_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(
        main, ["generate", "--gym-config", str(tmp_path / "nope.yaml"), "--action-config", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == 2
    assert "nope.yaml" in result.output and "Traceback" not in result.output


def test_strip_draws_evenly_spaced_frames_of_an_episode_for_every_camera(generated, tmp_path):
    from PIL import Image

    from recorder.frame_strip import GAP

    out = tmp_path / "strip.png"
    result = CliRunner().invoke(
        main, ["strip", str(generated["root"]), "-o", str(out), "--episode", "1", "--frames", "4"]
    )
    assert result.exit_code == 0, result.output
    cameras = CAMERAS[generated["name"]]
    height, width = next(iter(cameras.values()))
    strip = np.asarray(Image.open(out).convert("RGB"))
    assert strip.shape == (GAP + len(cameras) * (height + GAP), GAP + 4 * (width + GAP), 3)
    first = strip[GAP : GAP + height, GAP : GAP + width]
    last = strip[GAP : GAP + height, GAP + 3 * (width + GAP) : GAP + 3 * (width + GAP) + width]
    assert first.std() > 5 and last.std() > 5  # pictures, not blank tiles
    assert np.abs(first.astype(int) - last).mean() > 1  # the scene changed during the episode


def test_strip_names_what_exists_when_asked_for_what_does_not(generated, tmp_path):
    out = tmp_path / "strip.png"
    result = CliRunner().invoke(main, ["strip", str(generated["root"]), "-o", str(out), "--camera", "nope"])
    assert result.exit_code == 2 and "no camera 'nope'" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["strip", str(generated["root"]), "-o", str(out), "--episode", "5"])
    assert result.exit_code == 2 and "episodes 0..1" in result.output
    assert not out.exists()


def test_preview_shows_the_first_episode_in_mujocos_viewer_and_saves_nothing(tmp_path):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["ACTIONBANK_DATASET_ROOT"] = str(tmp_path / "datasets")
    command = ["xvfb-run", "-a", sys.executable, "-m", "actionbank", "generate", "--gym-config", str(gym)]
    command += ["--action-config", str(action), "--seed", str(SEED), "--preview"]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"preview of attempt 0 (seed {episode_seed(SEED, 0)}): valid; nothing was saved" in result.stdout
    assert not (tmp_path / "datasets").exists()


def test_generate_into_a_folder_that_holds_something_exits_2_and_leaves_it_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    example = EXAMPLES / "transfer_cube"
    result = _generate(example / "gym_config.yaml", example / "action_config.yaml", "-o", str(out))
    assert result.exit_code == 2
    assert "already exists and is not empty; use --resume" in result.output and "Traceback" not in result.output
    assert [path.name for path in out.iterdir()] == ["notes.txt"] and (out / "notes.txt").read_text() == "keep me"


def _children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _state(pid: int) -> str:
    """The process state letter of ``pid`` (Z: a zombie), or "gone"."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def test_worker_processes_die_with_a_killed_generate(tmp_path):
    gym, action = small_example("transfer_cube", tmp_path / "configs")
    command = [sys.executable, "-m", "actionbank", "generate", "--gym-config", str(gym), "--action-config", str(action)]
    command += ["--max-episodes", "50", "--num-envs", "2", "-o", str(tmp_path / "dataset")]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {pid for pid in _children(process.pid) if "spawn" in Path(f"/proc/{pid}/cmdline").read_text()}
            time.sleep(0.1)
        assert len(workers) == 2, "the two workers did not start"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == [], "workers outlived their parent"


def test_a_model_mujoco_refuses_after_the_checks_is_a_message_and_exit_1_not_a_traceback(tmp_path):
    folder = tmp_path / "arm"
    shutil.copytree(ROOT / "tests" / "sim" / "model_arm", folder)
    model = folder / "arm.xml"
    model.write_text(model.read_text().replace('range="-1.8 1.8"', 'range="-1.8 1.8" damping="stiff"', 1))
    out = tmp_path / "dataset"
    result = _generate(folder / "gym_config.yaml", folder / "action_config.yaml", "--max-episodes", "1", "-o", str(out))
    assert result.exit_code == 1, result.output
    line = next(n for n, text in enumerate(model.read_text().splitlines(), 1) if 'damping="stiff"' in text)
    assert "actionbank: MuJoCo cannot read the robot's model arm.xml: " in result.output
    assert f"line {line} of arm.xml" in result.output  # MuJoCo names the line, we name the file
    assert "Traceback" not in result.output
    assert not out.exists()
