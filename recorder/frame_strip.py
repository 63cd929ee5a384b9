"""A strip of frames from a recorded episode: a quick look at what a dataset holds.

The frames are read back through LeRobot's own loader (decoded from the dataset's videos or
images, exactly as a training job sees them), evenly spaced over the episode, for one camera
or for every camera (one row each), and laid side by side in a PNG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from recorder.checked import read_info
from recorder.confine import symlinks_in
from recorder.errors import DatasetPathError, RecorderError
from recorder.features import IMAGE_PREFIX
from recorder.lerobot_api import open_dataset

__all__ = ["check_readable", "frame_strip", "write_frame_strip"]

#: Pixels between frames and around the strip.
GAP = 4


def frame_strip(root: Path, episode: int = 0, frames: int = 6, cameras: list[str] | None = None) -> NDArray[np.uint8]:
    """An RGB image (height × width × 3): ``frames`` frames of ``episode``, evenly spaced from its
    first to its last, one row per camera (all cameras when ``cameras`` is None)."""
    if frames < 1:
        raise RecorderError("a strip needs at least one frame")
    check_readable(root)
    dataset = open_dataset(f"actionbank/{root.name}", root)
    available = [key.removeprefix(IMAGE_PREFIX) for key in dataset.meta.camera_keys if key.startswith(IMAGE_PREFIX)]
    chosen = cameras or available
    unknown = [uid for uid in chosen if uid not in available]
    if unknown:
        raise RecorderError(f"{root} has no camera {unknown[0]!r}; its cameras are {available}")
    if not 0 <= episode < dataset.num_episodes:
        raise RecorderError(f"{root} has episodes 0..{dataset.num_episodes - 1}; there is no episode {episode}")
    start = int(dataset.meta.episodes[episode]["dataset_from_index"])
    stop = int(dataset.meta.episodes[episode]["dataset_to_index"])
    indices = np.round(np.linspace(start, stop - 1, min(frames, stop - start))).astype(int)
    rows = [[_image(dataset[int(i)][IMAGE_PREFIX + uid]) for i in indices] for uid in chosen]
    return _tile(rows)


def check_readable(root: Path) -> None:
    """Refuse a dataset LeRobot's loader would read files outside of: one holding symbolic links
    (the loader follows them) or whose ``info.json`` path templates leave ``data/`` and ``videos/``
    (:class:`DatasetPathError`, :class:`~recorder.errors.DatasetCorruptError`)."""
    links = list(symlinks_in(root))
    if links:
        shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
        raise DatasetPathError(f"{root} holds symbolic links ({shown}); a dataset holds none: refusing to read it")
    read_info(root)


def _image(value: Any) -> NDArray[np.uint8]:
    """A LeRobot image (channels × height × width, floats in 0..1) as height × width × 3 bytes."""
    array = np.asarray(value, dtype=np.float32)
    return np.asarray(np.clip(np.round(array.transpose(1, 2, 0) * 255), 0, 255), dtype=np.uint8)


def _tile(rows: list[list[NDArray[np.uint8]]]) -> NDArray[np.uint8]:
    height = max(image.shape[0] for row in rows for image in row)
    width = max(image.shape[1] for row in rows for image in row)
    columns = max(len(row) for row in rows)
    canvas = np.full((GAP + len(rows) * (height + GAP), GAP + columns * (width + GAP), 3), 255, dtype=np.uint8)
    for r, row in enumerate(rows):
        for c, image in enumerate(row):
            top, left = GAP + r * (height + GAP), GAP + c * (width + GAP)
            canvas[top : top + image.shape[0], left : left + image.shape[1]] = image
    return canvas


def write_frame_strip(
    root: Path, output: Path, episode: int = 0, frames: int = 6, cameras: list[str] | None = None
) -> tuple[int, int]:
    """Write :func:`frame_strip` as a PNG to ``output``; returns its (width, height) [px]."""
    from PIL import Image

    strip = frame_strip(root, episode, frames, cameras)
    output.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(strip).save(output)
    return strip.shape[1], strip.shape[0]
