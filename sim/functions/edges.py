"""Edge functions: each returns exactly ``duration`` steps of its scope's values.

Gripper polarity (LeRobot's ALOHA layout): 1 = open, 0 = closed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.functions.context import Array, EdgeContext, NodeFailure

__all__ = ["execute_close", "execute_open", "min_jerk", "plan_trajectory", "stand_still"]


def min_jerk(count: int) -> Array:
    """Path parameter s ∈ (0, 1] at steps 1..count of a quintic time scaling: zero velocity
    and acceleration at both ends, s = 1 at the last step."""
    t = np.arange(1, count + 1, dtype=np.float64) / count
    return t**3 * (10.0 - 15.0 * t + 6.0 * t**2)


def _through(waypoints: Array, s: Array) -> Array:
    """Points at path parameters ``s`` along the polyline ``waypoints`` (by joint-space length)."""
    lengths = np.linalg.norm(np.diff(waypoints, axis=0), axis=1)
    total = float(lengths.sum())
    if total <= 1e-12:
        return np.repeat(waypoints[-1:], s.size, axis=0)
    knots = np.concatenate([[0.0], np.cumsum(lengths)]) / total
    return np.stack([np.interp(s, knots, waypoints[:, j]) for j in range(waypoints.shape[1])], axis=1)


def plan_trajectory(ctx: EdgeContext, keypose_names: list[str], agent_uid: str | None = None, **_: Any) -> Array:
    """Joint-space motion from the scope's current value through ``keypose_names``, smooth in time
    (zero velocity at both ends), exactly ``duration`` steps, ending on the last keypose."""
    if not keypose_names:
        raise NodeFailure("plan_trajectory needs at least one keypose name", stage="edge")
    points = [ctx.value(name) for name in keypose_names]
    # The motion starts where the scope is; the first keypose is normally that same value.
    if np.linalg.norm(points[0] - ctx.start_value) > 1e-9:
        points.insert(0, ctx.start_value)
    return _through(np.stack(points), min_jerk(ctx.duration))


def _ramp(ctx: EdgeContext, target: float) -> Array:
    start = ctx.start_value.reshape(-1)
    end = np.full_like(start, target)
    return start + (end - start) * min_jerk(ctx.duration)[:, None]


def execute_open(ctx: EdgeContext, **_: Any) -> Array:
    """Open the gripper: a smooth ramp from its current value to 1 over ``duration`` steps."""
    return _ramp(ctx, 1.0)


def execute_close(ctx: EdgeContext, **_: Any) -> Array:
    """Close the gripper: a smooth ramp from its current value to 0 over ``duration`` steps."""
    return _ramp(ctx, 0.0)


def stand_still(ctx: EdgeContext, **_: Any) -> Array:
    """Hold the scope's current value for ``duration`` steps."""
    return np.repeat(ctx.start_value.reshape(1, -1), ctx.duration, axis=0)
