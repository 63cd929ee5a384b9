"""Processes: turn one affordance value into the next (pose → pose, pose → qpos, qpos → qpos).

Each takes the node context and the current value and returns the new one. Poses are 4×4
in the world frame [m]; ``intrinsic`` applies a change in the pose's own frame, ``extrinsic``
in the world frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.functions.context import Array, NodeContext, NodeFailure
from sim.functions.poses import AXES, as_pose, axis_rotation, compose, invert, translation

__all__ = [
    "get_fk_xpos",
    "get_frame_changed_pose",
    "get_ik_qpos",
    "get_nearest_symmetric_pose",
    "get_offset_pose",
    "get_offset_qpos",
    "get_replaced_pose",
    "get_replaced_qpos",
    "get_rotated_pose",
    "get_rotation_replaced_pose",
]


def _angle(value: Any, degrees: bool) -> float:
    angle = float(np.asarray(value, dtype=np.float64).reshape(-1)[0])
    return float(np.deg2rad(angle)) if degrees else angle


def _qpos(value: Any) -> Array:
    return np.asarray(value, dtype=np.float64).reshape(-1).copy()


def get_ik_qpos(ctx: NodeContext, value: Any, control_part: str, qpos_seed: Any = None, **_: Any) -> Array:
    """Pose → joint positions [rad] of ``control_part``; fails when IK does not converge."""
    solution = ctx.ik(control_part, as_pose(value), qpos_seed)
    if not solution.success:
        raise NodeFailure(
            f"IK for {control_part} did not converge (position error {solution.position_error * 1000:.1f} mm, "
            f"rotation error {np.rad2deg(solution.rotation_error):.1f} deg)",
            stage="ik",
        )
    return np.array(solution.qpos, dtype=np.float64)


def get_fk_xpos(ctx: NodeContext, value: Any, control_part: str, **_: Any) -> Array:
    """Joint positions → world pose of ``control_part``'s tool frame."""
    return ctx.robot.fk(control_part, _qpos(value))


def get_offset_pose(
    ctx: NodeContext, value: Any, offset_value: Any, direction: str, mode: str = "intrinsic", **_: Any
) -> Array:
    """Translate by ``offset_value`` [m] along ``direction``."""
    return compose(
        as_pose(value), translation(direction, float(offset_value)), "extrinsic" if mode == "extrinsic" else "intrinsic"
    )


def get_replaced_pose(ctx: NodeContext, value: Any, pose_replace_value: Any, axis_str_replace: str, **_: Any) -> Array:
    """Replace the position components named in ``axis_str_replace`` (e.g. ``"xy"``) [m]."""
    pose = as_pose(value).copy()
    values = np.asarray(pose_replace_value, dtype=np.float64).reshape(-1)
    if values.size != len(axis_str_replace):
        raise NodeFailure(
            f"axis_str_replace {axis_str_replace!r} needs {len(axis_str_replace)} values, got {values.size}"
        )
    for axis, component in zip(axis_str_replace, values, strict=True):
        pose[AXES[axis], 3] = component
    return pose


def get_rotated_pose(
    ctx: NodeContext,
    value: Any,
    rotation_value: Any,
    rot_axis: str,
    mode: str = "intrinsic",
    degrees: bool = False,
    **_: Any,
) -> Array:
    """Rotate by ``rotation_value`` about ``rot_axis``: in the pose's frame, or about the world axis
    through the pose's position (extrinsic keeps the position)."""
    pose = as_pose(value)
    rotation = axis_rotation(rot_axis, _angle(rotation_value, degrees))
    if mode == "extrinsic":
        result = pose.copy()
        result[:3, :3] = rotation[:3, :3] @ pose[:3, :3]
        return result
    return pose @ rotation


