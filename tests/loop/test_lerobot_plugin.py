"""`--env.type=actionbank` in LeRobot's own commands: `lerobot-train` evaluates in our scene while
it trains a tiny ACT on a generated dataset, `lerobot-eval` finds the plugin by its distribution
name and runs that policy in our scene, and a missing gym config ends it cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, ROOT, load_benchmark, write_distribution

from actionbank.cli import main

LOOP_GYM = ROOT / "benchmarks" / "policy_loop_gym_config.yaml"
TRANSFER_ACTION = EXAMPLES / "transfer_cube" / "action_config.yaml"
TINY_ACT = load_benchmark("policy_loop").TINY_ACT_ARGS  # the few-second ACT of its --quick


def _run(command: list[str], site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``command`` offline, this checkout first on the path (and ``site``, a folder of dist-infos)."""
    path = os.pathsep.join(str(p) for p in (ROOT, site) if p is not None)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "WANDB_MODE": "disabled", "MUJOCO_GL": "egl", "PYTHONPATH": path}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One generated transfer-cube episode (state + environment state), and a tiny ACT trained
    on it for 2 steps by `lerobot-train`, which evaluates it in our scene after step 2."""
    pytest.importorskip("accelerate", reason="LeRobot's training extra (actionbank[train]) is not installed")
    tmp = tmp_path_factory.mktemp("loop")
    dataset = tmp / "dataset"
    arguments = ["generate", "--gym-config", str(LOOP_GYM), "--action-config", str(TRANSFER_ACTION)]
    result = CliRunner().invoke(main, [*arguments, "--max-episodes", "1", "--output", str(dataset)])
    assert result.exit_code == 0, result.output
    inputs = {"observation.state": {"type": "STATE", "shape": [14]}}
    inputs["observation.environment_state"] = {"type": "ENV", "shape": [21]}
    train = _run(
        [
            *(sys.executable, "-m", "lerobot.scripts.lerobot_train"),
            f"--dataset.repo_id=actionbank/{dataset.name}",
            f"--dataset.root={dataset}",
            *("--policy.type=act", f"--policy.input_features={json.dumps(inputs)}", *TINY_ACT),
            *("--policy.device=cpu", "--policy.push_to_hub=false", "--policy.pretrained_backbone_weights=null"),
            *(
                "--steps=2",
                "--batch_size=2",
                "--num_workers=0",
                "--wandb.enable=false",
                f"--output_dir={tmp / 'train'}",
            ),
            *("--env.discover_packages_path=lerobot_env_actionbank", "--env.type=actionbank"),
            *(f"--env.gym_config={LOOP_GYM}", "--env.episode_length=5", "--env_eval_freq=2"),
            *("--eval.n_episodes=1", "--eval.batch_size=1"),
        ]
    )
    assert train.returncode == 0, train.stderr[-4000:]
    return {"tmp": tmp, "dataset": dataset, "model": tmp / "train" / "checkpoints" / "000002" / "pretrained_model"}


def test_lerobot_train_evaluates_in_our_scene_while_training(trained: dict[str, Any]) -> None:
    videos = trained["tmp"] / "train" / "eval" / "videos_step_000002" / "actionbank_0"
    assert (videos / "eval_episode_0.mp4").stat().st_size > 0
    config = json.loads((trained["model"] / "train_config.json").read_text())
    assert config["env"]["type"] == "actionbank"
    assert config["env"]["gym_config"] == str(LOOP_GYM)
    assert config["env"]["features"]["environment_state"]["shape"] == [21]


def test_lerobot_eval_finds_the_plugin_by_its_distribution_name_and_runs_the_policy_in_our_scene(
    trained: dict[str, Any],
) -> None:
    site = write_distribution(trained["tmp"] / "site", "lerobot_env_actionbank", {})
    out = trained["tmp"] / "eval"
    result = _run(
        [
            *(sys.executable, "-m", "lerobot.scripts.lerobot_eval"),
            f"--policy.path={trained['model']}",
            *("--policy.device=cpu", "--env.type=actionbank", f"--env.gym_config={LOOP_GYM}"),
            *("--env.episode_length=8", "--eval.n_episodes=2", "--eval.batch_size=1", "--seed=1000"),
            f"--output_dir={out}",
        ],
        site,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    info = json.loads((out / "eval_info.json").read_text())
    assert info["overall"]["n_episodes"] == 2
    assert info["per_task"][0]["metrics"]["successes"] == [False, False]  # 8 steps: far too short to hand over
    assert (out / "videos" / "actionbank_0" / "eval_episode_1.mp4").stat().st_size > 0


def test_lerobot_eval_without_a_usable_gym_config_says_why_and_exits_2(trained: dict[str, Any]) -> None:
    result = _run(
        [
            *(sys.executable, "-m", "lerobot.scripts.lerobot_eval"),
            f"--policy.path={trained['model']}",
            "--env.discover_packages_path=lerobot_env_actionbank",
            *("--env.type=actionbank", "--env.gym_config=no/such/gym_config.yaml"),
            f"--output_dir={trained['tmp'] / 'bad'}",
        ]
    )
    assert result.returncode == 2, result.stderr[-4000:]
    assert "--env.type=actionbank: gym config no/such/gym_config.yaml: no such file" in result.stderr
    assert "Traceback" not in result.stderr
