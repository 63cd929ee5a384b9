"""The keys a gym config's environment provides at reset: one definition, read by ``lint`` (the
keys an action config may use, :mod:`actionbank.spec.environment`) and by the simulation (the
keys :class:`sim.env.ActionbankEnv` registers), so the two cannot drift.

In this order, the first of two equal keys winning:

- ``<uid>_pose`` per object, the ``background`` then the ``rigid_object`` entries;
- ``<part>_init_qpos`` per control part, and ``<part>_base_pose`` after it when the part is an
  arm with a base body (its kind and base body come from the robot's facts);
- each ``env.affordances`` constant, under its own name.

Imports neither MuJoCo nor anything of ``sim``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # the runtime's declarations are read only for a gym config (lint's import time)
    from actionbank.runtime.robots import Part

__all__ = ["KeyKind", "ProvidedKey", "provided_keys"]

#: Where a key's value comes from: an object's pose, a control part's joint positions at reset,
#: an arm's base pose, or a constant of ``env.affordances``.
KeyKind = Literal["object_pose", "init_qpos", "base_pose", "constant"]


class ProvidedKey(NamedTuple):
    """A key the environment provides: its name, its kind and what it is of (an object uid, a
    control part, a constant's name); ``origin`` says it in words for diagnostics."""

    key: str
    kind: KeyKind
    subject: str
    origin: str


def _is_based_arm(part: str, robot_parts: Mapping[str, Part] | None) -> bool:
    """Whether ``part`` is an arm with a base body. Without the robot's facts (a robot ``lint``
    cannot resolve, which it reports apart) a part named ``*_arm`` counts as one."""
    if robot_parts is None:
        return part.endswith("_arm")
    facts = robot_parts.get(part)
    return facts is not None and facts.kind == "arm" and bool(facts.base_body)


def provided_keys(
    background: Sequence[str],
    rigid_objects: Sequence[str],
    control_parts: Sequence[str],
    robot_parts: Mapping[str, Part] | None,
    constants: Iterable[str],
) -> list[ProvidedKey]:
    """Every key the environment provides at reset, in order, each once (the first wins).

    ``background`` / ``rigid_objects``: the objects' uids; ``control_parts``: ``env.control_parts``;
    ``robot_parts``: the robot's parts by name (``None``: unknown); ``constants``: the names of
    ``env.affordances``.
    """
    found: dict[str, ProvidedKey] = {}

    def add(key: str, kind: KeyKind, subject: str, origin: str) -> None:
        found.setdefault(key, ProvidedKey(key, kind, subject, origin))

    for section, uids in (("background", background), ("rigid_object", rigid_objects)):
        for uid in uids:
            add(f"{uid}_pose", "object_pose", uid, f"{section} {uid!r}")
    for part in control_parts:
        add(f"{part}_init_qpos", "init_qpos", part, f"control part {part!r}")
        if _is_based_arm(part, robot_parts):
            add(f"{part}_base_pose", "base_pose", part, f"control part {part!r}")
    for name in constants:
        add(name, "constant", name, "env.affordances")
    return list(found.values())
