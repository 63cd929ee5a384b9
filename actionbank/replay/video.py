"""``replay --video FILE.mp4``: what the cameras see during a replay, in one video file.

Every camera of the scene, side by side from left to right in the gym config's ``sensor``
order, one video frame per recorded frame (the observation before each action), at the
dataset's frame rate. Cameras of different heights are aligned at the top, black below. H.264
(``libx264``, yuv420p) needs even sizes: an odd width or height gets one black column or row.
Written with PyAV (which LeRobot installs); the file appears only once it is complete, and a
file system that refuses it (a read-only folder, ``/proc``) is an
:class:`~recorder.errors.OutputPathError` (exit code 2) with nothing left behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from recorder.errors import OutputPathError

__all__ = ["SideBySideVideo", "video_size"]

#: H.264 at a constant quality that keeps a replay readable [CRF].
_CRF = "18"


def video_size(cameras: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """The video's (width, height) [px] for ``cameras`` (uid → (height, width)): the widths
    added up and the largest height, each rounded up to an even number."""
    width = sum(w for _h, w in cameras.values())
    height = max((h for h, _w in cameras.values()), default=0)
    return width + width % 2, height + height % 2


class SideBySideVideo:
    """An MP4 file written frame by frame; :meth:`close` finishes it (moved into place),
    :meth:`abort` deletes what was written."""

    def __init__(self, path: Path, cameras: dict[str, tuple[int, int]], fps: int) -> None:
        import av

        self.path = path
        self.cameras = dict(cameras)
        self.width, self.height = video_size(self.cameras)
        self.frames = 0
        self._partial = path.with_name(f".{path.name}.partial")
        self._container: Any = None
        with self._refused():
            self._container = av.open(str(self._partial), "w", format="mp4")
            self._stream: Any = self._container.add_stream("libx264", rate=fps)
            self._stream.width, self._stream.height = self.width, self.height
            self._stream.pix_fmt = "yuv420p"
            self._stream.options = {"crf": _CRF}
        self._canvas = np.zeros((self.height, self.width, 3), dtype=np.uint8)

    @contextlib.contextmanager
    def _refused(self) -> Iterator[None]:
        """An ``OSError`` of the file system (PyAV's are ``OSError`` too) as an
        :class:`OutputPathError` naming the video, the partial file deleted first."""
        try:
            yield
        except OSError as error:
            self.abort()
            raise OutputPathError(f"--video {self.path} cannot be written: {error.strerror or error}") from None

    def add(self, images: dict[str, NDArray[np.uint8]]) -> None:
        """Add one frame: each camera's RGB image (height × width × 3)."""
        import av

        left = 0
        for uid, (height, width) in self.cameras.items():
            self._canvas[:height, left : left + width] = images[uid]
            left += width
        frame = av.VideoFrame.from_ndarray(self._canvas, format="rgb24")
        with self._refused():
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        """Flush the encoder and put the file in place."""
        with self._refused():
            for packet in self._stream.encode():
                self._container.mux(packet)
            self._container.close()
            os.replace(self._partial, self.path)

    def abort(self) -> None:
        """Stop and delete the partial file (what cannot be closed or deleted is left as it is:
        the error that made us abort is the one to report)."""
        container, self._container = self._container, None
        if container is not None:
            with contextlib.suppress(Exception):
                container.close()
        with contextlib.suppress(OSError):
            self._partial.unlink(missing_ok=True)
