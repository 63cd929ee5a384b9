"""Rules of a gym config that its schema cannot say, as checks that yield diagnostics.

Each check takes the validated :class:`GymConfig` and what the caller knows
(:class:`Available`) and yields diagnostics with JSON pointers into the document; the
caller locates them. Checks about what the simulation provides (robot types, control
parts, event and success functions and their params, links) run when the caller passes the
runtime's declarations (:data:`actionbank.runtime.RUNTIME`); ``lint`` and ``generate`` both do.
The checks live in this module (uids, shapes, files, names),
:mod:`~actionbank.spec.gym_params_checks` (event and success params),
:mod:`~actionbank.spec.gym_event_limits` (what events draw against the scene: focal lengths,
joint ranges), :mod:`~actionbank.spec.gym_value_checks` (values: timing, init_qpos,
affordances, sizes, names MuJoCo would see twice), :mod:`~actionbank.spec.gym_view_checks`
(cameras and lights), :mod:`~actionbank.spec.gym_dataset_checks` (what the recorder is asked
to write) and a few more; :data:`GYM_CHECKS` lists them all in the order they run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint, did_you_mean
from actionbank.source import pointer as jp
from actionbank.spec.assets import AssetPathError, resolve_asset
from actionbank.spec.gym_available import Available, Check, group_members, listing, objects
from actionbank.spec.gym_dataset_checks import check_dataset_saving, check_depth_videos, check_instruction
from actionbank.spec.gym_event_limits import check_event_limits
from actionbank.spec.gym_group_checks import check_event_modes, check_group_members
from actionbank.spec.gym_models import Attached, GymConfig, Shape, ShapePart, success_functions
from actionbank.spec.gym_observation_checks import check_observation_terms
from actionbank.spec.gym_params_checks import check_event_params, check_observation_params, check_success_params
from actionbank.spec.gym_robot import model_robot_problems
from actionbank.spec.gym_value_checks import (
    check_affordances,
    check_init_qpos,
    check_name_clashes,
    check_object_sizes,
    check_particle_containers_shape,
    check_robot_placement,
    check_timing,
    check_tool_frames,
)
from actionbank.spec.gym_view_checks import check_cameras, check_lights
from actionbank.spec.mesh_files import FLAT, mesh_problem

__all__ = ["GYM_CHECKS", "Available", "Check", "run_gym_checks"]


def check_unique_uids(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Robot, cameras, lights, objects and particle sets share one namespace of uids."""
    claims: list[tuple[str, str, str]] = [("/robot/uid", "robot", config.robot.uid)]
    claims += [(jp.join("/sensor", i, "uid"), f"sensor[{i}]", c.uid) for i, c in enumerate(config.sensor)]
    lights = config.light.direct if config.light else []
    claims += [(jp.join("/light/direct", i, "uid"), f"light.direct[{i}]", light.uid) for i, light in enumerate(lights)]
    for section in ("background", "rigid_object", "particles", "rigid_object_group"):
        for index, item in enumerate(getattr(config, section)):
            claims.append((jp.join("", section, index, "uid"), f"{section}[{index}]", item.uid))
    for pointer, member in group_members(config):  # a member's uid is its key
        claims.append((pointer, jp.dotted("", pointer), member.uid))
    owners: dict[str, str] = {}
    for pointer, where, uid in claims:
        if uid in owners:
            yield Diagnostic.make(
                "AB602",
                pointer,
                uid=uid,
                other=owners[uid],
                hint="the robot, each camera, light, object and particle set needs its own uid",
            )
        else:
            owners[uid] = where


