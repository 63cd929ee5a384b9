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
from actionbank.diagnostics.hints import did_you_mean
from actionbank.runtime.declared import (
    DeclarationProblem,
    DeclaredRobot,
    DriveGains,
    GripperDeclaration,
    RobotDeclaration,
    Tcp,
    resolve_declaration,
)
from actionbank.runtime.model_file import ModelFile, ModelFileError, ModelNames, read_model_names
from actionbank.runtime.model_references import referenced_files
from actionbank.source import pointer as jp
from actionbank.spec.assets import AssetPathError, lies_outside, resolve_asset
from actionbank.spec.gym_models import GymConfig, Robot
from actionbank.spec.mesh_files import FLAT, mesh_problem

__all__ = ["declared_robot_of", "model_robot_problems", "robot_declaration", "robot_type_of"]

#: Keys that only mean something with ``fpath``.
_MODEL_KEYS = ("control_parts", "solver_cfg", "grippers", "collision_geoms", "drive")
#: Model files offered as a did-you-mean when ``fpath`` does not exist.
_MODEL_SUFFIXES = (".xml", ".urdf", ".mjcf")


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


def _declaration_diagnostic(problem: DeclarationProblem) -> Diagnostic:
    return Diagnostic.make(
        problem.code,
        jp.join("/robot", *problem.path),
        where=jp.path_text(problem.path),
        message=problem.message,
        hint=problem.hint,
    )


def _model_file_diagnostic(fpath: str, base_dir: Path, allow_outside: bool) -> Diagnostic | Path:
    """The model file ``fpath`` resolved, or why it cannot be read (AB709)."""
    try:
        path = resolve_asset(fpath, base_dir, allow_outside=allow_outside)
    except AssetPathError as error:
        return Diagnostic.make(
            "AB709",
            "/robot/fpath",
            path=fpath,
            reason=f"the path {error.reason}",
            hint="put the model file (and what it refers to) in the gym config's folder, or pass "
            "--allow-outside-assets to read it where it is",
        )
    if not path.is_file():
        found = sorted(p.name for p in path.parent.glob("*") if p.suffix.lower() in _MODEL_SUFFIXES)
        guess = did_you_mean(path.name, found)
        return Diagnostic.make(
            "AB709",
            "/robot/fpath",
            path=fpath,
            reason="the file does not exist",
            hint=f"looked for {path}; a relative fpath is read from the gym config's folder"
            + (f"; did you mean {guess!r}?" if guess else ""),
        )
    return path


def _referenced_file_diagnostic(fpath: str, file: ModelFile, base_dir: Path, allow_outside: bool) -> Diagnostic | None:
    """AB712 when MuJoCo could not, or must not, read ``file``, a file the model file ``fpath`` refers to."""
    path = file.path
    if not allow_outside and lies_outside(path, base_dir):
        resolved = path.resolve()
        if Path(file.written).is_absolute():
            reason = "is absolute, outside the gym config's folder"
        else:
            reason = "leads out of the gym config's folder"
        reason += "" if str(resolved) == file.written else f" ({resolved})"
        hint = (
            f"MuJoCo would read {path} ({file.rule}); put it in the gym config's folder, or pass "
            "--allow-outside-assets to read it where it is"
        )
    elif not path.is_file():
        reason = "does not exist"
        hint = f"MuJoCo looks for it at {' and then '.join(map(str, file.candidates))} ({file.rule})"
        if file.written.startswith("package://"):
            hint += "; MuJoCo does not resolve package:// URIs: write the path relative to the model file"
    elif file.is_mesh and (problem := mesh_problem(path, flat_ok=file.flat_ok)) is not None:
        reason = f"is not one MuJoCo can read: {problem}"
        if problem.startswith(FLAT):
            hint = (
                'give the mesh a volume; or, for a mesh only seen, inertia="shell" on its <mesh> and '
                'contype="0" conaffinity="0" on each geom of type mesh that uses it (MuJoCo then needs no volume)'
            )
        else:
            hint = f"export the mesh at {path} as binary STL, OBJ or MSH"
    else:
        return None
    if file.named_in is not None:  # a file a model attached through <model> names
        reason = f"(named in {file.named_in}, a model it attaches) {reason}"
    return Diagnostic.make(
        "AB712", "/robot/fpath", model=fpath, kind=file.kind, file=file.written, reason=reason, hint=hint
    )


