"""Encode an episode's camera frames into MP4 files while the episode runs.

One thread per camera takes frames from an unbounded queue (a frame is never dropped) and
encodes them with PyAV, which releases the GIL while it encodes, using LeRobot's default RGB
encoder settings (``lerobot.configs.video.rgb_encoder_defaults``: AV1 through SVT-AV1,
yuv420p, its GOP and CRF), so the files are the ones LeRobot's own writer makes. Each
thread also collects the camera's image statistics with LeRobot's ``RunningQuantileStats``
on downsampled frames, as LeRobot's streaming encoder does.

Written here rather than taken from LeRobot's ``StreamingVideoEncoder`` for two reasons
measured on this machine: that encoder drops frames when its queue is full, and it updates
the statistics with every frame (about 3 ms per 320x240 frame, as much as encoding it). We
update them with the frames LeRobot's batch path samples for image statistics
(``compute_stats.sample_indices`` of the episode length) when the length is known in
advance, which the executor knows (the plan's makespan); otherwise with every frame.
"""

from __future__ import annotations

import queue
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["VideoEncoding", "VideoResult"]

#: Feature key → (MP4 path, per-channel statistics in 0..255 as LeRobot's streaming encoder
#: reports them; None with fewer than two sampled frames).
VideoResult = dict[str, tuple[Path, dict[str, Any] | None]]


class _CameraThread(threading.Thread):
    """Encodes one camera's frames into ``path``; ``None`` in the queue ends the video."""

    def __init__(self, path: Path, fps: int, sampled: frozenset[int] | None) -> None:
        super().__init__(daemon=True, name=f"encode-{path.parent.name}")
        self.path = path
        self.fps = fps
        self.sampled = sampled
        self.frames: queue.SimpleQueue[NDArray[np.uint8] | None] = queue.SimpleQueue()
        self.stats: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.cancelled = False

    def run(self) -> None:
        try:
            self._encode()
        except BaseException as error:  # handed to the recording thread, which raises it
            self.error = error

    def _encode(self) -> None:
        import av
        from lerobot.configs.video import rgb_encoder_defaults  # type: ignore[import-untyped]
        from lerobot.datasets.compute_stats import (  # type: ignore[import-untyped]
            RunningQuantileStats,
            auto_downsample_height_width,
        )

        settings = rgb_encoder_defaults()
        tracker = RunningQuantileStats()
        sampled = 0
        container: Any = None
        stream: Any = None
        index = 0
        try:
            while (image := self.frames.get()) is not None:
                if self.cancelled:
                    continue  # drain the queue quickly
                if container is None:
                    container = av.open(str(self.path), "w")
                    stream = container.add_stream(
                        settings.vcodec, self.fps, options=settings.get_codec_options(None, as_strings=True)
                    )
                    stream.pix_fmt = settings.pix_fmt
                    stream.height, stream.width = image.shape[:2]
                    stream.time_base = Fraction(1, self.fps)
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = index
                frame.time_base = Fraction(1, self.fps)
                container.mux(stream.encode(frame))
                if self.sampled is None or index in self.sampled:
                    small = auto_downsample_height_width(image.transpose(2, 0, 1))
                    tracker.update(small.transpose(1, 2, 0).reshape(-1, small.shape[0]))
                    sampled += 1
                index += 1
            if container is not None and not self.cancelled:
                container.mux(stream.encode())
        finally:
            if container is not None:
                container.close()
        if sampled >= 2:
            self.stats = tracker.get_statistics()


class VideoEncoding:
    """Encoders for ``keys`` (feature keys) writing ``<folder>/<key>/video.mp4`` at ``fps`` [frames/s].

    Each video has a folder of its own: LeRobot's writer removes the folder of a video it
    moves into the dataset.

    ``frames``, when given, is the episode's length: statistics then come from LeRobot's
    sample of that many frames. Call :meth:`add` per camera and frame, then :meth:`finish`
    (waits, returns the files and statistics) or :meth:`cancel`.
    """

    def __init__(self, keys: list[str], folder: Path, fps: int, frames: int | None = None) -> None:
        sampled = None
        if frames is not None:
            from lerobot.datasets.compute_stats import sample_indices

            sampled = frozenset(sample_indices(frames))
        self._threads = {key: _CameraThread(folder / key / "video.mp4", fps, sampled) for key in keys}
        for thread in self._threads.values():
            thread.path.parent.mkdir()
            thread.start()

    def add(self, key: str, image: NDArray[np.uint8]) -> None:
        """Queue camera ``key``'s next frame (height × width × 3, uint8; copied)."""
        thread = self._threads[key]
        if thread.error is not None:
            raise thread.error
        thread.frames.put(np.array(image, dtype=np.uint8, copy=True))

    def finish(self) -> VideoResult:
        """Close every video; raises what an encoder raised."""
        for thread in self._threads.values():
            thread.frames.put(None)
        for thread in self._threads.values():
            thread.join()
        for thread in self._threads.values():
            if thread.error is not None:
                raise thread.error
        return {key: (thread.path, thread.stats) for key, thread in self._threads.items()}

    def cancel(self) -> None:
        """Stop encoding (what is queued is dropped); the caller deletes the files."""
        for thread in self._threads.values():
            thread.cancelled = True
            thread.frames.put(None)
        for thread in self._threads.values():
            thread.join()
