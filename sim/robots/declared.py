"""The generic builder of a robot declared from a model file (:class:`DeclaredRobot`): the shipped
Panda and SO-101, and any gym config's ``robot.fpath``.

The model (MJCF or URDF) is loaded with :class:`mujoco.MjSpec`; its keyframes and cameras are
dropped (the gym config's sensors define the cameras). Torque (``motor``) actuators on arm
joints become position servos as MuJoCo's ``<position>`` makes them (gain ``kp``,
bias ``0, -kp, -kv``), their torque limits (through their gear) kept as force limits and the joint range
as the control range. A position servo whose control is not its joint's position (through a
gear, a gain other than its bias's, a constant bias) is made one whose control is, pulling the
same way (:func:`_as_joint_position`); unnamed actuators are
named as the model reader names them (``#actuator<index>``). With ``gravity_compensation`` (the
default) the bodies each arm moves get ``gravcomp = 1``, as a real arm's controller cancels
gravity: servos of any kind then hold the home pose (SO-101's own weak position servos sag by
about 0.03 rad without it). Each arm gets a tool-centre site
(:func:`~actionbank.runtime.declared.tcp_site`) at its ``solver_cfg`` pose. A URDF's links are
all kept (MuJoCo would fuse those fixed to their parents, and a tool frame is often one), its
servo joints get ``<position>``-like actuators with the drive's gains and the joint's range as
control range, and its ``<mimic>`` joints become joint equality constraints; a link and its
parent never collide (as URDF tools assume of adjacent links; MuJoCo would let a link touch a
parent welded to the world, such as SO-101's base). The declaration's ``collision_geoms`` get
``contype = conaffinity = 1``: they touch the scene's objects (SO-101's fingertip pads, which
its file leaves inert so that only an environment that asks uses them). An end effector's
actuator must be position-like (fixed gain, affine bias with a length term), so that its state
can be read back in control units.
"""

from __future__ import annotations

from functools import partial

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError
from actionbank.runtime.declared import DeclaredRobot, servo_actuator
from actionbank.runtime.model_file import unnamed_actuator
from sim.robots.base import JOINT_TRANSMISSIONS, RobotModel

__all__ = ["DeclaredModelError", "build_declared", "declared_model"]


class DeclaredModelError(ActionbankError):
    """A declared robot's model file compiles, but does not fit what the declaration needs."""

    exit_code = 2


def _subtree(spec: mujoco.MjSpec, root: mujoco.MjsBody) -> list[mujoco.MjsBody]:
    bodies = [root]
    for child in root.bodies:
        bodies.extend(_subtree(spec, child))
    return bodies


def _joint_range(spec: mujoco.MjSpec, joint: mujoco.MjsJoint) -> NDArray[np.float64] | None:
    """``joint``'s range as MuJoCo compiles it [rad or m], ``None`` when the joint is not limited
    (a continuous hinge). The spec holds the range as written: in degrees for a hinge of a
    model whose ``<compiler angle>`` is ``degree`` (MJCF's default), which MuJoCo converts for
    the joint but never for an actuator's control range."""
    low, high = (float(value) for value in joint.range)
    limited = joint.limited == mujoco.mjtLimited.mjLIMITED_TRUE or (
        joint.limited == mujoco.mjtLimited.mjLIMITED_AUTO and bool(spec.compiler.autolimits)
    )
    if not limited or not low < high:
        return None
    if spec.compiler.degree and joint.type in (mujoco.mjtJoint.mjJNT_HINGE, mujoco.mjtJoint.mjJNT_BALL):
        low, high = np.radians(low), np.radians(high)
    return np.array([low, high], dtype=np.float64)


def _servo_range(actuator: mujoco.MjsActuator, span: NDArray[np.float64] | None) -> None:
    """A position servo's control range: its joint's range, or none for a joint without limits."""
    if span is None:
        actuator.ctrllimited = mujoco.mjtLimited.mjLIMITED_FALSE
    else:
        actuator.ctrlrange = span
        actuator.ctrllimited = mujoco.mjtLimited.mjLIMITED_TRUE


#: A joint transmission's gear that leaves the joint's position as the actuator's length.
_NO_GEAR = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def _arm_servos(spec: mujoco.MjSpec, robot: DeclaredRobot) -> list[mujoco.MjsActuator]:
    """The model's own position servos the arm joints are commanded through: each joint's first
    actuator (as the scene drives them), motors left out (they are made servos without gear)."""
    arm_joints = {joint for part in robot.facts.parts.values() if part.kind == "arm" for joint in part.joints}
    found: dict[str, mujoco.MjsActuator] = {}
    for actuator in spec.actuators:
        if actuator.trntype in JOINT_TRANSMISSIONS and actuator.target in arm_joints:
            found.setdefault(actuator.target, actuator)
    return [a for a in found.values() if a.name not in robot.motors]


