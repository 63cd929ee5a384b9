"""Checks of values a gym config's types accept but the simulation cannot honour.

Each would otherwise crash MuJoCo or a reset, or record wrong data with exit 0: a physics step
that does not divide the control period (a control rate that is not the one recorded), a
fractional control rate (LeRobot stores an integer fps), an ``init_qpos`` of the wrong
length, an affordance that is not a rectangular array of numbers (or, named as a pose, not a
4x4 matrix: the node functions fail on it in the middle of a run), particles in a container
that cannot hold them, objects too small for MuJoCo's inertia, and uids that give MuJoCo one
name twice. Cameras and lights are checked in :mod:`actionbank.spec.gym_view_checks`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime.names import ElementKind, object_names, particles_names
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available, objects
from actionbank.spec.gym_models import CUBE_HALF_EXTENT, GymConfig, Shape, ShapePart

__all__ = [
    "POSE_SUFFIXES",
    "check_affordances",
    "check_init_qpos",
    "check_name_clashes",
    "check_object_sizes",
    "check_particle_containers_shape",
    "check_robot_placement",
    "check_timing",
    "check_tool_frames",
    "rigid_problem",
]

#: How far the physics steps per control step may be from a whole number (relative).
_DIVIDES = 1e-9


def check_timing(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """A whole number of physics steps per control step, and a whole number of Hz (the fps)."""
    freq, timestep = config.control_freq, config.physics.timestep
    steps = 1.0 / (freq * timestep)
    whole = round(steps)
    if whole < 1 or abs(steps - whole) > _DIVIDES * whole:
        n = max(whole, 1)
        yield Diagnostic.make(
            "AB620",
            "/physics/timestep",
            timestep=timestep,
            freq=freq,
            period=1.0 / freq,
            steps=steps,
            hint=f"e.g. timestep {1.0 / (freq * n):.6g} s gives {n} physics step(s) per control step",
        )
    if not float(freq).is_integer():
        yield Diagnostic.make(
            "AB621",
            "/control_freq",
            freq=freq,
            hint=f"LeRobot records fps as an integer: use e.g. {max(1, round(freq))} Hz",
        )


#: The smallest scaled half extent, radius or half height of a primitive [m]: below it MuJoCo
#: finds no inertia in a light object and refuses the scene.
MIN_SCALED_EXTENT = 0.0005


def _smallest_extent(shape: Shape | ShapePart, scale: tuple[float, float, float]) -> float | None:
    """The smallest half extent, radius or half height [m] of a primitive after body_scale."""
    sx, sy, sz = scale
    if shape.shape_type in ("Box", "Cube"):
        half = shape.size if shape.size is not None and len(shape.size) == 3 else [CUBE_HALF_EXTENT] * 3
        return min(half[0] * sx, half[1] * sy, half[2] * sz)
    if shape.radius is None:
        return None
    if shape.shape_type == "Sphere":
        return shape.radius * sx
    if shape.shape_type in ("Cylinder", "Capsule") and shape.height is not None:
        return min(shape.radius * sx, shape.height * sz / 2)
    return None


def check_object_sizes(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each primitive (each part of a Compound), scaled by body_scale, is at least
    :data:`MIN_SCALED_EXTENT` in every dimension."""
    for pointer, item in objects(config):
        shapes: list[tuple[str, Shape | ShapePart]] = [(jp.join(pointer, "shape"), item.shape)]
        if item.shape.shape_type == "Compound":
            shapes = [(jp.join(pointer, "shape", "parts", i), part) for i, part in enumerate(item.shape.parts or ())]
        for shape_pointer, shape in shapes:
            smallest = _smallest_extent(shape, item.body_scale)
            if smallest is not None and smallest < MIN_SCALED_EXTENT:
                yield Diagnostic.make(
                    "AB632",
                    shape_pointer,
                    where=".".join(str(t) for t in jp.split(shape_pointer)),
                    uid=item.uid,
                    size=smallest,
                    minimum=MIN_SCALED_EXTENT,
                    hint="enlarge the shape or its body_scale",
                )


