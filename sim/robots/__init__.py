"""Robot types the simulation can build, by ``robot.robot_type``: ``aloha`` (gym-aloha's bimanual
ViperX arms) and ``toy_arm`` (a three-joint arm with a one-finger gripper, for fast tests).

Each is declared in :mod:`actionbank.runtime.robots`; a test holds the two sets of names equal."""

from __future__ import annotations

from sim.robots.aloha import ALOHA
from sim.robots.base import Gripper, Part, RobotModel
from sim.robots.toy_arm import TOY_ARM

__all__ = ["ROBOTS", "Gripper", "Part", "RobotModel"]

ROBOTS: dict[str, RobotModel] = {robot.robot_type: robot for robot in (ALOHA, TOY_ARM)}
