"""The declarative success predicates (declared in :mod:`actionbank.runtime.predicates`).

Each takes the env and its validated params and returns ``(success, metrics, reason)``; the
reason names the failed condition (not the measured value, which is in the metrics), so that
``generate`` can count failed attempts by reason. Heights and positions are world-frame [m].
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from actionbank.runtime.names import part_geom
from actionbank.runtime.predicates import (
    DistanceBelowParams,
    ObjectGraspedByParams,
    ObjectInRegionParams,
    ObjectLiftedParams,
    ObjectOnObjectParams,
    ObjectTouchesParams,
    UprightParams,
)

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = [
    "distance_below",
    "object_grasped_by",
    "object_in_region",
    "object_lifted",
    "object_on_object",
    "object_touches",
    "upright",
]

Array = NDArray[np.float64]
Result = tuple[bool, dict[str, float], str]
_CORNERS = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=np.float64)


def _bounds(env: ActionbankEnv, uid: str) -> tuple[Array, Array]:
    """World-frame axis-aligned bounds (low, high) [m] of body ``uid``'s geoms."""
    corners = []
    for geom in env.geoms_of(uid):
        center, half = env.model.geom_aabb[geom, :3], env.model.geom_aabb[geom, 3:]
        rotation = env.data.geom_xmat[geom].reshape(3, 3)
        corners.append(env.data.geom_xpos[geom] + (center + _CORNERS * half) @ rotation.T)
    points = np.concatenate(corners) if corners else env.data.body(uid).xpos[None, :]
    return points.min(axis=0), points.max(axis=0)


def _touching(env: ActionbankEnv, first: set[int], second: set[int]) -> bool:
    for contact in env.data.contact[: env.data.ncon]:
        a, b = int(contact.geom1), int(contact.geom2)
        if (a in first and b in second) or (a in second and b in first):
            return True
    return False


def _point(env: ActionbankEnv, name: str) -> Array:
    """An object's origin, an arm's tcp, or the mean of a gripper's finger bodies [m]."""
    part = env.robot.parts.get(name)
    if part is None:
        return np.array(env.data.body(name).xpos, dtype=np.float64)
    if part.tcp_site:
        return np.array(env.data.site(part.tcp_site).xpos, dtype=np.float64)
    bodies = sorted({int(env.model.joint(j).bodyid[0]) for j in part.joints})
    mean: Array = np.mean([env.data.xpos[body] for body in bodies], axis=0)
    return mean


def object_in_region(env: ActionbankEnv, params: ObjectInRegionParams) -> Result:
    """The object's origin in the box ``low``..``high``, in the world or ``region_of``'s frame."""
    position = np.append(env.data.body(params.object).xpos, 1.0)
    if params.region_of is not None:
        position = np.linalg.inv(env.object_pose(params.region_of)) @ position
    low, high = np.array(params.low), np.array(params.high)
    inside = bool(np.all(position[:3] >= low) and np.all(position[:3] <= high))
    metrics = {"x": float(position[0]), "y": float(position[1]), "z": float(position[2])}
    frame = f"{params.region_of}'s frame" if params.region_of else "the world frame"
    return inside, metrics, "" if inside else f"{params.object} is outside the region ({frame})"


def object_on_object(env: ActionbankEnv, params: ObjectOnObjectParams) -> Result:
    """The object's origin over the support's footprint (grown by ``xy_tolerance``) and above
    the support's origin, and the two touching (or at most ``z_tolerance`` apart)."""
    origin = env.data.body(params.object).xpos
    low, high = _bounds(env, params.support)
    object_low, _ = _bounds(env, params.object)
    margin = params.xy_tolerance
    over = bool(np.all(origin[:2] >= low[:2] - margin) and np.all(origin[:2] <= high[:2] + margin))
    above = bool(origin[2] > env.data.body(params.support).xpos[2])
    gap = float(object_low[2] - high[2])
    touching = _touching(env, set(env.geoms_of(params.object)), set(env.geoms_of(params.support)))
    resting = touching or abs(gap) <= params.z_tolerance
    metrics = {"touching": float(touching), "gap": gap}
    if not (over and above):
        return False, metrics, f"{params.object} is not above {params.support}"
    if not resting:
        return False, metrics, f"{params.object} does not rest on {params.support}"
    return True, metrics, ""


def object_lifted(env: ActionbankEnv, params: ObjectLiftedParams) -> Result:
    """The object's origin ``min_height`` above where it was at reset, or its lowest point
    ``min_height`` above the top of body ``above``."""
    if params.above is None:
        height = float(env.data.body(params.object).xpos[2] - env.start_positions[params.object][2])
        reference = "its start"
    else:
        object_low, _ = _bounds(env, params.object)
        _, top = _bounds(env, params.above)
        height = float(object_low[2] - top[2])
        reference = params.above
    lifted = height >= params.min_height
    reason = "" if lifted else f"{params.object} is under {params.min_height:g} m above {reference}"
    return lifted, {"height": height}, reason


def object_grasped_by(env: ActionbankEnv, params: ObjectGraspedByParams) -> Result:
    """Every finger of the gripper (each body its joints move) touches the object, or with
    ``both_fingers`` false any of its geoms does."""
    obj = set(env.geoms_of(params.object))
    part = env.robot.parts[params.gripper]
    bodies = sorted({int(env.model.joint(j).bodyid[0]) for j in part.joints})
    touches = [
        _touching(env, obj, {g for g in range(env.model.ngeom) if int(env.model.geom_bodyid[g]) == body})
        for body in bodies
    ]
    held = all(touches) if params.both_fingers else any(touches)
    metrics = {"fingers_touching": float(sum(touches))}
    return held, metrics, "" if held else f"{params.gripper} does not hold {params.object}"


def _geoms(env: ActionbankEnv, uid: str, part: str | None) -> set[int]:
    """The geoms of body ``uid``, or only that of its Compound part ``part``."""
    if part is None:
        return set(env.geoms_of(uid))
    return {int(env.model.geom(part_geom(uid, part)).id)}


def object_touches(env: ActionbankEnv, params: ObjectTouchesParams) -> Result:
    """A contact between the object's geoms (or its ``part``'s) and ``other``'s (or its ``other_part``'s)."""
    first, second = _geoms(env, params.object, params.part), _geoms(env, params.other, params.other_part)
    touching = _touching(env, first, second)
    if touching:
        return True, {"touching": 1.0}, ""
    a = params.object if params.part is None else f"{params.object}'s {params.part}"
    b = params.other if params.other_part is None else f"{params.other}'s {params.other_part}"
    return False, {"touching": 0.0}, f"{a} does not touch {b}"


def upright(env: ActionbankEnv, params: UprightParams) -> Result:
    """The angle between the object's ``axis`` and the world's z within ``tolerance_deg``."""
    column = "xyz".index(params.axis)
    cosine = float(env.object_pose(params.object)[2, column])
    tilt = math.degrees(math.acos(float(np.clip(cosine, -1.0, 1.0))))
    ok = tilt <= params.tolerance_deg
    reason = "" if ok else f"{params.object} is tilted over {params.tolerance_deg:g} deg"
    return ok, {"tilt_deg": tilt}, reason


def distance_below(env: ActionbankEnv, params: DistanceBelowParams) -> Result:
    """The distance between the points of ``a`` and ``b`` at most ``max_distance``."""
    distance = float(np.linalg.norm(_point(env, params.a) - _point(env, params.b)))
    ok = distance <= params.max_distance
    reason = "" if ok else f"{params.a} is over {params.max_distance:g} m from {params.b}"
    return ok, {"distance": distance}, reason
