"""Checks of what an event draws against the scene it acts on: a draw the simulation could not
honour is refused before anything runs, not clamped or rendered wrong in the middle of a run.

A camera's focal lengths plus what ``randomize_camera_intrinsics`` adds stay above 0 px (a
focal length of 0 or less renders no image of the scene). The joint positions
``randomize_robot_qpos`` sets (``relative_qpos: false``), or reaches from the reset pose
(``relative_qpos: true``, in a ``startup`` or ``reset`` event that no other joint event runs
before), stay within the joints' ranges (a gripper's: 0 to 1), as ``robot.init_qpos`` must
(AB634): the simulation would clamp them, and the episode's provenance would record values the
robot never took. Each check is found by the type of the event's params model, so a plugin's
event that takes the same params is checked the same way. Params that do not validate are
reported by :mod:`actionbank.spec.gym_params_checks`, and left alone here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import ValidationError

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime import Params, RobotFacts
from actionbank.runtime.events import RandomizeCameraIntrinsicsParams, RandomizeRobotQposParams
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import Event, GymConfig

__all__ = ["check_event_limits"]

#: The modes whose events start from the reset pose (``prestartup`` runs as ``startup``).
_FROM_RESET = ("prestartup", "startup", "reset")


class _Event(NamedTuple):
    """An event whose params validated: its label, declaration and params, and where it is."""

    label: str
    event: Event
    params: Params
    pointer: str
    where: str


class _Joint(NamedTuple):
    """One value of a control part as the robot event sees it: its name, allowed range, reset value."""

    name: str
    span: tuple[float, float] | None
    reset: float | None
    gripper: bool


def check_event_limits(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """What each event draws stays within what the scene can take (see the module's doc)."""
    if available.runtime is None:
        return
    events: list[_Event] = []
    for label, event in config.env.events.items():
        declaration = available.runtime.events.get(event.func)
        if declaration is None:
            continue  # AB610
        try:
            params = declaration.parse(event.params)
        except ValidationError:
            continue  # the params checks explain it
        path = ("env", "events", label, "params")
        events.append(_Event(label, event, params, jp.join("", *path), jp.path_text(path)))
    for item in events:
        check = _CHECKS.get(type(item.params))
        if check is not None:
            yield from check(item, config, available, events)


def _focal_problems(
    item: _Event, config: GymConfig, available: Available, events: Sequence[_Event]
) -> Iterator[Diagnostic]:
    """AB638 when a focal length plus the lowest offset drawn is not above 0 px."""
    params = item.params
    assert isinstance(params, RandomizeCameraIntrinsicsParams)
    camera = next((c for c in config.sensor if c.uid == params.entity_cfg.uid), None)
    if camera is None:
        return  # AB614
    for axis, focal, name in (
        ("fx", camera.intrinsics[0], "focal_x_range"),
        ("fy", camera.intrinsics[1], "focal_y_range"),
    ):
        bounds = getattr(params, name)
        if bounds is None:
            continue
        low = min(bounds)
        if focal + low <= 0:
            yield Diagnostic.make(
                "AB638",
                jp.join(item.pointer, name, list(bounds).index(low)),
                where=f"{item.where}.{name}",
                axis=axis,
                focal=focal,
                low=low,
                result=focal + low,
                hint=f"the range is added to the {axis} of camera {camera.uid!r} [px]: keep its low above {-focal:g}",
            )


def _joints(config: GymConfig, facts: RobotFacts, parts: Sequence[str]) -> list[_Joint]:
    """The values of ``parts`` in order, each with its range and its value at reset (from
    ``robot.init_qpos`` when it fits the control parts, else the robot's home pose)."""
    reset: dict[str, Sequence[float]] = dict(facts.home)
    init_qpos = config.robot.init_qpos
    control = config.env.control_parts
    if init_qpos is not None and all(p in facts.parts for p in control):
        sizes = [facts.parts[p].dim for p in control]
        if sum(sizes) == len(init_qpos):
            offsets = [sum(sizes[:i]) for i in range(len(sizes))]
            reset.update({p: init_qpos[o : o + n] for p, o, n in zip(control, offsets, sizes, strict=True)})
    joints: list[_Joint] = []
    for name in parts:
        part = facts.parts[name]
        values = reset.get(name)
        if part.kind == "arm":
            spans: list[tuple[float, float] | None] = [facts.joint_ranges.get(j) for j in part.joints]
        else:
            spans = [(0.0, 1.0)]
        for index, (value_name, span) in enumerate(zip(part.state_names, spans, strict=True)):
            value = float(values[index]) if values is not None and index < len(values) else None
            joints.append(_Joint(value_name, span, value, part.kind == "eef"))
    return joints


def _qpos_parts(params: RandomizeRobotQposParams, config: GymConfig, facts: RobotFacts) -> list[str] | None:
    """The control parts the event moves (default: the arms among ``env.control_parts``), or
    ``None`` when one is not a part of the robot (AB614 says so)."""
    parts = params.entity_cfg.control_parts
    if parts is None:
        parts = [p for p in config.env.control_parts if p in facts.parts and facts.parts[p].kind == "arm"]
    return parts if all(p in facts.parts for p in parts) else None


def _qpos_problems(
    item: _Event, config: GymConfig, available: Available, events: Sequence[_Event]
) -> Iterator[Diagnostic]:
    """AB113 for a joint id beyond the parts' joints; AB639 for a bound that sets (or, from the
    reset pose, moves) a joint outside its range."""
    params = item.params
    assert isinstance(params, RandomizeRobotQposParams)
    facts = available.robot(config)
    parts = None if facts is None else _qpos_parts(params, config, facts)
    if facts is None or parts is None:
        return
    if not parts:
        yield Diagnostic.make(
            "AB113",
            jp.join(item.pointer, "entity_cfg"),
            where=f"{item.where}.entity_cfg",
            reason="it moves no joint: it names no control_parts, and env.control_parts has no arm",
            hint="name the parts whose joints it moves in entity_cfg.control_parts",
        )
        return
    joints = _joints(config, facts, parts)
    ids = list(range(len(joints))) if params.joint_ids is None else params.joint_ids
    bad = [(i, j) for i, j in enumerate(ids) if j >= len(joints)]
    for index, joint_id in bad:
        yield Diagnostic.make(
            "AB113",
            jp.join(item.pointer, "joint_ids", index),
            where=f"{item.where}.joint_ids[{index}]",
            reason=f"joint {joint_id} is beyond the {len(joints)} joints of {', '.join(parts)}",
            hint=f"joint_ids index {', '.join(parts)}'s joints in order, 0 to {len(joints) - 1}",
        )
    if bad:
        return
    if params.qpos_range is not None:
        field, low, high = "qpos_range", list(params.qpos_range[0]), list(params.qpos_range[1])
    elif params.noise_range is not None:
        field, low, high = "noise_range", [params.noise_range[0]], [params.noise_range[1]]
    else:
        return
    if len(low) != len(high) or len(low) not in (1, len(ids)):
        return  # AB752
    relative = params.relative_qpos
    if relative and (item.event.mode not in _FROM_RESET or _moved_before(item, parts, config, facts, events)):
        return  # the pose it starts from is not known here
    for which, bounds in enumerate((low, high)):
        yield from _bound_problems(item, field, which, bounds, [joints[j] for j in ids], relative)


def _bound_problems(
    item: _Event, field: str, which: int, bounds: list[float], joints: list[_Joint], relative: bool
) -> Iterator[Diagnostic]:
    """AB639 for each value of ``bounds`` (low: ``which`` 0, high: 1) that takes a joint out of
    its range; a value for every joint (``len(bounds)`` 1) is reported once, at its first."""
    reported: set[int] = set()
    for index, joint in enumerate(joints):
        at = 0 if len(bounds) == 1 else index
        if at in reported or joint.span is None or (relative and joint.reset is None):
            continue
        value = bounds[at] + (joint.reset if relative and joint.reset is not None else 0.0)
        low, high = joint.span
        if low <= value <= high:
            continue
        reported.add(at)
        pointer = (
            jp.join(item.pointer, field, which) if field == "noise_range" else jp.join(item.pointer, field, which, at)
        )
        allowed = "0 (closed) to 1 (open)" if joint.gripper else f"its range [{low:g}, {high:g}]"
        start = f"; relative_qpos adds it to {joint.reset:g}, the value at reset" if relative else ""
        yield Diagnostic.make(
            "AB639",
            pointer,
            where=f"{item.where}.{field}",
            value=value,
            name=joint.name,
            allowed=allowed,
            hint=f"the simulation would clamp it{start}: draw values inside",
        )


def _moved_before(
    item: _Event, parts: Sequence[str], config: GymConfig, facts: RobotFacts, events: Sequence[_Event]
) -> bool:
    """Whether another joint event moves one of ``parts`` too: the pose ``item`` starts from
    then depends on which runs first, and is not known here."""
    for other in events:
        if other is item or not isinstance(other.params, RandomizeRobotQposParams):
            continue
        moved = _qpos_parts(other.params, config, facts)
        if moved is None or set(moved) & set(parts):
            return True
    return False


_Check = Callable[[_Event, GymConfig, Available, Sequence[_Event]], Iterator[Diagnostic]]
#: The check of each params model that has one.
_CHECKS: Mapping[type[Any], _Check] = {
    RandomizeCameraIntrinsicsParams: _focal_problems,
    RandomizeRobotQposParams: _qpos_problems,
}
