"""Robot types the simulation can build, by ``robot.robot_type``: ``aloha`` (gym-aloha's bimanual
ViperX arms) and ``toy_arm`` (a three-joint arm with a one-finger gripper, for fast tests).

Each is declared in :mod:`actionbank.runtime.robots`; a test holds the two sets of names equal."""

from __future__ import annotations

from collections.abc import Callable

from actionbank.runtime import ROBOT_REGISTRY, RobotFacts
from sim.robots.aloha import ALOHA
from sim.robots.base import Gripper, Part, RobotModel
from sim.robots.toy_arm import TOY_ARM

__all__ = ["ROBOTS", "Gripper", "Part", "RobotModel", "robot_model"]

ROBOTS: dict[str, RobotModel] = {robot.robot_type: robot for robot in (ALOHA, TOY_ARM)}


def _built(model: RobotModel) -> Callable[[RobotFacts], RobotModel]:
    def build(facts: RobotFacts) -> RobotModel:
        return model

    return build


for _model in ROBOTS.values():
    ROBOT_REGISTRY.bind(_model.robot_type, _built(_model), f"sim.robots.ROBOTS[{_model.robot_type!r}]")


def robot_model(robot_type: str) -> RobotModel:
    """The model of the registered robot type ``robot_type``: its implementation, given its facts
    (a plugin's implementation is ``fn(facts: RobotFacts) -> RobotModel``)."""
    model: RobotModel = ROBOT_REGISTRY.implementation(robot_type)(ROBOT_REGISTRY[robot_type])
    return model
