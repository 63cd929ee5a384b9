"""Observation terms: the numbers ``env.observations`` adds to each frame.

Each term is declared, with its params model, in :mod:`actionbank.runtime.observations` (where
``lint`` checks a gym config against it) and implemented here, ``fn(env, params) -> values``:
one float per component its params name (:meth:`~actionbank.runtime.ObservationParams.components`).
The environment concatenates the terms' values, in declared order, into
``observation["environment_state"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime import OBSERVATION_REGISTRY
from actionbank.runtime.observations import RigidObjectPoseParams, RobotEefPoseParams

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["OBSERVATION_TERMS", "ObservationFunction", "observation_function"]

#: ``term(env, params) -> values``, ``params`` the term's declared params model.
ObservationFunction = Callable[["ActionbankEnv", Any], NDArray[np.float64]]


def _pose(position: NDArray[np.float64], matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """Position [m] and quaternion (w, x, y, z) of a frame given as position and 3×3 rotation."""
    quat = np.zeros(4)
    mujoco.mju_mat2Quat(quat, np.asarray(matrix, dtype=np.float64).reshape(9))
    return np.concatenate([np.asarray(position, dtype=np.float64), quat])


def get_rigid_object_pose(env: ActionbankEnv, params: RigidObjectPoseParams) -> NDArray[np.float64]:
    """World pose of object ``entity_cfg.uid``: x, y, z [m], qw, qx, qy, qz."""
    body = env.data.body(params.entity_cfg.uid)
    pose: NDArray[np.float64] = np.concatenate([body.xpos, body.xquat]).astype(np.float64)
    return pose


def get_robot_eef_pose(env: ActionbankEnv, params: RobotEefPoseParams) -> NDArray[np.float64]:
    """World pose of each arm's tool point (its tcp site), in ``control_parts`` order."""
    poses = []
    for name in params.entity_cfg.control_parts:
        site = env.data.site(env.robot.parts[name].tcp_site or "")
        poses.append(_pose(site.xpos, site.xmat))
    return np.concatenate(poses)


#: This module's implementations, by declared name.
OBSERVATION_TERMS: dict[str, ObservationFunction] = {
    "get_rigid_object_pose": get_rigid_object_pose,
    "get_robot_eef_pose": get_robot_eef_pose,
}
OBSERVATION_REGISTRY.bind_all(OBSERVATION_TERMS)


def observation_function(name: str) -> ObservationFunction:
    """The implementation of the registered observation term ``name`` (this module's, or a plugin's)."""
    function: ObservationFunction = OBSERVATION_REGISTRY.implementation(name)
    return function
