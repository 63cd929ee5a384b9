"""ALOHA: two ViperX 300s arms (6 joints + a two-finger gripper each) from gym-aloha's MJCF.

The model, meshes, table and actuator gains are gym-aloha's (``bimanual_viperx_transfer_cube.xml``);
we drop its red box, keyframe and cameras (the gym config's sensors define the cameras), and add a
tool-centre site between the finger pads of each gripper for IK. Parts, joints, links and the
gripper range are declared in :data:`actionbank.runtime.robots.ALOHA`.
"""

from __future__ import annotations

import mujoco

from actionbank.runtime.robots import ALOHA as FACTS
from sim.assets import aloha_assets_dir
from sim.robots.base import RobotModel

__all__ = ["ALOHA"]

#: Between the finger pads, in the gripper link's frame [m].
_TCP_OFFSET = (0.11, 0.0, 0.0)


def _build() -> mujoco.MjSpec:
    spec = mujoco.MjSpec.from_file(str(aloha_assets_dir() / "bimanual_viperx_transfer_cube.xml"))
    spec.delete(spec.body("box"))
    for key in list(spec.keys):
        spec.delete(key)
    for camera in list(spec.cameras):  # cameras come from the gym config's sensors
        spec.delete(camera)
    for part in FACTS.parts.values():
        if part.kind == "arm" and part.tcp_site is not None:
            spec.body(f"{part.base_body}/gripper_link").add_site(
                name=part.tcp_site, pos=list(_TCP_OFFSET), size=[0.005, 0, 0], rgba=[0, 1, 0, 0], group=4
            )
    return spec


ALOHA = RobotModel(FACTS, _build)
