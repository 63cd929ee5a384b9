"""Keys the gym config models accept whose value the MuJoCo backend does not apply as written.

Nothing in a gym config is silently ignored: every key is used, or reported here at its line
with what to do instead. This pass reads the raw document (before the models, so it reports
even when the schema does not pass) and changes nothing; the keys stay in the models, which
document what becomes of each.

- AB763 (warning, ignored): a light's ``radius`` (MuJoCo's OpenGL renderer lights without a
  range); a mesh's ``max_convex_hull_num`` above 1 (MuJoCo collides a mesh as its one convex
  hull, which is what 1 asks for); a mesh's explicit ``compute_uv: false`` (MuJoCo computes
  texture coordinates for a textured mesh without its own, which is what ``true`` asks for).
- AB765 (warning): a light's ``intensity`` above 1, which renders as 1.
- AB766 (warning): a key of ``robot_meta`` or ``instruction`` that nothing reads, or a key of
  ``extra`` that looks like a misspelling of one that is read (``scene_type`` …); other keys of
  ``extra`` are recorded in the dataset's metadata as written.
- AB767 (warning): a key with no effect where it is written: ``interval_step`` of an event that
  does not repeat, ``max_convex_hull_num`` or ``compute_uv: true`` on a primitive (its own
  collision shape, with its own texture coordinates).

What is used rather than reported: ``num_envs`` (``generate``'s default ``--num-envs``),
``dynamic_friction`` without ``static_friction`` (MuJoCo's sliding friction), ``restitution: 0``,
``max_convex_hull_num: 1`` on a mesh, ``compute_uv: true`` on a mesh; ``dataset.lerobot.func``
and ``mode`` take only the values this backend implements (the models say which).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actionbank.diagnostics import Diagnostic
from actionbank.diagnostics.hints import choices_hint, did_you_mean
from actionbank.source import pointer as jp
from actionbank.spec.gym_models import EXTRA_KEYS, Instruction, RobotMeta
from actionbank.spec.schema import describe_path

__all__ = ["number", "objects_as_written", "unapplied_keys"]

Path = tuple[str | int, ...]

#: Primitive shapes: each its own collision shape, with its own texture coordinates.
_PRIMITIVES = ("Cube", "Box", "Sphere", "Cylinder", "Capsule")
#: The event modes that do not repeat (``interval`` is the one that reads ``interval_step``).
_ONCE_MODES = ("prestartup", "startup", "reset")
#: The dataset metadata objects whose further keys nothing reads, with the keys that are read.
_READ_METADATA = {
    "robot_meta": tuple(RobotMeta.model_fields),
    "instruction": tuple(Instruction.model_fields),
}


def number(value: Any) -> float | None:
    """``value`` as a number when it is one as written (not true/false); else None."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def objects_as_written(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every rigid object of raw ``data`` with its path: background, rigid_object, then the
    members of each rigid_object_group, in declared order."""
    for section in ("background", "rigid_object"):
        items = data.get(section)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield (section, index), item
    groups = data.get("rigid_object_group")
    for index, group in enumerate(groups if isinstance(groups, list) else []):
        members = group.get("rigid_objects") if isinstance(group, dict) else None
        for key, member in (members if isinstance(members, dict) else {}).items():
            if isinstance(member, dict):
                yield ("rigid_object_group", index, "rigid_objects", key), member


def unapplied_keys(data: Any) -> Iterator[Diagnostic]:
    """A located diagnostic for each key of raw gym config ``data`` that is accepted but not
    applied as written (pointers into ``data``, which is not changed)."""
    if not isinstance(data, dict):
        return
    light = data.get("light")
    lights = light.get("direct") if isinstance(light, dict) else None
    for index, item in enumerate(lights if isinstance(lights, list) else []):
        if isinstance(item, dict):
            yield from _light(item, ("light", "direct", index))
    for path, item in objects_as_written(data):
        yield from _collision_and_texture(item, path)
    env = data.get("env")
    if isinstance(env, dict):
        yield from _events(env.get("events"))
        yield from _metadata(env.get("dataset"))


def _make(code: str, path: Path, hint: str, **fields: Any) -> Diagnostic:
    return Diagnostic.make(code, jp.join("", *path), hint=hint, where=describe_path(path), **fields)


def _light(light: dict[str, Any], path: Path) -> Iterator[Diagnostic]:
    """A light's range (``radius``) is ignored; an ``intensity`` above 1 renders as 1."""
    if light.get("radius") is not None:
        yield _make(
            "AB763",
            (*path, "radius"),
            "MuJoCo's OpenGL renderer lights the whole scene whatever the distance; remove radius",
            what="a light's range ('radius')",
        )
    intensity = number(light.get("intensity"))
    if intensity is not None and intensity > 1:
        uid = light.get("uid")
        yield _make(
            "AB765",
            (*path, "intensity"),
            "write an intensity from 0 to 1 (1: the light's full colour); EmbodiChain's intensities are in its "
            "renderer's units (its example's 50 is not 50 times brighter here)",
            light=uid if isinstance(uid, str) else f"#{path[-1]}",
            value=intensity,
        )


