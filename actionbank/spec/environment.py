"""What the compiler needs from a gym config: the affordance keys the environment provides
at reset, and ``max_episode_steps``.

Keys come from our conventions, defined once for ``lint`` and the simulation in
:mod:`actionbank.spec.env_keys` (``<uid>_pose`` per object, ``<part>_init_qpos`` per control
part, ``<arm>_base_pose`` per arm with a base, ``env.affordances`` constants), and from
EmbodiChain's ``register_info_to_env`` / ``prepare_extra_attr`` events, named the way it
names them (EmbodiChain's configs; the simulation does not run these events).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import InputError
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.spec.config_kind import wrong_kind
from actionbank.spec.env_keys import provided_keys

if TYPE_CHECKING:
    from actionbank.runtime.robots import Part

__all__ = ["GYM_CONFIG_NAMES", "Environment", "environment_from_gym", "sibling_gym_config"]

#: File names looked for next to an action config when no gym config is given.
GYM_CONFIG_NAMES = ("gym_config.yaml", "gym_config.yml", "gym_config.json")


@dataclass(frozen=True)
class Environment:
    """Keys the environment provides (key → where it comes from), the episode limit [steps],
    and the control parts the action is made of: part → its values per step, ``None`` where
    the robot's parts are not known here (``control_parts`` is ``None`` without a gym config).
    ``limit_at``: the line and column of ``max_episode_steps`` in ``source``."""

    keys: Mapping[str, str] = field(default_factory=dict)
    max_episode_steps: int | None = None
    source: str | None = None
    control_parts: Mapping[str, int | None] | None = None
    limit_at: tuple[int, int] | None = None
    #: How many numbers each ``env.affordances`` constant that is a flat list of numbers holds.
    constant_sizes: Mapping[str, int] = field(default_factory=dict)

    def makespan_problem(self, makespan: int, action_config: str | None = None) -> Diagnostic | None:
        """AB406 when a plan of ``makespan`` steps (of ``action_config``) runs past
        ``max_episode_steps``, located at ``max_episode_steps`` in the gym config."""
        limit = self.max_episode_steps
        if limit is None or makespan <= limit:
            return None
        plan = f"the plan of {action_config}" if action_config else "the plan"
        too_long = Diagnostic.make(
            "AB406",
            "/max_episode_steps",
            makespan=makespan,
            limit=limit,
            hint=f"{plan} needs max_episode_steps >= {makespan}: raise it, or shorten edge durations",
        )
        line, column = self.limit_at if self.limit_at is not None else (None, None)
        return too_long.at(self.source, line, column)


def sibling_gym_config(action_config: str | Path) -> Path | None:
    """``gym_config.{yaml,yml,json}`` beside ``action_config``, if there is one."""
    folder = Path(action_config).parent
    for name in GYM_CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


class _Reader:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []

    def add(self, key: str, origin: str) -> None:
        self.keys.setdefault(key, origin)

    def expect(self, value: Any, kind: type | tuple[type, ...], pointer: str, what: str) -> bool:
        if isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
            return True
        where = ".".join(jp.split(pointer)) or "document"
        self.diagnostics.append(Diagnostic.make("AB601", pointer, where=where, reason=f"must be {what}"))
        return False

    def items(self, data: Mapping[str, Any], key: str, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Pointer and object of each item of the list ``data[key]`` (items that are objects)."""
        value = data.get(key)
        if value is None or not self.expect(value, list, jp.join(pointer, key), "a list"):
            return
        for index, item in enumerate(value):
            item_pointer = jp.join(pointer, key, index)
            if self.expect(item, dict, item_pointer, "an object"):
                yield item_pointer, item


def _uids(reader: _Reader, data: Mapping[str, Any], section: str) -> list[str]:
    uids: list[str] = []
    for pointer, item in reader.items(data, section, ""):
        uid = item.get("uid")
        if reader.expect(uid, str, jp.join(pointer, "uid"), "a string") and isinstance(uid, str):
            uids.append(uid)
    return uids


def _register_info(
    reader: _Reader, params: Mapping[str, Any], pointer: str, objects: set[str], extra_attrs: Mapping[str, list[str]]
) -> None:
    """EmbodiChain's ``register_info_to_env``: what each registry entry registers."""
    for entry_pointer, entry in reader.items(params, "registry", pointer):
        entity = entry.get("entity_cfg")
        if not (
            reader.expect(entity, dict, jp.join(entry_pointer, "entity_cfg"), "an object") and isinstance(entity, dict)
        ):
            continue
        uid = entity.get("uid")
        if not isinstance(uid, str):
            continue
        parts = entity.get("control_parts") or []
        origin = f"register_info_to_env ({uid})"
        attrs = entry.get("attrs")
        if isinstance(attrs, list):
            prefix = entry.get("prefix", True)
            for attr in attrs:
                if isinstance(attr, str):
                    reader.add(f"{uid}_{attr}" if prefix else attr, origin)
        pose = entry.get("pose_register_params")
        if not isinstance(pose, dict):
            continue
        if uid in objects:
            reader.add(f"{uid}_pose", origin)
            for attr in extra_attrs.get(uid, []):
                reader.add(f"{uid}_{attr}", origin)
                if pose.get("compute_pose_object_to_arena", True):
                    reader.add(f"{uid}_{attr.replace('_pose_object', '_pose')}", origin)
            base = uid
        elif isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], str):
            reader.add(f"{parts[0]}_pose", origin)
            base = parts[0]
        else:
            continue
        relative = pose.get("compute_relative", False)
        others = [relative] if isinstance(relative, str) else relative if isinstance(relative, list) else []
        for other in others:
            if isinstance(other, str) and other != uid:
                reader.add(f"{other}_pose_{base}", origin)