def check_init_qpos(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """``robot.init_qpos`` has one value per value of the control parts, in their order."""
    facts = available.robot(config)
    init_qpos = config.robot.init_qpos
    parts = config.env.control_parts
    if facts is None or init_qpos is None or any(part not in facts.parts for part in parts):
        return
    names = facts.values_of(parts)
    if len(init_qpos) != len(names):
        yield Diagnostic.make(
            "AB619",
            "/robot/init_qpos",
            actual=len(init_qpos),
            parts=", ".join(parts),
            expected=len(names),
            hint="in order: " + ", ".join(names) + " (arm joints [rad], grippers 0 = closed to 1 = open)",
        )
        return
    index = 0
    for part in (facts.parts[name] for name in parts):
        bounds = [facts.joint_ranges.get(j) for j in part.joints] if part.kind == "arm" else [(0.0, 1.0)]
        for name, span in zip(part.state_names, bounds, strict=True):
            value = init_qpos[index]
            if span is not None and not span[0] <= value <= span[1]:
                what = (
                    "0 (closed) to 1 (open)" if part.kind == "eef" else f"the joint's range [{span[0]:g}, {span[1]:g}]"
                )
                yield Diagnostic.make(
                    "AB634",
                    jp.join("/robot/init_qpos", index),
                    index=index,
                    name=name,
                    value=value,
                    allowed=what,
                    hint="the simulation would clamp it: give a value inside",
                )
            index += 1


def _array_problem(value: Any, pointer: str) -> tuple[str, str] | None:
    """(pointer, reason) of the first thing that keeps ``value`` from being a rectangular
    array of numbers, or ``None``."""
    if isinstance(value, bool):
        return pointer, "true/false is not a number"
    if isinstance(value, int | float):
        return None
    if not isinstance(value, list):
        kind = "a string" if isinstance(value, str) else "null" if value is None else "an object"
        return pointer, f"{kind} is neither a number nor a list"
    shapes: list[tuple[int, ...]] = []
    for index, item in enumerate(value):
        problem = _array_problem(item, jp.join(pointer, index))
        if problem is not None:
            return problem
        shapes.append(_shape(item))
    for index, shape in enumerate(shapes[1:], start=1):
        if shape != shapes[0]:
            return jp.join(pointer, index), f"its rows differ: item 0 has shape {shapes[0]}, item {index} {shape}"
    return None


def _shape(value: Any) -> tuple[int, ...]:
    return (len(value), *_shape(value[0])) if isinstance(value, list) and value else (0,) if value == [] else ()


#: Name endings of affordances that are poses (EmbodiChain's naming: ``<uid>_pose``, a grasp
#: ``*_pose_object`` in an object's frame): the node functions take a pose as a 4x4 matrix.
POSE_SUFFIXES = ("_pose", "_pose_object")
#: The shapes a pose may have: a 4x4 matrix, or one in a batch of one.
_POSE_SHAPES = ((4, 4), (1, 4, 4))


def check_affordances(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each ``env.affordances`` constant is a number or a rectangular array of numbers, and one
    named as a pose (:data:`POSE_SUFFIXES`) is a 4x4 matrix."""
    for key, value in config.env.affordances.items():
        pointer = jp.join("/env/affordances", key)
        problem = _array_problem(value, pointer)
        if problem is not None:
            at, reason = problem
            yield Diagnostic.make(
                "AB618",
                at,
                key=key,
                reason=reason,
                hint="write a number, a list of numbers, or rows of equal length (a 4x4 pose: 4 rows of 4)",
            )
        elif key.endswith(POSE_SUFFIXES) and (shape := _shape(value)) not in _POSE_SHAPES:
            what = "a number" if shape == () else f"an array of shape {'x'.join(map(str, shape))}"
            yield Diagnostic.make(
                "AB637",
                pointer,
                key=key,
                shape=what,
                hint="a pose is 4 rows of 4 numbers: rotation and position [m], the last row [0, 0, 0, 1]; "
                "rename it if it is not a pose",
            )
        elif key.endswith(POSE_SUFFIXES):
            not_rigid = rigid_problem(value[0] if _shape(value) == (1, 4, 4) else value)
            if not_rigid is not None:
                yield Diagnostic.make("AB640", pointer, what=f"affordance {key!r}", reason=not_rigid, hint=_RIGID_HINT)


def check_tool_frames(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each arm's ``solver_cfg`` tool frame (``tcp``) is a rigid transform."""
    for part, solver in config.robot.solver_cfg.items():
        reason = rigid_problem(solver.tcp)
        if reason is not None:
            pointer = jp.join("/robot/solver_cfg", part, "tcp")
            yield Diagnostic.make(
                "AB640", pointer, what=f"robot.solver_cfg.{part}.tcp", reason=reason, hint=_RIGID_HINT
            )


#: How far a pose's rotation may be from orthonormal: written values rounded to two digits
#: (0.71 for the sine of 45 degrees) pass; a scale or a shear does not.
RIGID_TOLERANCE = 0.01
_RIGID_HINT = "a pose is [[R, p], [0, 0, 0, 1]]: R a rotation (orthonormal columns, determinant 1), p the position [m]"


def rigid_problem(matrix: Any) -> str | None:
    """Why the 4x4 ``matrix`` (rows of numbers) is not a rigid transform, or ``None`` when it is
    one (to :data:`RIGID_TOLERANCE`). Written by hand: three-by-three arithmetic, no numpy in lint."""
    rows = [[float(x) for x in row] for row in matrix]
    if rows[3] != [0.0, 0.0, 0.0, 1.0]:
        return f"its last row is {rows[3]}, not [0, 0, 0, 1]"
    r = [row[:3] for row in rows[:3]]
    worst = max(
        abs(sum(r[k][i] * r[k][j] for k in range(3)) - (1.0 if i == j else 0.0)) for i in range(3) for j in range(3)
    )
    if worst > RIGID_TOLERANCE:
        return f"its rotation part is not orthonormal (its columns' dot products are off by up to {worst:.3g})"
    determinant = (
        r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
        - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0])
    )
    if determinant < 0:
        return "its rotation part is a reflection (determinant -1): it turns a right-handed frame left-handed"
    return None


