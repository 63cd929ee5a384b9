"""Randomisation events: each draws from its own generator (:mod:`sim.event_runner` seeds it from
the episode seed and the event's label) and returns what it sampled, which the environment
reports in ``info["randomization"]`` and the recorder stores in the episode's provenance.

Each event is declared, with its params model, in :mod:`actionbank.runtime.events` (where
``lint`` checks a gym config against it) and takes those validated params here; a test holds
:data:`EVENTS` and the declarations to each other. Events that change the model (colours,
masses, sizes, cameras, lights) start from the model as built: the runner restores it before
each reset's events, so an episode depends on its seed only. Camera, light and material events
touch only what is rendered, never the physics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime import EVENT_REGISTRY
from actionbank.runtime.events import (
    RandomizeCameraExtrinsicsParams,
    RandomizeCameraIntrinsicsParams,
    RandomizeLightParams,
    RandomizeRigidObjectFrictionParams,
    RandomizeRigidObjectMassParams,
    RandomizeRigidObjectPoseParams,
    RandomizeRigidObjectScaleParams,
    RandomizeRobotQposParams,
    RandomizeVisualMaterialParams,
    SetRigidObjectVisualMaterialParams,
)
from actionbank.spec.gym_models import Camera, LookAt
from sim.event_groups import place_rigid_object_group
from sim.event_materials import apply_material, material_names
from sim.scene import camera_quat, euler_to_quat

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["EVENTS", "EventFunction", "event_function"]

#: ``event(env, rng, params) -> sampled``, ``params`` the event's declared params model.
EventFunction = Callable[["ActionbankEnv", np.random.Generator, Any], dict[str, Any]]
Array = NDArray[np.float64]


def _uniform(rng: np.random.Generator, low: Any, high: Any, size: int | None = None) -> Array:
    """Draws in [low, high) (``low <= high``, checked before anything runs). ``+ 0.0`` turns a
    -0.0 into 0.0: numpy refuses ``low = 0.0, high = -0.0`` (high - low is -0.0)."""
    return rng.uniform(np.asarray(low, dtype=np.float64) + 0.0, np.asarray(high, dtype=np.float64) + 0.0, size)


def _geoms(env: ActionbankEnv, uid: str) -> NDArray[np.int64]:
    return np.flatnonzero(env.model.geom_bodyid == env.model.body(uid).id)


# -- poses ------------------------------------------------------------------------------------
def _pose_slots(env: ActionbankEnv, uid: str) -> tuple[Array, Array]:
    """Views of the position and quaternion (w, x, y, z) of a free or mocap body."""
    body = env.model.body(uid)
    if body.jntnum[0] > 0:
        address = int(env.model.jnt_qposadr[body.jntadr[0]])
        return env.data.qpos[address : address + 3], env.data.qpos[address + 3 : address + 7]
    if body.mocapid[0] >= 0:
        mocap = int(body.mocapid[0])
        return env.data.mocap_pos[mocap], env.data.mocap_quat[mocap]
    raise ValueError(f"object {uid!r} is static and cannot be moved (make it dynamic or kinematic)")


def randomize_rigid_object_pose(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRigidObjectPoseParams
) -> dict[str, Any]:
    """Move an object by (``relative_position``: true, the default) or to a position drawn from
    ``position_range`` [m]; turn it by (``relative_rotation``) or to extrinsic x-y-z Euler
    angles drawn from ``rotation_range`` [deg] (or, deprecated, by a yaw from ``yaw_range``).
    Particles inside the object move with it."""
    uid = params.entity_cfg.uid
    position, quat = _pose_slots(env, uid)
    old = position.copy()
    sampled: dict[str, Any] = {"uid": uid}
    if params.position_range is not None:
        drawn = _uniform(rng, *params.position_range)
        position[:] = old + drawn if params.relative_position else drawn
        sampled.update(position=drawn.tolist(), relative_position=params.relative_position)
    rotation: tuple[float, float, float] | None = None
    relative = params.relative_rotation
    if params.rotation_range is not None:
        rotation = tuple(float(a) for a in _uniform(rng, *params.rotation_range))  # type: ignore[assignment]
    elif params.yaw_range is not None:
        rotation, relative = (0.0, 0.0, float(_uniform(rng, *params.yaw_range))), True
    if rotation is not None:
        turn = euler_to_quat(rotation)
        if relative:
            result = np.zeros(4)
            mujoco.mju_mulQuat(result, turn, quat.copy())
            turn = result
        quat[:] = turn
        sampled.update(rotation_deg=list(rotation), relative_rotation=relative)
    for name in env.scene.particles_in.get(uid, []):
        address = int(env.model.jnt_qposadr[env.model.body(name).jntadr[0]])
        env.data.qpos[address : address + 3] += position - old
    return sampled


def randomize_robot_qpos(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRobotQposParams
) -> dict[str, Any]:
    """Add to (``relative_qpos``) or set the joints picked by ``joint_ids`` among the joints of
    ``entity_cfg.control_parts`` (default: every arm among the control parts), values drawn
    from ``qpos_range`` [rad] (or, deprecated, ``noise_range``)."""
    parts = params.entity_cfg.control_parts or [p.name for p in env.arm_parts]
    current = {name: env.part_qpos(name).copy() for name in parts}
    flat = np.concatenate([current[name] for name in parts])
    ids = np.arange(flat.size) if params.joint_ids is None else np.asarray(params.joint_ids)
    if params.qpos_range is not None:
        low, high = (np.broadcast_to(np.asarray(b, dtype=np.float64), ids.shape) for b in params.qpos_range)
    elif params.noise_range is not None:
        low, high = (np.full(ids.shape, b) for b in params.noise_range)
    else:
        return {}
    drawn = _uniform(rng, low, high)
    flat[ids] = flat[ids] + drawn if params.relative_qpos else drawn
    offset = 0
    for name in parts:
        size = current[name].size
        env.set_part_qpos(name, flat[offset : offset + size])
        offset += size
    return {"parts": list(parts), "joint_ids": ids.tolist(), "qpos": drawn.tolist(), "relative": params.relative_qpos}


# -- cameras ----------------------------------------------------------------------------------
def _built_camera(env: ActionbankEnv, uid: str) -> Camera | None:
    """Camera ``uid``'s configuration, or ``None`` when this scene was built without it (a run
    whose cameras were dropped, as physics-only checks do; ``lint`` makes sure a gym config's
    camera events name its cameras): the event then changes nothing and says so."""
    configured = next((c for c in env.config.sensor if c.uid == uid), None)
    return configured if configured is not None and uid in env.scene.cameras else None


def randomize_camera_extrinsics(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeCameraExtrinsicsParams
) -> dict[str, Any]:
    """A look-at camera: ``eye_range`` / ``target_range`` / ``up_range`` offsets added to its
    configured eye, target and up; a camera on a link: ``pos_range`` [m] added to its position
    and ``euler_range`` [deg] turning it in its parent's frame."""
    uid = params.entity_cfg.uid
    configured = _built_camera(env, uid)
    if configured is None:
        return {"uid": uid, "applied": False}
    camera = env.model.camera(uid)
    extrinsics = configured.extrinsics
    sampled: dict[str, Any] = {"uid": uid}
    if isinstance(extrinsics, LookAt):
        eye = np.asarray(extrinsics.eye, dtype=np.float64)
        target = np.asarray(extrinsics.target, dtype=np.float64)
        up = np.asarray(extrinsics.up, dtype=np.float64)
        for name, value in (("eye", eye), ("target", target), ("up", up)):
            bounds = getattr(params, f"{name}_range")
            if bounds is not None:
                drawn = _uniform(rng, *bounds)
                value += drawn
                sampled[name] = drawn.tolist()
        camera.pos[:] = eye
        camera.quat[:] = camera_quat(eye, target, up)
        return sampled
    if params.pos_range is not None:
        drawn = _uniform(rng, *params.pos_range)
        camera.pos[:] = camera.pos + drawn
        sampled["pos"] = drawn.tolist()
    if params.euler_range is not None:
        angles = _uniform(rng, *params.euler_range)
        result = np.zeros(4)
        mujoco.mju_mulQuat(result, camera.quat.copy(), euler_to_quat(angles.tolist()))
        camera.quat[:] = result
        sampled["euler_deg"] = angles.tolist()
    return sampled


