"""The function library without a simulator: pose and joint processes, validators, edge
motions and ``generate_affordances_from_src``'s pass / reject semantics."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pytest
from numpy.typing import NDArray

from actionbank.functions import FunctionRegistry, FunctionSpec
from sim.functions import EdgeContext, NodeContext, NodeFailure, edges, processes, validators
from sim.functions.nodes import generate_affordances_from_src
from sim.functions.poses import axis_rotation, invert, translation

Array = NDArray[np.float64]


class _Solution(NamedTuple):
    success: bool
    qpos: Array
    position_error: float = 0.0
    rotation_error: float = 0.0


class _TwoJointArm:
    """A stand-in robot: limits ±1 rad; IK succeeds within 1 m of the origin."""

    def fk(self, part: str, qpos: Array) -> Array:
        return translation("x", float(np.sum(qpos)))

    def ik(self, part: str, target: Array, seed: Array | None) -> _Solution:
        distance = float(np.linalg.norm(target[:3, 3]))
        return _Solution(distance <= 1.0, np.array([distance, 0.0]), position_error=max(0.0, distance - 1.0))

    def limits(self, part: str) -> tuple[Array, Array]:
        return np.array([-1.0, -1.0]), np.array([1.0, 1.0])


def _ctx(**store: Any) -> NodeContext:
    return NodeContext(store=dict(store), robot=_TwoJointArm(), label="node", scope="arm")


def _pose(yaw: float = 0.0, position: tuple[float, float, float] = (0.3, -0.2, 0.5)) -> Array:
    pose = axis_rotation("z", yaw) @ axis_rotation("y", 0.4)
    pose[:3, 3] = position
    return pose


# -- processes ---------------------------------------------------------------------------
def test_an_intrinsic_offset_moves_along_the_poses_own_axis_and_an_extrinsic_one_along_the_worlds() -> None:
    pose = _pose(yaw=math.pi / 2)  # the pose's x axis points along the world's y (tilted by the pitch)
    intrinsic = processes.get_offset_pose(_ctx(), pose, 0.1, "x", mode="intrinsic")
    extrinsic = processes.get_offset_pose(_ctx(), pose, 0.1, "x", mode="extrinsic")
    np.testing.assert_allclose(intrinsic[:3, 3] - pose[:3, 3], 0.1 * pose[:3, 0], atol=1e-12)
    np.testing.assert_allclose(extrinsic[:3, 3] - pose[:3, 3], [0.1, 0.0, 0.0], atol=1e-12)
    np.testing.assert_array_equal(intrinsic[:3, :3], pose[:3, :3])
    np.testing.assert_array_equal(extrinsic[:3, :3], pose[:3, :3])


def test_replacing_a_rotation_keeps_the_position() -> None:
    pose = _pose(yaw=0.3)
    for mode in ("intrinsic", "extrinsic"):
        replaced = processes.get_rotation_replaced_pose(_ctx(), pose, 1.2, "z", mode=mode)
        np.testing.assert_array_equal(replaced[:3, 3], pose[:3, 3])
        np.testing.assert_allclose(replaced[:3, :3] @ replaced[:3, :3].T, np.eye(3), atol=1e-12)


def test_an_intrinsic_rotation_replacement_sets_the_yaw_and_keeps_the_tilt() -> None:
    replaced = processes.get_rotation_replaced_pose(_ctx(), _pose(yaw=0.3), 90, "z", mode="intrinsic", degrees=True)
    np.testing.assert_allclose(replaced[:3, :3], _pose(yaw=math.pi / 2)[:3, :3], atol=1e-12)
    extrinsic = processes.get_rotation_replaced_pose(_ctx(), _pose(yaw=0.3), 1.2, "z", mode="extrinsic")
    np.testing.assert_allclose(extrinsic[:3, :3], axis_rotation("z", 1.2)[:3, :3], atol=1e-12)


def _yaw_of(pose: Array) -> float:
    return math.atan2(pose[1, 0], pose[0, 0])


def _turn(angle: float) -> float:
    """``angle`` [rad] wrapped into (-pi, pi]."""
    return math.atan2(math.sin(angle), math.cos(angle))


@pytest.mark.parametrize("yaw_deg", [-170.0, -100.0, -44.0, 0.0, 30.0, 91.0, 135.0, 179.0])
def test_a_cube_is_turned_by_whole_quarter_turns_to_the_yaw_nearest_the_bearing_from_a_point(yaw_deg: float) -> None:
    cube = _pose(yaw=math.radians(yaw_deg), position=(0.2, 0.1, 0.0125))  # tilted: _pose pitches by 0.4 rad
    point = (0.04, 0.0)
    bearing = math.atan2(0.1, 0.2 - 0.04)
    snapped = processes.get_nearest_symmetric_pose(_ctx(), cube, 4, reference_point=point, level=True)
    yaw = _yaw_of(snapped)
    assert abs(_turn(yaw - bearing)) <= math.pi / 4 + 1e-9
    quarter_turns = _turn(yaw - _yaw_of(cube)) / (math.pi / 2)
    assert quarter_turns == pytest.approx(round(quarter_turns), abs=1e-9)
    np.testing.assert_array_equal(snapped[:3, 3], cube[:3, 3])
    np.testing.assert_allclose(snapped[:3, :3], axis_rotation("z", yaw)[:3, :3], atol=1e-12)  # levelled


def test_without_a_point_the_reference_is_the_yaw_given_in_radians_or_degrees() -> None:
    bar = _pose(yaw=math.radians(100.0))
    near_zero = processes.get_nearest_symmetric_pose(_ctx(), bar, 2, level=True)
    assert math.degrees(_yaw_of(near_zero)) == pytest.approx(-80.0)
    near_90 = processes.get_nearest_symmetric_pose(_ctx(), bar, 2, reference_value=90, degrees=True, level=True)
    assert math.degrees(_yaw_of(near_90)) == pytest.approx(100.0)
    offset = processes.get_nearest_symmetric_pose(
        _ctx(), bar, 4, reference_value=math.pi / 2, reference_point=[0.3, -0.5, 0.0], level=True
    )
    assert math.degrees(_yaw_of(offset)) == pytest.approx(190.0 - 360.0)  # bearing 90° + 90° = 180°, nearest: 190°


@pytest.mark.parametrize("symmetry", [0, 2.5, True])
def test_a_symmetry_that_is_not_a_whole_number_of_at_least_one_is_a_node_failure(symmetry: Any) -> None:
    with pytest.raises(NodeFailure, match="symmetry"):
        processes.get_nearest_symmetric_pose(_ctx(), _pose(), symmetry, 0.0)


@pytest.mark.parametrize("mode", ["intrinsic", "extrinsic"])
def test_a_frame_change_and_its_inverse_round_trip(mode: str) -> None:
    change = _pose(yaw=-0.7, position=(0.05, 0.02, -0.1))
    pose = _pose(yaw=0.3)
    changed = processes.get_frame_changed_pose(_ctx(), pose, change, mode=mode)
    assert not np.allclose(changed, pose)
    expected = pose @ change if mode == "intrinsic" else change @ pose
    np.testing.assert_allclose(changed, expected, atol=1e-12)
    back = processes.get_frame_changed_pose(_ctx(), changed, change, mode=mode, inverse=True)
    np.testing.assert_allclose(back, pose, atol=1e-12)


def _yaw(pose: Array) -> float:
    return math.degrees(math.atan2(pose[1, 0], pose[0, 0]))


@pytest.mark.parametrize(
    ("yaw", "reference", "expected"),
    [(100.0, 0.0, 10.0), (100.0, 90.0, 100.0), (-170.0, 90.0, 100.0), (44.0, 0.0, 44.0), (46.0, 0.0, -44.0)],
)
def test_a_cubes_yaw_is_reduced_to_the_equivalent_one_nearest_the_reference(
    yaw: float, reference: float, expected: float
) -> None:
    cube = axis_rotation("z", math.radians(yaw))
    cube[:3, 3] = (0.5, -0.1, 0.02)
    reduced = processes.get_nearest_symmetric_pose(_ctx(), cube, 4, reference, "z", degrees=True)
    assert _yaw(reduced) == pytest.approx(expected)
    np.testing.assert_array_equal(reduced[:3, 3], cube[:3, 3])
    # A turn about the cube's own z: its z axis is kept.
    np.testing.assert_allclose(reduced[:3, 2], cube[:3, 2], atol=1e-12)


def test_a_reference_pose_counts_as_its_heading_even_when_it_points_down() -> None:
    # A tool pointing down (180° about x) with its x axis along the world's y: heading 90°.
    tool = axis_rotation("z", math.pi / 2) @ axis_rotation("x", math.pi)
    cube = axis_rotation("z", math.radians(-170.0))
    by_pose = processes.get_nearest_symmetric_pose(_ctx(), cube, 4, tool.tolist())
    by_angle = processes.get_nearest_symmetric_pose(_ctx(), cube, 4, math.pi / 2)
    np.testing.assert_allclose(by_pose, by_angle, atol=1e-12)
    assert _yaw(by_pose) == pytest.approx(100.0)
    # A pose that itself points down is turned about its own (downward) z, read by its heading.
    down = processes.get_nearest_symmetric_pose(_ctx(), cube @ axis_rotation("x", math.pi), 2, 0.0)
    assert _yaw(down) == pytest.approx(10.0)


def test_a_symmetry_below_one_is_a_node_failure() -> None:
    with pytest.raises(NodeFailure, match="symmetry"):
        processes.get_nearest_symmetric_pose(_ctx(), np.eye(4), 0, 0.0)


def test_invert_gives_the_float64_pose_that_undoes_a_pose() -> None:
    pose = _pose(yaw=0.4, position=(0.1, -0.2, 0.3))
    inverse = invert(pose)
    assert inverse.dtype == np.float64
    np.testing.assert_allclose(inverse @ pose, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(inverse[:3, 3], -pose[:3, :3].T @ pose[:3, 3], atol=1e-12)


def test_a_leading_batch_of_one_pose_is_accepted() -> None:
    pose = _pose()
    shifted = processes.get_offset_pose(_ctx(), pose[None].tolist(), 0.2, "z", mode="extrinsic")
    np.testing.assert_allclose(shifted[:3, 3], pose[:3, 3] + [0.0, 0.0, 0.2])


def test_a_qpos_offset_in_degrees_adds_radians_to_the_listed_joints_only() -> None:
    qpos = np.array([0.1, 0.2, 0.3])
    result = processes.get_offset_qpos(_ctx(), qpos, 90, [1], degrees=True)
    np.testing.assert_allclose(result, [0.1, 0.2 + math.pi / 2, 0.3])
    np.testing.assert_array_equal(qpos, [0.1, 0.2, 0.3])  # the input is not changed
    np.testing.assert_allclose(processes.get_offset_qpos(_ctx(), qpos, [0.5, -0.5], [0, 2]), [0.6, 0.2, -0.2])


def test_a_joint_index_outside_the_qpos_is_a_node_failure() -> None:
    with pytest.raises(NodeFailure, match=r"\[7\]"):
        processes.get_replaced_qpos(_ctx(), np.zeros(3), 1.0, [7])


def test_ik_qpos_fails_at_the_ik_stage_when_the_target_is_out_of_reach() -> None:
    np.testing.assert_allclose(processes.get_ik_qpos(_ctx(), translation("x", 0.5), "arm"), [0.5, 0.0])
    with pytest.raises(NodeFailure) as failure:
        processes.get_ik_qpos(_ctx(), translation("x", 5.0), "arm")
    assert failure.value.stage == "ik"
    assert "4000.0 mm" in failure.value.reason


# -- validators --------------------------------------------------------------------------
def test_is_qpos_flip_compares_the_largest_change_or_the_sum_and_can_be_inverted() -> None:
    reference = np.zeros(4)
    qpos = np.array([0.3, 0.3, 0.3, 9.0])
    ctx = _ctx()
    assert not validators.is_qpos_flip(ctx, qpos, reference, [0, 1, 2], threshold=0.5, mode="delta")
    assert validators.is_qpos_flip(ctx, qpos, reference, [0, 1, 2], threshold=0.5, mode="sum")
    assert validators.is_qpos_flip(ctx, qpos, reference, [0, 3], threshold=0.5, mode="delta")
    assert validators.is_qpos_flip(ctx, qpos, reference, [0, 1, 2], threshold=0.5, return_inverse=True)
    assert not validators.is_qpos_flip(ctx, qpos, reference, [0, 1, 2], threshold=0.5, mode="sum", return_inverse=True)


def test_is_pose_axis_align_measures_the_angle_to_a_world_direction() -> None:
    pose = axis_rotation("y", 0.05)  # the z axis leans 0.05 rad away from the world's z
    ctx = _ctx()
    assert validators.is_pose_axis_align(ctx, pose, "z", [0, 0, 1], threshold=0.1)
    assert not validators.is_pose_axis_align(ctx, pose, "z", [0, 0, 1], threshold=0.01)
    assert not validators.is_pose_axis_align(ctx, pose, "z", [0, 0, -1])
    assert validators.is_pose_axis_align(ctx, pose, "z", [0, 0, -1], return_inverse=True)
    assert validators.is_pose_axis_align(ctx, pose, "y", [0, 2, 0])  # the direction need not be unit length


def test_is_qpos_exceed_passes_within_the_limits() -> None:
    assert validators.is_qpos_exceed(_ctx(), np.array([1.0, -1.0]), "arm")
    assert not validators.is_qpos_exceed(_ctx(), np.array([1.01, 0.0]), "arm")


# -- edges ---------------------------------------------------------------------------------
def _edge(duration: int, start: Array, **store: Array) -> EdgeContext:
    return EdgeContext(store, "arm", "move", "a", "b", duration, np.asarray(start, dtype=np.float64), len(start))


def test_plan_trajectory_returns_duration_rows_ending_exactly_on_the_last_keypose() -> None:
    start, end = np.array([0.0, 0.0, 0.0]), np.array([1.0, -0.5, 0.25])
    motion = edges.plan_trajectory(_edge(37, start, a=start, b=end), ["a", "b"])
    assert motion.shape == (37, 3)
    np.testing.assert_array_equal(motion[-1], end)


def test_plan_trajectory_starts_and_stops_at_rest() -> None:
    start, end = np.zeros(2), np.array([1.0, 2.0])
    motion = edges.plan_trajectory(_edge(60, start, a=start, b=end), ["a", "b"])
    steps = np.linalg.norm(np.diff(np.vstack([start, motion]), axis=0), axis=1)
    peak = steps.max()
    assert steps[0] < 0.01 * peak
    assert steps[-1] < 0.01 * peak
    assert steps[len(steps) // 2] > 0.9 * peak


def test_plan_trajectory_passes_through_a_middle_keypose() -> None:
    start, middle, end = np.zeros(2), np.array([1.0, 0.0]), np.array([1.0, 1.0])
    motion = edges.plan_trajectory(_edge(50, start, a=start, m=middle, b=end), ["a", "m", "b"])
    steps = np.linalg.norm(np.diff(motion, axis=0), axis=1)
    nearest = np.linalg.norm(motion - middle, axis=1).min()
    assert nearest <= steps.max() / 2 + 1e-12
    assert np.all(motion[:, 0] <= 1.0 + 1e-12)  # no corner cutting: along the two legs


def test_plan_trajectory_starts_from_the_scope_when_it_is_not_at_the_first_keypose() -> None:
    start, first, end = np.array([-1.0, 0.0]), np.zeros(2), np.array([1.0, 0.0])
    motion = edges.plan_trajectory(_edge(40, start, a=first, b=end), ["a", "b"])
    assert np.linalg.norm(motion[0] - start) < 0.01
    np.testing.assert_array_equal(motion[-1], end)


def test_plan_trajectory_without_keyposes_or_with_a_wrong_dimension_is_an_edge_failure() -> None:
    with pytest.raises(NodeFailure) as empty:
        edges.plan_trajectory(_edge(10, np.zeros(2)), [])
    assert empty.value.stage == "edge"
    with pytest.raises(NodeFailure, match="needs 2"):
        edges.plan_trajectory(_edge(10, np.zeros(2), a=np.zeros(3)), ["a"])


@pytest.mark.parametrize(("function", "goal"), [(edges.execute_open, 1.0), (edges.execute_close, 0.0)])
def test_gripper_edges_ramp_monotonically_to_open_or_closed(function: Any, goal: float) -> None:
    start = np.array([0.4])
    motion = function(_edge(15, start))
    assert motion.shape == (15, 1)
    assert motion[-1, 0] == goal
    differences = np.diff(np.concatenate([start, motion[:, 0]]))
    assert np.all(differences * np.sign(goal - start[0]) >= 0.0)


def test_stand_still_holds_the_start_value() -> None:
    start = np.array([0.1, -0.2, 0.3])
    np.testing.assert_array_equal(edges.stand_still(_edge(7, start)), np.tile(start, (7, 1)))


def test_min_jerk_rises_from_rest_to_exactly_one() -> None:
    s = edges.min_jerk(50)
    assert s[-1] == 1.0
    steps = np.diff(np.concatenate([[0.0], s]))
    assert np.all(steps > 0)
    assert steps[0] < 0.01 * steps.max()
    assert steps[-1] < 0.01 * steps.max()


# -- generate_affordances_from_src -------------------------------------------------------------
def _info(src: str, dst: str, *checks: dict[str, Any]) -> Mapping[str, Any]:
    return {"src_key": src, "dst_key": dst, "valid_funcs_name_kwargs_proc": list(checks)}


_CLAMP = {"name": "get_replaced_qpos", "kwargs": {"replace_value": 1.0, "joint_list_replace": [0]}}
_NUDGE = {"name": "get_offset_qpos", "kwargs": {"offset_value": 0.1, "joint_list_offset": [1]}}


def test_a_rejected_value_without_rejected_processes_is_a_node_failure() -> None:
    check = {"name": "is_qpos_exceed", "kwargs": {"control_part": "arm"}, "pass_processes": [_NUDGE]}
    ctx = _ctx(q=np.array([2.0, 0.0]))
    with pytest.raises(NodeFailure, match="is_qpos_exceed rejected"):
        generate_affordances_from_src(ctx, [_info("q", "out", check)])
    assert "out" not in ctx.store


def test_a_rejected_value_runs_the_rejected_processes_instead_of_the_pass_processes() -> None:
    check = {
        "name": "is_qpos_exceed",
        "kwargs": {"control_part": "arm"},
        "pass_processes": [_NUDGE],
        "rejected_processes": [_CLAMP],
    }
    rejected = generate_affordances_from_src(_ctx(q=np.array([2.0, 0.0])), [_info("q", "out", check)])
    np.testing.assert_allclose(rejected["out"], [1.0, 0.0])
    passed = generate_affordances_from_src(_ctx(q=np.array([0.5, 0.0])), [_info("q", "out", check)])
    np.testing.assert_allclose(passed["out"], [0.5, 0.1])


def test_later_infos_read_what_earlier_ones_wrote_and_kwargs_resolve_references() -> None:
    nudge_by_reference = {
        "name": "get_offset_qpos",
        "kwargs": {"offset_value": "env.affordance_datas['step'][0]", "joint_list_offset": [0]},
    }
    infos = [
        _info("q", "first", {"name": "no_validation", "pass_processes": [_NUDGE]}),
        _info("first", "second", {"name": "no_validation", "pass_processes": [nudge_by_reference]}),
    ]
    ctx = _ctx(q=np.zeros(2), step=np.array([0.25]))
    written = generate_affordances_from_src(ctx, infos)
    assert list(written) == ["first", "second"]
    np.testing.assert_allclose(written["second"], [0.25, 0.1])
    assert ctx.store["second"] is written["second"]


def test_a_missing_source_is_a_node_failure_naming_it() -> None:
    with pytest.raises(NodeFailure, match="'nowhere'"):
        generate_affordances_from_src(_ctx(), [_info("nowhere", "out", {"name": "no_validation"})])


def test_the_ik_validator_and_process_share_one_solve() -> None:
    calls: list[float] = []

    class Counting(_TwoJointArm):
        def ik(self, part: str, target: Array, seed: Array | None) -> _Solution:
            calls.append(float(target[0, 3]))
            return super().ik(part, target, seed)

    ctx = NodeContext(store={"pose": translation("x", 0.5)}, robot=Counting())
    check = {
        "name": "get_ik_ret",
        "kwargs": {"control_part": "arm"},
        "pass_processes": [{"name": "get_ik_qpos", "kwargs": {"control_part": "arm"}}],
    }
    written = generate_affordances_from_src(ctx, [_info("pose", "qpos", check)])
    np.testing.assert_allclose(written["qpos"], [0.5, 0.0])
    assert calls == [0.5]


def test_a_rejection_is_an_ik_failure_exactly_when_the_validator_is_declared_validates_ik() -> None:
    def never(ctx: NodeContext, value: Any, **_: Any) -> bool:
        return False

    check = {"name": "unreachable", "kwargs": {}}
    for validates_ik, stage in ((True, "ik"), (False, "node")):
        spec = FunctionSpec("unreachable", ("validator",), validates_ik=validates_ik)
        ctx = NodeContext(
            store={"pose": translation("x", 0.5)}, robot=_TwoJointArm(), functions=FunctionRegistry([spec])
        )
        with pytest.raises(NodeFailure) as failure:
            generate_affordances_from_src(ctx, [_info("pose", "out", check)], extra_validators={"unreachable": never})
        assert failure.value.stage == stage


def test_the_builtin_ik_validators_rejection_is_an_ik_failure() -> None:
    ctx = _ctx(pose=translation("x", 5.0))
    check = {"name": "get_ik_ret", "kwargs": {"control_part": "arm"}}
    with pytest.raises(NodeFailure) as failure:
        generate_affordances_from_src(ctx, [_info("pose", "out", check)])
    assert failure.value.stage == "ik"
