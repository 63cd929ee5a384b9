"""The pour-water task's functions: the pose-change mini-language of
``compute_unoffset_for_exp``, aiming an arm's waist at a target, and the reference config
compiling with the task's functions known."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from actionbank.compiler import CompileOptions, compile_file
from actionbank.spec.gym_models import GymConfig
from sim.env import ActionbankEnv
from sim.functions import NodeContext, NodeFailure
from sim.functions.poses import axis_rotation, translation
from sim.tasks.aiming import bearing
from sim.tasks.pour_water import (
    apply_pose_change,
    compute_unoffset_for_exp,
    generate_left_arm_aim_qpos,
    generate_right_arm_aim_qpos,
)

Array = NDArray[np.float64]


@pytest.fixture(scope="module")
def env(pour_water_config: GymConfig, pour_water_dir: Path) -> Iterator[ActionbankEnv]:
    environment = ActionbankEnv(pour_water_config, pour_water_dir, render_images=False)
    yield environment
    environment.close()


def _pose() -> Array:
    pose = axis_rotation("z", 0.6) @ axis_rotation("x", -0.3)
    pose[:3, 3] = [0.2, 0.5, 0.1]
    return pose


def _frame() -> Array:
    frame = axis_rotation("y", 0.8)
    frame[:3, 3] = [0.03, -0.01, 0.05]
    return frame


# -- compute_unoffset_for_exp ------------------------------------------------------------
@pytest.mark.parametrize(
    ("operation", "value", "expected"),
    [
        ("framechange_extrinsic_inverse", _frame(), np.linalg.inv(_frame()) @ _pose()),
        ("framechange_intrinsic", _frame(), _pose() @ _frame()),
        ("rotation_z_intrinsic_degrees", 90, _pose() @ axis_rotation("z", math.pi / 2)),
        ("rotation_x_extrinsic", 0.5, axis_rotation("x", 0.5) @ _pose()),
        ("offset_-z_intrinsic", 0.1, _pose() @ translation("z", -0.1)),
        ("offset_y_extrinsic", 0.1, translation("y", 0.1) @ _pose()),
    ],
)
def test_a_pose_change_composes_in_the_named_frame(operation: str, value: object, expected: Array) -> None:
    np.testing.assert_allclose(apply_pose_change(_pose(), operation, value), expected, atol=1e-12)


def test_an_intrinsic_negative_offset_moves_against_the_poses_own_axis() -> None:
    moved = apply_pose_change(_pose(), "offset_-z_intrinsic", 0.1)
    np.testing.assert_allclose(moved[:3, 3] - _pose()[:3, 3], -0.1 * _pose()[:3, 2], atol=1e-12)


@pytest.mark.parametrize("operation", ["offset_w_intrinsic", "rotation_z_sideways", "framechange", "scale_x_intrinsic"])
def test_an_unknown_pose_change_is_a_node_failure_listing_the_forms(operation: str) -> None:
    with pytest.raises(NodeFailure, match="unknown pose change") as failure:
        apply_pose_change(_pose(), operation, 0.1)
    assert "offset_[-]<x|y|z>" in failure.value.reason


def test_compute_unoffset_for_exp_applies_the_changes_in_order_and_writes_each_output() -> None:
    ctx = NodeContext(store={"grasp": _pose(), "place": np.eye(4)}, robot=None)  # type: ignore[arg-type]
    written = compute_unoffset_for_exp(
        ctx,
        {
            "grasp": {
                "output_pose_name": "grasp_unoffset",
                "pose_changes": [
                    ["framechange_extrinsic_inverse", _frame()],
                    ["rotation_z_intrinsic_degrees", 90],
                    ["offset_-z_intrinsic", 0.1],
                ],
            },
            "place": {"output_pose_name": "place_copy"},
        },
    )
    expected = np.linalg.inv(_frame()) @ _pose() @ axis_rotation("z", math.pi / 2) @ translation("z", -0.1)
    assert list(written) == ["grasp_unoffset", "place_copy"]
    np.testing.assert_allclose(written["grasp_unoffset"], expected, atol=1e-12)
    np.testing.assert_array_equal(written["place_copy"], np.eye(4))


def test_compute_unoffset_for_exp_fails_on_a_missing_input_or_a_bad_operation() -> None:
    ctx = NodeContext(store={"grasp": _pose()}, robot=None)  # type: ignore[arg-type]
    with pytest.raises(NodeFailure, match="'elsewhere' is not available"):
        compute_unoffset_for_exp(ctx, {"elsewhere": {"output_pose_name": "x"}})
    with pytest.raises(NodeFailure, match="unknown pose change 'twist'"):
        compute_unoffset_for_exp(ctx, {"grasp": {"output_pose_name": "x", "pose_changes": [["twist", 1.0]]}})


# -- aiming ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("function", "part", "target"),
    [
        (generate_right_arm_aim_qpos, "right_arm", "bottle_pose"),
        (generate_right_arm_aim_qpos, "right_arm", "cup_pose"),
        (generate_left_arm_aim_qpos, "left_arm", "cup_pose"),
    ],
)
def test_aiming_turns_the_waist_so_the_tool_bears_on_the_target(
    env: ActionbankEnv, function: object, part: str, target: str
) -> None:
    _, info = env.reset(seed=3)
    store = dict(info["affordances"])
    ctx = NodeContext(store=store, robot=env, label="aim", scope=part)
    qpos = function(ctx, control_part=part, target_key=target)["aim"]  # type: ignore[operator]
    init = store[f"{part}_init_qpos"]
    np.testing.assert_array_equal(qpos[1:], init[1:])  # only the waist turns
    base = store[f"{part}_base_pose"]
    tool = env.fk(part, qpos)[:3, 3]
    wanted = bearing(base, store[target][:3, 3])
    difference = math.remainder(bearing(base, tool) - wanted, 2 * math.pi)
    assert abs(difference) < 1e-6
    assert abs(math.remainder(bearing(base, env.fk(part, init)[:3, 3]) - wanted, 2 * math.pi)) > 1e-3


def test_aiming_without_the_target_in_the_store_is_a_node_failure(env: ActionbankEnv) -> None:
    _, info = env.reset(seed=0)
    ctx = NodeContext(store=dict(info["affordances"]), robot=env, label="aim")
    with pytest.raises(NodeFailure, match="'teapot_pose' is not available"):
        generate_right_arm_aim_qpos(ctx, target_key="teapot_pose")


# -- the reference ---------------------------------------------------------------------------
def test_the_reference_pour_water_config_compiles_with_every_function_known(reference: Path) -> None:
    result = compile_file(reference / "pour_water" / "action_config.json", CompileOptions())
    unknown = [str(d) for d in result.diagnostics if d.code.startswith("AB2")]
    assert unknown == []
    assert result.ok, [str(d) for d in result.diagnostics]
