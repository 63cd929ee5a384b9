"""What a gym config check is given besides the config: :class:`Available`, and small helpers
the checks share."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import NamedTuple

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime import RobotFacts, Runtime
from actionbank.source import pointer as jp
from actionbank.spec.gym_models import GymConfig, RigidObject

__all__ = ["Available", "Check", "group_members", "listing", "objects"]


class Available(NamedTuple):
    """What the checks may consult; ``None`` skips the checks that need it.

    ``base_dir``: the gym config's folder, which asset paths are relative to (``None``: files
    are not checked). ``runtime``: the robot types, events and success checks the simulation
    provides (``None``: names are not checked). ``allow_outside_assets``: asset files may lie
    outside ``base_dir`` (``--allow-outside-assets``).
    """

    base_dir: Path | None = None
    runtime: Runtime | None = None
    allow_outside_assets: bool = False

    def robot(self, config: GymConfig) -> RobotFacts | None:
        """The facts of the config's robot: of its registered type (when the runtime is known
        and declares it), or of its model file (when ``base_dir`` is known and the declaration
        fits the file)."""
        if config.robot.fpath is not None:
            if self.base_dir is None or config.robot.robot_type is not None:
                return None
            from actionbank.spec.gym_robot import declared_robot_of

            declared = declared_robot_of(config, self.base_dir, allow_outside=self.allow_outside_assets)
            return None if declared is None else declared.facts
        if self.runtime is None or config.robot.robot_type is None:
            return None
        return self.runtime.robots.get(config.robot.robot_type)


Check = Callable[[GymConfig, Available], Iterator[Diagnostic]]


def listing(names: Collection[str]) -> str:
    """Sorted, comma-separated names (``none`` for none)."""
    return ", ".join(sorted(set(names))) or "none"


def objects(config: GymConfig) -> Iterator[tuple[str, RigidObject]]:
    """(JSON pointer, object) of every background and rigid object and every member of a
    ``rigid_object_group``, in document order."""
    for section in ("background", "rigid_object"):
        for index, item in enumerate(getattr(config, section)):
            yield jp.join("", section, index), item
    yield from group_members(config)


def group_members(config: GymConfig) -> Iterator[tuple[str, RigidObject]]:
    """(JSON pointer, object) of every member of every ``rigid_object_group``, in document order."""
    for index, group in enumerate(config.rigid_object_group):
        for key, member in zip(group.rigid_objects, group.members(), strict=True):
            yield jp.join("", "rigid_object_group", index, "rigid_objects", key), member