def check_particle_containers(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    containers = [item.uid for item in config.rigid_object]
    for index, particles in enumerate(config.particles):
        if particles.container not in containers:
            yield Diagnostic.make(
                "AB603",
                jp.join("/particles", index, "container"),
                uid=particles.uid,
                container=particles.container,
                hint=choices_hint(particles.container, containers, "rigid objects"),
            )


_NEEDS: Mapping[str, tuple[str, ...]] = {
    "Box": ("size",),
    "Sphere": ("radius",),
    "Cylinder": ("radius", "height"),
    "Capsule": ("radius", "height"),
    "Mesh": ("fpath",),
    "Compound": ("parts",),
}
#: The size fields each primitive reads (a Compound's parts are checked against these).
_READS: Mapping[str, tuple[str, ...]] = {
    "Cube": ("size",),
    "Box": ("size",),
    "Sphere": ("radius",),
    "Cylinder": ("radius", "height"),
    "Capsule": ("radius", "height"),
}
#: The fields of a shape that a Compound ignores (its parts carry the geometry), with their defaults.
_NOT_COMPOUND: Mapping[str, object] = {
    "size": None,
    "radius": None,
    "height": None,
    "fpath": None,
    "compute_uv": False,
    "hollow": False,
}


def _size_problems(shape: Shape | ShapePart, pointer: str, where: str) -> Iterator[Diagnostic]:
    """AB604 for a size field the primitive needs, AB605 for a box size that is not 3 values."""
    for name in _NEEDS.get(shape.shape_type, ()):
        if getattr(shape, name) is None:
            yield Diagnostic.make("AB604", pointer, where=where, shape=shape.shape_type, field=name)
    if shape.shape_type in ("Box", "Cube") and shape.size is not None and len(shape.size) != 3:
        yield Diagnostic.make(
            "AB605",
            jp.join(pointer, "size"),
            where=where,
            shape=shape.shape_type,
            expected=3,
            actual=len(shape.size),
            hint="size holds the half extents [x, y, z] [m]",
        )


def _shape_problems(shape: Shape, pointer: str) -> Iterator[Diagnostic]:
    where = ".".join(jp.split(pointer))
    yield from _size_problems(shape, pointer, where)
    if shape.shape_type != "Compound":
        if shape.parts is not None:
            yield Diagnostic.make(
                "AB720",
                jp.join(pointer, "parts"),
                where=where,
                shape=shape.shape_type,
                hint="make shape_type Compound to build the object from its parts, or remove parts",
            )
        return
    for field, default in _NOT_COMPOUND.items():
        if getattr(shape, field) != default:
            yield Diagnostic.make(
                "AB721",
                jp.join(pointer, field),
                where=where,
                shape="Compound",
                what="shape",
                field=field,
                hint="a Compound's geometry is its parts: give each part its own size fields, or remove this",
            )
    yield from _parts_problems(shape.parts or [], jp.join(pointer, "parts"))


def _parts_problems(parts: list[ShapePart], pointer: str) -> Iterator[Diagnostic]:
    """Each part has the size fields its primitive reads (and no others) and its own name."""
    owners: dict[str, int] = {}
    for index, part in enumerate(parts):
        part_pointer = jp.join(pointer, index)
        where = ".".join(jp.split(part_pointer))
        yield from _size_problems(part, part_pointer, where)
        for field in ("size", "radius", "height"):
            if getattr(part, field) is not None and field not in _READS[part.shape_type]:
                yield Diagnostic.make(
                    "AB721",
                    jp.join(part_pointer, field),
                    where=where,
                    shape=part.shape_type,
                    what="part",
                    field=field,
                    hint=f"a {part.shape_type} reads {' and '.join(map(repr, _READS[part.shape_type]))}: remove {field!r}",
                )
        if part.name in owners:
            yield Diagnostic.make(
                "AB722",
                jp.join(part_pointer, "name"),
                where=where,
                name=part.name,
                other=f"{owners[part.name]}",
                hint="each part of an object needs its own name (its MuJoCo geom is '<uid>/<name>')",
            )
        else:
            owners[part.name] = index


def check_shapes(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each primitive (each part of a Compound) has its size fields, and a Compound's parts their
    own names; fields a shape does not read are warnings; a mesh names a file in the config's
    folder (unless outside files are allowed) that exists and that MuJoCo can read."""
    for pointer, item in objects(config):
        shape_pointer = jp.join(pointer, "shape")
        yield from _shape_problems(item.shape, shape_pointer)
        fpath = item.shape.fpath
        if item.shape.shape_type == "Mesh" and fpath is not None and available.base_dir is not None:
            yield from _mesh_file_problems(fpath, jp.join(shape_pointer, "fpath"), available)


def _mesh_file_problems(fpath: str, pointer: str, available: Available) -> Iterator[Diagnostic]:
    assert available.base_dir is not None
    try:
        resolved = resolve_asset(fpath, available.base_dir, allow_outside=available.allow_outside_assets)
    except AssetPathError as exc:
        yield Diagnostic.make(
            "AB616",
            pointer,
            path=fpath,
            reason=str(exc),
            hint="put the file in the gym config's folder, or pass --allow-outside-assets to read it where it is",
        )
        return
    if not resolved.is_file():
        yield Diagnostic.make(
            "AB606",
            pointer,
            path=fpath,
            hint=f"looked for {resolved}; a relative fpath is read from the gym config's folder",
        )
        return
    problem = mesh_problem(resolved)
    if problem is not None:
        flat = problem.startswith(FLAT)
        hint = "an object's mesh collides, so give it a volume" if flat else "export the mesh as binary STL, OBJ or MSH"
        yield Diagnostic.make("AB617", pointer, path=fpath, reason=problem, hint=hint)


def check_robot_type(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    if available.runtime is None:
        return
    types = list(available.runtime.robots)
    name = config.robot.robot_type
    if name is None or name in types:
        return
    guess = did_you_mean(name, types)
    yield Diagnostic.make(
        "AB607",
        "/robot/robot_type",
        name=name,
        available=listing(types),
        hint=f"did you mean {guess!r}?" if guess else None,
    )


def check_robot_model(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """``robot_type`` or ``fpath``; a model file's declaration fits the file (names only, no MuJoCo)."""
    yield from model_robot_problems(config, available.base_dir, allow_outside=available.allow_outside_assets)


def check_control_parts(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each control part once, and (when the robot's parts are known) one of them."""
    facts = available.robot(config)
    robot = facts.robot_type if facts is not None else config.robot.robot_type
    parts = list(facts.parts) if facts is not None else None
    seen: set[str] = set()
    for index, part in enumerate(config.env.control_parts):
        pointer = jp.join("/env/control_parts", index)
        if part in seen:
            yield Diagnostic.make("AB609", pointer, part=part)
        seen.add(part)
        if parts is not None and part not in parts:
            guess = did_you_mean(part, parts)
            yield Diagnostic.make(
                "AB608",
                pointer,
                part=part,
                robot=robot,
                available=listing(parts),
                hint=f"did you mean {guess!r}?" if guess else None,
            )


def check_functions(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Event and success functions are ones the simulation registers."""
    if available.runtime is None:
        return
    events = available.runtime.events
    for label, event in config.env.events.items():
        if event.func not in events:
            yield Diagnostic.make(
                "AB610",
                jp.join("/env/events", label, "func"),
                event=label,
                name=event.func,
                hint=choices_hint(event.func, events, "available event functions"),
            )
    success = available.runtime.success_checks
    if config.env.success is None:
        return
    for check, path in success_functions(config.env.success):
        if check.func not in success:
            yield Diagnostic.make(
                "AB611",
                jp.join("", *path, "func"),
                name=check.func,
                hint=choices_hint(check.func, success, "available success functions"),
            )


def check_camera_links(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    facts = available.robot(config)
    if facts is None:
        return
    links = facts.links
    for index, camera in enumerate(config.sensor):
        if not isinstance(camera.extrinsics, Attached):
            continue
        parent = camera.extrinsics.parent
        if parent not in links:
            yield Diagnostic.make(
                "AB612",
                jp.join("/sensor", index, "extrinsics", "parent"),
                camera=camera.uid,
                link=parent,
                hint=choices_hint(parent, links, f"links of robot type {facts.robot_type!r}"),
            )


#: Every check, in the order they run.
GYM_CHECKS: tuple[Check, ...] = (
    check_unique_uids,
    check_group_members,
    check_name_clashes,
    check_particle_containers,
    check_particle_containers_shape,
    check_shapes,
    check_object_sizes,
    check_robot_type,
    check_robot_model,
    check_robot_placement,
    check_control_parts,
    check_init_qpos,
    check_timing,
    check_functions,
    check_event_modes,
    check_event_params,
    check_event_limits,
    check_success_params,
    check_observation_terms,
    check_observation_params,
    check_affordances,
    check_tool_frames,
    check_cameras,
    check_camera_links,
    check_lights,
    check_dataset_saving,
    check_depth_videos,
    check_instruction,
)


def run_gym_checks(config: GymConfig, available: Available) -> list[Diagnostic]:
    """Every problem the checks find, unlocated (pointers only)."""
    return [diagnostic for check in GYM_CHECKS for diagnostic in check(config, available)]
