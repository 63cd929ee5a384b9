"""Keys of EmbodiChain's gym configs that actionbank does not support, named as such.

EmbodiChain's gym configs carry keys for its own simulator (PhysX, its renderer, its robot
assembly): articulated objects, a robot built from component URDFs (``urdf_cfg``), joint drive
properties (``drive_pros``), renderer options, stereo cameras, IK solver classes, rigid-body
tuning. Our models do not have them, so the schema would call each an unknown key (AB111).
This pass runs on the raw document before the models: for each such key it yields a located
diagnostic that names what is not supported and what to do instead, and takes the key out of
the data the models validate, so the rest of the file is still checked.

- AB762 (error): the key changes what is simulated and cannot be reproduced (an articulation,
  a robot assembled from ``urdf_cfg``, a stereo camera); nothing runs.
- AB763 (warning): the key is ignored; the scene runs without it (renderer options, drive
  properties of a registered robot, IK solver classes, velocity limits and damping).
- AB764 (info): a PhysX setting that MuJoCo has no counterpart for, accepted by the models and
  ignored: ``contact_offset``, ``min_position_iters`` …, and ``restitution`` above 0 (MuJoCo's
  contacts here do not bounce) and ``dynamic_friction`` beside a different ``static_friction``
  (MuJoCo has one sliding friction coefficient: :attr:`~actionbank.spec.gym_models.ObjectAttrs.sliding_friction`).

The keys the models accept whose value the backend does not apply as written (a light's range,
a mesh's convex decomposition, an ``interval_step`` of an event that does not repeat, …) are
:mod:`actionbank.spec.gym_unapplied`'s; :func:`strip_unsupported` reports them too, so that one
pass before the models names every key that is not applied.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, NamedTuple

from actionbank.diagnostics import Diagnostic
from actionbank.source import pointer as jp
from actionbank.spec.gym_unapplied import number, objects_as_written, unapplied_keys
from actionbank.spec.schema import describe_path

__all__ = ["IGNORED_PHYSX_KEYS", "StrippedConfig", "strip_unsupported"]

#: ObjectAttrs keys that only tune PhysX (accepted by the models, ignored by MuJoCo).
IGNORED_PHYSX_KEYS = (
    "contact_offset",
    "rest_offset",
    "max_depenetration_velocity",
    "min_position_iters",
    "min_velocity_iters",
)
#: Rigid-body keys of EmbodiChain's ``attrs`` that the MuJoCo backend does not apply.
_IGNORED_ATTRS = {
    "linear_damping": "linear damping of the body",
    "angular_damping": "angular damping of the body",
    "max_linear_velocity": "a linear velocity limit",
    "max_angular_velocity": "an angular velocity limit",
}
#: What our render section takes (for the hint).
_RENDER_KEYS = ("shadow_size", "multisamples")
#: Keys of a solver_cfg entry that name EmbodiChain's solver, not the tool frame.
_SOLVER_KEYS = ("class_type", "root_link_name", "ur_type", "urdf_path")
#: Robot keys that only tune PhysX's articulation solver.
_ROBOT_PHYSX_KEYS = ("min_position_iters", "min_velocity_iters")


class StrippedConfig(NamedTuple):
    """The document's data without the keys reported, and the diagnostics (pointers into the
    original data, which the removals leave valid: only mapping keys are removed)."""

    data: Any
    diagnostics: list[Diagnostic]


def strip_unsupported(data: Any) -> StrippedConfig:
    """Report and remove the unsupported EmbodiChain keys of gym config ``data`` (not changed)."""
    if not isinstance(data, dict):
        return StrippedConfig(data, [])
    stripped = copy.deepcopy(data)
    return StrippedConfig(stripped, [*_scene(stripped), *unapplied_keys(data)])


Path = tuple[str | int, ...]


def _error(path: Path, what: str, hint: str) -> Diagnostic:
    return Diagnostic.make("AB762", jp.join("", *path), hint=hint, where=describe_path(path), what=what)


def _ignored(path: Path, what: str, hint: str) -> Diagnostic:
    return Diagnostic.make("AB763", jp.join("", *path), hint=hint, where=describe_path(path), what=what)


def _scene(data: dict[str, Any]) -> Iterator[Diagnostic]:
    yield from _articulations(data)
    robot = data.get("robot")
    if isinstance(robot, dict):
        yield from _robot(robot)
    render = data.get("render")
    if isinstance(render, dict):
        for key in [k for k in render if k not in _RENDER_KEYS]:
            del render[key]
            yield _ignored(
                ("render", key),
                f"renderer option {key!r}",
                f"MuJoCo's OpenGL renderer takes {', '.join(_RENDER_KEYS)}; remove {key!r}",
            )
    sensors = data.get("sensor")
    if isinstance(sensors, list):
        for index, sensor in enumerate(sensors):
            if isinstance(sensor, dict):
                yield from _sensor(sensor, ("sensor", index))
    for path, item in objects_as_written(data):
        attrs = item.get("attrs")
        if isinstance(attrs, dict):
            yield from _attrs(attrs, (*path, "attrs"))


def _articulations(data: dict[str, Any]) -> Iterator[Diagnostic]:
    entries = data.get("articulation")
    if entries is None or entries == []:
        data.pop("articulation", None)  # an empty section holds nothing to drop
        return
    del data["articulation"]
    if not isinstance(entries, list):
        yield _error(("articulation",), "the articulation section", "actionbank simulates rigid objects only")
        return
    for index, entry in enumerate(entries):
        name = entry.get("uid", f"#{index}") if isinstance(entry, dict) else f"#{index}"
        model = entry.get("fpath") if isinstance(entry, dict) else None
        yield _error(
            ("articulation", index),
            f"articulation {name!r}" + (f" (the articulated model {model!r})" if model else ""),
            "actionbank simulates rigid objects only: remove it, or model it as a rigid_object "
            "(a Mesh or a Compound of primitives)",
        )


def _robot(robot: dict[str, Any]) -> Iterator[Diagnostic]:
    if "urdf_cfg" in robot:
        del robot["urdf_cfg"]
        yield _error(
            ("robot", "urdf_cfg"),
            "a robot assembled from component URDFs (urdf_cfg)",
            "join the components into one URDF or MJCF file and give it as robot.fpath with "
            "robot.control_parts, or name a registered robot_type",
        )
    if "drive_pros" in robot:
        del robot["drive_pros"]
        yield _ignored(
            ("robot", "drive_pros"),
            "EmbodiChain's joint drive section 'drive_pros'",
            "a registered robot keeps its own actuators; a robot from fpath takes robot.drive "
            "{stiffness, damping, gravity_compensation}",
        )
    for key in [k for k in _ROBOT_PHYSX_KEYS if k in robot]:
        del robot[key]
        yield _ignored(("robot", key), f"the PhysX articulation setting {key!r}", f"remove {key!r}")
    if "attrs" in robot:
        del robot["attrs"]
        yield _ignored(
            ("robot", "attrs"),
            "a rigid-body attribute section for the robot's links",
            "the robot model's own masses and frictions are used; remove attrs",
        )
    solvers = robot.get("solver_cfg")
    if isinstance(solvers, dict):
        for part, solver in solvers.items():
            if not isinstance(solver, dict):
                continue
            for key in [k for k in _SOLVER_KEYS if k in solver]:
                del solver[key]
                yield _ignored(
                    ("robot", "solver_cfg", part, key),
                    f"the IK solver setting {key!r}",
                    "actionbank solves IK with its own solver from the model and end_link_name; remove it",
                )


def _sensor(sensor: dict[str, Any], path: Path) -> Iterator[Diagnostic]:
    kind = sensor.get("sensor_type")
    if kind == "StereoCamera":
        sensor["sensor_type"] = "Camera"
        for key in ("left_to_right_pos", "intrinsics_right"):
            sensor.pop(key, None)
        yield _error(
            (*path, "sensor_type"),
            "a StereoCamera",
            "declare the left and the right camera as two Camera sensors",
        )


def _attrs(attrs: dict[str, Any], path: Path) -> Iterator[Diagnostic]:
    for key, what in _IGNORED_ATTRS.items():
        if key in attrs:
            del attrs[key]
            yield _ignored((*path, key), f"{what} ({key!r})", f"remove {key!r}")
    contact = set(_contact_keys(attrs))
    noted = [key for key in attrs if key in IGNORED_PHYSX_KEYS or key in contact]  # as written
    if noted:  # one note per object, at the first of them
        hints = []
        if "dynamic_friction" in contact:
            hints.append(
                f"MuJoCo has one friction coefficient for sticking and sliding: static_friction "
                f"{attrs['static_friction']:g} is applied"
            )
        if "restitution" in contact:
            hints.append("MuJoCo's contacts here are critically damped and do not bounce")
        if contact != set(noted):
            hints.append("the others tune PhysX's solver")
        yield Diagnostic.make(
            "AB764",
            jp.join("", *path, noted[0]),
            hint="; ".join([*hints, "remove them to silence this note"]),
            where=describe_path(path),
            keys=", ".join(noted),
        )


def _contact_keys(attrs: dict[str, Any]) -> Iterator[str]:
    """The contact keys of ``attrs`` whose value MuJoCo does not apply: ``dynamic_friction`` beside
    a different ``static_friction`` (the one applied), ``restitution`` above 0."""
    static, dynamic = number(attrs.get("static_friction")), number(attrs.get("dynamic_friction"))
    if static is not None and dynamic is not None and dynamic != static:
        yield "dynamic_friction"
    restitution = number(attrs.get("restitution"))
    if restitution is not None and restitution > 0:
        yield "restitution"
