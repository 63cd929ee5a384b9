"""Robot types the simulation can build, by ``robot.robot_type``."""

from __future__ import annotations

from sim.robots.aloha import ALOHA
from sim.robots.base import Gripper, Part, RobotModel

__all__ = ["ROBOTS", "Gripper", "Part", "RobotModel"]

ROBOTS: dict[str, RobotModel] = {ALOHA.robot_type: ALOHA}
