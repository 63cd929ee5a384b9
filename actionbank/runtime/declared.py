"""Robots declared from a model file: EmbodiChain's ``fpath`` + ``control_parts`` +
``solver_cfg`` spelling, resolved against the names the file declares (no MuJoCo).

A :class:`RobotDeclaration` is plain data: a gym config's ``robot`` section becomes one, and
the shipped model-file robots (Panda, SO-101: :mod:`actionbank.runtime.robots`) are written as
one. :func:`resolve_declaration` matches it against :class:`ModelNames` and returns a
:class:`DeclaredRobot` (the :class:`RobotFacts` the checks and the environment use, plus what
the simulation's builder needs) and the problems found, each with the path of the declaration
key it concerns, so ``lint`` can locate them.

Rules: a control part's entries are joint names or regular expressions matched against whole
joint names, expanded in the order written (within one pattern, in file order). A part with a
``solver_cfg`` entry is an arm; any other part is an end effector, driven by one actuator
(``grippers[part].actuator``, else the one actuator that drives its joints, directly or through
a fixed tendon) whose control value goes from ``closed`` (normalised 0) to ``open`` (1); when
those are not given they are the low and high ends of the actuator's ``ctrlrange``, else of its
joint's range.

A URDF states no actuators: its arm joints get position servos (``drive`` gains), and an end
effector is driven by a servo on its one joint that no ``<mimic>`` ties to another (closed at
the low end of its range, open at the high end unless declared); its ``<mimic>`` joints follow
through equality constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from actionbank.diagnostics.hints import choices_hint, did_you_mean
from actionbank.runtime.actuator_drive import control_meaning
from actionbank.runtime.model_file import Actuator, Mimic, ModelNames, read_model_names
from actionbank.runtime.robots import Gripper, Part, RobotFacts

__all__ = [
    "DeclarationProblem",
    "DeclaredRobot",
    "DriveGains",
    "GripperDeclaration",
    "RobotDeclaration",
    "Tcp",
    "resolve_declaration",
    "servo_actuator",
    "tcp_site",
]

Matrix = tuple[tuple[float, ...], ...]
_IDENTITY: Matrix = ((1.0, 0.0, 0.0, 0.0), (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0), (0.0, 0.0, 0.0, 1.0))


@dataclass(frozen=True)
class Tcp:
    """An arm's tool frame: the link it is fixed to and its 4x4 pose there (translation [m])."""

    end_link_name: str
    tcp: Matrix = _IDENTITY


@dataclass(frozen=True)
class GripperDeclaration:
    """An end effector's actuator and its control values when closed and open (``None``: inferred)."""

    actuator: str | None = None
    closed: float | None = None
    open: float | None = None


@dataclass(frozen=True)
class DriveGains:
    """Position-servo gains for torque actuators on arm joints: ``stiffness`` [N·m/rad],
    ``damping`` [N·m·s/rad]; ``gravity_compensation`` cancels gravity on the arm's bodies."""

    stiffness: float = 400.0
    damping: float = 40.0
    gravity_compensation: bool = True


@dataclass(frozen=True)
class RobotDeclaration:
    """A robot from a model file, as plain data; ``home`` gives each part's reset value [rad or
    normalised] (a part not in it: arm joints at 0 moved into their range, grippers open);
    ``collision_geoms`` names geoms of the file to switch on for contacts, e.g. fingertip pads
    a model ships inert."""

    control_parts: Mapping[str, tuple[str, ...]]
    solver_cfg: Mapping[str, Tcp] = field(default_factory=dict)
    grippers: Mapping[str, GripperDeclaration] = field(default_factory=dict)
    drive: DriveGains = DriveGains()
    home: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    collision_geoms: tuple[str, ...] = ()


