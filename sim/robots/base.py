"""What the simulation needs to know about a robot: its control parts and how to build it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import mujoco

__all__ = ["Gripper", "Part", "RobotModel"]


@dataclass(frozen=True, slots=True)
class Gripper:
    """Maps the normalised gripper command (0 = closed, 1 = open) to finger joint positions [m].

    ``closed`` / ``open`` are the finger positions at 0 and 1; ``mirror`` joints get the
    negated position (ALOHA's two fingers slide in opposite directions).
    """

    closed: float
    open: float

    def to_position(self, normalised: float) -> float:
        return self.closed + normalised * (self.open - self.closed)

    def to_normalised(self, position: float) -> float:
        return (position - self.closed) / (self.open - self.closed)

    @property
    def scale(self) -> float:
        return self.open - self.closed


@dataclass(frozen=True, slots=True)
class Part:
    """A control part: an arm (joints moved by position actuators, a tool frame for IK) or an
    end effector (one normalised value driving its finger actuators). Each joint's position
    actuator is found through its transmission."""

    name: str
    kind: Literal["arm", "eef"]
    joints: tuple[str, ...]
    tcp_site: str | None = None
    base_body: str | None = None
    gripper: Gripper | None = None
    mirrored: tuple[bool, ...] = ()

    @property
    def dim(self) -> int:
        return len(self.joints) if self.kind == "arm" else 1

    @property
    def state_names(self) -> tuple[str, ...]:
        return self.joints if self.kind == "arm" else (f"{self.name}_gripper",)


@dataclass(frozen=True)
class RobotModel:
    """A robot type: its parts, home pose, links a camera may attach to, and a spec builder.

    ``build(spec)`` returns a fresh :class:`mujoco.MjSpec` holding the robot (and whatever
    fixed scenery comes with its model, such as ALOHA's table).
    """

    robot_type: str
    parts: dict[str, Part]
    home: dict[str, tuple[float, ...]]
    build: Callable[[], mujoco.MjSpec]
    links: tuple[str, ...] = ()
    table_height: float = 0.0
