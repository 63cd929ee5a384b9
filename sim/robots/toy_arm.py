"""A toy arm for fast tests: three hinge joints (waist, shoulder, elbow) and a one-finger slide
gripper on a floor, written here as MJCF: eight primitive geoms and no mesh files.

The finger slides towards a fixed finger; its range [m] is the gripper's (0 = closed against
the fixed finger, ``open`` = wide open). The tool-centre site sits between the two fingers.
The floor is the table: objects rest on it at z = 0. Joint, site and link names, the gripper
range and the home pose are declared in :data:`actionbank.runtime.robots.TOY_ARM`; the MJCF
takes them from there.
"""

from __future__ import annotations

import mujoco

from actionbank.runtime.robots import TOY_ARM as FACTS
from sim.robots.base import RobotModel

__all__ = ["TOY_ARM"]

_ARM = FACTS.parts["arm"]
_EEF = FACTS.parts["eef"]
_WAIST, _SHOULDER, _ELBOW = _ARM.joints
(_FINGER,) = _EEF.joints
_UPPER, _UPPER_ARM, _FOREARM, _HAND = FACTS.links
assert _EEF.gripper is not None
_GRIPPER = _EEF.gripper

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
    <body name="{_ARM.base_body}">
      <geom name="base" type="cylinder" size="0.05 0.02" pos="0 0 0.02" rgba="0.2 0.2 0.25 1"/>
      <body name="{_UPPER}" pos="0 0 0.04">
        <joint name="{_WAIST}" axis="0 0 1" range="-2.5 2.5"/>
        <geom type="capsule" fromto="0 0 0 0 0 0.1" size="0.02"/>
        <body name="{_UPPER_ARM}" pos="0 0 0.1">
          <joint name="{_SHOULDER}" axis="0 1 0" range="-1.8 1.8"/>
          <geom type="capsule" fromto="0 0 0 0.2 0 0" size="0.018"/>
          <body name="{_FOREARM}" pos="0.2 0 0">
            <joint name="{_ELBOW}" axis="0 1 0" range="-2.5 2.5"/>
            <geom type="capsule" fromto="0 0 0 0.15 0 0" size="0.015"/>
            <body name="{_HAND}" pos="0.15 0 0">
              <geom name="palm" type="box" size="0.01 0.035 0.01" rgba="0.2 0.2 0.25 1"/>
              <geom name="fixed_finger" type="box" pos="0.03 -0.025 0" size="0.02 0.005 0.008"/>
              <site name="{_ARM.tcp_site}" pos="0.04 0 0" size="0.005" rgba="0 1 0 0" group="4"/>
              <body name="finger_link" pos="0.03 -0.015 0">
                <joint name="{_FINGER}" type="slide" axis="0 1 0" range="{_GRIPPER.closed} {_GRIPPER.open}"/>
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
    <exclude body1="{_ARM.base_body}" body2="{_UPPER}"/>
  </contact>
  <actuator>
    <position joint="{_WAIST}" ctrlrange="-2.5 2.5"/>
    <position joint="{_SHOULDER}" ctrlrange="-1.8 1.8"/>
    <position joint="{_ELBOW}" ctrlrange="-2.5 2.5"/>
    <position joint="{_FINGER}" kp="200" ctrlrange="{_GRIPPER.closed} {_GRIPPER.open}"/>
  </actuator>
</mujoco>
"""


def _build() -> mujoco.MjSpec:
    return mujoco.MjSpec.from_string(_MJCF)


TOY_ARM = RobotModel(FACTS, _build)
