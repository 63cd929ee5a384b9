"""Rules of a gym config that its schema cannot say, as checks that yield diagnostics.

Each check takes the validated :class:`GymConfig` and what the caller knows
(:class:`Available`) and yields diagnostics with JSON pointers into the document; the
caller locates them. Checks about names the simulation provides (robot types, control
parts, event and success functions, links) run only when the caller passes those names.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint, did_you_mean
from actionbank.source import pointer as jp
from actionbank.spec.gym_models import Attached, GymConfig, RigidObject, Shape

__all__ = ["GYM_CHECKS", "Available", "run_gym_checks"]


class Available(NamedTuple):
    """What the simulation provides; ``None`` skips the checks that need it."""

    base_dir: Path | None = None
    robot_types: Collection[str] | None = None
    control_parts_by_robot: Mapping[str, Sequence[str]] | None = None
    event_functions: Collection[str] | None = None
    success_functions: Collection[str] | None = None
    link_names: Collection[str] | None = None


Check = Callable[[GymConfig, Available], Iterator[Diagnostic]]


def _listing(names: Collection[str]) -> str:
    return ", ".join(sorted(set(names))) or "none"


def _objects(config: GymConfig) -> Iterator[tuple[str, RigidObject]]:
    for section in ("background", "rigid_object"):
        for index, item in enumerate(getattr(config, section)):
            yield jp.join("", section, index), item


def check_unique_uids(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Robot, cameras, lights, objects and particle sets share one namespace of uids."""
    claims: list[tuple[str, str, str]] = [("/robot", "robot", config.robot.uid)]
    claims += [(jp.join("/sensor", i), f"sensor[{i}]", c.uid) for i, c in enumerate(config.sensor)]
    lights = config.light.direct if config.light else []
    claims += [(jp.join("/light/direct", i), f"light.direct[{i}]", light.uid) for i, light in enumerate(lights)]
    for section in ("background", "rigid_object", "particles"):
        for index, item in enumerate(getattr(config, section)):
            claims.append((jp.join("", section, index), f"{section}[{index}]", item.uid))
    owners: dict[str, str] = {}
    for pointer, where, uid in claims:
        if uid in owners:
            yield Diagnostic.make(
                "AB602",
                jp.join(pointer, "uid"),
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
}


def _shape_problems(shape: Shape, pointer: str) -> Iterator[Diagnostic]:
    where = ".".join(jp.split(pointer))
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


def check_shapes(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each primitive has its size fields; a mesh has a file that exists."""
    for pointer, item in _objects(config):
        shape_pointer = jp.join(pointer, "shape")
        yield from _shape_problems(item.shape, shape_pointer)
        fpath = item.shape.fpath
        if item.shape.shape_type != "Mesh" or fpath is None or available.base_dir is None:
            continue
        resolved = available.base_dir / fpath
        if not resolved.is_file():
            yield Diagnostic.make(
                "AB606",
                jp.join(shape_pointer, "fpath"),
                path=fpath,
                hint=f"looked for {resolved}; a relative fpath is read from the gym config's folder",
            )


def check_robot_type(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    types = available.robot_types
    name = config.robot.robot_type
    if types is None or name in types:
        return
    guess = did_you_mean(name, types)
    yield Diagnostic.make(
        "AB607",
        "/robot/robot_type",
        name=name,
        available=_listing(types),
        hint=f"did you mean {guess!r}?" if guess else None,
    )


def check_control_parts(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each control part once, and (when the robot's parts are known) one of them."""
    by_robot = available.control_parts_by_robot
    robot = config.robot.robot_type
    parts = by_robot.get(robot) if by_robot is not None else None
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
                available=_listing(parts),
                hint=f"did you mean {guess!r}?" if guess else None,
            )


def check_functions(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Event and success functions are ones the simulation registers."""
    events = available.event_functions
    if events is not None:
        for label, event in config.env.events.items():
            if event.func not in events:
                yield Diagnostic.make(
                    "AB610",
                    jp.join("/env/events", label, "func"),
                    event=label,
                    name=event.func,
                    hint=choices_hint(event.func, events, "available event functions"),
                )
    success, check = available.success_functions, config.env.success
    if success is not None and check is not None and check.func not in success:
        yield Diagnostic.make(
            "AB611",
            "/env/success/func",
            name=check.func,
            hint=choices_hint(check.func, success, "available success functions"),
        )


def check_camera_links(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    links = available.link_names
    if links is None:
        return
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
                hint=choices_hint(parent, links, "links"),
            )


#: Every check, in the order they run.
GYM_CHECKS: tuple[Check, ...] = (
    check_unique_uids,
    check_particle_containers,
    check_shapes,
    check_robot_type,
    check_control_parts,
    check_functions,
    check_camera_links,
)


def run_gym_checks(config: GymConfig, available: Available) -> list[Diagnostic]:
    """Every problem the checks find, unlocated (pointers only)."""
    return [diagnostic for check in GYM_CHECKS for diagnostic in check(config, available)]
