"""Checks of the ``params`` of events and of the success check, against their declarations.

Each declared function has a typed params model (:mod:`actionbank.runtime`): the params are
validated against it (its JSON Schema explains a rejection, so a misspelt key is an AB111 at
its line with a did-you-mean), then the model's own value problems (AB613, AB615) and the
scene entities it names (AB614: an object, light, control part … that must exist) are
reported. Params of a function the runtime does not declare are left to AB610 / AB611.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.runtime import Declaration, Params, Reference, RobotFacts
from actionbank.source import pointer as jp
from actionbank.spec.assets import AssetPathError, resolve_asset, texture_images
from actionbank.spec.gym_available import Available, objects
from actionbank.spec.gym_models import GymConfig, RigidObject, success_functions
from actionbank.spec.schema import describe_path, model_schema, schema_diagnostics

__all__ = ["check_event_params", "check_observation_params", "check_success_params", "params_schema"]


@functools.cache
def params_schema(model: type[Params]) -> dict[str, Any]:
    """The JSON Schema of a params model."""
    return model_schema(model, model.__name__, model.__doc__ or "")


def check_event_params(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each declared event's params are valid, and the entities they name exist."""
    if available.runtime is None:
        return
    for label, event in config.env.events.items():
        declaration = available.runtime.events.get(event.func)
        if declaration is not None:
            yield from _params_problems(
                declaration, event.params, ("env", "events", label, "params"), config, available
            )


