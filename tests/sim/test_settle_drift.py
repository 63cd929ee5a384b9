"""Reset says when the robot did not hold its start pose while the scene settled
(``info["settle_drift"]``): never for the shipped scenes and robots, and, naming the joint, how
far it moved and what to check, for a start pose in the floor, one the servos cannot hold, and
a slide joint (in metres)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from helpers import EXAMPLES

from actionbank.runtime import ROBOTS as DECLARED
from actionbank.spec.gym_models import GymConfig
from sim.config import load_sim_config
from sim.env import SETTLE_DRIFT_RAD, ActionbankEnv
from sim.robots import ROBOTS

HERE = Path(__file__).parent
MODEL_ARM = HERE / "model_arm"
#: Every example's scene, and the test scenes' own arms (registered and declared in YAML).
SCENES = [
    *sorted(EXAMPLES.glob("*/gym_config.yaml")),
    *(HERE / arm / "gym_config.yaml" for arm in ("toy_arm", "model_arm", "urdf_arm")),
]
#: The rest of the note after the joints, for a gym config with ``robot.init_qpos``.
CAUSES = (
    "; that pose may be in collision with the robot itself or the scene, outside a joint's range, or more than "
    "the servo gains can hold against gravity (check robot.init_qpos)"
)
LEAD = "the robot left its start pose while the scene settled at reset, so episodes start elsewhere: "


def _robot_scene(robot_type: str) -> GymConfig:
    """The toy arm's scene without objects or cameras, with ``robot_type``'s robot at its home
    pose, every one of its parts controlled."""
    data: dict[str, Any] = yaml.safe_load((HERE / "toy_arm" / "gym_config.yaml").read_text())
    data.pop("rigid_object")
    data.pop("sensor")
    data["env"] = {"control_parts": list(DECLARED[robot_type].parts)}
    data["robot"] = {"uid": "robot", "robot_type": robot_type}
    return GymConfig.model_validate(data)


def _model_arm(**robot: Any) -> ActionbankEnv:
    """The model arm's scene (no cameras, so nothing to close) with ``robot`` replacing keys of
    its gym config's robot (``drive``: keys of its drive)."""
    config, diagnostics = load_sim_config(MODEL_ARM / "gym_config.yaml")
    assert diagnostics == []
    drive = robot.pop("drive", {})
    changed = config.robot.model_copy(update={**robot, "drive": config.robot.drive.model_copy(update=drive)})
    return ActionbankEnv(config.model_copy(update={"robot": changed}), MODEL_ARM, render_images=False)


@pytest.mark.parametrize("gym_config", SCENES, ids=lambda path: path.parent.name)
def test_every_shipped_scene_resets_without_a_drift_note(gym_config: Path) -> None:
    config, _ = load_sim_config(gym_config)
    env = ActionbankEnv(config, gym_config.parent, render_images=False)
    try:
        for seed in range(3):  # the examples randomise the robot's start pose: a few draws of it
            _, info = env.reset(seed=seed)
            assert info["settle_drift"] is None, (seed, info["settle_drift"])
    finally:
        env.close()


@pytest.mark.parametrize("robot_type", sorted(ROBOTS))
def test_every_registered_robot_resets_at_its_home_pose_without_a_drift_note(robot_type: str) -> None:
    env = ActionbankEnv(_robot_scene(robot_type), HERE / "toy_arm", render_images=False)
    try:
        observation, info = env.reset(seed=0)
        assert info["settle_drift"] is None
        home = np.concatenate([env.robot.home[part.name] for part in env.parts])
        arms = [i for i, name in enumerate(env.state_names) if not name.endswith("gripper")]
        assert np.max(np.abs(observation["state"][arms] - home[arms])) < SETTLE_DRIFT_RAD
    finally:
        env.close()


