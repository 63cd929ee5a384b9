"""The LeRobot feature table of a dataset, and one :class:`~actionbank.rollout.Frame` as a LeRobot frame."""

from __future__ import annotations

from typing import Any

import numpy as np

from actionbank.rollout import Frame
from recorder.errors import RecorderError
from recorder.language import LANGUAGE_EVENTS, LANGUAGE_PERSISTENT, language_features
from recorder.spec import DatasetSpec

__all__ = [
    "ACTION",
    "DEPTH_PREFIX",
    "EDGES",
    "ENVIRONMENT_STATE",
    "IMAGE_PREFIX",
    "LANGUAGE_COLUMNS",
    "SEGMENTATION_PREFIX",
    "STATE",
    "VELOCITY",
    "camera_key",
    "depth_key",
    "frame_values",
    "lerobot_features",
    "segmentation_key",
]

STATE = "observation.state"
VELOCITY = "observation.velocity"
ACTION = "action"
IMAGE_PREFIX = "observation.images."
#: Per camera, depth [m]: LeRobot's depth video feature (``info``: ``is_depth_map``, ``depth_unit``).
DEPTH_PREFIX = "observation.depth."
#: Per camera, segmentation ids (``uint16``), a lossless PNG ``image`` feature whose ``info``
#: holds the id → name table (``segmentation_labels``: id ``i`` names ``labels[i]``).
SEGMENTATION_PREFIX = "observation.segmentation."
#: The observation terms' values (LeRobot's feature for non-image environment state).
ENVIRONMENT_STATE = "observation.environment_state"
#: Per frame and scope, the index of the scope's running edge into ``spec.edge_labels`` (-1: idle):
#: kept with a recording, not a LeRobot feature; it becomes the episode's language rows
#: (:mod:`recorder.language`).
EDGES = "edges"
#: LeRobot's language columns: declared, written empty per frame, filled per episode afterwards.
LANGUAGE_COLUMNS = (LANGUAGE_PERSISTENT, LANGUAGE_EVENTS)


def camera_key(uid: str) -> str:
    """The feature key of camera ``uid``: ``observation.images.<uid>``."""
    return IMAGE_PREFIX + uid


def depth_key(uid: str) -> str:
    """The feature key of camera ``uid``'s depth: ``observation.depth.<uid>``."""
    return DEPTH_PREFIX + uid


def segmentation_key(uid: str) -> str:
    """The feature key of camera ``uid``'s segmentation: ``observation.segmentation.<uid>``."""
    return SEGMENTATION_PREFIX + uid


def lerobot_features(spec: DatasetSpec) -> dict[str, dict[str, Any]]:
    """The ``features`` argument of ``LeRobotDataset.create`` for ``spec``.

    LeRobot adds ``timestamp``, ``frame_index``, ``episode_index``, ``index`` and
    ``task_index`` itself. A vector of length 1 is stored by LeRobot as a scalar column. The
    language columns hold the plan's segmentation (:mod:`recorder.language`).
    """
    image_dtype = "video" if spec.use_videos else "image"
    features: dict[str, dict[str, Any]] = {
        STATE: {"dtype": "float32", "shape": (len(spec.state_names),), "names": list(spec.state_names)},
        VELOCITY: {"dtype": "float32", "shape": (len(spec.state_names),), "names": list(spec.state_names)},
        ACTION: {"dtype": "float32", "shape": (len(spec.action_names),), "names": list(spec.action_names)},
    }
    for uid, (height, width) in spec.cameras.items():
        features[camera_key(uid)] = {
            "dtype": image_dtype,
            "shape": (height, width, 3),
            "names": ["height", "width", "channels"],
        }
    channel_names = ["height", "width", "channels"]
    for uid in spec.depth_cameras:
        height, width = spec.cameras[uid]
        features[depth_key(uid)] = {
            "dtype": "video",
            "shape": (height, width, 1),
            "names": channel_names,
            "info": {"is_depth_map": True, "depth_unit": "m"},
        }
    for uid in spec.mask_cameras:
        height, width = spec.cameras[uid]
        features[segmentation_key(uid)] = {
            "dtype": "image",
            "shape": (height, width, 1),
            "names": channel_names,
            "info": {"segmentation_labels": list(spec.segmentation_labels)},
        }
    if spec.environment_state_names:
        names = list(spec.environment_state_names)
        features[ENVIRONMENT_STATE] = {"dtype": "float32", "shape": (len(names),), "names": names}
    features.update(language_features())
    return features


def _vector(name: str, value: np.ndarray[Any, Any], size: int, dtype: type[np.generic]) -> np.ndarray[Any, Any]:
    array = np.asarray(value)
    if array.shape != (size,):
        raise RecorderError(f"frame {name} has shape {array.shape}; the dataset expects ({size},)")
    return array.astype(dtype, copy=False)


def frame_values(spec: DatasetSpec, frame: Frame) -> dict[str, Any]:
    """``frame`` as the dict ``LeRobotDataset.add_frame`` takes (with the task string), but for the
    language columns, and with the running edges under :data:`EDGES`."""
    if set(frame.images) != set(spec.cameras):
        raise RecorderError(f"frame cameras {sorted(frame.images)} differ from the dataset's {sorted(spec.cameras)}")
    values: dict[str, Any] = {
        STATE: _vector("state", frame.state, len(spec.state_names), np.float32),
        VELOCITY: _vector("velocity", frame.velocity, len(spec.state_names), np.float32),
        ACTION: _vector("action", frame.action, len(spec.action_names), np.float32),
    }
    for uid, (height, width) in spec.cameras.items():
        image = frame.images[uid]
        if image.shape != (height, width, 3) or image.dtype != np.uint8:
            raise RecorderError(
                f"camera {uid!r} gave a {image.dtype} image of shape {image.shape}; "
                f"the dataset expects uint8 ({height}, {width}, 3)"
            )
        values[camera_key(uid)] = image
    edges = _vector("edges", frame.edges, len(spec.scopes), np.int64)
    if edges.size and (edges.min() < -1 or edges.max() >= len(spec.edge_labels)):
        raise RecorderError(f"frame edges {edges.tolist()} are outside -1..{len(spec.edge_labels) - 1}")
    values[EDGES] = edges
    for uid in spec.depth_cameras:
        height, width = spec.cameras[uid]
        depth = np.asarray(frame.depth.get(uid))
        if depth.shape != (height, width):
            raise RecorderError(
                f"camera {uid!r} gave depth of shape {depth.shape}; the dataset expects ({height}, {width})"
            )
        values[depth_key(uid)] = depth.astype(np.float32, copy=False).reshape(height, width, 1)
    for uid in spec.mask_cameras:
        height, width = spec.cameras[uid]
        ids = np.asarray(frame.segmentation.get(uid))
        if ids.shape != (height, width) or ids.dtype != np.uint16:
            raise RecorderError(
                f"camera {uid!r} gave {ids.dtype} segmentation of shape {ids.shape}; "
                f"the dataset expects uint16 ({height}, {width})"
            )
        if ids.size and int(ids.max()) >= len(spec.segmentation_labels):
            raise RecorderError(f"camera {uid!r} gave segmentation id {int(ids.max())}, which has no label")
        values[segmentation_key(uid)] = ids.reshape(height, width, 1)
    if spec.environment_state_names:
        size = len(spec.environment_state_names)
        values[ENVIRONMENT_STATE] = _vector("environment state", frame.environment_state, size, np.float32)
    values["task"] = spec.task
    return values
