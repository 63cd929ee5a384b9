"""ALOHA: two ViperX 300s arms (6 joints + a two-finger gripper each) from gym-aloha's MJCF.

The model, meshes, table and actuator gains are gym-aloha's (``bimanual_viperx_transfer_cube.xml``);
we drop its red box, keyframe and cameras (the gym config's sensors define the cameras), and add a tool-centre site between the finger pads of each
gripper for IK. The gripper range is gym-aloha's puppet range (LeRobot's ALOHA datasets).
"""

from __future__ import annotations

import mujoco

from sim.assets import aloha_assets_dir
from sim.robots.base import Gripper, Part, RobotModel

__all__ = ["ALOHA"]

_ARM_JOINTS = ("waist", "shoulder", "elbow", "forearm_roll", "wrist_angle", "wrist_rotate")
#: Finger slide positions [m] at normalised 0 (closed) and 1 (open): gym-aloha's puppet gripper.
_GRIPPER = Gripper(closed=0.01844, open=0.05800)
#: Between the finger pads, in the gripper link's frame [m].
_TCP_OFFSET = (0.11, 0.0, 0.0)
#: gym-aloha's start pose of each arm [rad].
_HOME = (0.0, -0.96, 1.16, 0.0, -0.3, 0.0)


def _parts() -> dict[str, Part]:
    parts: dict[str, Part] = {}
    for side in ("left", "right"):
        prefix = f"vx300s_{side}"
        joints = tuple(f"{prefix}/{j}" for j in _ARM_JOINTS)
        parts[f"{side}_arm"] = Part(f"{side}_arm", "arm", joints, tcp_site=f"{side}_tcp", base_body=prefix)
        parts[f"{side}_eef"] = Part(
            f"{side}_eef",
            "eef",
            (f"{prefix}/left_finger", f"{prefix}/right_finger"),
            gripper=_GRIPPER,
            mirrored=(False, True),
        )
    return parts


def _build() -> mujoco.MjSpec:
    spec = mujoco.MjSpec.from_file(str(aloha_assets_dir() / "bimanual_viperx_transfer_cube.xml"))
    spec.delete(spec.body("box"))
    for key in list(spec.keys):
        spec.delete(key)
    for camera in list(spec.cameras):  # cameras come from the gym config's sensors
        spec.delete(camera)
    for side in ("left", "right"):
        spec.body(f"vx300s_{side}/gripper_link").add_site(
            name=f"{side}_tcp", pos=list(_TCP_OFFSET), size=[0.005, 0, 0], rgba=[0, 1, 0, 0], group=4
        )
    return spec


ALOHA = RobotModel(
    robot_type="aloha",
    parts=_parts(),
    home={"left_arm": _HOME, "right_arm": _HOME, "left_eef": (1.0,), "right_eef": (1.0,)},
    build=_build,
    links=tuple(
        f"vx300s_{side}/{link}"
        for side in ("left", "right")
        for link in (
            "shoulder_link",
            "upper_arm_link",
            "upper_forearm_link",
            "lower_forearm_link",
            "wrist_link",
            "gripper_link",
        )
    ),
)