def test_a_start_pose_in_the_floor_is_a_note_naming_the_joint_and_how_far_it_moved() -> None:
    # joint2 at 1.5 rad points the upper arm 86 degrees down from its shoulder 14 cm up: into the floor
    env = _model_arm(init_qpos=[0.0, 1.5, 0.0, 1.0])
    observation, info = env.reset(seed=0)
    joint1, joint2, joint3, _gripper = (float(v) for v in observation["state"])

    assert joint2 < 1.5 - 0.5  # pushed up out of the floor
    assert abs(joint1) > SETTLE_DRIFT_RAD  # three joints moved, the two farthest named, largest first
    assert abs(joint2 - 1.5) > abs(joint3) > abs(joint1)
    assert info["settle_drift"] == (
        f"{LEAD}joint2 of part 'arm' moved {1.5 - joint2:.2f} rad (from 1.50 to {joint2:.2f} rad), "
        f"joint3 {abs(joint3):.2f} rad and 1 more joint{CAUSES}"
    )


def test_a_start_pose_pushed_past_a_joints_range_is_a_note_with_where_it_ended() -> None:
    # the forearm bent into the floor levers joint2 back, beyond its range (-1.8, 1.8)
    env = _model_arm(init_qpos=[0.0, 1.7, 0.5, 1.0])
    observation, info = env.reset(seed=0)
    joint2 = float(observation["state"][1])

    assert joint2 > 1.8
    assert info["settle_drift"] is not None
    assert f"joint2 of part 'arm' moved {joint2 - 1.7:.2f} rad (from 1.70 to {joint2:.2f} rad)" in info["settle_drift"]


def test_a_pose_too_heavy_for_weak_servos_is_a_note_and_the_home_pose_is_what_to_check_without_init_qpos() -> None:
    env = _model_arm(init_qpos=None, drive={"stiffness": 2.0, "damping": 0.2, "gravity_compensation": False})
    observation, info = env.reset(seed=0)
    joint2, joint3 = (float(v) for v in observation["state"][1:3])

    assert env.robot.home["arm"] == (0.0, 0.0, 0.0)
    assert joint2 > SETTLE_DRIFT_RAD and joint3 > SETTLE_DRIFT_RAD  # the horizontal arm sags
    assert info["settle_drift"] == (
        f"{LEAD}joint2 of part 'arm' moved {joint2:.2f} rad (from 0.00 to {joint2:.2f} rad), joint3 {joint3:.2f} rad"
        + CAUSES.replace("robot.init_qpos", "the robot's home pose, or set robot.init_qpos")
    )


def test_a_slide_joint_that_sags_is_measured_in_metres(tmp_path: Path) -> None:
    folder = tmp_path / "arm"
    folder.mkdir()
    text = (MODEL_ARM / "arm.xml").read_text()
    hinge = '<joint name="joint1" axis="0 0 1" range="-2.5 2.5"/>'
    assert hinge in text
    (folder / "arm.xml").write_text(
        text.replace(hinge, '<joint name="joint1" type="slide" axis="0 0 1" range="0 0.2"/>')
    )
    data = yaml.safe_load((MODEL_ARM / "gym_config.yaml").read_text())
    data["robot"]["init_qpos"] = [0.1, -0.6, 1.2, 1.0]  # the lift 10 cm up
    data["robot"]["drive"]["gravity_compensation"] = False
    (folder / "gym_config.yaml").write_text(yaml.safe_dump(data))
    config, diagnostics = load_sim_config(folder / "gym_config.yaml")
    assert diagnostics == []
    env = ActionbankEnv(config, folder, render_images=False)
    observation, info = env.reset(seed=0)
    lift = float(observation["state"][0])

    assert 0.1 - lift > 0.05  # 60 N/m do not hold the arm's weight
    assert (
        info["settle_drift"]
        == f"{LEAD}joint1 of part 'arm' moved {0.1 - lift:.3f} m (from 0.100 to {lift:.3f} m){CAUSES}"
    )
