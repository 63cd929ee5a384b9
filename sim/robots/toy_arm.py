"""A toy arm for fast tests: three hinge joints (waist, shoulder, elbow) and a one-finger slide
gripper on a floor, written here as MJCF: eight primitive geoms and no mesh files.

The finger slides towards a fixed finger; its range [m] is the gripper's (0 = closed against
the fixed finger, :data:`_GRIPPER` ``open`` = wide open). The tool-centre site ``tcp`` sits
between the two fingers. The floor is the table: objects rest on it at z = 0.
"""

from __future__ import annotations

import mujoco

from sim.robots.base import Gripper, Part, RobotModel

__all__ = ["TOY_ARM"]

#: Finger slide positions [m] at normalised 0 (closed) and 1 (open).
_GRIPPER = Gripper(closed=0.0, open=0.04)
#: Start pose [rad]: waist straight, upper arm raised, forearm folded down.
_HOME = (0.0, -0.6, 1.2)

_MJCF = f"""
<mujoco model="toy_arm">
  <compiler angle="radian" autolimits="true"/>
  <default>
    <joint damping="0.5" armature="0.01"/>
    <geom rgba="0.55 0.6 0.7 1"/>
    <position kp="40" dampratio="1"/>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="1 1 0.05" rgba="0.45 0.5 0.45 1"/>
    <body name="base">
      <geom name="base" type="cylinder" size="0.05 0.02" pos="0 0 0.02" rgba="0.2 0.2 0.25 1"/>
      <body name="upper_link" pos="0 0 0.04">
        <joint name="waist" axis="0 0 1" range="-2.5 2.5"/>
        <geom type="capsule" fromto="0 0 0 0 0 0.1" size="0.02"/>
        <body name="arm_link" pos="0 0 0.1">
          <joint name="shoulder" axis="0 1 0" range="-1.8 1.8"/>
          <geom type="capsule" fromto="0 0 0 0.2 0 0" size="0.018"/>
          <body name="forearm_link" pos="0.2 0 0">
            <joint name="elbow" axis="0 1 0" range="-2.5 2.5"/>
            <geom type="capsule" fromto="0 0 0 0.15 0 0" size="0.015"/>
            <body name="hand_link" pos="0.15 0 0">
              <geom name="palm" type="box" size="0.01 0.035 0.01" rgba="0.2 0.2 0.25 1"/>
              <geom name="fixed_finger" type="box" pos="0.03 -0.025 0" size="0.02 0.005 0.008"/>
              <site name="tcp" pos="0.04 0 0" size="0.005" rgba="0 1 0 0" group="4"/>
              <body name="finger_link" pos="0.03 -0.015 0">
                <joint name="finger" type="slide" axis="0 1 0" range="{_GRIPPER.closed} {_GRIPPER.open}"/>
                <geom name="finger" type="box" size="0.02 0.005 0.008"/>
              </body>
            </body>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <contact>
    <!-- the base is welded to the world, so MuJoCo does not filter its contact with its child -->
    <exclude body1="base" body2="upper_link"/>
  </contact>
  <actuator>
    <position joint="waist" ctrlrange="-2.5 2.5"/>
    <position joint="shoulder" ctrlrange="-1.8 1.8"/>
    <position joint="elbow" ctrlrange="-2.5 2.5"/>
    <position joint="finger" kp="200" ctrlrange="{_GRIPPER.closed} {_GRIPPER.open}"/>
  </actuator>
</mujoco>
"""


def _build() -> mujoco.MjSpec:
    return mujoco.MjSpec.from_string(_MJCF)


TOY_ARM = RobotModel(
    robot_type="toy_arm",
    parts={
        "arm": Part("arm", "arm", ("waist", "shoulder", "elbow"), tcp_site="tcp", base_body="base"),
        "eef": Part("eef", "eef", ("finger",), gripper=_GRIPPER, mirrored=(False,)),
    },
    home={"arm": _HOME, "eef": (1.0,)},
    build=_build,
    links=("upper_link", "arm_link", "forearm_link", "hand_link"),
)
