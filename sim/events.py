"""Randomisation events: ``reset``-mode ones run at every reset, ``interval``-mode ones every
``interval_step`` control steps. Each draws from the episode's generator and returns what it
sampled, which the environment reports in ``info["randomization"]``.

Each event is declared, with its params model, in :mod:`actionbank.runtime.events` (where
``lint`` checks a gym config against it) and takes those validated params here; a test holds
:data:`EVENTS` and the declarations to each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from actionbank.runtime import EVENT_REGISTRY
from actionbank.runtime.events import (
    RandomizeLightParams,
    RandomizeRigidObjectPoseParams,
    RandomizeRobotQposParams,
    RandomizeVisualMaterialParams,
)

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["EVENTS", "EventFunction", "event_function"]

#: ``event(env, rng, params) -> sampled``, ``params`` the event's declared params model.
EventFunction = Callable[["ActionbankEnv", np.random.Generator, Any], dict[str, Any]]


def _uniform(rng: np.random.Generator, low: Any, high: Any, size: int | None = None) -> NDArray[np.float64]:
    """Draws in [low, high) (``low <= high``, checked before anything runs). ``+ 0.0`` turns a
    -0.0 into 0.0: numpy refuses ``low = 0.0, high = -0.0`` (high - low is -0.0)."""
    return rng.uniform(np.asarray(low, dtype=np.float64) + 0.0, np.asarray(high, dtype=np.float64) + 0.0, size)


def randomize_rigid_object_pose(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRigidObjectPoseParams
) -> dict[str, Any]:
    """Move an object by (``relative_position``: true, the default) or to a position drawn from
    ``position_range`` [[x,y,z] low, high] [m], and turn it by a yaw drawn from ``yaw_range``
    [deg]. Particles inside the object move with it."""
    uid = params.entity_cfg.uid
    position = _uniform(rng, *params.position_range)
    yaw = float(_uniform(rng, *params.yaw_range)) if params.yaw_range is not None else 0.0
    env.move_object(uid, position, yaw, relative=params.relative_position)
    return {"uid": uid, "position": position.tolist(), "relative": params.relative_position, "yaw_deg": yaw}


def randomize_robot_qpos(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRobotQposParams
) -> dict[str, Any]:
    """Add noise drawn from ``noise_range`` [low, high] [rad] to the joints of each control part
    in ``entity_cfg.control_parts`` (default: every arm among the control parts)."""
    parts = params.entity_cfg.control_parts or [p.name for p in env.arm_parts]
    sampled: dict[str, Any] = {}
    for name in parts:
        part = env.robot.parts[name]
        noise = _uniform(rng, *params.noise_range, size=part.dim)
        env.set_part_qpos(name, env.part_qpos(name) + noise)
        sampled[name] = noise.tolist()
    return sampled


def randomize_light(env: ActionbankEnv, rng: np.random.Generator, params: RandomizeLightParams) -> dict[str, Any]:
    """Light ``entity_cfg.uid``: position from ``position_range`` [m], colour from ``color_range``,
    intensity from ``intensity_range`` (diffuse = colour × intensity, clipped to 1); what has no
    range keeps the light's configured value."""
    uid = params.entity_cfg.uid
    light = env.model.light(uid)
    configured = next(item for item in env.config.light.direct if item.uid == uid) if env.config.light else None
    sampled: dict[str, Any] = {"uid": uid}
    if params.position_range is not None:
        light.pos[:] = _uniform(rng, *params.position_range)
        sampled["position"] = light.pos.tolist()
    if params.color_range is not None:
        color = _uniform(rng, *params.color_range)
    else:
        color = np.asarray(configured.color if configured else (1.0, 1.0, 1.0), dtype=np.float64)
    if params.intensity_range is not None:
        intensity = float(_uniform(rng, *params.intensity_range))
    else:
        intensity = configured.intensity if configured else 1.0
    light.diffuse[:] = np.clip(color * min(intensity, 1.0), 0.0, 1.0)
    sampled.update(color=color.tolist(), intensity=intensity)
    return sampled


def randomize_visual_material(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeVisualMaterialParams
) -> dict[str, Any]:
    """Give every geom of ``entity_cfg.uid`` a colour drawn from ``base_color_range`` (textures,
    ``random_texture_prob``, are not supported by this backend: ``lint`` warns, AB615)."""
    uid = params.entity_cfg.uid
    color = _uniform(rng, *params.base_color_range)
    for geom in env.geoms_of(uid):
        env.model.geom_rgba[geom, :3] = color
    return {"uid": uid, "color": color.tolist()}


#: The implementation of each declared event, by its declared name.
EVENTS: dict[str, EventFunction] = {
    "randomize_rigid_object_pose": randomize_rigid_object_pose,
    "randomize_robot_qpos": randomize_robot_qpos,
    "randomize_light": randomize_light,
    "randomize_visual_material": randomize_visual_material,
}

for _name, _function in EVENTS.items():
    EVENT_REGISTRY.bind(_name, _function, f"sim.events.{_function.__name__}")


def event_function(name: str) -> EventFunction:
    """The implementation of the registered event ``name`` (this module's, or a plugin's)."""
    function: EventFunction = EVENT_REGISTRY.implementation(name)
    return function
