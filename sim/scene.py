"""Scenes assembled with :class:`mujoco.MjSpec` from a gym config.

The robot's model comes first (for ALOHA, gym-aloha's arms and table); then the gym
config's physics and render settings, objects (primitives or meshes, optionally hollow
containers; the members of each ``rigid_object_group`` too), particles ("water" spheres inside a container), cameras and lights.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError
from actionbank.runtime.model_file import ModelFileError, load_model
from actionbank.runtime.names import (
    WALL_SEGMENTS,
    mesh_name,
    object_joint,
    part_geom,
    particle_body,
    particle_joint,
    wall_geom,
)
from actionbank.spec.assets import resolve_asset
from actionbank.spec.gym_models import (
    CUBE_HALF_EXTENT,
    Attached,
    Camera,
    GymConfig,
    Light,
    Particles,
    RigidObject,
    Shape,
    ShapePart,
)
from actionbank.spec.gym_robot import declared_robot_of, model_robot_problems
from sim.event_materials import prepare_materials
from sim.robots import RobotModel, robot_model
from sim.robots.declared import DeclaredModelError, declared_model

__all__ = ["PARKABLE_GRAVCOMP", "Scene", "build_scene", "camera_quat", "euler_to_quat"]

_INTEGRATORS = {
    "Euler": mujoco.mjtIntegrator.mjINT_EULER,
    "implicitfast": mujoco.mjtIntegrator.mjINT_IMPLICITFAST,
    "implicit": mujoco.mjtIntegrator.mjINT_IMPLICIT,
    "RK4": mujoco.mjtIntegrator.mjINT_RK4,
}
_LIGHTS = {
    "point": mujoco.mjtLightType.mjLIGHT_POINT,
    "directional": mujoco.mjtLightType.mjLIGHT_DIRECTIONAL,
    "spot": mujoco.mjtLightType.mjLIGHT_SPOT,
}
#: Gravity compensation of rigid_object_group members as built (a fraction of their weight).
PARKABLE_GRAVCOMP = 1e-12
#: Thickness of the walls of a hollow cylinder [m].
_WALL_THICKNESS = 0.008

Array = NDArray[np.float64]


@dataclass
class Scene:
    """A compiled scene: the model, the robot, and the names of what the gym config added."""

    model: mujoco.MjModel
    robot: RobotModel
    objects: list[str] = field(default_factory=list)
    particles: dict[str, list[str]] = field(default_factory=dict)
    particles_in: dict[str, list[str]] = field(default_factory=dict)
    cameras: dict[str, tuple[int, int]] = field(default_factory=dict)
    lights: list[str] = field(default_factory=list)
    substeps: int = 1


def euler_to_quat(degrees_xyz: tuple[float, float, float] | list[float]) -> Array:
    """Quaternion (w, x, y, z) of extrinsic x-y-z Euler angles [deg]."""
    quat = np.zeros(4)
    mujoco.mju_euler2Quat(quat, np.deg2rad(np.asarray(degrees_xyz, dtype=np.float64)), "XYZ")
    return quat


def camera_quat(eye: Array, target: Array, up: Array) -> Array:
    """Orientation of a MuJoCo camera (looks along its -z, y up) at ``eye`` looking at ``target``."""
    backward = eye - target
    backward /= np.linalg.norm(backward)
    right = np.cross(up, backward)
    if np.linalg.norm(right) < 1e-9:  # up parallel to the view direction: pick any right
        right = np.cross([0.0, 1.0, 0.0] if abs(backward[1]) < 0.9 else [1.0, 0.0, 0.0], backward)
    right /= np.linalg.norm(right)
    true_up = np.cross(backward, right)
    quat = np.zeros(4)
    mujoco.mju_mat2Quat(quat, np.column_stack([right, true_up, backward]).reshape(-1))
    return quat


def _robot_model(config: GymConfig, base_dir: Path, allow_outside: bool) -> RobotModel:
    """The config's robot: a registered type, or its model file through the generic builder."""
    if config.robot.robot_type is not None:
        return robot_model(config.robot.robot_type)
    declared = declared_robot_of(config, base_dir, allow_outside=allow_outside)
    if declared is None:
        problems = [d.message for d in model_robot_problems(config, base_dir, allow_outside=allow_outside)]
        raise DeclaredModelError(f"the robot's model file does not fit its declaration: {problems}")
    return declared_model(declared)


class SceneError(ActionbankError):
    """MuJoCo refused the scene the checked gym config describes: its message, exit code 1."""


_LINE = re.compile(r",? line (\d+)\b")


