"""Encode an episode's camera frames into MP4 files while the episode runs.

One thread per camera takes frames from an unbounded queue (a frame is never dropped) and
encodes them with PyAV, which releases the GIL while it encodes, with LeRobot's settings for
the dataset's codec (:data:`CODECS`; a test holds them equal to LeRobot's
``RGBEncoderConfig``), so the files are the ones LeRobot's own writer makes. The thread also
keeps the frames LeRobot samples for image statistics (:func:`statistics_sample` of the
episode length, given by the caller) in a raw file; the statistics are computed from them with
LeRobot's functions (:func:`video_statistics`) by the writer when it commits the episode, or
beforehand by the process that recorded it (:meth:`EncodedVideo.summarized`: a Ray actor, so
that the one driver committing every actor's episodes does not).

Written here rather than taken from LeRobot's ``StreamingVideoEncoder`` because, measured on
this machine: that encoder drops frames when its queue is full; it updates statistics with
every frame (about 3 ms per 320x240 frame, as much as encoding it); and importing it costs a
worker process 5 s (LeRobot and torch), where this module needs only PyAV.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Collection
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "CODECS",
    "DEPTH_CODEC",
    "ENCODER_THREADS",
    "Codec",
    "EncodedVideo",
    "VideoEncoding",
    "load_statistics_code",
    "quantize_depth",
    "statistics_sample",
    "video_statistics",
]


class Codec(NamedTuple):
    """An encoder as PyAV names it, its pixel format and its options (strings)."""

    encoder: str
    pix_fmt: str
    options: dict[str, str]


#: LeRobot 0.6.1's ``RGBEncoderConfig(vcodec=name)`` for each codec a dataset can use, with
#: its ``encoder_threads`` = 1: each camera has its own thread already, and a threaded encoder
#: at these sizes only adds work (measured for 320x240 H.264: 1.1 ms of CPU per frame with one
#: thread, 1.8 ms with the default, and smaller files).
CODECS = {
    "libsvtav1": Codec(
        "libsvtav1", "yuv420p", {"g": "2", "crf": "30", "preset": "12", "svtav1-params": "fast-decode=0:lp=1"}
    ),
    "h264": Codec("h264", "yuv420p", {"g": "2", "crf": "30", "threads": "1"}),
    "hevc": Codec("hevc", "yuv420p", {"g": "2", "crf": "30", "threads": "1"}),
}
#: The ``encoder_threads`` the options above are LeRobot's for.
ENCODER_THREADS = 1
CODECS["av1"] = CODECS["libsvtav1"]  # LeRobot's alias

#: LeRobot 0.6.1's ``DepthEncoderConfig`` with ``preset`` = ultrafast (x265 at its default
#: preset takes about 0.1 s per 320x240 frame on this machine), x265's log quiet, and one
#: thread: x265 ignores ``threads`` and starts a thread pool and frame threads of its own, whose
#: hand-offs cost more than they save at this size (measured, 320x240 pour-water depth: 16.7 ms
#: of CPU per frame by default, 11.5 ms with ``pools=1:frame-threads=1``; same bytes decoded).
#: Lossless HEVC of 12-bit codes either way. :func:`recorder.lerobot_api.depth_encoder` gives
#: LeRobot the same settings, which it records in ``info.json``; a test holds the two equal.
DEPTH_CODEC = Codec(
    "hevc",
    "gray12le",
    {
        "g": "2",
        "crf": "30",
        "preset": "ultrafast",
        "threads": "1",
        "x265-params": "lossless=1:pools=1:frame-threads=1:log-level=error",
    },
)
#: LeRobot 0.6.1's depth quantiser defaults: ``depth_min``, ``depth_max``, ``shift`` [m], log scale,
#: 12-bit codes (``DEPTH_QMAX``).
DEPTH_MIN, DEPTH_MAX, DEPTH_SHIFT, DEPTH_QMAX = 0.01, 10.0, 3.5, 4095


def quantize_depth(depth: NDArray[np.float32]) -> NDArray[np.uint16]:
    """12-bit codes of a depth map [m] as LeRobot 0.6.1's ``quantize_depth`` makes them
    (logarithmic, :data:`DEPTH_MIN` … :data:`DEPTH_MAX`); a test holds the two equal."""
    log_min = np.log(np.float32(DEPTH_MIN) + np.float32(DEPTH_SHIFT))
    log_max = np.log(np.float32(DEPTH_MAX) + np.float32(DEPTH_SHIFT))
    norm = (np.log(depth.astype(np.float32) + np.float32(DEPTH_SHIFT)) - log_min) / (log_max - log_min)
    codes: NDArray[np.uint16] = np.rint(norm * DEPTH_QMAX).clip(0, DEPTH_QMAX).astype(np.uint16)
    return codes


def statistics_sample(frames: int) -> frozenset[int]:
    """The frame indices of a ``frames``-frame episode that LeRobot 0.6.1 computes image
    statistics from (``compute_stats.sample_indices``: about ``frames ** 0.75`` of them, at
    least 100 or all, at most 10 000, evenly spaced). Written out so that a worker process needs
    no LeRobot import; a test holds it equal to LeRobot's."""
    if frames < 1:
        return frozenset()
    count = max(min(100, frames), min(int(frames**0.75), 10_000))
    return frozenset(np.round(np.linspace(0, frames - 1, count)).astype(int).tolist())