class DeclarationProblem(NamedTuple):
    """A declaration that does not fit the model file: ``path`` is the key path inside the
    ``robot`` section (e.g. ``("control_parts", "arm", 2)``), ``code`` a diagnostic code."""

    path: tuple[str | int, ...]
    code: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class DeclaredRobot:
    """A resolved declaration: the facts, the model file, each arm's tool frame, the torque
    actuators to turn into position servos (by name) and their gains, the geoms to switch on
    for contacts; for a URDF, the joints to give a position servo (:func:`servo_actuator`) and
    the ``<mimic>`` joints to tie."""

    facts: RobotFacts
    model_file: Path
    tcps: Mapping[str, Tcp]
    motors: tuple[str, ...]
    drive: DriveGains
    servos: tuple[str, ...] = ()
    mimics: Mapping[str, Mimic] = field(default_factory=dict)
    urdf: bool = False
    collision_geoms: tuple[str, ...] = ()


def tcp_site(part: str) -> str:
    """The name of the site the builder adds for ``part``'s tool frame."""
    return f"{part}_tcp"


def servo_actuator(joint: str) -> str:
    """The name of the position servo the builder adds to a URDF ``joint``."""
    return f"{joint}_servo"


def _expand(part: str, patterns: tuple[str, ...], joints: tuple[str, ...]) -> Iterator[str | DeclarationProblem]:
    for index, pattern in enumerate(patterns):
        path: tuple[str | int, ...] = ("control_parts", part, index)
        if pattern in joints:
            yield pattern
            continue
        try:
            regex = re.compile(pattern)
        except re.error as error:
            yield DeclarationProblem(path, "AB702", f"{pattern!r} is not a valid regular expression: {error}")
            continue
        matched = [j for j in joints if regex.fullmatch(j)]
        if not matched:
            yield DeclarationProblem(
                path, "AB701", f"{pattern!r} matches no joint of the model", _pattern_hint(pattern, joints)
            )
        yield from matched


def _pattern_hint(pattern: str, joints: tuple[str, ...]) -> str:
    """What to write instead of ``pattern``, which matches no joint: a pattern must match a
    whole name, so one that only starts names is said to; else the closest name; and the
    model's joints."""
    starts = [j for j in joints if re.match(pattern, j)]
    listed = f"the model's joints: {', '.join(joints) or 'none'}"
    if starts:
        return f"a pattern matches whole names: write {pattern + '.*'!r} for {', '.join(starts)}; {listed}"
    guess = did_you_mean(pattern, joints)
    return (f"did you mean {guess!r}? " if guess else "") + listed


