"""`actionbank generate` end to end: a real MuJoCo rollout recorded with LeRobot's writer."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers import EXAMPLES

from actionbank.cli import main
from actionbank.generate import episode_seed


def _generate(tmp_path, *extra: str):
    example = EXAMPLES / "transfer_cube"
    return CliRunner().invoke(
        main,
        [
            "generate",
            "--gym_config",
            str(example / "gym_config.yaml"),
            "--action_config",
            str(example / "action_config.yaml"),
            *extra,
        ],
    )


def test_generate_records_valid_episodes_that_lerobot_reopens(tmp_path, monkeypatch):
    from lerobot.datasets.lerobot_dataset import LeRobotDataset

    out = tmp_path / "ds"
    result = _generate(tmp_path, "--max-episodes", "2", "--output", str(out), "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "saved" in result.output and str(out) in result.output
    dataset = LeRobotDataset(f"actionbank/{out.name}", root=out, video_backend="pyav")
    assert dataset.num_episodes == 2
    assert dataset.fps == 50
    frame = dataset[10]
    assert tuple(frame["action"].shape) == (14,)
    assert tuple(frame["observation.state"].shape) == (14,)
    assert tuple(frame["observation.images.top"].shape) == (3, 240, 320)
    assert float(frame["observation.images.top"].std()) > 0.01  # not blank
    import lerobot.datasets.lerobot_dataset as lerobot_dataset

    from recorder import open_dataset

    # The backend is named, so LeRobot never probes torchcodec (which prints an import traceback).
    def no_probe():
        raise AssertionError("LeRobot probed for a video backend")

    monkeypatch.setattr(lerobot_dataset, "get_safe_default_video_backend", no_probe)
    assert open_dataset(f"actionbank/{out.name}", out).num_episodes == 2
    records = [json.loads(line) for line in (out / "meta" / "actionbank" / "episodes.jsonl").read_text().splitlines()]
    assert [r["seed"] for r in records] == [episode_seed(3, 0), episode_seed(3, 1)]


def test_generate_with_a_broken_config_exits_1_with_diagnostics_and_no_traceback(tmp_path):
    broken = tmp_path / "action_config.yaml"
    text = (EXAMPLES / "transfer_cube" / "action_config.yaml").read_text()
    broken.write_text(text.replace("name: plan_trajectory", "name: plan_trajectry", 1))
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--gym-config",
            str(EXAMPLES / "transfer_cube" / "gym_config.yaml"),
            "--action-config",
            str(broken),
        ],
    )
    assert result.exit_code == 1
    assert "AB2" in result.output and "plan_trajectry" in result.output
    assert "Traceback" not in result.output


def test_generate_rejects_devices_and_flags_this_backend_does_not_have(tmp_path):
    assert _generate(tmp_path, "--device", "cuda").exit_code == 2
    result = _generate(tmp_path, "--enable_rt")
    assert result.exit_code == 2 and "ray" in result.output


def test_generate_with_a_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(
        main, ["generate", "--gym-config", str(tmp_path / "nope.yaml"), "--action-config", str(tmp_path / "a.yaml")]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