def _collision_and_texture(item: dict[str, Any], path: Path) -> Iterator[Diagnostic]:
    """A mesh's convex decomposition beyond one hull and its explicit ``compute_uv: false`` are
    ignored; on a primitive (or a Compound) neither key has an effect."""
    shape = item.get("shape")
    kind = shape.get("shape_type") if isinstance(shape, dict) else None
    hulls = item.get("max_convex_hull_num")
    if kind == "Mesh" and isinstance(hulls, int) and not isinstance(hulls, bool) and hulls > 1:
        yield _make(
            "AB763",
            (*path, "max_convex_hull_num"),
            "MuJoCo collides a mesh as its one convex hull (a cup is solid): for a container use a Cylinder with "
            "hollow: true, or a Compound of primitives; else write 1 or remove it",
            what=f"a convex decomposition into up to {hulls} hulls ('max_convex_hull_num')",
        )
    elif kind in (*_PRIMITIVES, "Compound") and hulls is not None:
        shapes = "its parts' shapes" if kind == "Compound" else "itself"
        yield _make(
            "AB767",
            (*path, "max_convex_hull_num"),
            "remove max_convex_hull_num",
            reason=f"a {kind} collides as {shapes}; only a mesh is decomposed into convex hulls",
        )
    uv = shape.get("compute_uv") if isinstance(shape, dict) else None
    if kind == "Mesh" and uv is False:
        yield _make(
            "AB763",
            (*path, "shape", "compute_uv"),
            "MuJoCo computes texture coordinates for a textured mesh that has none of its own; remove compute_uv",
            what="'compute_uv: false'",
        )
    elif kind in _PRIMITIVES and uv is True:  # a Compound's is the shape checks' AB721
        yield _make(
            "AB767",
            (*path, "shape", "compute_uv"),
            "remove compute_uv",
            reason=f"a {kind} has its own texture coordinates; only a mesh's are computed",
        )


def _events(events: Any) -> Iterator[Diagnostic]:
    """``interval_step`` of an event whose mode does not repeat."""
    for label, event in (events if isinstance(events, dict) else {}).items():
        if isinstance(event, dict) and "interval_step" in event and event.get("mode") in _ONCE_MODES:
            yield _make(
                "AB767",
                ("env", "events", label, "interval_step"),
                "remove interval_step, or write mode: interval to run the event every interval_step control steps",
                reason=f"event {label!r} runs in mode {event['mode']!r}; only mode 'interval' repeats",
            )


def _metadata(dataset: Any) -> Iterator[Diagnostic]:
    """Keys of ``robot_meta`` and ``instruction`` beyond those read; keys of ``extra`` that look
    like a misspelling of one that is read."""
    lerobot = dataset.get("lerobot") if isinstance(dataset, dict) else None
    params = lerobot.get("params") if isinstance(lerobot, dict) else None
    if not isinstance(params, dict):
        return
    base = ("env", "dataset", "lerobot", "params")
    for name, read in _READ_METADATA.items():
        section = params.get(name)
        for key in [k for k in section if isinstance(k, str) and k not in read] if isinstance(section, dict) else []:
            yield _metadata_key(
                (*base, name), key, "nothing reads it, so it is ignored", choices_hint(key, read, "keys read")
            )
    extra = params.get("extra")
    for key in extra if isinstance(extra, dict) else {}:
        guess = did_you_mean(key, EXTRA_KEYS) if isinstance(key, str) and key not in EXTRA_KEYS else None
        if guess is not None:
            yield _metadata_key(
                (*base, "extra"),
                key,
                f"it is recorded as written, and not read as {guess!r}",
                f"did you mean {guess!r}? scene_type and task_description name the dataset folder",
            )


def _metadata_key(path: Path, key: str, fate: str, hint: str) -> Diagnostic:
    return Diagnostic.make("AB766", jp.join("", *path, key), hint=hint, where=describe_path(path), key=key, fate=fate)
