"""Whether the robot goes where it is sent.

An arm joint that has been sent one target for :data:`HOLD_S` seconds and is still farther
from it than :data:`OFF_TARGET_RAD` (a hinge) or :data:`OFF_TARGET_M` (a slide) is held back:
its links collide with each other or the scene (a link next to a base welded to the world,
whose contact MuJoCo does not filter, without a ``<contact><exclude>``), it is pressed against
an object or a joint limit, or its servo is too weak for the load. The episode's actions then
record targets its state never reached. :class:`TargetWatch` finds the joint farthest behind
in an episode, for one note (topic ``arm_off_target``). The bounds are above what an arm misses
by while it presses a grasped object on the table in the shipped tasks (up to 0.07 rad, ALOHA's
wrist in transfer_cube) and below what a blocked joint misses by (0.2 rad and more).

Grippers are watched apart: one that closes on an object stops short of closed by design, but
its value, 0 (closed) to 1 (open), should stay near that span, and move when it is sent across
it. :class:`GripperWatch` tells when it reads beyond :data:`GRIPPER_SLACK` outside (topic
``gripper_out_of_range``: its closed and open values are not where its fingers go, a range read
in other units, say), and when it is sent across :data:`GRIPPER_SENT` of its span yet moves less
than :data:`GRIPPER_MOVED` (topic ``gripper_stuck``: jammed, as a Robotiq linkage sent to its
closed end as "open" is).
"""

from __future__ import annotations

import math

import mujoco
import numpy as np
from numpy.typing import NDArray

from sim.env import ActionbankEnv, joint_amount

__all__ = [
    "GRIPPER_MOVED",
    "GRIPPER_SENT",
    "GRIPPER_SLACK",
    "HOLD_S",
    "OFF_TARGET_M",
    "OFF_TARGET_RAD",
    "GripperWatch",
    "TargetWatch",
]

#: How long [s] a joint's target must stay the same before the joint must have reached it.
HOLD_S = 0.3
#: How far [rad] a hinge may then still be from its target.
OFF_TARGET_RAD = 0.15
#: How far [m] a slide may then still be from its target.
OFF_TARGET_M = 0.01
#: How far outside 0 to 1 a gripper's value may read.
GRIPPER_SLACK = 0.2
#: A gripper sent across this much of its span in an episode …
GRIPPER_SENT = 0.5
#: … must read values at least this far apart.
GRIPPER_MOVED = 0.05


class TargetWatch:
    """Fed each step's action and the state it led to (:meth:`see`); tells the farthest miss (:meth:`notes`)."""

    def __init__(self, env: ActionbankEnv) -> None:
        columns, names, slides = [], [], []
        offset = 0
        for part in env.parts:
            if part.kind == "arm":
                for i, joint in enumerate(part.joints):
                    columns.append(offset + i)
                    names.append((joint, part.name))
                    slides.append(env.model.jnt_type[env.model.joint(joint).id] == mujoco.mjtJoint.mjJNT_SLIDE)
            offset += part.dim
        self._columns = np.array(columns, dtype=np.int64)
        self._names = names
        self._slides = np.array(slides, dtype=bool)
        self._tolerance = np.where(self._slides, OFF_TARGET_M, OFF_TARGET_RAD)
        self._hold = max(1, math.ceil(HOLD_S * env.config.control_freq))
        self._held: NDArray[np.int64] = np.zeros(len(columns), dtype=np.int64)  # steps each target has stayed
        self._last: NDArray[np.float32] | None = None
        # (miss / tolerance, joint, step, target, state, steps held)
        self._worst: tuple[float, int, int, float, float, int] | None = None
        self._period = 1.0 / env.config.control_freq

    def see(self, step: int, action: NDArray[np.float32], state: NDArray[np.float32]) -> None:
        """``state``: the observation after ``action`` was applied at ``step``."""
        if self._columns.size == 0:
            return
        targets = action[self._columns]
        same = targets == self._last if self._last is not None else np.zeros(targets.shape, dtype=bool)
        self._held = np.where(same, self._held + 1, 1).astype(np.int64)
        self._last = targets
        miss = np.abs(state[self._columns].astype(np.float64) - targets) / self._tolerance
        miss[self._held < self._hold] = 0.0
        joint = int(np.argmax(miss))
        if miss[joint] > 1.0 and (self._worst is None or miss[joint] > self._worst[0]):
            reached = float(state[self._columns[joint]])
            self._worst = (float(miss[joint]), joint, step, float(targets[joint]), reached, int(self._held[joint]))

    def notes(self) -> dict[str, str]:
        """One line for the user about the joint farthest from a target it held (topic
        ``arm_off_target``), when there is one."""
        if self._worst is None:
            return {}
        _, joint, step, target, reached, held = self._worst
        name, part = self._names[joint]
        slide = bool(self._slides[joint])
        text = (
            f"an arm did not reach a target it was held at: {name} of part {part!r} stayed at "
            f"{joint_amount(reached, slide)}, {joint_amount(abs(target - reached), slide)} from its target "
            f"{joint_amount(target, slide)}, after {held * self._period:.2g} s at it (step {step}); something holds it back: its "
            "links touching each other or the scene (a link next to a base fixed to the world needs a "
            "<contact><exclude> in the model), an object it presses on, a joint limit, or servo gains too weak "
            "for the load (robot.drive); the actions record targets it did not reach"
        )
        return {"arm_off_target": text}