def get_rotation_replaced_pose(
    ctx: NodeContext,
    value: Any,
    rotation_value: Any,
    rot_axis: str,
    mode: str = "intrinsic",
    degrees: bool = False,
    **_: Any,
) -> Array:
    """Replace the orientation by a rotation of ``rotation_value`` about ``rot_axis`` (position kept).

    ``intrinsic`` replaces only the rotation about that axis, keeping the others; ``extrinsic``
    replaces the whole orientation.
    """
    pose = as_pose(value).copy()
    rotation = axis_rotation(rot_axis, _angle(rotation_value, degrees))[:3, :3]
    if mode == "extrinsic":
        pose[:3, :3] = rotation
        return pose
    i = AXES[rot_axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    current = np.arctan2(pose[k, j], pose[j, j])  # the angle about the axis (yaw for z)
    pose[:3, :3] = rotation @ axis_rotation(rot_axis, -current)[:3, :3] @ pose[:3, :3]
    return pose


def _axis_angle(pose: Array, axis: str) -> float:
    """The angle [rad] of ``pose`` about ``axis`` as :func:`get_rotation_replaced_pose` reads it
    (for z: the heading of the pose's x axis in the world's x-y plane)."""
    i = AXES[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    return float(np.arctan2(pose[k, j], pose[j, j]))


def get_nearest_symmetric_pose(
    ctx: NodeContext,
    value: Any,
    symmetry: Any,
    reference_value: Any = 0.0,
    rot_axis: str = "z",
    degrees: bool = False,
    reference_point: Any = None,
    level: bool = False,
    **_: Any,
) -> Array:
    """Turn the pose about its own ``rot_axis`` by the multiple of 360°/``symmetry`` that brings
    its angle about that axis nearest a reference (position kept).

    For an object that looks the same after such a turn (a cube about z: ``symmetry: 4``, a
    bar: 2), this picks, among its equivalent poses, the one a gripper reaches with the least
    wrist turn. The reference is ``reference_value``: an angle (radians, or degrees with
    ``degrees``) or a 4×4 pose whose angle is read the same way (the angle of the pose's next
    axis, x for z, about ``rot_axis``: a gripper's home heading). With ``reference_point``
    ([x, y] or [x, y, z], world frame [m]; ``rot_axis`` z only) the bearing from that point to
    the pose's position is added: for an arm that aims by turning about a vertical axis there
    (a 5-joint arm's pan), the yaw its wrist reaches with the least roll. With ``level``
    (``rot_axis`` z) the result is that yaw alone, any tilt of the object dropped, so that a
    grasp defined in it points exactly down when the grasp frame does. Ties go to the smallest
    turn.
    """
    if isinstance(symmetry, bool) or not isinstance(symmetry, int | np.integer) or symmetry < 1:
        raise NodeFailure(f"symmetry must be a whole number of at least 1, got {symmetry!r}")
    pose = as_pose(value)
    reference_array = np.asarray(reference_value, dtype=np.float64)
    if reference_array.shape in ((4, 4), (1, 4, 4)):
        reference = _axis_angle(as_pose(reference_array), rot_axis)
    else:
        reference = _angle(reference_array, degrees)
    if reference_point is not None:
        if rot_axis != "z":
            raise NodeFailure(f"reference_point needs rot_axis 'z' (a bearing in the x-y plane), got {rot_axis!r}")
        point = np.asarray(reference_point, dtype=np.float64).reshape(-1)
        if point.size not in (2, 3):
            raise NodeFailure(f"reference_point needs 2 or 3 values [m], got {point.size}")
        reference += float(np.arctan2(pose[1, 3] - point[1], pose[0, 3] - point[0]))
    if level:
        if rot_axis != "z":
            raise NodeFailure(f"level needs rot_axis 'z', got {rot_axis!r}")
        levelled = axis_rotation("z", _axis_angle(pose, "z"))
        levelled[:3, 3] = pose[:3, 3]
        pose = levelled
    step = 2.0 * np.pi / int(symmetry)
    candidates = [pose @ axis_rotation(rot_axis, turn * step) for turn in range(int(symmetry))]

    def distance(candidate: Array) -> float:
        return abs(float(np.angle(np.exp(1j * (_axis_angle(candidate, rot_axis) - reference)))))

    # Ties: the turn listed first (0, then +step, ...) wins, as min keeps the first minimum.
    return min(candidates, key=distance)


def get_frame_changed_pose(
    ctx: NodeContext, value: Any, frame_change_matrix: Any, mode: str = "intrinsic", inverse: bool = False, **_: Any
) -> Array:
    """Compose with ``frame_change_matrix`` (inverted when ``inverse``): ``pose · F`` or ``F · pose``."""
    change = as_pose(frame_change_matrix)
    if inverse:
        change = invert(change)
    return compose(as_pose(value), change, "extrinsic" if mode == "extrinsic" else "intrinsic")


def get_offset_qpos(
    ctx: NodeContext, value: Any, offset_value: Any, joint_list_offset: list[int], degrees: bool = False, **_: Any
) -> Array:
    """Add ``offset_value`` (one value, or one per joint) to the joints in ``joint_list_offset``."""
    qpos = _qpos(value)
    offsets = np.broadcast_to(np.asarray(offset_value, dtype=np.float64).reshape(-1), (len(joint_list_offset),))
    if degrees:
        offsets = np.deg2rad(offsets)
    _check_indices(qpos, joint_list_offset)
    qpos[joint_list_offset] += offsets
    return qpos


def get_replaced_qpos(
    ctx: NodeContext, value: Any, replace_value: Any, joint_list_replace: list[int], **_: Any
) -> Array:
    """Set the joints in ``joint_list_replace`` to ``replace_value`` [rad]."""
    qpos = _qpos(value)
    values = np.broadcast_to(np.asarray(replace_value, dtype=np.float64).reshape(-1), (len(joint_list_replace),))
    _check_indices(qpos, joint_list_replace)
    qpos[joint_list_replace] = values
    return qpos


def _check_indices(qpos: Array, indices: list[int]) -> None:
    bad = [i for i in indices if not -qpos.size <= i < qpos.size]
    if bad:
        raise NodeFailure(f"joint indices {bad} are outside the {qpos.size} joints")