def _gripper(
    part: str, joints: tuple[str, ...], declared: GripperDeclaration, names: ModelNames
) -> tuple[Actuator, Gripper, tuple[tuple[str, Gripper], ...]] | DeclarationProblem:
    """The actuator an end effector is driven through, its mapping of the normalised value
    (0 closed, 1 open) to control values, and its followers: the other actuators of a gripper
    with one servo per finger, each given the same value through its own mapping (its control
    range the same as the first's, or its mirror image: a finger that closes the other way)."""
    path: tuple[str | int, ...] = ("grippers", part)
    actuator_names = tuple(a.name for a in names.actuators)
    followers: list[Actuator] = []
    if names.format == "urdf":
        driver = _urdf_driver(part, joints, names)
        if isinstance(driver, DeclarationProblem):
            return driver
        actuator = Actuator(servo_actuator(driver), "position", driver, "joint", None, "servo")
    elif declared.actuator is not None:
        found = [a for a in names.actuators if a.name == declared.actuator]
        if not found:
            return DeclarationProblem(
                (*path, "actuator"),
                "AB704",
                f"actuator {declared.actuator!r} is not in the model",
                choices_hint(declared.actuator, actuator_names, "the model's actuators"),
            )
        actuator = found[0]
    else:
        driving = names.actuators_of_joints(joints)
        if not driving:
            return DeclarationProblem(
                ("control_parts", part),
                "AB705",
                f"end effector {part!r}: no actuator drives its joints {list(joints)}",
                f"add a position actuator on one of its joints (or on a tendon coupling them), or name one in "
                f"robot.grippers.{part}.actuator (the model's actuators: {', '.join(actuator_names) or 'none'})",
            )
        actuator, *followers = driving
    for each in (actuator, *followers):
        if each.drive != "servo":
            return DeclarationProblem(
                ("control_parts", part) if declared.actuator is None else (*path, "actuator"),
                "AB705",
                f"end effector {part!r}: its actuator {_takes(each)}, not a position",
                'drive the fingers with a <position> actuator, or a <general> one with biastype="affine" and '
                'biasprm="0 -kp -kv": the control value is then where the fingers go',
            )
    span = _span(actuator, names)
    closed = declared.closed if declared.closed is not None else (span[0] if span else None)
    opened = declared.open if declared.open is not None else (span[1] if span else None)
    if closed is None or opened is None:
        return DeclarationProblem(
            path,
            "AB706",
            f"end effector {part!r}: actuator {actuator.name!r} states no ctrlrange or joint range to infer "
            "closed/open from",
            f"give robot.grippers.{part}.closed and .open (control values)",
        )
    if closed == opened:
        return DeclarationProblem(path, "AB706", f"end effector {part!r}: closed and open are both {closed}")
    limits = actuator.ctrlrange
    for key, value in (("closed", closed), ("open", opened)):
        if limits is not None and not limits[0] <= value <= limits[1]:
            return DeclarationProblem(
                (*path, key),
                "AB715",
                f"end effector {part!r}: {key} is {value:g}, outside the control range [{limits[0]:g}, "
                f"{limits[1]:g}] of actuator {actuator.name!r}, to which MuJoCo clamps every control",
                f"give a value from {limits[0]:g} to {limits[1]:g}, or leave robot.grippers.{part}.{key} out to use "
                "the range's end",
            )
    mapped: list[tuple[str, Gripper]] = []
    for follower in followers:
        way = _way(actuator, follower, names)
        if way == "same":
            mapped.append((follower.name, Gripper(closed=closed, open=opened)))
        elif way == "mirror":
            mapped.append((follower.name, Gripper(closed=-closed, open=-opened)))
        else:
            listed = ", ".join(a.name for a in (actuator, *followers))
            mine, theirs = _written(follower, names), _written(actuator, names)
            why = (
                f"the control ranges of {actuator.name!r} and {follower.name!r} ({_text(theirs)}, {_text(mine)}) "
                "and their joints' ranges are each their own mirror image, so which way each finger closes is "
                "not known"
                if way is None
                else f"the control range of {follower.name!r} ({_text(mine)}) is neither that of "
                f"{actuator.name!r} ({_text(theirs)}) nor its mirror image, so one value cannot drive both"
            )
            return DeclarationProblem(
                ("control_parts", part),
                "AB705",
                f"end effector {part!r}: {1 + len(followers)} actuators drive its joints ({listed}), and {why}",
                f"give the finger servos the same control range (or its mirror image, for a finger that closes "
                f"the other way), or drive the fingers with one actuator (on a tendon, or with equality "
                f"constraints coupling them) and name it in robot.grippers.{part}.actuator",
            )
    return actuator, Gripper(closed=closed, open=opened), tuple(mapped)


def _written(actuator: Actuator, names: ModelNames) -> tuple[float, float] | None:
    """A gripper servo's control range as the model states it, else its joint's range."""
    if actuator.ctrlrange is not None:
        return actuator.ctrlrange
    return names.joint_ranges.get(actuator.target) if actuator.target_kind == "joint" else None


def _way(first: Actuator, other: Actuator, names: ModelNames) -> Literal["same", "mirror", "neither"] | None:
    """Whether the finger servo ``other`` closes as ``first`` does (the same control range) or
    the other way (its mirror image), judged on the ranges as the model states them (before they
    are cut to what the joints reach: robosuite's Rethink fingers, -0.0115 to 0.0208 and -0.0208
    to 0.0115, both reach ±0.0115 only), else on the joints' ranges; ``None`` when every pair of
    ranges is its own mirror image (symmetric), which cannot tell."""
    pairs = [(_written(first, names), _written(other, names))]
    if first.target_kind == "joint" and other.target_kind == "joint":
        pairs.append((names.joint_ranges.get(first.target), names.joint_ranges.get(other.target)))
    for a, b in pairs:
        if a is None or b is None:
            continue
        same, mirror = _same(a, b), _same(a, (-b[1], -b[0]))
        if same != mirror:
            return "same" if same else "mirror"
        if not same:
            return "neither"
    return None