def _as_joint_position(actuator: mujoco.MjsActuator) -> None:
    """Make a servo whose control is not its joint's position one whose control is, pulling the
    same way at every position. Through gear ``g`` its length is ``g·q``, and it pushes
    ``g·(k·c + b0 + b1·g·q + b2·g·q̇)`` (gain ``k``, bias ``b0 b1 b2``): a control ``c`` holds the
    joint at ``-(k·c + b0) / (b1·g)``, which is ``c`` only for gear 1, ``k = -b1`` and ``b0 = 0``
    (what ``<position>`` compiles to without gear). Made so: stiffness ``-b1·g²`` as gain and
    bias, damping ``b2·g²``, the control range mapped to the joint positions it holds, the force
    range × ``g``, gear 1. The scene commands joint positions."""
    g = float(actuator.gear[0])
    gain, constant, stiffness, damping = (float(actuator.gainprm[0]), *map(float, actuator.biasprm[:3]))
    if g == 0.0 or stiffness == 0.0 or (g == 1.0 and gain == -stiffness and constant == 0.0):
        return
    held = -stiffness * g * g
    actuator.gainprm[0] = held
    actuator.biasprm[:3] = [0.0, -held, damping * g * g]
    controls = np.array(actuator.ctrlrange, dtype=np.float64)
    if controls[0] < controls[1]:  # a stated range (0 0 is none)
        actuator.ctrlrange = np.sort(-(gain * controls + constant) / (stiffness * g))
    actuator.forcerange = np.sort(np.array(actuator.forcerange, dtype=np.float64) * g)
    actuator.gear = _NO_GEAR


def build_declared(robot: DeclaredRobot) -> mujoco.MjSpec:
    """A fresh spec of ``robot``'s model with servos, gravity compensation and tcp sites."""
    spec = mujoco.MjSpec.from_file(str(robot.model_file))
    for key in list(spec.keys):
        spec.delete(key)
    for camera in list(spec.cameras):
        spec.delete(camera)
    for index, actuator in enumerate(spec.actuators):  # unnamed: the name the model reader gives it
        if not actuator.name:
            actuator.name = unnamed_actuator(index)
    gains = robot.drive
    if robot.urdf:
        _add_urdf_drives(spec, robot)
    for name in robot.motors:
        actuator = spec.actuator(name)
        joint = spec.joint(actuator.target)
        # The joint's torque limits: the motor's force (gain × control) through its gear.
        torque = np.sort(np.array(actuator.ctrlrange, dtype=np.float64) * actuator.gainprm[0] * actuator.gear[0])
        actuator.gaintype = mujoco.mjtGain.mjGAIN_FIXED
        actuator.gainprm[:3] = [gains.stiffness, 0.0, 0.0]
        actuator.biastype = mujoco.mjtBias.mjBIAS_AFFINE
        actuator.biasprm[:3] = [0.0, -gains.stiffness, -gains.damping]
        actuator.gear = _NO_GEAR  # the servo's length is the joint's position
        if actuator.ctrllimited != 0 and torque[0] < torque[1]:
            actuator.forcerange = torque
            actuator.forcelimited = mujoco.mjtLimited.mjLIMITED_TRUE
        _servo_range(actuator, _joint_range(spec, joint))
    for actuator in _arm_servos(spec, robot):
        _as_joint_position(actuator)
    for part in robot.facts.parts.values():
        if part.kind != "arm":
            continue
        if gains.gravity_compensation:
            first = spec.joint(part.joints[0]).parent
            for body in _subtree(spec, first):
                body.gravcomp = 1.0
        tcp = robot.tcps[part.name]
        pose = np.array(tcp.tcp, dtype=np.float64)
        quat = np.zeros(4)
        mujoco.mju_mat2Quat(quat, pose[:3, :3].flatten())
        spec.body(tcp.end_link_name).add_site(
            name=part.tcp_site, pos=pose[:3, 3], quat=quat, size=[0.005, 0, 0], rgba=[0, 1, 0, 0], group=4
        )
    for name in robot.collision_geoms:
        geom = spec.geom(name)
        if geom is None:
            raise DeclaredModelError(f"geom {name!r} is not in the model")
        geom.contype, geom.conaffinity = 1, 1
    for part in robot.facts.parts.values():
        if part.actuator is None:
            continue
        actuator = spec.actuator(part.actuator)
        if (
            actuator.gaintype != mujoco.mjtGain.mjGAIN_FIXED
            or actuator.biastype != mujoco.mjtBias.mjBIAS_AFFINE
            or not actuator.biasprm[1] < 0
        ):
            raise DeclaredModelError(
                f"end effector {part.name!r}: actuator {part.actuator!r} is not position-like "
                "(a fixed gain and an affine bias with a length term, as <position> or a <general> servo)"
            )
    return spec


def _add_urdf_drives(spec: mujoco.MjSpec, robot: DeclaredRobot) -> None:
    spec.compiler.fusestatic = False
    gains = robot.drive
    for joint_name in robot.servos:
        joint = spec.joint(joint_name)
        actuator = spec.add_actuator(name=servo_actuator(joint_name), target=joint_name)
        actuator.trntype = mujoco.mjtTrn.mjTRN_JOINT
        actuator.gaintype = mujoco.mjtGain.mjGAIN_FIXED
        actuator.gainprm[:3] = [gains.stiffness, 0.0, 0.0]
        actuator.biastype = mujoco.mjtBias.mjBIAS_AFFINE
        actuator.biasprm[:3] = [0.0, -gains.stiffness, -gains.damping]
        _servo_range(actuator, _joint_range(spec, joint))
    for top in spec.worldbody.bodies:
        for parent in _subtree(spec, top):
            for child in parent.bodies:
                spec.add_exclude(bodyname1=parent.name, bodyname2=child.name)
    for joint_name, mimic in robot.mimics.items():
        equality = spec.add_equality(name=f"{joint_name}_mimic", name1=joint_name, name2=mimic.followed)
        equality.type = mujoco.mjtEq.mjEQ_JOINT
        equality.data[:5] = [mimic.offset, mimic.multiplier, 0.0, 0.0, 0.0]


def declared_model(robot: DeclaredRobot) -> RobotModel:
    """The :class:`RobotModel` of a declared robot."""
    return RobotModel(robot.facts, partial(build_declared, robot))
