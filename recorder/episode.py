"""One episode recorded outside the dataset, ready to be committed into it later.

An :class:`EpisodeRecording` takes a rollout's frames as they come. Camera images are
encoded into MP4 files at once (:mod:`recorder.video`: one thread per camera, the codec
settings LeRobot uses by default), or, for image datasets, appended raw to one file per
camera; the numbers (state, velocity, action, running edges) stay in
memory. :meth:`EpisodeRecording.finish` returns a :class:`RecordedEpisode`: small, picklable,
pointing at files in the recording's folder. The writer commits it into the dataset
(:meth:`recorder.writer.DatasetWriter.save_recorded`) without decoding or encoding anything.

This split is what lets ``generate --num-envs N`` record in N worker processes: each worker
records its own attempts, and the one process that holds the dataset commits the valid ones
in attempt order.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from actionbank.rollout import Frame
from recorder.errors import RecorderError, disk_full
from recorder.features import (
    ACTION,
    EDGES,
    ENVIRONMENT_STATE,
    STATE,
    VELOCITY,
    camera_key,
    depth_key,
    frame_values,
    segmentation_key,
)
from recorder.spec import DatasetSpec
from recorder.video import EncodedVideo, VideoEncoding

__all__ = ["COLUMNS", "EpisodeRecording", "RecordedEpisode", "columns"]

#: The per-frame numeric features every dataset has, in the order they are kept (``edges``:
#: kept with a recording, written as the episode's language rows).
COLUMNS = (STATE, VELOCITY, ACTION, EDGES)


def columns(spec: DatasetSpec) -> tuple[str, ...]:
    """The per-frame numeric features of ``spec``'s dataset: :data:`COLUMNS`, and the
    environment state when the dataset has one."""
    return (*COLUMNS, ENVIRONMENT_STATE) if spec.environment_state_names else COLUMNS


@dataclass(frozen=True)
class RecordedEpisode:
    """A finished recording: ``frames`` frames, their numeric ``columns`` (frames × width each),
    one encoded video per video feature (with the frames sampled for its statistics) or one
    raw ``uint8`` file (frames × height × width × 3) per image feature, all inside
    ``folder``, which the writer removes once the episode is committed."""

    frames: int
    columns: dict[str, NDArray[Any]]
    videos: dict[str, EncodedVideo]
    raw_images: dict[str, Path]
    folder: Path

    def image_frames(self, spec: DatasetSpec) -> dict[str, NDArray[Any]]:
        """The raw image files as read-only arrays (memory-mapped: read as they are used): RGB
        (``uint8``, frames × height × width × 3) and segmentation ids (``uint16``, … × 1)."""
        arrays: dict[str, NDArray[Any]] = {}
        for uid, (height, width) in spec.cameras.items():
            key = camera_key(uid)
            if key in self.raw_images:
                arrays[key] = np.memmap(self.raw_images[key], np.uint8, "r", shape=(self.frames, height, width, 3))
            key = segmentation_key(uid)
            if key in self.raw_images:
                arrays[key] = np.memmap(self.raw_images[key], np.uint16, "r", shape=(self.frames, height, width, 1))
        return arrays

    def summarized(self) -> RecordedEpisode:
        """This recording with its videos' image statistics computed now, where it was recorded
        (:meth:`~recorder.video.EncodedVideo.summarized`): the writer then has less to do when it
        commits the episode, and the sampled frames need not travel with it."""
        return replace(self, videos={key: video.summarized() for key, video in self.videos.items()})

    def discard(self) -> None:
        """Delete the recording's files."""
        shutil.rmtree(self.folder, ignore_errors=True)


class EpisodeRecording:
    """Record frames of one episode into ``folder`` (created; it must not exist).

    Call :meth:`add_frame` per frame, then :meth:`finish` or :meth:`cancel` (which deletes
    everything). Frames are checked against ``spec`` as they come. ``sampled`` are the frame
    indices whose images the video statistics use (LeRobot's sample of the episode length,
    :func:`recorder.video.statistics_sample`, when the length is known in advance;
    every frame when None).
    """

    def __init__(self, spec: DatasetSpec, folder: Path, sampled: Collection[int] | None = None) -> None:
        self.spec = spec
        self.folder = folder
        self._columns: dict[str, list[NDArray[Any]]] = {name: [] for name in columns(spec)}
        self._frames = 0
        self._encoder: VideoEncoding | None = None
        self._raw: dict[str, BinaryIO] = {}
        self._open = True
        keys = [camera_key(uid) for uid in spec.cameras]
        depth_keys = [depth_key(uid) for uid in spec.depth_cameras]
        self._raw_keys = [segmentation_key(uid) for uid in spec.mask_cameras]
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            full = disk_full(error, f"while recording into {folder}")
            if full is None:
                raise
            raise full from error
        with self._cancelled_when_disk_full():
            if spec.use_videos and keys:
                self._encoder = VideoEncoding(keys + depth_keys, folder, spec.fps, spec.vcodec, sampled, depth_keys)
            else:
                self._raw_keys = keys + self._raw_keys
            for key in self._raw_keys:
                self._raw[key] = open(folder / f"{key}.raw", "wb")  # noqa: SIM115 (closed in finish/cancel)

    @property
    def frames(self) -> int:
        return self._frames

    def add_frame(self, frame: Frame) -> None:
        """Append one frame (its images are encoded or written now)."""
        if not self._open:
            raise RecorderError("this recording is finished")
        values = frame_values(self.spec, frame)
        with self._cancelled_when_disk_full():
            if self._encoder is not None:
                for uid in self.spec.cameras:
                    self._encoder.add(camera_key(uid), values[camera_key(uid)])
                for uid in self.spec.depth_cameras:
                    self._encoder.add(depth_key(uid), values[depth_key(uid)])
            for key in self._raw_keys:
                self._raw[key].write(np.ascontiguousarray(values[key]).tobytes())
        for name in self._columns:
            self._columns[name].append(values[name])
        self._frames += 1

    def finish(self) -> RecordedEpisode:
        """Close the recording (waits for the video encoders) and describe what it holds."""
        if not self._open:
            raise RecorderError("this recording is finished")
        if self._frames == 0:
            self.cancel()
            raise RecorderError("cannot finish an episode without frames")
        self._open = False
        videos: dict[str, EncodedVideo] = {}
        raw_images = {}
        try:
            with self._cancelled_when_disk_full():
                if self._encoder is not None:
                    videos = self._encoder.finish()
                for key, file in self._raw.items():
                    file.close()
                    raw_images[key] = Path(file.name)
        except BaseException:
            self.cancel()  # (a second time after a full disk: cancelling is idempotent)
            raise
        columns = {name: np.stack(values) for name, values in self._columns.items()}
        return RecordedEpisode(self._frames, columns, videos, raw_images, self.folder)

    def cancel(self) -> None:
        """Stop recording and delete everything recorded (idempotent)."""
        if self._encoder is not None:
            self._encoder.cancel()
        for file in self._raw.values():
            with contextlib.suppress(OSError):  # its last bytes may not fit on a full disk: they are dropped
                file.close()
        self._open = False
        shutil.rmtree(self.folder, ignore_errors=True)

    @contextlib.contextmanager
    def _cancelled_when_disk_full(self) -> Iterator[None]:
        """Run the block; when the disk fills up, delete the recording and raise
        :class:`~recorder.errors.DiskFullError` instead (other errors pass unchanged)."""
        try:
            yield
        except Exception as error:
            full = disk_full(error, f"while recording into {self.folder}")
            if full is None:
                raise
            self.cancel()
            raise full from error
