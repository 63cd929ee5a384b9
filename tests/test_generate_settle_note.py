"""``generate`` tells once per run, not once per episode, that the robot left its start pose
while the scene settled at reset (sim.env's ``settle_drift``), and runs as it would have
otherwise: the note is a remark, not a failure."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from click.testing import CliRunner
from helpers import ROOT, generate_folder, model_arm_copy

from actionbank.cli import main
from recorder import open_dataset
from recorder.runs import read_run_records

NOTE = "actionbank: note: the robot left its start pose while the scene settled at reset"


def _arm_folder(tmp_path: Path, init_qpos: list[float], events: dict[str, Any] | None = None) -> Path:
    """The model arm's configs copied to ``tmp_path``, its gym config with ``init_qpos`` and
    ``events``."""
    folder = model_arm_copy(tmp_path)
    gym = folder / "gym_config.yaml"
    data = yaml.safe_load(gym.read_text())
    data["robot"]["init_qpos"] = init_qpos
    if events is not None:
        data["env"]["events"] = events
    gym.write_text(yaml.safe_dump(data))
    return folder


def _generate(folder: Path, out: Path) -> Any:
    return generate_folder(folder, out, episodes=2)


def _first_states(out: Path) -> np.ndarray:
    """Each episode's first ``observation.state`` (the pose after reset's settling)."""
    data = open_dataset(f"actionbank/{out.name}", out).hf_dataset.with_format("numpy")
    first = np.asarray(data["frame_index"]) == 0
    return np.asarray(data["observation.state"])[first]


def _notes(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(NOTE)]


def test_a_start_pose_in_the_floor_is_told_once_in_a_run_of_two_episodes_that_still_saves_both(tmp_path):
    folder = _arm_folder(tmp_path, [0.0, 1.5, 0.0, 1.0])  # the upper arm points into the floor
    out = tmp_path / "dataset"

    result = _generate(folder, out)

    assert result.exit_code == 0, result.output
    starts = _first_states(out)
    assert len(starts) == 2
    np.testing.assert_array_equal(starts[0], starts[1])  # both episodes started from the same pose...
    joint1, joint2, joint3 = (float(v) for v in starts[0][:3])
    assert 1.5 - joint2 > 0.5  # ...well away from the one asked for
    assert _notes(result.output) == [
        f"{NOTE}, so episodes start elsewhere: joint2 of part 'arm' moved {1.5 - joint2:.2f} rad "
        f"(from 1.50 to {joint2:.2f} rad), joint3 {abs(joint3):.2f} rad and 1 more joint; that pose may be in "
        "collision with the robot itself or the scene, outside a joint's range, or more than the servo gains "
        "can hold against gravity (check robot.init_qpos)"
    ]
    assert abs(joint1) > 0.05  # the "1 more joint"
    assert re.search(r"^saved now +2$", result.output, re.MULTILINE)
    (run,) = read_run_records(out)  # the dataset keeps what was told
    assert run["notes"] == {"settle_drift": _notes(result.output)[0].removeprefix("actionbank: note: ")}
    page = tmp_path / "page.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert f'<td class="">note</td><td class="">{html.escape(run["notes"]["settle_drift"])}</td>' in page.read_text()


def test_a_drift_that_differs_from_episode_to_episode_is_still_told_once(tmp_path):
    noise = {
        "arm_noise": {
            "func": "randomize_robot_qpos",
            "mode": "reset",
            "params": {"entity_cfg": {"uid": "my_arm", "control_parts": ["arm"]}, "qpos_range": [[-0.1], [0.1]]},
        }
    }
    folder = _arm_folder(tmp_path, [0.0, 1.5, 0.0, 1.0], noise)
    out = tmp_path / "dataset"

    result = _generate(folder, out)

    assert result.exit_code == 0, result.output
    starts = _first_states(out)
    assert len(starts) == 2 and not np.allclose(starts[0], starts[1])  # each episode's note would differ
    notes = _notes(result.output)
    assert len(notes) == 1
    assert f"to {starts[0][1]:.2f} rad)" in notes[0]  # the first episode's


def test_a_start_pose_the_arm_holds_gives_no_note(tmp_path):
    folder = _arm_folder(tmp_path, [0.0, -0.6, 1.2, 1.0])  # the shipped pose
    out = tmp_path / "dataset"

    result = _generate(folder, out)

    assert result.exit_code == 0, result.output
    assert "note:" not in result.output
    assert len(_first_states(out)) == 2
    assert "notes" not in read_run_records(out)[0]


def test_preview_tells_the_note_too(tmp_path):
    folder = _arm_folder(tmp_path, [0.0, 1.5, 0.0, 1.0])
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["ACTIONBANK_DATASET_ROOT"] = str(tmp_path / "datasets")
    command = ["xvfb-run", "-a", sys.executable, "-m", "actionbank", "generate", "--preview"]
    command += ["--gym-config", str(folder / "gym_config.yaml"), "--action-config", str(folder / "action_config.yaml")]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180)

    assert result.returncode == 0, result.stdout + result.stderr
    notes = _notes(result.stderr)
    assert len(notes) == 1 and "joint2 of part 'arm' moved" in notes[0]
    assert "nothing was saved" in result.stdout and not (tmp_path / "datasets").exists()