def mujoco_refusal(error: ValueError, model_file: str | None, *, reading: bool, attaches: bool = False) -> str:
    """MuJoCo's message on one line, saying which file a line number is in: MuJoCo names the
    line but not the file. Only the robot's model comes from a file (``model_file``, as the
    config writes it); line 0 is an element of a file it includes while ``reading`` it, and
    one the scene added (from the gym config) once it is built. When the model ``attaches``
    models of other files (``<model file>``), a line may be in one of them."""
    text = "; ".join(line.strip() for line in str(error).strip().splitlines() if line.strip())
    text = text.removeprefix("Error: ")
    files = f"{model_file} or of a model it attaches" if attaches else model_file

    def place(match: re.Match[str]) -> str:
        if match[1] != "0":
            return f", line {match[1]} of {files}" if model_file else match[0]
        return f", in a file {model_file} includes" if reading and model_file else ""

    return _LINE.sub(place, text)


def _attaches_models(path: Path) -> bool:
    """Whether the model file at ``path`` (its includes too) loads models of other files
    (``<model file>``), whose line numbers MuJoCo's messages give without their file."""
    try:
        document = load_model(path, None, strict=False)
    except ModelFileError:
        return False
    return any(element.get("file") for element in document.root.iter("model"))


def build_scene(config: GymConfig, base_dir: Path, *, allow_outside_assets: bool = False) -> Scene:
    """Compile the scene the gym config describes (a checked one: :func:`sim.config.load_sim_config`).

    ``base_dir`` is the gym config's folder: relative mesh paths are read from there, whatever
    the working directory (:func:`actionbank.spec.assets.resolve_asset`); files outside it only
    with ``allow_outside_assets``.
    """
    robot = _robot_model(config, base_dir, allow_outside_assets)
    model_file = config.robot.fpath  # as the config writes it; None for a registered robot type
    try:
        spec = robot.build()
    except ValueError as error:  # MuJoCo's own refusal of a model file the checks let through
        where = f" {model_file}" if model_file else ""
        attaches = model_file is not None and _attaches_models(base_dir / model_file)
        refusal = mujoco_refusal(error, model_file, reading=True, attaches=attaches)
        raise SceneError(f"MuJoCo cannot read the robot's model{where}: {refusal}") from None
    spec.modelname = config.id
    _physics(spec, config)
    scene_objects: list[str] = []
    members = [member for group in config.rigid_object_group for member in group.members()]
    for item in [*config.background, *config.rigid_object, *members]:
        _add_object(spec, item, base_dir, allow_outside_assets)
        scene_objects.append(item.uid)
    for member in members:
        # A negligible gravity compensation makes MuJoCo compute it for the members, so that a
        # member an event parks can float (sim.event_groups sets its gravcomp to 1).
        spec.body(member.uid).gravcomp = PARKABLE_GRAVCOMP
    particles = {p.uid: _add_particles(spec, p, config) for p in config.particles}
    for camera in config.sensor:
        _add_camera(spec, camera)
    for light in config.light.direct if config.light else []:
        _add_light(spec, light)
    prepare_materials(spec, config, base_dir, allow_outside=allow_outside_assets)
    try:
        model = spec.compile()
    except ValueError as error:  # what the checks cannot see from the files (e.g. a mesh MuJoCo refuses)
        raise SceneError(f"MuJoCo cannot build the scene: {mujoco_refusal(error, model_file, reading=False)}") from None
    substeps = max(1, round(1.0 / (config.control_freq * config.physics.timestep)))
    return Scene(
        model=model,
        robot=robot,
        objects=scene_objects,
        particles=particles,
        particles_in={p.container: particles[p.uid] for p in config.particles},
        cameras={c.uid: (c.height, c.width) for c in config.sensor},
        lights=[light.uid for light in config.light.direct] if config.light else [],
        substeps=substeps,
    )


def _physics(spec: mujoco.MjSpec, config: GymConfig) -> None:
    # gym-aloha's model counts only geom groups 4-5 towards inertia; ours are in group 0.
    # Its own bodies all declare their inertia, so widening the range changes nothing there.
    spec.compiler.inertiagrouprange = [0, 5]
    spec.option.timestep = config.physics.timestep
    spec.option.integrator = _INTEGRATORS[config.physics.integrator]
    spec.option.gravity = list(config.physics.gravity)
    spec.visual.quality.shadowsize = config.render.shadow_size
    spec.visual.quality.offsamples = config.render.multisamples
    width = max([c.width for c in config.sensor] + [640])
    height = max([c.height for c in config.sensor] + [480])
    spec.visual.global_.offwidth = width
    spec.visual.global_.offheight = height


