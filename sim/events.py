"""Randomisation events: ``reset``-mode ones run at every reset, ``interval``-mode ones every
``interval_step`` control steps. Each draws from the episode's generator and returns what it
sampled, which the environment reports in ``info["randomization"]``.

Names and parameters follow EmbodiChain's gym configs (``randomize_rigid_object_pose``,
``randomize_light``, ``randomize_visual_material``) plus ``randomize_robot_qpos``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["EVENTS", "EventFunction"]

EventFunction = Callable[["ActionbankEnv", np.random.Generator, dict[str, Any]], dict[str, Any]]


def _uid(params: dict[str, Any]) -> str:
    return str(params.get("entity_cfg", {}).get("uid", ""))


def _uniform(rng: np.random.Generator, bounds: Any) -> NDArray[np.float64]:
    low, high = (np.asarray(b, dtype=np.float64) for b in bounds)
    return rng.uniform(low, high)


def randomize_rigid_object_pose(env: ActionbankEnv, rng: np.random.Generator, params: dict[str, Any]) -> dict[str, Any]:
    """Move an object by (``relative_position``: true, the default) or to a position drawn from
    ``position_range`` [[x,y,z] low, high] [m], and turn it by a yaw drawn from ``yaw_range``
    [deg]. Particles inside the object move with it."""
    uid = _uid(params)
    position = _uniform(rng, params.get("position_range", [[0, 0, 0], [0, 0, 0]]))
    yaw = float(_uniform(rng, params["yaw_range"])) if "yaw_range" in params else 0.0
    relative = bool(params.get("relative_position", True))
    env.move_object(uid, position, yaw, relative=relative)
    return {"uid": uid, "position": position.tolist(), "relative": relative, "yaw_deg": yaw}


def randomize_robot_qpos(env: ActionbankEnv, rng: np.random.Generator, params: dict[str, Any]) -> dict[str, Any]:
    """Add noise drawn from ``noise_range`` [low, high] [rad] to the joints of each arm in
    ``entity_cfg.control_parts`` (default: every arm)."""
    parts = params.get("entity_cfg", {}).get("control_parts") or [p.name for p in env.arm_parts]
    low, high = params.get("noise_range", [-0.02, 0.02])
    sampled: dict[str, Any] = {}
    for name in parts:
        part = env.robot.parts[name]
        noise = rng.uniform(low, high, size=part.dim)
        env.set_part_qpos(name, env.part_qpos(name) + noise)
        sampled[name] = noise.tolist()
    return sampled


def randomize_light(env: ActionbankEnv, rng: np.random.Generator, params: dict[str, Any]) -> dict[str, Any]:
    """Light ``entity_cfg.uid``: position from ``position_range`` [m], colour from ``color_range``,
    intensity from ``intensity_range`` (diffuse = colour × intensity, clipped to 1)."""
    light = env.model.light(_uid(params))
    sampled: dict[str, Any] = {"uid": _uid(params)}
    if "position_range" in params:
        light.pos[:] = _uniform(rng, params["position_range"])
        sampled["position"] = light.pos.tolist()
    color = _uniform(rng, params["color_range"]) if "color_range" in params else np.ones(3)
    intensity = float(rng.uniform(*params["intensity_range"])) if "intensity_range" in params else 1.0
    light.diffuse[:] = np.clip(color * min(intensity, 1.0), 0.0, 1.0)
    sampled.update(color=color.tolist(), intensity=intensity)
    return sampled


def randomize_visual_material(env: ActionbankEnv, rng: np.random.Generator, params: dict[str, Any]) -> dict[str, Any]:
    """Give every geom of ``entity_cfg.uid`` a colour drawn from ``base_color_range`` (textures,
    ``random_texture_prob``, are not supported by this backend and are ignored)."""
    uid = _uid(params)
    color = _uniform(rng, params.get("base_color_range", [[0.2, 0.2, 0.2], [1.0, 1.0, 1.0]]))
    for geom in env.geoms_of(uid):
        env.model.geom_rgba[geom, :3] = color
    return {"uid": uid, "color": color.tolist()}


EVENTS: dict[str, EventFunction] = {
    "randomize_rigid_object_pose": randomize_rigid_object_pose,
    "randomize_robot_qpos": randomize_robot_qpos,
    "randomize_light": randomize_light,
    "randomize_visual_material": randomize_visual_material,
}
