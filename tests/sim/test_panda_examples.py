"""The Panda examples run through the executor and succeed: for seeds 0 and 1 the cube is
really picked (lifted well off the table, not pushed), put in the bin or on the other cube,
and let go, without MuJoCo warnings; the stacked cube lands square on the one below; and every
key the compiler says the gym config provides (the bin's pose among them) is one the
environment registers.

Cameras are off: the checks read the physics state."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from helpers import EXAMPLES, mujoco_warnings

from actionbank.compiler import CompileOptions, CompileResult, compile_file
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.executor import run_plan
from sim.rollout import Frame

SEEDS = (0, 1)
#: How far the picked cube's centre must rise above its start at some step [m] (the lift is 15 cm).
MIN_LIFT = 0.1
#: Largest difference between the stacked cubes' yaws, modulo the cube's 90° symmetry [deg].
MAX_YAW_MISMATCH = 3.0


class Example(NamedTuple):
    name: str
    picked: str  # the cube the arm carries
    result: CompileResult
    env: ActionbankEnv


#: Each example and the cube its arm carries.
PICKED = {"panda_pick_place": "cube", "panda_stack": "red_cube"}


@pytest.fixture(scope="module")
def examples() -> Iterator[dict[str, Example]]:
    """Each example compiled and its scene built, once (closed at the end of the module)."""
    loaded: dict[str, Example] = {}
    yield loaded
    for example in loaded.values():
        example.env.close()


def _load(examples: dict[str, Example], name: str) -> Example:
    if name not in examples:
        folder: Path = EXAMPLES / name
        result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=folder / "gym_config.yaml"))
        assert result.plan is not None, [str(d) for d in result.diagnostics]
        config, diagnostics = load_sim_config(folder / "gym_config.yaml")
        assert diagnostics == []
        examples[name] = Example(name, PICKED[name], result, ActionbankEnv(config, folder, render_images=False))
    return examples[name]


@pytest.fixture(params=sorted(PICKED))
def example(request: pytest.FixtureRequest, examples: dict[str, Example]) -> Example:
    return _load(examples, request.param)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_panda_example_picks_the_cube_and_succeeds(example: Example, seed: int) -> None:
    assert example.result.plan is not None
    heights: list[float] = []

    def record(frame: Frame) -> None:
        heights.append(float(example.env.data.body(example.picked).xpos[2]))

    rollout = run_plan(example.result.plan, example.env, seed, on_frame=record)

    assert rollout.failures == [] and rollout.valid
    assert rollout.randomization  # the cubes were placed by the reset events
    assert max(heights) - example.env.start_positions[example.picked][2] > MIN_LIFT
    assert mujoco_warnings(example.env.data) == {}


def test_the_compilers_environment_keys_are_all_registered_by_the_environment(example: Example) -> None:
    _, info = example.env.reset(seed=0)
    assert set(example.result.environment.keys) <= set(info["affordances"])
    if example.name == "panda_pick_place":
        assert "bin_floor_pose" in example.result.environment.keys  # a background object's pose


def _yaw(env: ActionbankEnv, uid: str) -> float:
    matrix = env.data.body(uid).xmat
    return math.degrees(math.atan2(matrix[3], matrix[0]))


def test_the_stacked_cube_lands_square_on_the_one_below(examples: dict[str, Example]) -> None:
    example = _load(examples, "panda_stack")
    assert example.result.plan is not None
    rollout = run_plan(example.result.plan, example.env, 4)  # seed 4: the cubes start 13.6° off square
    assert rollout.valid
    start_difference = (
        rollout.randomization["init_red_cube_pose"]["rotation_deg"][2]
        - rollout.randomization["init_green_cube_pose"]["rotation_deg"][2]
    )
    difference = (_yaw(example.env, "red_cube") - _yaw(example.env, "green_cube")) % 90.0
    assert min(difference, 90.0 - difference) < MAX_YAW_MISMATCH
    assert abs(math.remainder(start_difference, 90.0)) > 10.0  # they did not start square
    np.testing.assert_allclose(
        example.env.data.body("red_cube").xpos[:2], example.env.data.body("green_cube").xpos[:2], atol=0.005
    )
