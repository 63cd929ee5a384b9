"""Observation-term declarations: what ``env.observations`` of a gym config may name.

A term written in EmbodiChain's spelling, ``{func: get_rigid_object_pose, mode: add, name:
bottle_pose, params: {entity_cfg: {uid: bottle}}}``, adds numbers to every frame; the recorder
stores them, in declared term order, as ``observation.environment_state`` (LeRobot's feature
for non-image environment state) with one name per component (``bottle_pose.x`` …
``bottle_pose.qz``). Each params model says, without MuJoCo, which modes the term supports
(:attr:`ObservationParams.modes`) and the names of the components it produces
(:meth:`ObservationParams.components`); the simulation implements each term
(``sim/observations.py``) taking the validated params.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from actionbank.runtime.params import Declaration, EntityCfg, Name, Params, Reference

__all__ = [
    "OBSERVATIONS",
    "POSE_COMPONENTS",
    "ObservationParams",
    "RigidObjectPoseParams",
    "RobotEefPoseParams",
    "RobotPartsCfg",
]

#: The components of a pose: position [m] and orientation quaternion (w, x, y, z), world frame.
POSE_COMPONENTS = ("x", "y", "z", "qw", "qx", "qy", "qz")


class ObservationParams(Params):
    """Base of an observation term's params: the modes it supports and the components it adds."""

    #: The ``mode`` values the term supports.
    modes: ClassVar[tuple[str, ...]] = ("add",)

    def components(self, name: str) -> list[str]:
        """The names of the numbers the term named ``name`` adds to each frame, in order."""
        raise NotImplementedError


class RigidObjectPoseParams(ObservationParams):
    entity_cfg: EntityCfg = Field(description="The object whose pose is observed.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "object", self.entity_cfg.uid)

    def components(self, name: str) -> list[str]:
        return [f"{name}.{axis}" for axis in POSE_COMPONENTS]


class RobotPartsCfg(Params):
    uid: Name = Field(description="The robot's uid.")
    control_parts: list[Name] = Field(min_length=1, description="The arms whose tool poses are observed, in order.")


class RobotEefPoseParams(ObservationParams):
    entity_cfg: RobotPartsCfg = Field(description="The robot and its arms (control parts of kind arm).")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "robot", self.entity_cfg.uid)
        for index, part in enumerate(self.entity_cfg.control_parts):
            yield Reference(f"/entity_cfg/control_parts/{index}", "control part", part)

    def components(self, name: str) -> list[str]:
        return [f"{name}.{part}.{axis}" for part in self.entity_cfg.control_parts for axis in POSE_COMPONENTS]


#: The observation terms this package declares, by name.
OBSERVATIONS: dict[str, Declaration] = {
    declaration.name: declaration
    for declaration in (
        Declaration(
            "get_rigid_object_pose",
            RigidObjectPoseParams,
            "World pose of an object: position [m] and quaternion (w, x, y, z).",
        ),
        Declaration(
            "get_robot_eef_pose",
            RobotEefPoseParams,
            "World pose of each arm's tool point (tcp): position [m] and quaternion (w, x, y, z).",
        ),
    )
}