def randomize_camera_intrinsics(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeCameraIntrinsicsParams
) -> dict[str, Any]:
    """Offsets [px] drawn from ``focal_x_range``, ``focal_y_range``, ``cx_range``, ``cy_range``
    added to the camera's configured [fx, fy, cx, cy]; MuJoCo renders them through its sensor
    model (sensor size = image size, focal lengths and principal-point offset in pixels)."""
    uid = params.entity_cfg.uid
    configured = _built_camera(env, uid)
    if configured is None:
        return {"uid": uid, "applied": False}
    intrinsics = np.asarray(configured.intrinsics, dtype=np.float64)
    sampled: dict[str, Any] = {"uid": uid}
    for index, name in enumerate(("focal_x_range", "focal_y_range", "cx_range", "cy_range")):
        bounds = getattr(params, name)
        if bounds is not None:
            drawn = float(_uniform(rng, *bounds))
            intrinsics[index] += drawn
            sampled[name.removesuffix("_range")] = drawn
    camera = env.model.camera(uid)
    width, height = configured.width, configured.height
    env.model.cam_sensorsize[camera.id] = (width, height)
    fx, fy, cx, cy = intrinsics
    env.model.cam_intrinsic[camera.id] = (fx, fy, cx - width / 2, cy - height / 2)
    sampled["intrinsics"] = intrinsics.tolist()
    return sampled