def check_particle_containers_shape(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Particles start inside a hollow Cylinder (the only container the scene can fill)."""
    containers = {item.uid: item for item in config.rigid_object}
    for index, particles in enumerate(config.particles):
        container = containers.get(particles.container)
        if container is None:
            continue  # AB603
        shape = container.shape
        if shape.shape_type != "Cylinder" or not shape.hollow:
            what = f"a solid {shape.shape_type}" if shape.shape_type == "Cylinder" else f"a {shape.shape_type}"
            yield Diagnostic.make(
                "AB622",
                jp.join("/particles", index, "container"),
                uid=particles.uid,
                container=particles.container,
                shape=what,
                hint="give the container shape {shape_type: Cylinder, radius: …, height: …, hollow: true}",
            )


def check_robot_placement(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """The robot stands where its model puts it: a base pose in the config is not applied."""
    for field in ("init_pos", "init_rot"):
        if any(getattr(config.robot, field)):
            yield Diagnostic.make(
                "AB630",
                jp.join("/robot", field),
                field=field,
                hint="remove it, or move the scene's objects and cameras instead",
            )


def check_name_clashes(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """No two elements of the built scene get one MuJoCo name (the robot's model included).

    An object adds a body and geom named by its uid, ``<uid>_joint``, ``<uid>_mesh`` and, when
    hollow, ``<uid>_wall<i>`` (a Compound: a geom ``<uid>/<part>`` per part, none named by its uid);
    particle set ``p`` adds ``p_<i>`` (bodies, geoms) and
    ``p_<i>_joint``. Elements whose uid repeats an earlier uid are left to AB602.
    """
    owners: dict[tuple[ElementKind, str], str] = {}
    facts = available.robot(config)
    if facts is not None:
        robot = f"robot type {facts.robot_type!r}'s model"
        owners.update({("body", name): robot for name in facts.bodies})
        owners.update({("geom", name): robot for name in facts.geoms})
        owners.update({("joint", name): robot for name in facts.joints})
        owners.update({("mesh", name): robot for name in facts.meshes})
        owners.update({("light", name): robot for name in facts.lights})
    claims: list[tuple[str, str, str, Iterator[tuple[ElementKind, str]]]] = []
    for pointer, item in objects(config):
        where = ".".join(str(t) for t in jp.split(pointer))
        parts = list(dict.fromkeys(part.name for part in item.shape.parts or ()))  # a repeat is AB722
        names = object_names(item.uid, item.shape.shape_type, item.shape.hollow, item.body_type, parts)
        claims.append((pointer, where, item.uid, names))
    for index, particles in enumerate(config.particles):
        claims.append(
            (
                jp.join("/particles", index),
                f"particles.{index}",
                particles.uid,
                particles_names(particles.uid, particles.count),
            )
        )
    for index, light in enumerate(config.light.direct if config.light else []):
        claims.append(
            (jp.join("/light/direct", index), f"light.direct.{index}", light.uid, iter([("light", light.uid)]))
        )
    seen: set[str] = set()
    for pointer, where, uid, names in claims:
        if uid in seen:
            continue
        seen.add(uid)
        for kind, name in names:
            other = owners.get((kind, name))
            if other is not None:
                yield Diagnostic.make(
                    "AB629",
                    jp.join(pointer, "uid"),
                    where=where,
                    uid=uid,
                    kind=kind,
                    name=name,
                    other=other,
                    hint="choose another uid",
                )
                break
            owners[(kind, name)] = f"{where} ({uid!r})"
