"""Validators: checks on the current affordance value inside ``generate_affordances_from_src``.

Each returns whether the value passes; ``return_inverse`` flips the answer where the
reference offers it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.functions.context import NodeContext
from sim.functions.poses import AXES, as_pose, rotation_angle

__all__ = ["get_ik_ret", "is_pose_axis_align", "is_qpos_exceed", "is_qpos_flip", "no_validation"]


def no_validation(ctx: NodeContext, value: Any, **_: Any) -> bool:
    """Always passes."""
    return True


def get_ik_ret(ctx: NodeContext, value: Any, control_part: str, qpos_seed: Any = None, **_: Any) -> bool:
    """Passes when IK for the pose converges (the solve is shared with a later ``get_ik_qpos``)."""
    return bool(ctx.ik(control_part, as_pose(value), qpos_seed).success)


def is_qpos_exceed(ctx: NodeContext, value: Any, control_part: str, **_: Any) -> bool:
    """Passes when the joint positions are within ``control_part``'s limits (the reference's name)."""
    lower, upper = ctx.robot.limits(control_part)
    qpos = np.asarray(value, dtype=np.float64).reshape(-1)
    return bool(np.all(qpos >= lower - 1e-9) and np.all(qpos <= upper + 1e-9))


def is_qpos_flip(
    ctx: NodeContext,
    value: Any,
    qpos_ref: Any,
    qpos_ids: list[int],
    threshold: float,
    mode: str = "delta",
    return_inverse: bool = False,
    **_: Any,
) -> bool:
    """True when joints ``qpos_ids`` flipped against ``qpos_ref``: some |Δq| > threshold (``delta``)
    or Σ|Δq| > threshold (``sum``) [rad]. With ``return_inverse`` it passes when they did not."""
    qpos = np.asarray(value, dtype=np.float64).reshape(-1)
    reference = np.asarray(qpos_ref, dtype=np.float64).reshape(-1)
    delta = np.abs(qpos[qpos_ids] - reference[qpos_ids])
    flipped = bool(delta.sum() > threshold) if mode == "sum" else bool(np.any(delta > threshold))
    return not flipped if return_inverse else flipped


def is_pose_axis_align(
    ctx: NodeContext,
    value: Any,
    axis: str,
    direction: Any,
    threshold: float = 0.1,
    return_inverse: bool = False,
    **_: Any,
) -> bool:
    """True when the pose's ``axis`` is within ``threshold`` [rad] of ``direction`` (world frame)."""
    pose = as_pose(value)
    aligned = rotation_angle(pose[:3, AXES[axis]], np.asarray(direction, dtype=np.float64).reshape(3)) <= threshold
    return not aligned if return_inverse else aligned