def _add_object(spec: mujoco.MjSpec, item: RigidObject, base_dir: Path, allow_outside_assets: bool) -> None:
    body = spec.worldbody.add_body(name=item.uid, pos=list(item.init_pos), quat=list(euler_to_quat(item.init_rot)))
    if item.body_type == "dynamic":
        body.add_freejoint(name=object_joint(item.uid))
    elif item.body_type == "kinematic":
        body.mocap = True
    scale = np.asarray(item.body_scale, dtype=np.float64)
    shape = item.shape
    sliding = item.attrs.sliding_friction  # static_friction, else dynamic_friction: MuJoCo has one
    geom_defaults: dict[str, object] = {
        "condim": 4,
        "solimp": [0.95, 0.99, 0.001, 0.5, 2],
        "solref": [0.004, 1],  # critically damped: contacts do not bounce (restitution 0)
        "friction": [
            sliding if sliding is not None else 1.0,
            item.attrs.torsional_friction if item.attrs.torsional_friction is not None else 0.005,
            item.attrs.rolling_friction if item.attrs.rolling_friction is not None else 0.0001,
        ],
    }
    if item.rgba is not None:
        geom_defaults["rgba"] = list(item.rgba)
    first = len(list(body.geoms))
    if shape.shape_type == "Mesh":
        mesh_path = resolve_asset(shape.fpath or "", base_dir, allow_outside=allow_outside_assets)
        spec.add_mesh(name=mesh_name(item.uid), file=str(mesh_path), scale=list(scale))
        body.add_geom(name=item.uid, type=mujoco.mjtGeom.mjGEOM_MESH, meshname=mesh_name(item.uid), **geom_defaults)
    elif shape.shape_type == "Compound":
        _compound(body, item.uid, shape.parts or [], scale, geom_defaults, item.attrs.mass)
        return
    elif shape.shape_type in ("Cylinder", "Capsule") and shape.hollow:
        _hollow_cylinder(
            body, item.uid, (shape.radius or 0.0) * scale[0], (shape.height or 0.0) * scale[2], geom_defaults
        )
    else:
        _primitive(body, item.uid, shape, scale, geom_defaults)
    geoms = list(body.geoms)[first:]
    if item.attrs.mass is not None:
        for geom in geoms:
            geom.mass = item.attrs.mass / len(geoms)


def _primitive(
    body: mujoco.MjsBody, name: str, shape: Shape | ShapePart, scale: Array, defaults: dict[str, object]
) -> mujoco.MjsGeom:
    """One Box/Cube, Sphere, Cylinder or Capsule geom, sized as written times ``scale``."""
    if shape.shape_type in ("Box", "Cube"):
        half = np.asarray(shape.size or [CUBE_HALF_EXTENT] * 3, dtype=np.float64) * scale
        return body.add_geom(name=name, type=mujoco.mjtGeom.mjGEOM_BOX, size=list(half), **defaults)
    radius, height = (shape.radius or 0.0) * scale[0], (shape.height or 0.0) * scale[2]
    if shape.shape_type == "Sphere":
        return body.add_geom(name=name, type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[radius, 0, 0], **defaults)
    kind = mujoco.mjtGeom.mjGEOM_CYLINDER if shape.shape_type == "Cylinder" else mujoco.mjtGeom.mjGEOM_CAPSULE
    return body.add_geom(name=name, type=kind, size=[radius, height / 2, 0], **defaults)


def _volume(geom: mujoco.MjsGeom) -> float:
    """Volume [m³] of a box, sphere, cylinder or capsule geom."""
    a, b = float(geom.size[0]), float(geom.size[1])
    if geom.type == mujoco.mjtGeom.mjGEOM_BOX:
        return 8.0 * a * b * float(geom.size[2])
    if geom.type == mujoco.mjtGeom.mjGEOM_SPHERE:
        return 4.0 / 3.0 * math.pi * a**3
    if geom.type == mujoco.mjtGeom.mjGEOM_CYLINDER:
        return math.pi * a * a * 2.0 * b
    return math.pi * a * a * 2.0 * b + 4.0 / 3.0 * math.pi * a**3  # capsule


def _compound(
    body: mujoco.MjsBody,
    uid: str,
    parts: list[ShapePart],
    scale: Array,
    defaults: dict[str, object],
    mass: float | None,
) -> None:
    """A Compound's parts as geoms ``<uid>/<part>`` of one body; ``mass`` [kg] shared by volume."""
    geoms = []
    for part in parts:
        options = dict(defaults)
        if part.rgba is not None:
            options["rgba"] = list(part.rgba)
        geom = _primitive(body, part_geom(uid, part.name), part, scale, options)
        geom.pos = list(np.asarray(part.pos, dtype=np.float64) * scale)
        geom.quat = list(euler_to_quat(part.rot))
        geoms.append(geom)
    if mass is not None:
        volumes = [_volume(geom) for geom in geoms]
        for geom, volume in zip(geoms, volumes, strict=True):
            geom.mass = mass * volume / sum(volumes)


