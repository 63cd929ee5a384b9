"""What the simulation needs to know about a robot: its declared facts and how to build it.

The facts (control parts, home pose, links, model names) are declared in
:mod:`actionbank.runtime.robots`, where ``lint`` reads them without MuJoCo; a
:class:`RobotModel` adds the builder of its MuJoCo model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import mujoco

from actionbank.runtime.robots import Gripper, Part, RobotFacts

__all__ = ["JOINT_TRANSMISSIONS", "Gripper", "Part", "RobotModel"]

#: Transmissions through which an actuator drives one joint (``jointinparent``: in its parent's frame).
JOINT_TRANSMISSIONS = (mujoco.mjtTrn.mjTRN_JOINT, mujoco.mjtTrn.mjTRN_JOINTINPARENT)


@dataclass(frozen=True)
class RobotModel:
    """A robot type: its declared facts, and ``build()``, which returns a fresh
    :class:`mujoco.MjSpec` holding the robot (and whatever fixed scenery comes with its
    model, such as ALOHA's table)."""

    facts: RobotFacts
    build: Callable[[], mujoco.MjSpec]

    @property
    def robot_type(self) -> str:
        return self.facts.robot_type

    @property
    def parts(self) -> Mapping[str, Part]:
        return self.facts.parts

    @property
    def home(self) -> Mapping[str, tuple[float, ...]]:
        """Each part's value at reset when the config gives no ``init_qpos`` [rad or normalised]."""
        return self.facts.home

    @property
    def links(self) -> tuple[str, ...]:
        """The bodies a camera may be attached to."""
        return self.facts.links