class EncodedVideo(NamedTuple):
    """One camera's video file, and its frames sampled for statistics (a raw ``uint8`` file of
    ``samples`` frames of ``shape``; none when no frame was sampled), or the statistics
    computed from them already (:meth:`summarized`)."""

    path: Path
    samples_path: Path
    samples: int
    shape: tuple[int, int, int]
    dtype: str = "uint8"
    statistics: dict[str, Any] | None = None

    def sampled_frames(self) -> NDArray[Any]:
        """The sampled frames (samples × height × width × channels), memory-mapped."""
        if self.samples == 0:
            return np.zeros((0, *self.shape), self.dtype)
        return np.memmap(self.samples_path, self.dtype, "r", shape=(self.samples, *self.shape))

    def image_statistics(self) -> dict[str, Any] | None:
        """LeRobot's image statistics of the video (:func:`video_statistics` of its samples,
        unless :meth:`summarized` computed them already)."""
        if self.statistics is not None:
            return self.statistics
        return video_statistics(self.sampled_frames())

    def summarized(self) -> EncodedVideo:
        """This video with its statistics computed and its samples file deleted (none kept)."""
        statistics = self.image_statistics()
        self.samples_path.unlink(missing_ok=True)
        return self._replace(samples=0, statistics=statistics)


class _CameraThread(threading.Thread):
    """Encodes one camera's frames into ``<folder>/video.mp4``; ``None`` in the queue ends it.
    With :data:`DEPTH_CODEC`, the frames are depth maps [m], quantised as LeRobot does."""

    def __init__(self, folder: Path, fps: int, codec: Codec, sampled: Collection[int] | None) -> None:
        super().__init__(daemon=True, name=f"encode-{folder.name}")
        self.path = folder / "video.mp4"
        self.samples_path = folder / "samples.u8"
        self.fps = fps
        self.codec = codec
        self.sampled = sampled
        self.frames: queue.SimpleQueue[NDArray[Any] | None] = queue.SimpleQueue()
        self.samples = 0
        self.shape: tuple[int, int, int] = (0, 0, 3)
        self.error: BaseException | None = None
        self.cancelled = False
        self.depth = codec.pix_fmt == DEPTH_CODEC.pix_fmt

    def run(self) -> None:
        try:
            self._encode()
        except BaseException as error:  # handed to the recording thread, which raises it
            self.error = error

    def _encode(self) -> None:
        import av

        # x264 reports its CPU features at "info"; LeRobot puts FFmpeg's own printer back after
        # it reads a video, so the level is set on FFmpeg itself, for each video.
        av.logging.set_libav_level(av.logging.WARNING)

        container: Any = None
        stream: Any = None
        index = 0
        ended = False
        with open(self.samples_path, "wb") as samples:
            try:
                while (image := self.frames.get()) is not None:
                    if self.cancelled:
                        continue  # drain the queue quickly
                    if container is None:
                        height, width = image.shape[:2]
                        self.shape = (height, width, 1 if self.depth else 3)
                        container = av.open(str(self.path), "w")
                        stream = container.add_stream(self.codec.encoder, self.fps, options=self.codec.options)
                        stream.pix_fmt = self.codec.pix_fmt
                        stream.height, stream.width = height, width
                        stream.time_base = Fraction(1, self.fps)
                    if self.depth:
                        frame = av.VideoFrame(width, height, DEPTH_CODEC.pix_fmt)
                        plane = frame.planes[0]
                        rows = np.frombuffer(plane, np.uint16).reshape(height, plane.line_size // 2)
                        rows[:, :width] = quantize_depth(image.reshape(height, width).astype(np.float32))
                    else:
                        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                    frame.pts = index
                    frame.time_base = Fraction(1, self.fps)
                    container.mux(stream.encode(frame))
                    if self.sampled is None or index in self.sampled:
                        samples.write(image.tobytes())
                        self.samples += 1
                    index += 1
                if container is not None and not self.cancelled:
                    ended = True
                    container.mux(stream.encode())
            finally:
                if container is not None:
                    # Cancelled, or an error (a full disk): end the stream anyway, quietly, or
                    # SVT-AV1 prints "deinit called without sending EOS!" over the progress line.
                    if not ended:
                        with contextlib.suppress(Exception):
                            stream.encode()
                    container.close()

    def result(self) -> EncodedVideo:
        return EncodedVideo(
            self.path, self.samples_path, self.samples, self.shape, "float32" if self.depth else "uint8"
        )


class VideoEncoding:
    """Encoders for ``keys`` (feature keys), each writing ``<folder>/<key>/video.mp4`` at ``fps``
    [frames/s] in codec ``vcodec`` (a key of :data:`CODECS`).

    ``sampled`` are the frame indices kept for statistics (all frames when None). Each video
    has a folder of its own: LeRobot's writer removes the folder of a video it moves into the
    dataset. Call :meth:`add` per camera and frame, then :meth:`finish` (waits) or :meth:`cancel`.
    """

    def __init__(
        self,
        keys: list[str],
        folder: Path,
        fps: int,
        vcodec: str,
        sampled: Collection[int] | None = None,
        depth_keys: Collection[str] = (),
    ) -> None:
        self._threads = {
            key: _CameraThread(folder / key, fps, DEPTH_CODEC if key in depth_keys else CODECS[vcodec], sampled)
            for key in keys
        }
        for key in keys:
            (folder / key).mkdir()
        for thread in self._threads.values():
            thread.start()

    def add(self, key: str, image: NDArray[Any]) -> None:
        """Queue camera ``key``'s next frame (height × width × 3, uint8; or for a depth key
        height × width × 1, float32 [m]; copied)."""
        thread = self._threads[key]
        if thread.error is not None:
            raise thread.error
        thread.frames.put(np.array(image, dtype=np.float32 if thread.depth else np.uint8, copy=True))

    def finish(self) -> dict[str, EncodedVideo]:
        """Close every video; raises what an encoder raised."""
        for thread in self._threads.values():
            thread.frames.put(None)
        for thread in self._threads.values():
            thread.join()
        for thread in self._threads.values():
            if thread.error is not None:
                raise thread.error
        return {key: thread.result() for key, thread in self._threads.items()}

    def cancel(self) -> None:
        """Stop encoding (what is queued is dropped); the caller deletes the files."""
        for thread in self._threads.values():
            thread.cancelled = True
            thread.frames.put(None)
        for thread in self._threads.values():
            thread.join()


def load_statistics_code() -> None:
    """Import LeRobot's statistics code now (LeRobot and torch: seconds, and about 700 MiB
    resident) rather than when the first episode is summarized."""
    import lerobot.datasets.compute_stats  # type: ignore[import-untyped]  # noqa: F401


def video_statistics(frames: NDArray[Any]) -> dict[str, Any] | None:
    """LeRobot's per-channel image statistics of ``frames`` (n × height × width × channels), as
    its streaming encoder computes them (downsampled frames, ``RunningQuantileStats``); None
    for fewer than two frames, as there."""
    if len(frames) < 2:
        return None
    from lerobot.datasets.compute_stats import (
        RunningQuantileStats,
        auto_downsample_height_width,
    )

    tracker = RunningQuantileStats()
    for image in frames:
        small = auto_downsample_height_width(np.asarray(image).transpose(2, 0, 1))
        tracker.update(small.transpose(1, 2, 0).reshape(-1, small.shape[0]))
    statistics: dict[str, Any] = tracker.get_statistics()
    return statistics
