"""The SO-101 pick-and-place example succeeds: the cube, whatever its yaw, is picked from
straight above with the wrist turned no more than an eighth of a turn (the grasp takes the
cube's quarter turn nearest the arm's bearing) and ends resting in the box.

Cameras are off: the success check reads the physics state, not the pictures."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from helpers import EXAMPLES

from actionbank.compiler import CompileOptions, compile_file
from actionbank.plan import ExecutionPlan
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.executor import run_plan

SO101_PICK_PLACE: Path = EXAMPLES / "so101_pick_place"
#: The wrist roll's largest turn from its zero [rad]: an eighth of a turn, plus up to about 5°
#: (the jaws' own twist at zero roll, and the arm's plane passing beside the pan axis).
MAX_ROLL = math.pi / 4 + 0.15
#: The cube's centre when it rests on the box's floor plate [m]: plate top 6 mm, cube half 12.5 mm.
RESTING_HEIGHT = 0.0185


@pytest.fixture(scope="module")
def plan() -> ExecutionPlan:
    result = compile_file(
        SO101_PICK_PLACE / "action_config.yaml", CompileOptions(gym_config=SO101_PICK_PLACE / "gym_config.yaml")
    )
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    return result.plan


@pytest.fixture(scope="module")
def env() -> Iterator[ActionbankEnv]:
    config, _ = load_sim_config(SO101_PICK_PLACE / "gym_config.yaml")
    environment = ActionbankEnv(config, SO101_PICK_PLACE, render_images=False)
    yield environment
    environment.close()


@pytest.mark.parametrize("seed", [0, 1])
def test_the_so101_puts_the_cube_in_the_box_turning_its_wrist_at_most_an_eighth_of_a_turn(
    env: ActionbankEnv, plan: ExecutionPlan, seed: int
) -> None:
    rollout = run_plan(plan, env, seed)

    assert rollout.valid, [str(f) for f in rollout.failures]
    assert env.state_names[:5] == ["shoulder_pan", "shoulder_lift", "elbow_flex", "wrist_flex", "wrist_roll"]
    roll = np.array([frame.state[4] for frame in rollout.frames])
    assert np.abs(roll).max() <= MAX_ROLL
    start = np.asarray(rollout.initial_poses["cube"][:3])
    end = env.data.body("cube").xpos
    box = env.data.body("bin").xpos
    assert np.linalg.norm(start[:2] - box[:2]) > 0.1  # it started outside the box
    assert np.linalg.norm(end[:2] - box[:2]) < 0.01  # near the box's centre
    assert end[2] == pytest.approx(RESTING_HEIGHT, abs=0.002)
