"""The toy arm (``sim/robots/toy_arm.py``), a robot type written here: its scene compiles,
passes Gymnasium's checker, steps and renders without MuJoCo warnings, its kinematics solve,
and the two-edge plan in ``tests/sim/toy_arm/`` runs to its affordance and closes the gripper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from helpers import env_checker_complaints, mujoco_warnings

from actionbank.compiler import CompileOptions, compile_file
from actionbank.plan import ExecutionPlan
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.executor import run_plan
from sim.robots import ROBOTS

TOY: Path = Path(__file__).parent / "toy_arm"
#: Where the plan's arm edge ends, the gym config's ``reach_qpos`` [rad].
REACH = (0.3, -0.2, 1.0)


@pytest.fixture(scope="module")
def env() -> Iterator[ActionbankEnv]:
    config, diagnostics = load_sim_config(TOY / "gym_config.yaml")
    assert diagnostics == []
    environment = ActionbankEnv(config, TOY)
    yield environment
    environment.close()


@pytest.fixture(scope="module")
def plan() -> ExecutionPlan:
    result = compile_file(TOY / "action_config.yaml", CompileOptions(gym_config=TOY / "gym_config.yaml"))
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    assert result.diagnostics == ()
    return result.plan


def test_the_toy_arm_is_registered_with_a_three_joint_arm_and_a_one_finger_gripper() -> None:
    robot = ROBOTS["toy_arm"]
    assert {name: (part.kind, part.dim) for name, part in robot.parts.items()} == {"arm": ("arm", 3), "eef": ("eef", 1)}
    assert robot.parts["arm"].tcp_site == "tcp"
    model = robot.build().compile()
    assert (model.njnt, model.nu, model.nmesh) == (4, 4, 0)


def test_gymnasiums_env_checker_accepts_the_toy_scene(env: ActionbankEnv) -> None:
    assert env_checker_complaints(env) == []


def test_the_toy_scene_steps_and_renders_without_mujoco_warnings(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=0)
    assert env.state_names == ["waist", "shoulder", "elbow", "eef_gripper"]
    np.testing.assert_allclose(observation["state"], [0.0, -0.6, 1.2, 1.0], atol=0.03)  # home, sagging a little
    hold = observation["state"].copy()
    for _ in range(20):
        observation, *_ = env.step(hold)
    assert mujoco_warnings(env.data) == {}
    image = observation["images"]["overhead"]
    assert image.shape == (48, 64, 3)
    assert image.std() > 5.0
    assert len(np.unique(image.reshape(-1, 3), axis=0)) >= 10


def test_ik_on_the_three_joint_chain_recovers_a_reachable_pose(env: ActionbankEnv) -> None:
    env.reset(seed=0)
    target = env.fk("arm", np.array(REACH))
    result = env.ik("arm", target, seed=np.array([0.0, -0.6, 1.2]))
    assert result.success
    np.testing.assert_allclose(env.fk("arm", result.qpos)[:3, 3], target[:3, 3], atol=1e-3)


def test_the_two_edge_plan_reaches_the_affordance_and_then_closes_the_gripper(
    env: ActionbankEnv, plan: ExecutionPlan
) -> None:
    assert [(e.scope, e.name, e.start, e.duration) for e in plan.edges] == [
        ("arm", "reach", 0, 40),
        ("eef", "close", 40, 20),
    ]
    rollout = run_plan(plan, env, 0)

    assert rollout.valid, [str(f) for f in rollout.failures]
    assert len(rollout.frames) == plan.makespan == 60
    actions = np.stack([frame.action for frame in rollout.frames])
    assert actions.shape == (60, 4)
    np.testing.assert_allclose(actions[39], [*REACH, 1.0], atol=1e-6)  # the arm edge ends on its sink
    np.testing.assert_allclose(actions[-1], [*REACH, 0.0], atol=1e-6)  # and the gripper's on closed
    np.testing.assert_allclose(env.part_qpos("arm"), REACH, atol=0.03)
    assert env.part_qpos("eef")[0] < 0.05
    assert mujoco_warnings(env.data) == {}
    first, last = (rollout.frames[i].images["overhead"] for i in (0, -1))
    assert first.std() > 5.0 and last.std() > 5.0
    assert np.abs(first.astype(np.int16) - last).max() > 50  # the arm turned in the picture
