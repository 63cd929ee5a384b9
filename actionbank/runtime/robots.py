"""Robot declarations: what each robot type offers a gym config, as plain data.

A :class:`RobotFacts` says which control parts a robot has (their kind and joints), its home
pose, the links a camera may be attached to, and the names its MuJoCo model already uses (a
scene object may not take one). The simulation builds its robot models from these facts
(``sim/robots``), and a test holds the facts to the compiled models, so the two cannot drift.

This module imports neither MuJoCo nor anything of ``sim``: ``lint`` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ALOHA", "ROBOTS", "TOY_ARM", "Gripper", "Part", "RobotFacts"]


@dataclass(frozen=True, slots=True)
class Gripper:
    """Maps the normalised gripper command (0 = closed, 1 = open) to finger joint positions [m]
    (or, for a part with an ``actuator``, to that actuator's control values).

    ``closed`` / ``open`` are the values at 0 and 1; ``mirror`` joints get the
    negated position (ALOHA's two fingers slide in opposite directions).
    """

    closed: float
    open: float

    def to_position(self, normalised: float) -> float:
        return self.closed + normalised * (self.open - self.closed)

    def to_normalised(self, position: float) -> float:
        return (position - self.closed) / (self.open - self.closed)

    @property
    def scale(self) -> float:
        return self.open - self.closed


@dataclass(frozen=True, slots=True)
class Part:
    """A control part: an arm (joints moved by position actuators, a tool frame for IK) or an
    end effector (one normalised value driving its finger actuators). Each joint's position
    actuator is found through its transmission."""

    name: str
    kind: Literal["arm", "eef"]
    joints: tuple[str, ...]
    tcp_site: str | None = None
    base_body: str | None = None
    gripper: Gripper | None = None
    mirrored: tuple[bool, ...] = ()
    #: An end effector driven by this one actuator: ``gripper`` maps to its control values
    #: (any range, e.g. 0-255) and the state is read back from the actuator; ``None``: the
    #: gripper maps to finger joint positions, each driven by its own position actuator.
    actuator: str | None = None
    #: Of an end effector driven through ``actuator``: the other actuators the same normalised
    #: value drives, each through its own mapping to its control values (one servo per finger).
    followers: tuple[tuple[str, Gripper], ...] = ()

    @property
    def dim(self) -> int:
        """Values of this part in an action or state vector: one per arm joint, one per gripper."""
        return len(self.joints) if self.kind == "arm" else 1

    @property
    def state_names(self) -> tuple[str, ...]:
        """An arm's joints; an end effector's one value, ``<part>_gripper`` (``hand_gripper``),
        or the part's own name when it already says so (``gripper``, ``left_gripper``)."""
        if self.kind == "arm":
            return self.joints
        return (self.name if self.name.endswith("gripper") else f"{self.name}_gripper",)


@dataclass(frozen=True)
class RobotFacts:
    """A robot type: its parts, home pose [rad or normalised], the links a camera may be
    attached to, and the names its MuJoCo model uses (``bodies``, ``geoms``, ``joints``,
    ``meshes``, ``lights``), so that a scene's own names can be checked against them before it is built;
    ``joint_ranges`` [rad or m] where the model states them (a value outside is refused)."""

    robot_type: str
    parts: Mapping[str, Part]
    home: Mapping[str, tuple[float, ...]]
    links: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    geoms: tuple[str, ...] = ()
    joints: tuple[str, ...] = ()
    meshes: tuple[str, ...] = ()
    lights: tuple[str, ...] = ()
    joint_ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def values_of(self, parts: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """The names of the values ``parts`` put in a state or action vector, in order."""
        return tuple(name for part in parts if part in self.parts for name in self.parts[part].state_names)


# -- ALOHA: gym-aloha's bimanual ViperX 300s ----------------------------------------------

_ALOHA_ARM_JOINTS = ("waist", "shoulder", "elbow", "forearm_roll", "wrist_angle", "wrist_rotate")
#: Finger slide positions [m] at normalised 0 (closed) and 1 (open): gym-aloha's puppet gripper.
_ALOHA_GRIPPER = Gripper(closed=0.01844, open=0.05800)
#: gym-aloha's start pose of each arm [rad].
_ALOHA_HOME = (0.0, -0.96, 1.16, 0.0, -0.3, 0.0)
#: The ranges gym-aloha's model states on each side's joints [rad; fingers: m].
_ALOHA_JOINT_RANGES = {
    "waist": (-3.14158, 3.14158),
    "shoulder": (-1.85005, 1.25664),
    "elbow": (-1.76278, 1.6057),
    "forearm_roll": (-3.14158, 3.14158),
    "wrist_angle": (-1.8675, 2.23402),
    "wrist_rotate": (-3.14158, 3.14158),
    "left_finger": (0.021, 0.057),
    "right_finger": (-0.057, -0.021),
}
_ALOHA_SIDES = ("left", "right")
_ALOHA_LINKS = (
    "shoulder_link",
    "upper_arm_link",
    "upper_forearm_link",
    "lower_forearm_link",
    "wrist_link",
    "gripper_link",
)
_ALOHA_BODIES = (*_ALOHA_LINKS, "camera_focus", "gripper_prop_link", "left_finger_link", "right_finger_link")
_ALOHA_GEOMS = (
    "1_base",
    "2_shoulder",
    "3_upper_arm",
    "4_upper_forearm",
    "5_lower_forearm",
    "6_wrist",
    "7_gripper",
    "9_gripper_bar",
    "8_gripper_prop",
    "10_left_gripper_finger",
    "10_right_gripper_finger",
)
_ALOHA_MESHES = (
    "tabletop",
    "vx300s_1_base",
    "vx300s_2_shoulder",
    "vx300s_3_upper_arm",
    "vx300s_4_upper_forearm",
    "vx300s_5_lower_forearm",
    "vx300s_6_wrist",
    "vx300s_7_gripper",
    "vx300s_8_gripper_prop",
    "vx300s_9_gripper_bar",
    "vx300s_10_gripper_finger_left",
    "vx300s_10_gripper_finger_right",
)


def _aloha_parts() -> dict[str, Part]:
    parts: dict[str, Part] = {}
    for side in _ALOHA_SIDES:
        prefix = f"vx300s_{side}"
        joints = tuple(f"{prefix}/{j}" for j in _ALOHA_ARM_JOINTS)
        parts[f"{side}_arm"] = Part(f"{side}_arm", "arm", joints, tcp_site=f"{side}_tcp", base_body=prefix)
        parts[f"{side}_eef"] = Part(
            f"{side}_eef",
            "eef",
            (f"{prefix}/left_finger", f"{prefix}/right_finger"),
            gripper=_ALOHA_GRIPPER,
            mirrored=(False, True),
        )
    return parts


ALOHA = RobotFacts(
    robot_type="aloha",
    parts=_aloha_parts(),
    home={"left_arm": _ALOHA_HOME, "right_arm": _ALOHA_HOME, "left_eef": (1.0,), "right_eef": (1.0,)},
    links=tuple(f"vx300s_{side}/{link}" for side in _ALOHA_SIDES for link in _ALOHA_LINKS),
    bodies=(
        "world",
        "table",
        "midair",
        *(name for side in _ALOHA_SIDES for name in (f"vx300s_{side}", *(f"vx300s_{side}/{b}" for b in _ALOHA_BODIES))),
    ),
    geoms=("table", *(f"vx300s_{side}/{g}" for side in _ALOHA_SIDES for g in _ALOHA_GEOMS)),
    joints=tuple(
        f"vx300s_{side}/{j}" for side in _ALOHA_SIDES for j in (*_ALOHA_ARM_JOINTS, "left_finger", "right_finger")
    ),
    meshes=_ALOHA_MESHES,
    joint_ranges={
        f"vx300s_{side}/{joint}": span for side in _ALOHA_SIDES for joint, span in _ALOHA_JOINT_RANGES.items()
    },
)

# -- the toy arm: three hinges and a one-finger gripper, for fast tests -------------------

#: Finger slide positions [m] at normalised 0 (closed) and 1 (open).
TOY_GRIPPER = Gripper(closed=0.0, open=0.04)

TOY_ARM = RobotFacts(
    robot_type="toy_arm",
    parts={
        "arm": Part("arm", "arm", ("waist", "shoulder", "elbow"), tcp_site="tcp", base_body="base"),
        "eef": Part("eef", "eef", ("finger",), gripper=TOY_GRIPPER, mirrored=(False,)),
    },
    # Waist straight, upper arm raised, forearm folded down [rad]; gripper open.
    home={"arm": (0.0, -0.6, 1.2), "eef": (1.0,)},
    links=("upper_link", "arm_link", "forearm_link", "hand_link"),
    bodies=("world", "base", "upper_link", "arm_link", "forearm_link", "hand_link", "finger_link"),
    geoms=("floor", "base", "palm", "fixed_finger", "finger"),
    joints=("waist", "shoulder", "elbow", "finger"),
    joint_ranges={"waist": (-2.5, 2.5), "shoulder": (-1.8, 1.8), "elbow": (-2.5, 2.5), "finger": (0.0, 0.04)},
)

#: Every robot type this package declares, by ``robot.robot_type``.
ROBOTS: Mapping[str, RobotFacts] = {robot.robot_type: robot for robot in (ALOHA, TOY_ARM)}
