"""A gym config's robot declared from a model file (``robot.fpath``): its declaration as plain
data, resolved against the file's names (no MuJoCo), and the diagnostics of that resolution.

``robot`` names a registered type (``robot_type``) or a model file (``fpath`` with
``control_parts``), exactly one of the two. A model-file robot's dataset robot type is
``dataset.lerobot.params.robot_meta.robot_type`` when given, else the robot's ``uid``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime.declared import (
    DeclarationProblem,
    DeclaredRobot,
    DriveGains,
    GripperDeclaration,
    RobotDeclaration,
    Tcp,
    resolve_declaration,
)
from actionbank.runtime.model_file import ModelFileError
from actionbank.source import pointer as jp
from actionbank.spec.assets import AssetPathError, resolve_asset
from actionbank.spec.gym_models import GymConfig, Robot

__all__ = ["declared_robot_of", "model_robot_problems", "robot_declaration", "robot_type_of"]

#: Keys that only mean something with ``fpath``.
_MODEL_KEYS = ("control_parts", "solver_cfg", "grippers", "collision_geoms")


def robot_type_of(config: GymConfig) -> str:
    """The robot type of the config's robot: ``robot_type``, else the recorder's ``robot_meta``, else ``uid``."""
    if config.robot.robot_type is not None:
        return config.robot.robot_type
    dataset = config.env.dataset
    return dataset.lerobot.params.robot_meta.robot_type if dataset is not None else config.robot.uid


def robot_declaration(robot: Robot) -> RobotDeclaration:
    """The ``robot`` section's model-file declaration as plain data."""
    return RobotDeclaration(
        control_parts={name: tuple(joints) for name, joints in (robot.control_parts or {}).items()},
        solver_cfg={
            name: Tcp(cfg.end_link_name, tuple(tuple(row) for row in cfg.tcp)) for name, cfg in robot.solver_cfg.items()
        },
        grippers={name: GripperDeclaration(g.actuator, g.closed, g.open) for name, g in robot.grippers.items()},
        drive=DriveGains(robot.drive.stiffness, robot.drive.damping, robot.drive.gravity_compensation),
        collision_geoms=tuple(robot.collision_geoms),
    )


def _resolve(
    config: GymConfig, base_dir: Path, allow_outside: bool
) -> tuple[DeclaredRobot | None, list[DeclarationProblem], Diagnostic | None]:
    fpath = config.robot.fpath
    assert fpath is not None
    try:
        path = resolve_asset(fpath, base_dir, allow_outside=allow_outside)
        resolved, problems = resolve_declaration(robot_type_of(config), robot_declaration(config.robot), path)
    except (AssetPathError, ModelFileError) as error:
        return None, [], Diagnostic.make("AB709", "/robot/fpath", path=fpath, reason=str(error))
    return resolved, problems, None


def declared_robot_of(config: GymConfig, base_dir: Path, *, allow_outside: bool = False) -> DeclaredRobot | None:
    """The config's model-file robot resolved against its file, or ``None`` when it has no
    ``fpath`` or the declaration does not fit the file (:func:`model_robot_problems` says why)."""
    if config.robot.fpath is None:
        return None
    return _resolve(config, base_dir, allow_outside)[0]


def model_robot_problems(
    config: GymConfig, base_dir: Path | None, *, allow_outside: bool = False
) -> Iterator[Diagnostic]:
    """``robot_type`` xor ``fpath``; model keys only with ``fpath``; the declaration fits the file."""
    robot = config.robot
    if robot.robot_type is not None and robot.fpath is not None:
        yield Diagnostic.make("AB708", "/robot/fpath", reason="both are given")
    elif robot.robot_type is None and robot.fpath is None:
        yield Diagnostic.make("AB708", "/robot", reason="neither is given")
    if robot.fpath is None:
        for key in _MODEL_KEYS:
            if getattr(robot, key):
                yield Diagnostic.make("AB710", jp.join("/robot", key), key=key)
        return
    if robot.control_parts is None:
        yield Diagnostic.make("AB711", "/robot/fpath", path=robot.fpath)
        return
    if base_dir is None:
        return
    _, problems, unreadable = _resolve(config, base_dir, allow_outside)
    if unreadable is not None:
        yield unreadable
    for problem in problems:
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in problem.path).replace(".[", "[")
        yield Diagnostic.make(
            problem.code, jp.join("/robot", *problem.path), where=where, message=problem.message, hint=problem.hint
        )