def _hollow_cylinder(body: mujoco.MjsBody, uid: str, radius: float, height: float, defaults: dict[str, object]) -> None:
    """An open-top cup: a base disc and wall segments around the rim (outer radius, full height)."""
    body.add_geom(
        name=uid,
        type=mujoco.mjtGeom.mjGEOM_CYLINDER,
        size=[radius, _WALL_THICKNESS / 2, 0],
        pos=[0, 0, -height / 2 + _WALL_THICKNESS / 2],
        **defaults,
    )
    segment = 2 * radius * math.tan(math.pi / WALL_SEGMENTS) + 0.002
    for index in range(WALL_SEGMENTS):
        angle = 2 * math.pi * index / WALL_SEGMENTS
        centre = radius - _WALL_THICKNESS / 2
        quat = np.zeros(4)
        mujoco.mju_axisAngle2Quat(quat, np.array([0.0, 0.0, 1.0]), angle)
        body.add_geom(
            name=wall_geom(uid, index),
            type=mujoco.mjtGeom.mjGEOM_BOX,
            size=[_WALL_THICKNESS / 2, segment / 2, height / 2],
            pos=[centre * math.cos(angle), centre * math.sin(angle), 0],
            quat=list(quat),
            **defaults,
        )


def _add_particles(spec: mujoco.MjSpec, particles: Particles, config: GymConfig) -> list[str]:
    """Spheres stacked in a grid inside their container's inner radius, from its floor up."""
    container = next(o for o in config.rigid_object if o.uid == particles.container)
    radius, height = container.shape.radius, container.shape.height
    assert radius is not None and height is not None, f"container {container.uid!r} has no radius or height"
    inner = radius * container.body_scale[0] - _WALL_THICKNESS - particles.radius * 1.05
    height = height * container.body_scale[2]
    spacing = 2.05 * particles.radius
    ring: list[tuple[float, float]] = [
        (float(x), float(y))
        for x in np.arange(-inner, inner + 1e-9, spacing)
        for y in np.arange(-inner, inner + 1e-9, spacing)
        if x * x + y * y <= inner * inner
    ]
    if not ring:
        ring = [(0.0, 0.0)]
    base = np.asarray(container.init_pos, dtype=np.float64)
    names: list[str] = []
    for index in range(particles.count):
        layer, slot = divmod(index, len(ring))
        x, y = ring[slot]
        z = -height / 2 + _WALL_THICKNESS + particles.radius * (1.1 + 2.1 * layer)
        name = particle_body(particles.uid, index)
        body = spec.worldbody.add_body(name=name, pos=[base[0] + x, base[1] + y, base[2] + z])
        body.add_freejoint(name=particle_joint(particles.uid, index))
        body.add_geom(
            name=name,
            type=mujoco.mjtGeom.mjGEOM_SPHERE,
            size=[particles.radius, 0, 0],
            mass=particles.mass,
            rgba=list(particles.rgba) if particles.rgba is not None else [0.2, 0.5, 1.0, 1.0],
            condim=1,
            friction=[0.1, 0.0, 0.0],
            solref=[0.01, 1],
            margin=0.002,
        )
        names.append(name)
    return names


def _add_camera(spec: mujoco.MjSpec, camera: Camera) -> None:
    fovy = math.degrees(2.0 * math.atan(camera.height / (2.0 * camera.intrinsics[1])))
    extrinsics = camera.extrinsics
    if isinstance(extrinsics, Attached):
        parent = spec.body(extrinsics.parent)
        parent.add_camera(name=camera.uid, pos=list(extrinsics.pos), quat=list(extrinsics.quat), fovy=fovy)
    else:
        eye = np.asarray(extrinsics.eye, dtype=np.float64)
        quat = camera_quat(
            eye, np.asarray(extrinsics.target, dtype=np.float64), np.asarray(extrinsics.up, dtype=np.float64)
        )
        spec.worldbody.add_camera(name=camera.uid, pos=list(eye), quat=list(quat), fovy=fovy)


def _add_light(spec: mujoco.MjSpec, light: Light) -> None:
    strength = min(1.0, light.intensity)  # above 1 is reported by the checks (AB765)
    spec.worldbody.add_light(
        name=light.uid,
        type=_LIGHTS[light.light_type],
        pos=list(light.init_pos),
        dir=list(light.direction),
        diffuse=[c * strength for c in light.color],
        specular=[0.3, 0.3, 0.3],
        castshadow=False,
    )