# -- lights -----------------------------------------------------------------------------------
def randomize_light(env: ActionbankEnv, rng: np.random.Generator, params: RandomizeLightParams) -> dict[str, Any]:
    """Light ``entity_cfg.uid``: ``position_range`` [m] added to its init_pos, colour drawn from
    ``color_range``, ``intensity_range`` added to its intensity (diffuse = colour × intensity,
    clipped to [0, 1]), ``direction_range`` added to its direction; what has no range keeps
    the light's configured value."""
    uid = params.entity_cfg.uid
    light = env.model.light(uid)
    configured = next(item for item in env.config.light.direct if item.uid == uid) if env.config.light else None
    sampled: dict[str, Any] = {"uid": uid}
    if params.position_range is not None:
        drawn = _uniform(rng, *params.position_range)
        base = np.asarray(configured.init_pos if configured else light.pos, dtype=np.float64)
        light.pos[:] = base + drawn
        sampled["position"] = drawn.tolist()
    color = np.asarray(configured.color if configured else (1.0, 1.0, 1.0), dtype=np.float64)
    if params.color_range is not None:
        color = _uniform(rng, *params.color_range)
        sampled["color"] = color.tolist()
    intensity = configured.intensity if configured else 1.0
    if params.intensity_range is not None:
        drawn_intensity = float(_uniform(rng, *params.intensity_range))
        intensity = max(0.0, intensity + drawn_intensity)
        sampled["intensity"] = drawn_intensity
    light.diffuse[:] = np.clip(color * min(intensity, 1.0), 0.0, 1.0)
    if params.direction_range is not None:
        drawn = _uniform(rng, *params.direction_range)
        base = np.asarray(configured.direction if configured else light.dir, dtype=np.float64)
        direction = base + drawn
        light.dir[:] = direction / max(float(np.linalg.norm(direction)), 1e-9)
        sampled["direction"] = drawn.tolist()
    return sampled


# -- materials --------------------------------------------------------------------------------
def set_rigid_object_visual_material(
    env: ActionbankEnv, rng: np.random.Generator, params: SetRigidObjectVisualMaterialParams
) -> dict[str, Any]:
    """Give the object's geoms ``mat_cfg.base_color`` and, when given, the image
    ``mat_cfg.base_color_texture`` (loaded when the scene was built). Draws nothing."""
    uid = params.entity_cfg.uid
    rgba = list(params.mat_cfg.base_color) + [1.0] * (4 - len(params.mat_cfg.base_color))
    texture = params.mat_cfg.base_color_texture
    material = f"{uid}:tex:{texture}" if texture else f"{uid}:mat"
    apply_material(env.model, _geoms(env, uid), material, np.asarray(rgba))
    return {"uid": uid, "color": rgba, "material": material}


def _drawn_from(source: str, wanted: list[str]) -> bool:
    """Whether texture ``source`` is one of ``wanted`` (a procedural name, an image, or an image in a folder)."""
    return any(source == item or source.startswith(item.rstrip("/") + "/") for item in wanted)


def randomize_visual_material(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeVisualMaterialParams
) -> dict[str, Any]:
    """Give every geom of ``entity_cfg.uid`` a colour drawn from ``base_color_range``; with
    chance ``random_texture_prob`` a texture (an image of ``texture_path``, else one of the
    ``procedural_textures``) tinted by it; reflectance from ``metallic_range`` and roughness
    from ``roughness_range``."""
    uid = params.entity_cfg.uid
    color = _uniform(rng, *params.base_color_range)
    wanted: list[str] = [params.texture_path] if params.texture_path else list(params.procedural_textures)
    textures = [name for name in material_names(env.model, uid)[1:] if _drawn_from(name.split(":tex:", 1)[1], wanted)]
    textured = bool(rng.random() < params.random_texture_prob) and bool(textures)
    material = textures[int(rng.integers(len(textures)))] if textured else f"{uid}:mat"
    metallic = float(_uniform(rng, *params.metallic_range)) if params.metallic_range else None
    roughness = float(_uniform(rng, *params.roughness_range)) if params.roughness_range else None
    apply_material(env.model, _geoms(env, uid), material, np.append(color, 1.0), metallic, roughness)
    sampled: dict[str, Any] = {"uid": uid, "color": color.tolist(), "material": material}
    if metallic is not None:
        sampled["metallic"] = metallic
    if roughness is not None:
        sampled["roughness"] = roughness
    return sampled