def _problems(config: GymConfig, base_dir: Path, allow_outside: bool) -> Iterator[Diagnostic]:
    """Every problem of the model-file robot: the model file (AB709), the files it refers to
    (AB712), the declaration (AB700-AB707, AB713-AB717). A model file outside the gym config's
    folder, or an include outside it, is never opened unless ``allow_outside``."""
    fpath = config.robot.fpath
    assert fpath is not None
    path = _model_file_diagnostic(fpath, base_dir, allow_outside)
    if isinstance(path, Diagnostic):
        yield path
        return
    within = None if allow_outside else base_dir
    try:
        files = referenced_files(path, within=within)
    except ModelFileError as error:
        yield Diagnostic.make("AB709", "/robot/fpath", path=fpath, reason=error.reason)
        return
    names_known = True  # false when an include was not read: the names it holds are unknown
    seen: set[tuple[str, Path]] = set()
    for file in files:
        if (file.kind, file.path) in seen:
            continue
        seen.add((file.kind, file.path))
        found = _referenced_file_diagnostic(fpath, file, base_dir, allow_outside)
        if found is not None:
            yield found
            names_known = names_known and file.kind not in ("include", "model")
    if not names_known:
        return
    try:
        names = read_model_names(path, within=within)
    except ModelFileError as error:
        yield Diagnostic.make("AB709", "/robot/fpath", path=fpath, reason=error.reason)
        return
    declaration = robot_declaration(config.robot)
    robot, problems = resolve_declaration(robot_type_of(config), declaration, path, within=within, names=names)
    yield from (_declaration_diagnostic(problem) for problem in problems)
    if robot is not None:
        yield from _undriven(robot, names)
    for doubt in names.degrees_doubted:
        yield Diagnostic.make(
            "AB718",
            "/robot/fpath",
            model=fpath,
            message=doubt,
            hint='if its angles are radians, add <compiler angle="radian"/> to that file; if they are degrees, '
            'write angle="degree" there',
        )


def _undriven(robot: DeclaredRobot, names: ModelNames) -> Iterator[Diagnostic]:
    """AB719 (a note) for each actuator of the model that no control part drives: the scene holds
    its control at 0 every episode (a finger servo left out of a gripper part holds its finger
    shut)."""
    driven: set[str] = set()
    for part in robot.facts.parts.values():
        if part.actuator is not None:
            driven.update([part.actuator, *(name for name, _ in part.followers)])
        if part.kind == "arm":
            driven.update(a.name for joint in part.joints if (a := names.actuator_of_joint(joint)) is not None)
    for actuator in names.actuators:
        if actuator.name not in driven:
            on = f" (on {actuator.target_kind} {actuator.target!r})" if actuator.target_kind != "other" else ""
            yield Diagnostic.make(
                "AB719",
                "/robot/control_parts",
                message=f"actuator {actuator.name!r}{on} is in no control part: the scene holds its control at 0 "
                "every episode",
                hint="add its joint to a part of robot.control_parts to drive it (a gripper's finger servos belong "
                "in the gripper's part); left out, a position servo holds its joint at 0 and a motor pushes with "
                "no force",
            )


def declared_robot_of(config: GymConfig, base_dir: Path, *, allow_outside: bool = False) -> DeclaredRobot | None:
    """The config's model-file robot resolved against its file's names, or ``None`` when it has
    no ``fpath``, its file (or an include) cannot be read, or the declaration does not fit the
    file (:func:`model_robot_problems` says why, and also checks the meshes and other files the
    model refers to, which this does not read)."""
    if config.robot.fpath is None:
        return None
    try:
        path = resolve_asset(config.robot.fpath, base_dir, allow_outside=allow_outside)
        within = None if allow_outside else base_dir
        declared, _ = resolve_declaration(robot_type_of(config), robot_declaration(config.robot), path, within=within)
    except (AssetPathError, ModelFileError):
        return None
    return declared


def model_robot_problems(
    config: GymConfig, base_dir: Path | None, *, allow_outside: bool = False
) -> Iterator[Diagnostic]:
    """``robot_type`` xor ``fpath``; model keys only with ``fpath``; the model file and every
    file it refers to can be read (by us and by MuJoCo); the declaration fits the file."""
    robot = config.robot
    if robot.robot_type is not None and robot.fpath is not None:
        yield Diagnostic.make("AB708", "/robot/fpath", reason="both are given")
    elif robot.robot_type is None and robot.fpath is None:
        yield Diagnostic.make("AB708", "/robot", reason="neither is given")
    if robot.fpath is None:
        for key in _MODEL_KEYS:
            if key in robot.model_fields_set and getattr(robot, key) not in (None, {}, []):
                yield Diagnostic.make("AB710", jp.join("/robot", key), key=key)
        return
    if robot.control_parts is None:
        yield Diagnostic.make("AB711", "/robot/fpath", path=robot.fpath)
        return
    if base_dir is None:
        return
    yield from _problems(config, base_dir, allow_outside)