class GripperWatch:
    """Fed each step's action and state (:meth:`see`); tells of a gripper that read far outside 0 to
    1 or did not move (:meth:`notes`)."""

    def __init__(self, env: ActionbankEnv) -> None:
        self._columns: list[tuple[int, str, str]] = []  # (column, value name, part)
        offset = 0
        for part in env.parts:
            if part.kind == "eef":
                self._columns.append((offset, part.state_names[0], part.name))
            offset += part.dim
        self._worst: tuple[float, float, int, str, str] | None = None  # (beyond, value, step, name, part)
        count = len(self._columns)
        self._sent = np.full((count, 2), [np.inf, -np.inf])  # lowest and highest value sent
        self._read = np.full((count, 2), [np.inf, -np.inf])  # lowest and highest value read

    def see(self, step: int, action: NDArray[np.float32], state: NDArray[np.float32]) -> None:
        """``state``: the observation after ``action`` was applied at ``step``."""
        for index, (column, name, part) in enumerate(self._columns):
            value, sent = float(state[column]), float(action[column])
            self._sent[index] = min(self._sent[index, 0], sent), max(self._sent[index, 1], sent)
            self._read[index] = min(self._read[index, 0], value), max(self._read[index, 1], value)
            beyond = max(-value, value - 1.0)
            if beyond > GRIPPER_SLACK + 1e-6 and (self._worst is None or beyond > self._worst[0]):  # float32 state
                self._worst = (beyond, value, step, name, part)

    def notes(self) -> dict[str, str]:
        """One line for the user by topic (``gripper_out_of_range``, ``gripper_stuck``), when there is one."""
        found: dict[str, str] = {}
        if self._worst is not None:
            _, value, step, name, part = self._worst
            found["gripper_out_of_range"] = (
                f"a gripper read outside 0 (closed) to 1 (open): {name} of part {part!r} read {value:.2f} (step "
                f"{step}), so its closed and open values are not where its fingers go: check robot.grippers.{part} "
                "against the model (a control or joint range read in other units than meant, degrees as radians, "
                "say); the dataset's gripper values are off the same way"
            )
        for index, (_, name, part) in enumerate(self._columns):
            (low, high), (least, most) = self._sent[index], self._read[index]
            if high - low >= GRIPPER_SENT and most - least < GRIPPER_MOVED:
                found["gripper_stuck"] = (
                    f"a gripper did not move: {name} of part {part!r} was sent from {low:.2f} to {high:.2f} but read "
                    f"{least:.2f} to {most:.2f}; its fingers are jammed or blocked, or its closed and open values are "
                    f"the wrong way round for it (a Robotiq linkage closes at the high end of its range: give "
                    f"robot.grippers.{part}.closed and .open)"
                )
                break
        return found
