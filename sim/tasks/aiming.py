"""Aiming an arm at an object: the waist angle that turns the arm's tool towards a point.

The zero direction of the waist is read from FK (the tool's bearing in the arm's base frame
at waist = 0), so the result does not depend on how a robot model orients its arms.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from sim.functions.context import NodeContext
from sim.functions.poses import as_pose

__all__ = ["aim_qpos", "bearing"]

Array = NDArray[np.float64]


def bearing(base_pose: Array, point: Array) -> float:
    """Angle [rad] of ``point`` about the base's z axis, in the base frame."""
    local = np.linalg.inv(as_pose(base_pose)) @ np.append(np.asarray(point, dtype=np.float64)[:3], 1.0)
    return math.atan2(local[1], local[0])


def aim_qpos(ctx: NodeContext, part: str, init_qpos: Array, base_pose: Array, target_pose: Array) -> Array:
    """``init_qpos`` with the waist (joint 0) turned so the tool points at ``target_pose``'s position."""
    qpos = np.asarray(init_qpos, dtype=np.float64).reshape(-1).copy()
    zero = qpos.copy()
    zero[0] = 0.0
    tool_zero = bearing(base_pose, ctx.robot.fk(part, zero)[:3, 3])
    angle = bearing(base_pose, as_pose(target_pose)[:3, 3]) - tool_zero
    qpos[0] = math.atan2(math.sin(angle), math.cos(angle))
    lower, upper = ctx.robot.limits(part)
    qpos[0] = float(np.clip(qpos[0], lower[0], upper[0]))
    return qpos
