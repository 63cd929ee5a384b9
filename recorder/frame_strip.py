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

from recorder.dataset_files import check_readable
from recorder.errors import OutputPathError, RecorderError
from recorder.features import IMAGE_PREFIX
from recorder.lerobot_api import open_dataset
from recorder.output_file import check_output, write_output

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
    """Write :func:`frame_strip` to the image ``output`` (its type from its extension: ``.png``
    or another that Pillow writes); returns its (width, height) [px].

    :class:`OutputPathError` (exit code 2) before the dataset is read when ``output`` lies in
    the dataset, cannot be written or has no known image extension; the file is written
    atomically (nothing half-written is left).
    """
    image_format = _image_format(output)
    check_output(output, "-o", [root], make_folders=True)
    strip = frame_strip(root, episode, frames, cameras)
    data = _encode(strip, image_format, output)
    write_output(output, data, "-o")
    return strip.shape[1], strip.shape[0]


def _image_format(output: Path) -> str:
    """Pillow's format name for ``output``'s extension; :class:`OutputPathError` when it has none."""
    from PIL import Image

    Image.init()
    extensions = Image.registered_extensions()
    image_format = extensions.get(output.suffix.lower())
    if image_format is None or image_format not in Image.SAVE:
        given = f"the extension {output.suffix!r}" if output.suffix else "no extension"
        raise OutputPathError(f"-o {output}: {given} is not an image type; name a .png file (or .jpg, .webp, .bmp)")
    return image_format


def _encode(strip: NDArray[np.uint8], image_format: str, output: Path) -> bytes:
    """``strip`` encoded as ``image_format``, in memory."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    try:
        Image.fromarray(strip).save(buffer, format=image_format)
    except (OSError, ValueError, KeyError) as error:
        raise OutputPathError(f"-o {output}: Pillow cannot write a {image_format} image: {error}") from None
    return buffer.getvalue()