def _span(actuator: Actuator, names: ModelNames) -> tuple[float, float] | None:
    """The control values a gripper servo's finger goes from and to: its control range (cut to
    what its joint reaches), else its joint's range."""
    if actuator.ctrlrange is None and actuator.target_kind == "joint":
        return names.joint_ranges.get(actuator.target)
    return _reachable(actuator.ctrlrange, actuator, names)


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    scale = max(abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]), 1e-12)
    return abs(a[0] - b[0]) <= 1e-9 * scale and abs(a[1] - b[1]) <= 1e-9 * scale


def _text(span: tuple[float, float] | None) -> str:
    return "none" if span is None else f"[{span[0]:g}, {span[1]:g}]"


def _reachable(span: tuple[float, float] | None, actuator: Actuator, names: ModelNames) -> tuple[float, float] | None:
    """The part of a gripper servo's control range its joint can follow: for a ``<position>``
    servo on a joint (its control is the joint's position times the gear), the control range
    cut to the joint's range. A control range written in degrees for a hinge MuJoCo compiles in
    radians, or one that reaches past the joint's stops to squeeze, would otherwise give closed
    and open values the finger never reaches, and gripper values that never read 0 or 1."""
    limits = names.joint_ranges.get(actuator.target) if actuator.target_kind == "joint" else None
    if span is None or limits is None or actuator.kind != "position" or actuator.gear == 0:
        return span
    low, high = sorted((limits[0] * actuator.gear, limits[1] * actuator.gear))
    cut = (max(span[0], low), min(span[1], high))
    return cut if cut[0] < cut[1] else span


def _takes(actuator: Actuator) -> str:
    """What ``actuator``'s control is, for a diagnostic: ``'m1' (<velocity>) takes a velocity``."""
    return f"{actuator.name!r} (<{actuator.kind}>) takes {control_meaning(actuator.kind, actuator.drive)}"


def _joints_not_moving(part: str, joints: tuple[str, ...], link: str, names: ModelNames) -> list[DeclarationProblem]:
    """AB713 when arm joints' bodies are not on the way from the world to ``link`` (the arm's
    end link): moving them does not move the link, and no pose of the link can be solved for
    (the scene's IK refuses such an arm)."""
    carried = {link}
    body = link
    while body in names.parents and names.parents[body] not in carried:
        body = names.parents[body]
        carried.add(body)
    idle = [joint for joint in joints if names.joint_bodies.get(joint, link) not in carried]
    if not idle:
        return []
    which = f"arm joint {idle[0]!r}" if len(idle) == 1 else "arm joints " + ", ".join(repr(j) for j in idle)
    return [
        DeclarationProblem(
            ("solver_cfg", part, "end_link_name"),
            "AB713",
            f"{which} of part {part!r} {'does' if len(idle) == 1 else 'do'} not move link {link!r}: the link does "
            f"not hang from {'its body' if len(idle) == 1 else 'their bodies'} "
            + ", ".join(repr(names.joint_bodies[j]) for j in idle),
            "name the link at the end of the arm's chain (its hand or tool link), or leave "
            f"{'that joint' if len(idle) == 1 else 'those joints'} out of robot.control_parts.{part}",
        )
    ]


def _arm_drive_hint(joint: str, names: ModelNames) -> str:
    """How to drive ``joint``, whose first actuator takes no position: put a later one that does
    first (the scene commands each joint through its first), else write one."""
    usable = [a for a in names.actuators if a.target_kind == "joint" and a.target == joint and a.drive != "other"]
    if usable:
        return (
            f"the scene commands a joint through its first actuator: put {usable[0].name!r} "
            f"(<{usable[0].kind}>) before the others on {joint!r}"
        )
    return (
        "drive each arm joint with a <position> actuator, or a <motor> (a torque), which the scene makes a "
        "position servo with robot.drive's gains"
    )


