"""Observations beyond RGB: env.observations terms are linted at their lines, and a pour-water
episode's depth, segmentation and environment state reach LeRobotDataset as rendered, and
LeRobot's ACT trains on its state and environment state with `lerobot-train`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, small_example
from ruamel.yaml import YAML

from actionbank.cli import main

BAD_TERMS = {
    "bottle_pose": {"func": "get_rigid_object_pose", "mode": "add", "params": {"entity_cfg": {"uid": "botle"}}},
    "tool": {"func": "get_robot_eef_pos", "mode": "add"},
    "cup": {"func": "get_rigid_object_pose", "mode": "modify", "params": {"entity_cfg": {"uid": "cup"}}},
    "cup2": {"func": "get_rigid_object_pose", "params": {"entity_cfg": {"uid": "cup"}, "extra": 1}},
    "again": {"func": "get_rigid_object_pose", "name": "cup_pose", "params": {"entity_cfg": {"uid": "cup"}}},
}


def test_observation_terms_that_cannot_be_recorded_are_located_errors(tmp_path: Path) -> None:
    yaml = YAML()
    gym = yaml.load((EXAMPLES / "pour_water" / "gym_config.yaml").read_text())
    gym["env"]["observations"].update(BAD_TERMS)
    with (tmp_path / "gym_config.yaml").open("w") as file:
        yaml.dump(gym, file)
    action = tmp_path / "action_config.yaml"
    action.write_text((EXAMPLES / "pour_water" / "action_config.yaml").read_text())
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(action)])
    assert result.exit_code == 1, result.output
    found = {(d["code"], d["pointer"]) for d in json.loads(result.output)}
    assert ("AB614", "/env/observations/bottle_pose/params/entity_cfg/uid") in found
    assert ("AB740", "/env/observations/tool/func") in found
    assert ("AB741", "/env/observations/cup/mode") in found
    assert ("AB111", "/env/observations/cup2/params/extra") in found
    assert ("AB742", "/env/observations/again/name") in found


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The first 40 frames of a pour-water episode (cameras 40x30, depth and segmentation on
    cam_high, 28 environment-state values) written by the dataset writer, with the rendered frames."""
    from actionbank.compiler import CompileOptions, compile_file
    from actionbank.generate.options import GenerateOptions
    from actionbank.generate.run_spec import dataset_spec
    from recorder import DatasetWriter
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    tmp_path = tmp_path_factory.mktemp("pour_water")
    gym, action = small_example("pour_water", tmp_path / "configs", divisor=8)
    config, _ = load_sim_config(gym)
    plan = compile_file(action, CompileOptions(gym_config=gym)).plan
    assert plan is not None
    options = GenerateOptions(gym_config=gym, action_config=action, output=tmp_path / "ds")
    spec = dataset_spec(options, config, plan, gym.read_text(), action.read_text(), 3, {})
    env = ActionbankEnv(config, gym.parent)
    frames: list[Any] = []
    with DatasetWriter.create(spec) as writer:
        writer.begin_episode()

        def keep(frame: Any) -> None:
            if len(frames) < 40:
                frames.append(frame)
                writer.add_frame(frame)

        rollout = run_plan(plan, env, 3, on_frame=keep)
        writer.save_episode(rollout)
    return {"spec": spec, "frames": frames, "tmp": tmp_path}


def test_a_pour_water_episode_opens_with_exact_segmentation_ids_and_depth_within_quantisation(
    recorded: dict[str, Any],
) -> None:
    from recorder import open_dataset
    from recorder.video import DEPTH_MAX, DEPTH_MIN, DEPTH_QMAX, DEPTH_SHIFT

    spec, frames = recorded["spec"], recorded["frames"]
    info = json.loads((spec.root / "meta" / "info.json").read_text())["features"]
    labels = info["observation.segmentation.cam_high"]["info"]["segmentation_labels"]
    assert labels[:3] == ["background", "bottle", "cup"]
    assert info["observation.depth.cam_high"]["info"]["is_depth_map"] is True
    dataset = open_dataset(spec.repo_id, spec.root, depth_output_unit="m")
    # One quantum of the log scale at depth d is about (d + shift) * ln((max + shift) / (min + shift)) / qmax.
    step = np.log((DEPTH_MAX + DEPTH_SHIFT) / (DEPTH_MIN + DEPTH_SHIFT)) / DEPTH_QMAX
    for index in (0, 20, 39):
        item = dataset[index]
        ids = item["observation.segmentation.cam_high"].numpy()[0]
        np.testing.assert_array_equal(ids, frames[index].segmentation["cam_high"])
        rendered = np.clip(frames[index].depth["cam_high"], DEPTH_MIN, DEPTH_MAX)
        decoded = item["observation.depth.cam_high"].numpy()[0]
        assert np.all(np.abs(decoded - rendered) <= (rendered + DEPTH_SHIFT) * step * 0.51 + 1e-5)
        np.testing.assert_allclose(item["observation.environment_state"].numpy(), frames[index].environment_state)
    assert set(np.unique(frames[0].segmentation["cam_high"])) >= {0, 1, 2}


#: ACT's inputs for `lerobot-train`: joint state and environment state; the 1-channel depth and
#: segmentation features stay out (ACT's ResNet backbone reads 3-channel images only).
ACT_INPUTS = {
    "observation.state": {"type": "STATE", "shape": [14]},
    "observation.environment_state": {"type": "ENV", "shape": [28]},
}


def test_lerobot_train_runs_act_on_state_and_environment_state_and_saves_a_checkpoint(
    recorded: dict[str, Any],
) -> None:
    pytest.importorskip("accelerate", reason="LeRobot's training extra (actionbank[train]) is not installed")
    spec, out = recorded["spec"], recorded["tmp"] / "train"
    command = [
        *(sys.executable, "-m", "lerobot.scripts.lerobot_train"),
        f"--dataset.repo_id={spec.repo_id}",
        f"--dataset.root={spec.root}",
        "--policy.type=act",
        f"--policy.input_features={json.dumps(ACT_INPUTS)}",
        *("--policy.device=cpu", "--policy.push_to_hub=false", "--policy.pretrained_backbone_weights=null"),
        *("--policy.dim_model=32", "--policy.dim_feedforward=64", "--policy.chunk_size=10"),
        *("--policy.n_action_steps=10", "--policy.n_encoder_layers=1", "--policy.n_vae_encoder_layers=1"),
        *("--wandb.enable=false", "--steps=2", "--batch_size=2", "--num_workers=0", "--save_checkpoint=true"),
        f"--output_dir={out}",
    ]
    offline = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "WANDB_MODE": "disabled"}
    result = subprocess.run(command, capture_output=True, text=True, env=offline, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    model = out / "checkpoints" / "000002" / "pretrained_model"
    for name in ("model.safetensors", "config.json", "train_config.json", "policy_preprocessor.json"):
        assert (model / name).is_file(), name
    config = json.loads((model / "config.json").read_text())
    assert config["type"] == "act"
    assert config["input_features"] == ACT_INPUTS