def _extra_pose_attrs(reader: _Reader, events: Mapping[str, Any]) -> dict[str, list[str]]:
    """EmbodiChain's ``prepare_extra_attr``: per object uid, its ``*_pose_object`` attributes."""
    found: dict[str, list[str]] = {}
    for event in events.values():
        if not isinstance(event, dict) or event.get("func") != "prepare_extra_attr":
            continue
        params = event.get("params")
        attrs = params.get("attrs") if isinstance(params, dict) else None
        for attr in attrs if isinstance(attrs, list) else []:
            if not isinstance(attr, dict):
                continue
            name, entity = attr.get("name"), attr.get("entity_cfg")
            if isinstance(name, str) and name.endswith("_pose_object") and isinstance(entity, dict):
                uid = entity.get("uid")
                if isinstance(uid, str):
                    found.setdefault(uid, []).append(name)
    return found


def _robot_parts(robot: Any, path: str | None) -> Mapping[str, Part] | None:
    """The parts of the config's robot (their kind and base body), as the simulation builds it:
    a registered ``robot_type``'s facts, or a model file's declaration resolved against the file
    (beside the gym config at ``path``; neither it nor its includes are read from outside that
    folder). ``None`` when the section does not say which robot, or names one that cannot be
    resolved: the gym config's checks report why."""
    if not isinstance(robot, dict):
        return None
    if robot.get("fpath") is None:
        from actionbank.runtime import ROBOTS  # registered and model-file robot types

        robot_type = robot.get("robot_type")
        facts = ROBOTS.get(robot_type) if isinstance(robot_type, str) else None
        return facts.parts if facts is not None else None
    if path is None:
        return None
    from pydantic import ValidationError

    from actionbank.runtime.declared import resolve_declaration
    from actionbank.runtime.model_file import ModelFileError
    from actionbank.spec.assets import AssetPathError, resolve_asset
    from actionbank.spec.gym_models import Robot
    from actionbank.spec.gym_robot import robot_declaration

    try:
        model = Robot.model_validate(robot)
        if model.fpath is None:
            return None
        folder = Path(path).parent
        file = resolve_asset(model.fpath, folder, allow_outside=False)
        declared, _problems = resolve_declaration(model.uid, robot_declaration(model), file, within=folder)
    except (ValidationError, AssetPathError, ModelFileError, OSError):
        return None
    return declared.facts.parts if declared is not None else None


def environment_from_gym(document: SourceDocument) -> tuple[Environment, list[Diagnostic]]:
    """Read the provided keys and the episode limit; diagnostics are located in ``document``.

    Raises :class:`~actionbank.errors.InputError` (AB635) when ``document`` is an action config:
    nothing it would say about keys and limits is meant.
    """
    wrong = wrong_kind(document, "gym", "the gym config")
    if wrong is not None:
        raise InputError([wrong])
    reader = _Reader()
    data = document.data
    if not isinstance(data, dict):
        reader.expect(data, dict, "", "an object")
        return Environment(source=document.path), document.place_all(reader.diagnostics)
    limit = data.get("max_episode_steps")
    if limit is not None and not (reader.expect(limit, int, "/max_episode_steps", "an integer") and limit >= 1):
        if isinstance(limit, int) and not isinstance(limit, bool):
            reader.diagnostics.append(
                Diagnostic.make("AB601", "/max_episode_steps", where="max_episode_steps", reason="must be at least 1")
            )
        limit = None
    background, rigid = _uids(reader, data, "background"), _uids(reader, data, "rigid_object")
    objects = set(rigid)
    env = data.get("env", {})
    parts: list[str] = []
    constants: dict[str, Any] = {}
    if reader.expect(env, dict, "/env", "an object"):
        listed = env.get("control_parts", [])
        if reader.expect(listed, list, "/env/control_parts", "a list of control part names"):
            parts = [part for part in listed if isinstance(part, str)]
        named = env.get("affordances", {})
        if reader.expect(named, dict, "/env/affordances", "an object of named constants"):
            constants = named
    robot_parts = _robot_parts(data.get("robot"), document.path)
    for provided in provided_keys(background, rigid, parts, robot_parts, constants):
        reader.add(provided.key, provided.origin)
    if isinstance(env, dict):
        events = env.get("events", {})
        if reader.expect(events, dict, "/env/events", "an object of events"):
            extra = _extra_pose_attrs(reader, events)
            for name, event in events.items():
                if isinstance(event, dict) and event.get("func") == "register_info_to_env":
                    params = event.get("params")
                    if isinstance(params, dict):
                        _register_info(reader, params, jp.join("/env/events", name, "params"), objects, extra)
    sizes = None  # no control_parts (its own error): the scopes cannot be checked
    if isinstance(env, dict) and isinstance(env.get("control_parts"), list):
        sizes = {part: robot_parts[part].dim if robot_parts and part in robot_parts else None for part in parts}
    limit_at = document.locate("/max_episode_steps") if limit is not None else None
    flat = {
        key: len(value)
        for key, value in constants.items()
        if isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    }
    environment = Environment(dict(reader.keys), limit, document.path, sizes, limit_at, flat)
    return environment, document.place_all(reader.diagnostics)
