"""Forward and inverse kinematics on ALOHA's right arm, with a TCP site added to the model."""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest
from numpy.typing import NDArray

from sim.assets import aloha_assets_dir
from sim.kinematics import ArmKinematics, IKResult, KinematicsError

ARM = "vx300s_right"
JOINTS = [f"{ARM}/{j}" for j in ("waist", "shoulder", "elbow", "forearm_roll", "wrist_angle", "wrist_rotate")]
TCP = "right_tcp"
NOMINAL = np.array([0.0, -0.96, 1.16, 0.0, -0.3, 0.0])


@pytest.fixture(scope="module")
def model() -> mujoco.MjModel:
    spec = mujoco.MjSpec.from_file(str(aloha_assets_dir() / "bimanual_viperx_transfer_cube.xml"))
    spec.body(f"{ARM}/gripper_link").add_site(name=TCP, pos=[0.12, 0.0, 0.0])
    return spec.compile()


@pytest.fixture
def arm(model: mujoco.MjModel) -> ArmKinematics:
    return ArmKinematics(model, JOINTS, TCP)


def _rotation_angle(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    cos = (np.trace(a[:3, :3] @ b[:3, :3].T) - 1.0) / 2.0
    return math.acos(min(1.0, max(-1.0, cos)))


def test_fk_matches_mujocos_site_pose_after_mj_forward(model: mujoco.MjModel, arm: ArmKinematics) -> None:
    data = mujoco.MjData(model)
    site = model.site(TCP).id
    rng = np.random.default_rng(3)
    for _ in range(10):
        q = rng.uniform(arm.lower, arm.upper)
        data.qpos[arm.qpos_addresses] = q
        mujoco.mj_forward(model, data)
        pose = arm.fk(q)
        np.testing.assert_allclose(pose[:3, 3], data.site_xpos[site], atol=1e-12)
        np.testing.assert_allclose(pose[:3, :3], data.site_xmat[site].reshape(3, 3), atol=1e-12)
        np.testing.assert_array_equal(pose[3], [0.0, 0.0, 0.0, 1.0])


def test_fk_of_a_body_frame_matches_mujocos_body_pose(model: mujoco.MjModel) -> None:
    arm = ArmKinematics(model, JOINTS, f"{ARM}/gripper_link", frame_type="body")
    data = mujoco.MjData(model)
    body = model.body(f"{ARM}/gripper_link").id
    q = np.random.default_rng(4).uniform(arm.lower, arm.upper)
    data.qpos[arm.qpos_addresses] = q
    mujoco.mj_forward(model, data)
    pose = arm.fk(q)
    np.testing.assert_allclose(pose[:3, 3], data.xpos[body], atol=1e-12)
    np.testing.assert_allclose(pose[:3, :3], data.xmat[body].reshape(3, 3), atol=1e-12)


def test_joints_outside_the_chain_keep_the_base_configuration(model: mujoco.MjModel) -> None:
    wrist = ArmKinematics(model, JOINTS[3:], TCP)
    full = model.qpos0.copy()
    full[model.joint(JOINTS[0]).qposadr[0]] = 0.7
    full[model.joint(JOINTS[1]).qposadr[0]] = -0.4
    full[model.joint(JOINTS[2]).qposadr[0]] = 0.5
    wrist.set_base_qpos(full)
    data = mujoco.MjData(model)
    data.qpos[:] = full
    data.qpos[wrist.qpos_addresses] = [0.3, 0.2, -0.1]
    mujoco.mj_forward(model, data)
    pose = wrist.fk(np.array([0.3, 0.2, -0.1]))
    np.testing.assert_allclose(pose[:3, 3], data.site_xpos[model.site(TCP).id], atol=1e-12)


def test_ik_round_trips_reachable_targets_within_limits_and_tolerance(arm: ArmKinematics) -> None:
    rng = np.random.default_rng(11)
    results: list[IKResult] = []
    for _ in range(30):
        target = arm.fk(rng.uniform(arm.lower, arm.upper))
        result = arm.ik(target, NOMINAL)
        assert arm.within_limits(result.qpos)
        if result.success:
            reached = arm.fk(result.qpos)
            assert np.linalg.norm(reached[:3, 3] - target[:3, 3]) <= 1e-3
            assert _rotation_angle(reached, target) <= 1e-2
            assert result.position_error <= 1e-3
            assert result.rotation_error <= 1e-2
        results.append(result)
    assert sum(r.success for r in results) >= 29


def test_an_unreachable_target_fails_with_a_large_position_error(arm: ArmKinematics) -> None:
    target = arm.fk(NOMINAL)
    target[:3, 3] += [5.0, 0.0, 0.0]
    result = arm.ik(target, NOMINAL)
    assert not result.success
    assert result.position_error > 3.0  # the arm reaches about 0.9 m of the 5 m
    assert result.attempts == 9
    assert arm.within_limits(result.qpos)


def test_equal_calls_give_identical_solutions(model: mujoco.MjModel, arm: ArmKinematics) -> None:
    rng = np.random.default_rng(5)
    targets = [arm.fk(rng.uniform(arm.lower, arm.upper)) for _ in range(5)]
    other = ArmKinematics(model, JOINTS, TCP)
    for target in targets:
        first = arm.ik(target, NOMINAL)
        np.testing.assert_array_equal(first.qpos, arm.ik(target, NOMINAL).qpos)
        np.testing.assert_array_equal(first.qpos, other.ik(target, NOMINAL).qpos)
        seeded = arm.ik(target, NOMINAL, rng=np.random.default_rng(9)).qpos
        np.testing.assert_array_equal(seeded, arm.ik(target, NOMINAL, rng=np.random.default_rng(9)).qpos)


def test_a_target_at_the_seed_returns_the_seed_without_iterating(arm: ArmKinematics) -> None:
    seed = np.array([0.4, -0.5, 0.6, 0.3, 0.2, -0.7])
    result = arm.ik(arm.fk(seed), seed)
    assert result.success
    assert result.iterations == 0
    assert result.attempts == 1
    np.testing.assert_allclose(result.qpos, seed, atol=1e-12)


def test_a_nearby_target_is_solved_close_to_the_seed(arm: ArmKinematics) -> None:
    seed = np.array([0.4, -0.5, 0.6, 0.3, 0.2, -0.7])
    result = arm.ik(arm.fk(seed + 0.05), seed)
    assert result.success
    assert result.attempts == 1
    assert result.iterations <= 10
    assert np.max(np.abs(result.qpos - seed)) < 0.2


def test_full_turn_joints_wrap_and_the_others_clip(arm: ArmKinematics) -> None:
    np.testing.assert_array_equal(arm.wraps, [True, False, False, True, False, True])
    clipped = arm.clip(np.array([3.5, 5.0, -5.0, -3.5, 0.0, 2 * math.pi + 0.1]))
    np.testing.assert_allclose(clipped, [3.5 - 2 * math.pi, arm.upper[1], arm.lower[2], 2 * math.pi - 3.5, 0.0, 0.1])
    assert arm.within_limits(clipped)
    assert not arm.within_limits(np.array([3.5, 0.0, 0.0, 0.0, 0.0, 0.0]))


def test_a_seed_outside_the_limits_still_gives_a_solution_within_them(arm: ArmKinematics) -> None:
    target = arm.fk(NOMINAL)
    result = arm.ik(target, NOMINAL + np.array([2 * math.pi, 3.0, 0.0, 0.0, 0.0, 0.0]))
    assert result.success
    assert arm.within_limits(result.qpos)


@pytest.mark.parametrize(
    ("joints", "frame", "frame_type", "message"),
    [
        (JOINTS, "nope", "site", "Available sites"),
        (JOINTS, "nope", "body", "Available bodies"),
        ([*JOINTS[:5], "vx300s_right/wrist_rotat"], TCP, "site", "Available joints"),
        (["vx300s_left/waist"], TCP, "site", "does not move"),
        (["red_box_joint"], "box", "body", "not a hinge or slide"),
        ([], TCP, "site", "at least one joint"),
        ([JOINTS[0], JOINTS[0]], TCP, "site", "repeat"),
    ],
)
def test_bad_names_are_reported_with_the_valid_choices(
    model: mujoco.MjModel, joints: list[str], frame: str, frame_type: str, message: str
) -> None:
    with pytest.raises(KinematicsError, match=message):
        ArmKinematics(model, joints, frame, frame_type)  # type: ignore[arg-type]