def _urdf_driver(part: str, joints: tuple[str, ...], names: ModelNames) -> str | DeclarationProblem:
    """The one joint of a URDF end effector that no ``<mimic>`` ties to another; every other
    joint of the part must follow it (directly or through other mimic joints)."""

    def root(joint: str) -> str:
        seen = {joint}
        while joint in names.mimics and names.mimics[joint].followed not in seen:
            joint = names.mimics[joint].followed
            seen.add(joint)
        return joint

    drivers = sorted({root(j) for j in joints}, key=names.joints.index)
    if len(drivers) != 1 or drivers[0] not in names.joints:
        return DeclarationProblem(
            ("control_parts", part),
            "AB705",
            f"end effector {part!r}: its joints {list(joints)} move independently ({len(drivers)} driving joints)",
            "a URDF gripper is driven through one joint: list it, and tie the others to it with <mimic>",
        )
    return drivers[0]


def _home(part: Part, names: ModelNames) -> tuple[float, ...]:
    if part.kind == "eef":
        return (1.0,)
    values = []
    for joint in part.joints:
        low, high = names.joint_ranges.get(joint, (0.0, 0.0))
        values.append(min(max(0.0, low), high))
    return tuple(values)


def resolve_declaration(
    robot_type: str,
    declaration: RobotDeclaration,
    model_file: Path,
    *,
    within: Path | None = None,
    names: ModelNames | None = None,
) -> tuple[DeclaredRobot | None, list[DeclarationProblem]]:
    """Match ``declaration`` against ``model_file``'s names (:func:`read_model_names`, which
    raises :class:`~actionbank.runtime.model_file.ModelFileError` for an unreadable file; or
    ``names``, when the caller has read them already). ``within``: the folder the model's
    includes must stay in (``None``: no limit, as for the shipped robots' files inside
    installed packages)."""
    if names is None:
        names = read_model_names(model_file, within=within)
    problems: list[DeclarationProblem] = []
    parts: dict[str, Part] = {}
    owner: dict[str, str] = {}
    motors: list[str] = []
    servos: list[str] = []
    # Parts a misspelt solver_cfg key was meant for (its closest part without an entry).
    misspelt = {
        did_you_mean(key, [p for p in declaration.control_parts if p not in declaration.solver_cfg])
        for key in declaration.solver_cfg
        if key not in declaration.control_parts
    }
    for part_name, patterns in declaration.control_parts.items():
        joints: list[str] = []
        for item in _expand(part_name, patterns, names.joints):
            if isinstance(item, DeclarationProblem):
                problems.append(item)
            elif item in owner:
                problems.append(
                    DeclarationProblem(
                        ("control_parts", part_name), "AB703", f"joint {item!r} is already in part {owner[item]!r}"
                    )
                )
            elif names.joint_kinds.get(item, "hinge") not in ("hinge", "slide"):
                problems.append(
                    DeclarationProblem(
                        ("control_parts", part_name),
                        "AB714",
                        f"joint {item!r} is a {names.joint_kinds[item]} joint: a part's joints are hinges or slides, "
                        "one value each",
                        f"leave it out of robot.control_parts.{part_name} (a pattern matches whole names: "
                        "'joint[1-6]' matches joint1 to joint6 only)",
                    )
                )
            else:
                owner[item] = part_name
                joints.append(item)
        if not joints:
            continue
        if part_name in declaration.solver_cfg:
            tcp = declaration.solver_cfg[part_name]
            if tcp.end_link_name not in names.bodies:
                problems.append(
                    DeclarationProblem(
                        ("solver_cfg", part_name, "end_link_name"),
                        "AB700",
                        f"link {tcp.end_link_name!r} is not in the model",
                        choices_hint(tcp.end_link_name, names.bodies, "the model's bodies"),
                    )
                )
            else:
                problems.extend(_joints_not_moving(part_name, tuple(joints), tcp.end_link_name, names))
            base = names.parents.get(names.joint_bodies[joints[0]], "world")
            if tcp_site(part_name) in names.sites:
                problems.append(
                    DeclarationProblem(
                        ("solver_cfg", part_name),
                        "AB717",
                        f"the model has a site named {tcp_site(part_name)!r}, the name of the tool frame the scene "
                        f"adds for part {part_name!r}",
                        "rename the model's site",
                    )
                )
            parts[part_name] = Part(part_name, "arm", tuple(joints), tcp_site=tcp_site(part_name), base_body=base)
            for joint in joints:
                actuator = names.actuator_of_joint(joint)
                others = [
                    a.name
                    for a in names.actuators
                    if a.target_kind == "joint" and a.target == joint and actuator is not None and a is not actuator
                ]
                if actuator is not None and actuator.drive != "other" and others:
                    problems.append(
                        DeclarationProblem(
                            ("control_parts", part_name),
                            "AB705",
                            f"arm joint {joint!r} has {1 + len(others)} actuators ({actuator.name!r}, "
                            + ", ".join(repr(o) for o in others)
                            + "): the scene commands the first; the others keep their control at 0 and pull the "
                            "joint toward it",
                            "keep one actuator on each arm joint",
                        )
                    )
                if actuator is None and names.format == "urdf":
                    servos.append(joint)
                elif actuator is None:
                    problems.append(
                        DeclarationProblem(
                            ("control_parts", part_name),
                            "AB705",
                            f"arm joint {joint!r} has no actuator",
                            "each arm joint needs a position or motor actuator",
                        )
                    )
                elif actuator.drive == "torque":  # made a position servo with robot.drive's gains
                    motors.append(actuator.name)
                elif actuator.drive == "other":
                    problems.append(
                        DeclarationProblem(
                            ("control_parts", part_name),
                            "AB705",
                            f"arm joint {joint!r}: its actuator {_takes(actuator)}, not a joint position",
                            _arm_drive_hint(joint, names),
                        )
                    )
        elif part_name in misspelt:
            continue  # meant as an arm: the misspelt solver_cfg key is reported (AB707), not the part
        else:
            resolved = _gripper(
                part_name, tuple(joints), declaration.grippers.get(part_name, GripperDeclaration()), names
            )
            if isinstance(resolved, DeclarationProblem):
                problems.append(resolved)
                continue
            actuator, gripper, followers = resolved
            if names.format == "urdf":
                servos.append(actuator.target)
            parts[part_name] = Part(
                part_name, "eef", tuple(joints), gripper=gripper, actuator=actuator.name, followers=followers
            )
    for part_name in declaration.solver_cfg:
        if part_name not in declaration.control_parts:
            problems.append(
                DeclarationProblem(
                    ("solver_cfg", part_name),
                    "AB707",
                    f"solver_cfg names part {part_name!r}, which control_parts does not declare",
                    choices_hint(part_name, tuple(declaration.control_parts), "the parts of robot.control_parts"),
                )
            )
    for part_name in declaration.grippers:
        if part_name not in declaration.control_parts or part_name in declaration.solver_cfg:
            problems.append(
                DeclarationProblem(
                    ("grippers", part_name),
                    "AB707",
                    f"grippers names {part_name!r}, which is not an end effector of control_parts",
                    choices_hint(part_name, tuple(declaration.control_parts), "the parts of robot.control_parts"),
                )
            )
    for index, geom in enumerate(declaration.collision_geoms):
        if geom not in names.geoms:
            problems.append(
                DeclarationProblem(
                    ("collision_geoms", index),
                    "AB716",
                    f"geom {geom!r} is not in the model (only named geoms can be switched on)",
                    choices_hint(geom, names.geoms, "the model's geoms"),
                )
            )
    if problems:
        return None, problems
    home = {name: tuple(declaration.home.get(name, _home(part, names))) for name, part in parts.items()}
    facts = RobotFacts(
        robot_type=robot_type,
        parts=parts,
        home=home,
        links=names.bodies,
        bodies=("world", *names.bodies),
        geoms=names.geoms,
        joints=names.joints,
        meshes=names.meshes,
        lights=names.lights,
        joint_ranges=dict(names.joint_ranges),
    )
    tcps = {name: tcp for name, tcp in declaration.solver_cfg.items() if name in parts}
    mimics = {joint: mimic for joint, mimic in names.mimics.items() if mimic.followed in names.joints}
    robot = DeclaredRobot(
        facts,
        model_file,
        tcps,
        tuple(motors),
        declaration.drive,
        tuple(servos),
        mimics,
        names.format == "urdf",
        tuple(declaration.collision_geoms),
    )
    return robot, []