def check_success_params(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each function of the success check (nested in ``all``/``any``/``not`` too) has valid
    params, and the entities they name exist."""
    if available.runtime is None or config.env.success is None:
        return
    for check, path in success_functions(config.env.success):
        declaration = available.runtime.success_checks.get(check.func)
        if declaration is not None:
            yield from _params_problems(declaration, check.params, (*path, "params"), config, available)


def check_observation_params(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each declared observation term's params are valid, and the entities they name exist."""
    if available.runtime is None:
        return
    for label, term in config.env.observations.items():
        declaration = available.runtime.observations.get(term.func)
        if declaration is not None:
            yield from _params_problems(
                declaration, term.params, ("env", "observations", label, "params"), config, available
            )


def _params_problems(
    declaration: Declaration,
    raw: Mapping[str, Any],
    path: Sequence[str | int],
    config: GymConfig,
    available: Available,
) -> Iterator[Diagnostic]:
    pointer = jp.join("", *path)
    try:
        params = declaration.parse(raw)
    except ValidationError as error:
        found = schema_diagnostics(params_schema(declaration.params), dict(raw), path)
        if not found:  # the model is stricter than its schema can say (e.g. 1.0 as an integer)
            for item in error.errors():
                loc = [*path, *(p for p in item["loc"] if isinstance(p, str | int))]
                found.append(Diagnostic.make("AB115", jp.join("", *loc), where=describe_path(loc), reason=item["msg"]))
        yield from found
        return
    where = jp.path_text(path)
    for problem in params.problems(where):
        yield dataclasses.replace(problem, pointer=pointer + problem.pointer)
    robot = available.robot(config)
    for reference in params.references():
        yield from _reference_problems(reference, pointer, where, config, robot)
    materials = getattr(params, "materials", None)
    if callable(materials) and available.base_dir is not None:
        request = materials()
        for image, relative in zip(request.images, request.image_pointers, strict=True):
            reason = _image_problem(image, available.base_dir, available.allow_outside_assets)
            if reason:
                yield Diagnostic.make(
                    "AB753", pointer + relative, where=jp.dotted(where, relative), path=image, reason=reason
                )


def _image_problem(path: str, base_dir: Path, allow_outside: bool) -> str | None:
    """Why the image (or folder of PNG images) ``path`` cannot be used, or ``None``: the files
    are those the scene reads (:func:`~actionbank.spec.assets.texture_images`), under the same rule."""
    try:
        images = texture_images(path, base_dir, allow_outside=allow_outside)
    except AssetPathError as error:
        return (
            f"reads a file outside the gym config's folder: {error}; "
            "pass --allow-outside-assets to lint and generate to allow it"
        )
    resolved = resolve_asset(path, base_dir, allow_outside=allow_outside)
    if not resolved.exists():
        return f"does not exist ({resolved})"
    if resolved.is_dir() and not images:
        return "is a folder without PNG images"
    if resolved.is_file() and resolved.suffix.lower() != ".png":
        return "is not a PNG image"
    missing = [name for name, file in images if not file.is_file()]
    if missing:
        return f"holds {missing[0]!r}, which does not exist ({dict(images)[missing[0]]})"
    return None


def _reference_problems(
    reference: Reference, params_pointer: str, where: str, config: GymConfig, robot: RobotFacts | None
) -> Iterator[Diagnostic]:
    """AB614 when ``reference`` names no entity of its kind (``None`` choices: not checkable)."""
    if reference.asked is not None:
        yield from _count_problems(reference, params_pointer, where, config)
        return
    all_objects = {item.uid: item for _, item in objects(config)}
    choices: Sequence[str] | None
    note = ""
    kind, name = reference.kind, reference.name
    if kind == "object":
        choices = list(all_objects)
    elif kind == "movable object":
        choices = [uid for uid, item in all_objects.items() if item.body_type != "static"]
        if name in all_objects and name not in choices:
            note = f"{name!r} is static and cannot be moved: make its body_type dynamic or kinematic"
    elif kind == "cylinder":
        choices = [uid for uid, item in all_objects.items() if item.shape.shape_type == "Cylinder"]
        if name in all_objects and name not in choices:
            note = f"{name!r} is a {all_objects[name].shape.shape_type}, not a Cylinder"
    elif kind == "light":
        choices = [light.uid for light in config.light.direct] if config.light else []
    elif kind == "camera":
        choices = [camera.uid for camera in config.sensor]
    elif kind == "robot":
        choices = [config.robot.uid]
    elif kind == "control part":
        choices = list(config.env.control_parts)
        if robot is not None and name in robot.parts:
            note = f"{name!r} is a part of the robot but not one of env.control_parts"
    elif kind == "robot part":
        choices = list(robot.parts) if robot is not None else None
    elif kind == "end effector":
        choices = None
        if robot is not None:
            choices = [part for part, facts in robot.parts.items() if facts.kind == "eef"]
            if name in robot.parts and name not in choices:
                note = f"{name!r} is an {robot.parts[name].kind}, not an end effector"
    elif kind == "point":
        choices = [*all_objects, *robot.parts] if robot is not None else None
    elif kind == "particles":
        choices = [particles.uid for particles in config.particles]
    elif kind == "part":
        choices, note = _part_choices(reference.owner or "", all_objects, robot)
    elif kind == "group":
        choices = [group.uid for group in config.rigid_object_group]
        if name in all_objects:
            note = f"{name!r} is an object, not a rigid_object_group"
    else:  # "body": an object or a body of the robot's model
        choices = [*all_objects, *robot.bodies] if robot is not None else None
    if choices is None or name in choices:
        return
    what = f"part of {reference.owner!r}" if kind == "part" else kind
    hint = choices_hint(name, choices, "parts" if kind == "part" else _plural(kind))
    yield Diagnostic.make(
        "AB614",
        params_pointer + reference.pointer,
        where=jp.dotted(where, reference.pointer),
        kind=what,
        name=name,
        hint=f"{note}; {hint}" if note else hint,
    )


def _count_problems(reference: Reference, params_pointer: str, where: str, config: GymConfig) -> Iterator[Diagnostic]:
    """AB633 when the params ask for more members than the group ``reference`` names has."""
    group = next((g for g in config.rigid_object_group if g.uid == reference.name), None)
    count = reference.asked
    if group is None or count is None or count <= len(group.rigid_objects):
        return
    yield Diagnostic.make(
        "AB633",
        params_pointer + reference.pointer,
        where=jp.dotted(where, reference.pointer),
        count=count,
        group=group.uid,
        members=len(group.rigid_objects),
        hint=f"ask for at most {len(group.rigid_objects)}, or add members to the group",
    )


def _plural(kind: str) -> str:
    """``objects``, ``bodies``, ``particles``."""
    return kind if kind.endswith("s") else kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def _part_choices(
    owner: str, all_objects: Mapping[str, RigidObject], robot: RobotFacts | None
) -> tuple[Sequence[str] | None, str]:
    """The part names of object ``owner`` (none unless it is a Compound) and a note on why
    there are none; ``None`` when not checkable: ``owner`` is unknown (its own reference
    reports that) or a Compound without parts (AB604)."""
    item = all_objects.get(owner)
    if item is None:
        if robot is not None and owner in robot.bodies:
            return [], f"{owner!r} is a body of the robot, not a Compound object"
        return None, ""
    if item.shape.shape_type != "Compound":
        return [], f"{owner!r} is a {item.shape.shape_type}, not a Compound: only a Compound has parts"
    if item.shape.parts is None:
        return None, ""  # AB604: the Compound has no parts at all
    return [part.name for part in item.shape.parts], ""
