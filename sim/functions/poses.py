"""Homogeneous-transform helpers (4×4, metres, radians) used by the node functions."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["AXES", "as_pose", "axis_rotation", "compose", "invert", "rotation_angle", "translation"]

Pose = NDArray[np.float64]
AXES = {"x": 0, "y": 1, "z": 2}


def as_pose(value: Any) -> Pose:
    """A 4×4 float array from a nested list or array; a leading batch of one is dropped."""
    array = np.asarray(value, dtype=np.float64)
    if array.shape == (1, 4, 4):
        array = array[0]
    if array.shape != (4, 4):
        raise ValueError(f"expected a 4×4 pose, got shape {array.shape}")
    return array


def axis_rotation(axis: str, angle: float) -> Pose:
    """The pose rotating by ``angle`` [rad] about ``axis`` (x, y or z)."""
    c, s = np.cos(angle), np.sin(angle)
    i = AXES[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    pose = np.eye(4)
    pose[j, j], pose[j, k], pose[k, j], pose[k, k] = c, -s, s, c
    return pose


def translation(axis: str, distance: float) -> Pose:
    """The pose translating by ``distance`` [m] along ``axis``."""
    pose = np.eye(4)
    pose[AXES[axis], 3] = distance
    return pose


def compose(pose: Pose, change: Pose, mode: Literal["intrinsic", "extrinsic"]) -> Pose:
    """``pose · change`` (intrinsic: in the pose's own frame) or ``change · pose`` (extrinsic: world)."""
    return pose @ change if mode == "intrinsic" else change @ pose


def invert(pose: Pose) -> Pose:
    """The inverse transform of ``pose``; :class:`numpy.linalg.LinAlgError` when it is singular."""
    return np.asarray(np.linalg.inv(pose), dtype=np.float64)


def rotation_angle(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Angle [rad] between two unit-ish direction vectors."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    return float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