# -- physics ----------------------------------------------------------------------------------
def randomize_rigid_object_mass(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRigidObjectMassParams
) -> dict[str, Any]:
    """Set the object's mass [kg] to a value drawn from ``mass_range`` (``relative``: the
    configured mass plus it); its inertia scales with it (same density distribution)."""
    uid = params.entity_cfg.uid
    body = env.model.body(uid)
    base = float(body.mass[0])
    drawn = float(_uniform(rng, *params.mass_range))
    mass = max(base + drawn if params.relative else drawn, 1e-6)
    if base > 0:
        body.inertia[:] = body.inertia * (mass / base)
    body.mass[:] = mass
    return {"uid": uid, "mass": mass, "drawn": drawn, "relative": params.relative}


def randomize_rigid_object_friction(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRigidObjectFrictionParams
) -> dict[str, Any]:
    """Set the sliding friction of the object's geoms to a value drawn from ``friction_range``
    (``relative``: the configured friction times it)."""
    uid = params.entity_cfg.uid
    drawn = float(_uniform(rng, *params.friction_range))
    geoms = _geoms(env, uid)
    if params.relative:
        env.model.geom_friction[geoms, 0] *= drawn
    else:
        env.model.geom_friction[geoms, 0] = drawn
    return {"uid": uid, "friction": drawn, "relative": params.relative}


def randomize_rigid_object_scale(
    env: ActionbankEnv, rng: np.random.Generator, params: RandomizeRigidObjectScaleParams
) -> dict[str, Any]:
    """Scale the object's primitive geoms (sizes and placements in the body frame) by factors
    drawn from ``scale_factor_range``; mass scales with the volume. Mesh geoms are left as built
    (MuJoCo cannot rescale a mesh after compiling)."""
    uid = params.entity_cfg.uid
    low, high = params.scale_factor_range
    if params.same_scale_all_axes:
        factors: Array = np.full(3, float(_uniform(rng, low[0], high[0])))
    else:
        factors = _uniform(rng, low[:3], high[:3])
    model = env.model
    for geom in _geoms(env, uid):
        if model.geom_type[geom] == mujoco.mjtGeom.mjGEOM_MESH:
            continue
        kind = model.geom_type[geom]
        if kind == mujoco.mjtGeom.mjGEOM_BOX:
            model.geom_size[geom] *= factors
        elif kind in (mujoco.mjtGeom.mjGEOM_CYLINDER, mujoco.mjtGeom.mjGEOM_CAPSULE):
            model.geom_size[geom, :2] *= (max(factors[0], factors[1]), factors[2])
        else:
            model.geom_size[geom] *= max(factors)
        model.geom_pos[geom] *= factors
        model.geom_rbound[geom] *= max(factors)
        model.geom_aabb[geom] *= np.tile(factors, 2)
    body = model.body(uid)
    volume = float(np.prod(factors))
    body.mass[:] = body.mass * volume
    body.inertia[:] = body.inertia * volume * float(np.mean(factors)) ** 2
    body.ipos[:] = body.ipos * factors
    return {"uid": uid, "scale": factors.tolist()}


#: The implementation of each declared event, by its declared name.
EVENTS: dict[str, EventFunction] = {
    "randomize_rigid_object_pose": randomize_rigid_object_pose,
    "randomize_robot_qpos": randomize_robot_qpos,
    "randomize_camera_extrinsics": randomize_camera_extrinsics,
    "randomize_camera_intrinsics": randomize_camera_intrinsics,
    "randomize_light": randomize_light,
    "set_rigid_object_visual_material": set_rigid_object_visual_material,
    "randomize_visual_material": randomize_visual_material,
    "randomize_rigid_object_mass": randomize_rigid_object_mass,
    "randomize_rigid_object_friction": randomize_rigid_object_friction,
    "randomize_rigid_object_scale": randomize_rigid_object_scale,
    "place_rigid_object_group": place_rigid_object_group,
}

EVENT_REGISTRY.bind_all(EVENTS)


def event_function(name: str) -> EventFunction:
    """The implementation of the registered event ``name`` (this module's, or a plugin's)."""
    function: EventFunction = EVENT_REGISTRY.implementation(name)
    return function
