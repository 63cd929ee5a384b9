"""Record rollouts as a LeRobot 0.6.1 dataset, one durable episode at a time.

Durability rests on these LeRobot 0.6.1 behaviours (checked in ``lerobot_dataset.py``,
``dataset_writer.py``, ``dataset_metadata.py``, ``io_utils.py``):

* Until ``finalize()``, LeRobot keeps the ``data/`` and ``meta/episodes/`` parquet writers
  open across episodes (no footer: unreadable after a kill), and it buffers episode
  metadata (``metadata_buffer_size``). ``finalize()`` flushes and closes both.
* ``LeRobotDataset.resume()`` starts a new writer that puts the next episode's data,
  episode metadata and videos in *new* files (next file index after ``episodes[-1]``);
  it never appends to or concatenates into an existing file. It reads only
  ``info.json``, ``stats.json``, ``tasks.parquet`` and ``meta/episodes`` (of which the
  writer uses ``episodes[-1]`` alone), never old data or videos.
* ``info.json`` and ``stats.json`` are rewritten in place (not atomically) on every save.
* Readers find parquet files by globbing ``data/*/*.parquet`` and
  ``meta/episodes/*/*.parquet``, trust ``info.json``'s counts and look nowhere else
  (a hidden top-level folder is invisible to them).
* ``clear_episode_buffer()`` drops the buffer and deletes the episode's temporary frames.

Frames are first recorded outside the dataset (:mod:`recorder.episode`: videos encoded as
the frames come, in ``.actionbank_spool/``). Saving an episode has LeRobot write it, from
that recording, into a staging folder through ``resume()``, ``finalize()``-d there, then
committed into the dataset by renames, ``info.json`` last (see :mod:`recorder.staging`).
LeRobot never writes into the dataset folder itself, so the folder opens with
``LeRobotDataset(repo_id, root=...)`` at every moment (once it holds an episode: LeRobot
looks for an empty dataset on the Hub).

Cost per saved episode, measured on CPU for a 225-frame transfer-cube episode with one
camera video, committed alone: about 80 ms (LeRobot's ``save_episode`` 30 ms, its annotation
writer 15 ms, ``resume()`` and ``finalize()`` 15 ms with the shortcuts of
:mod:`recorder.lerobot_api`, the commit's fsyncs and renames 13 ms), plus the video's image
statistics, 0.19 s for one 320x240 camera, unless the recording process computed them
(:meth:`RecordedEpisode.summarized`). Committed together with others
(:meth:`DatasetWriter.save_recorded_batch`), 55 ms each for 11: resume, finalize and the
commit's fixed part are shared. A discarded episode costs nothing but its frames. Each episode
gets its own data, episode metadata and per-camera video file.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actionbank.rollout import Frame
from recorder import lerobot_api
from recorder.confine import check_in_place, dataset_path, remove_tree
from recorder.durable import drop_torn_tail, fsync_dir, fsync_file, write_atomic
from recorder.episode import EpisodeRecording, RecordedEpisode
from recorder.errors import DatasetExistsError, RecorderError, disk_full, removed_on_failure
from recorder.features import EDGES, LANGUAGE_COLUMNS, camera_key, depth_key, lerobot_features
from recorder.language import episode_rows, episode_task
from recorder.lock import DirLock
from recorder.provenance import (
    EPISODES_LOG,
    RolloutInfo,
    config_hashes,
    episode_record,
    provenance_files,
    read_episode_records,
)
from recorder.reopen import ResumeCheck, check_for_resume
from recorder.reservation import owner_is_gone
from recorder.spec import DatasetSpec
from recorder.staging import (
    MANIFEST,
    SPOOL_DIR,
    STAGING_DIR,
    RepairReport,
    commit,
    committed_episodes,
    prepare_staging,
    repair,
    spool_folder,
    stage_commit,
)

__all__ = ["DatasetWriter", "repair_dataset"]


class DatasetWriter:
    """Stream frames into episodes of a LeRobot dataset; each saved episode is on disk at once.

    Make one with :meth:`create` or :meth:`open_for_resume`; then per episode
    :meth:`begin_episode`, :meth:`add_frame` for each frame, and :meth:`save_episode` or
    :meth:`discard_episode`; :meth:`finalize` at the end (also as a context manager).
    """

    def __init__(self, spec: DatasetSpec, lock: DirLock, repair_report: RepairReport | None = None) -> None:
        self.spec = spec
        self.root = spec.root
        self.repair_report = repair_report
        self._lock = lock
        self._episodes = committed_episodes(self.root)
        self._logged = len(read_episode_records(self.root))
        self._configs = config_hashes(spec)
        self._recording: EpisodeRecording | None = None  # the open episode

    # ── Opening ───────────────────────────────────────────────────────

    @classmethod
    def create(cls, spec: DatasetSpec) -> DatasetWriter:
        """Create the dataset at ``spec.root``: a folder that does not exist, or is empty (reserved)
        but for recordings already started for it (:func:`~recorder.staging.spool_folder`).

        The dataset is built in a hidden sibling folder and renamed onto ``spec.root`` (or its
        parts moved in, ``meta/`` with ``info.json`` last), so LeRobot sees no dataset or a
        complete one with its provenance.
        """
        spec.check()
        root = spec.root
        cls.check_vacant(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        for stale in root.parent.glob(f".{glob.escape(root.name)}.creating-*"):  # of a killed create
            if owner_is_gone(stale.name):
                shutil.rmtree(stale, ignore_errors=True)
        building = root.parent / f".{root.name}.creating-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            lerobot_api.create_empty(
                spec.repo_id,
                building,
                spec.fps,
                lerobot_features(spec),
                spec.robot_type,
                spec.use_videos,
                spec.vcodec,
            )
            for name, content in provenance_files(spec).items():
                write_atomic(building / name, content)
            fsync_file(building / "meta" / "info.json")
            if os.path.lexists(root / SPOOL_DIR):
                for part in sorted(building.iterdir(), key=lambda path: path.name == "meta"):
                    os.replace(part, root / part.name)  # onto names that do not exist only
                building.rmdir()
            else:
                os.replace(building, root)  # onto a missing or empty folder only
        except BaseException as error:
            shutil.rmtree(building, ignore_errors=True)
            full = disk_full(error, f"while creating the dataset at {root}")
            if full is not None:
                raise full from error
            if not isinstance(error, OSError):
                raise
            if root.is_dir() and any(path.name != SPOOL_DIR for path in root.iterdir()):
                raise DatasetExistsError(f"{root} was filled by another process while creating it") from error
            raise RecorderError(f"cannot create the dataset at {root}: {error}") from error
        fsync_dir(root.parent)
        return cls(spec, DirLock(root))

    @staticmethod
    def check_vacant(root: Path) -> None:
        """Raise :class:`DatasetExistsError` unless :meth:`create` can make a dataset at ``root``: a
        folder that does not exist, or holds nothing but recordings started for it (a link in their
        place is refused: :class:`~recorder.errors.DatasetPathError`)."""
        vacant = not root.exists() or (root.is_dir() and all(path.name == SPOOL_DIR for path in root.iterdir()))
        if not vacant:
            raise DatasetExistsError(f"{root} already exists and is not empty; use --resume to continue it")
        if root.is_dir():
            dataset_path(root, SPOOL_DIR)  # not a link to somewhere else

    @classmethod
    def open_for_resume(cls, root: Path, check: Callable[[DatasetSpec], None] | None = None) -> DatasetWriter:
        """Re-open the actionbank dataset at ``root`` to append episodes, repairing a killed run first.

        Before anything is changed, the whole dataset is checked (:func:`~recorder.reopen.check_for_resume`:
        :class:`~recorder.errors.DatasetCorruptError` or :class:`~recorder.errors.DatasetPathError`
        when a file is damaged or leads outside) and ``check`` is called with the dataset's spec:
        whatever they raise leaves the dataset as it was. :attr:`num_episodes` says how many
        episodes it holds; :attr:`repair_report` what was repaired.
        """
        return cls.open_checked(check_for_resume(root, check))

    @classmethod
    def open_checked(cls, checked: ResumeCheck) -> DatasetWriter:
        """Open a dataset :func:`~recorder.reopen.check_for_resume` found fit: repair what a killed
        run left, as its plan says (an IO error there releases the dataset), and append from there."""
        try:
            report = repair(checked.spec.root, checked.plan)
        except BaseException:
            checked.release()
            raise
        return cls(checked.spec, checked.lock, report)

    # ── State ─────────────────────────────────────────────────────────

    @property
    def num_episodes(self) -> int:
        """Episodes saved in the dataset (committed), not counting one in progress."""
        return self._episodes

    def _require_episode(self, action: str) -> EpisodeRecording:
        if self._recording is None:
            raise RecorderError(f"cannot {action}: no episode is open (call begin_episode first)")
        return self._recording

    def _require_writable(self) -> None:
        if not self._lock.held:
            raise RecorderError("the writer is finalized")
        if os.path.lexists(self.root / STAGING_DIR / MANIFEST):
            raise RecorderError("the last episode's commit did not finish: reopen the dataset to complete it")

    # ── Episodes ──────────────────────────────────────────────────────

    def begin_episode(self) -> None:
        """Open a new episode (its index is :attr:`num_episodes`)."""
        self._require_writable()
        if self._recording is not None:
            raise RecorderError("an episode is already open: save or discard it first")
        self._recording = EpisodeRecording(self.spec, spool_folder(self.root, f"episode-{secrets.token_hex(4)}"))

    def add_frame(self, frame: Frame) -> None:
        """Append one frame to the open episode (images are encoded now; memory stays flat)."""
        self._require_episode("add a frame").add_frame(frame)

    def discard_episode(self) -> None:
        """Drop the open episode: nothing of it reaches the dataset."""
        self._require_episode("discard an episode").cancel()
        self._recording = None

    def save_episode(self, info: RolloutInfo) -> int:
        """Write the open episode and its provenance (seed, randomization, …); returns its index.

        When this returns, the episode is in the dataset on disk, whatever happens next.
        """
        recording = self._require_episode("save an episode")
        if recording.frames == 0:
            raise RecorderError("cannot save an episode without frames")
        self._recording = None
        return self.save_recorded(recording.finish(), info)

    def save_recorded(self, episode: RecordedEpisode, info: RolloutInfo) -> int:
        """Commit a finished recording of this dataset's spec as the next episode; returns its index.

        LeRobot writes the episode into the staging folder from the recorded numbers, the
        recorded raw images, and the recorded videos, which it moves into place without
        encoding them again. The recording's folder is removed in every case.
        """
        return self.save_recorded_batch([(episode, info)])[0]

    def save_recorded_batch(self, recorded: Sequence[tuple[RecordedEpisode, RolloutInfo]]) -> range:
        """Commit finished recordings (each with its provenance) as the next episodes, in one
        commit: all of them are in the dataset when this returns, or none; returns their indices.

        The dataset is the same files as when they are saved one by one with
        :meth:`save_recorded` (each episode still gets data, video and episode-metadata files of
        its own), for less: LeRobot is resumed and finalized once, and the commit's renames
        and provenance lines happen together. The recordings' folders are removed in every case.
        """
        if not recorded:
            raise RecorderError("no recording to save")
        try:
            self._require_writable()
            if self._recording is not None:
                raise RecorderError("an episode is open: save or discard it first")
            indices = range(self._episodes, self._episodes + len(recorded))
            what = f"episode {indices[0]}" if len(indices) == 1 else f"episodes {indices[0]}-{indices[-1]}"
            # without its COMMIT.json, a staging folder left behind: the episodes never happened
            with removed_on_failure(self.root / STAGING_DIR, f"while saving {what} into {self.root}"):
                staging, copies = prepare_staging(self.root)
                self._write_staged(
                    staging, [(episode, episode_task(self.spec, info.seed)) for episode, info in recorded]
                )
                records = [
                    episode_record(index, episode.frames, info, self._configs)
                    for index, (episode, info) in zip(indices, recorded, strict=True)
                ]
                stage_commit(staging, copies, records)
        finally:
            for episode, _info in recorded:
                episode.discard()
        try:
            self._logged = commit(self.root, self._logged)
        except KeyboardInterrupt:  # Ctrl-C in the middle of renames: finish them (milliseconds), then stop
            self._finish_commit()
            raise
        except OSError as error:  # renames need no room; the provenance lines do
            full = disk_full(error, f"while committing {what} into {self.root} (reopening finishes it)")
            if full is not None:
                raise full from error
            raise
        self._episodes = indices.stop
        return indices

    def _finish_commit(self) -> None:
        """Complete a commit that was cut short, as :func:`~recorder.staging.repair` does on the
        next open (without touching recordings in progress)."""
        staging = self.root / STAGING_DIR
        if (staging / MANIFEST).is_file():
            drop_torn_tail(check_in_place(self.root, EPISODES_LOG))
            self._logged = commit(self.root, len(read_episode_records(self.root)))
        else:  # cut while removing the staging folder, after the commit
            with contextlib.suppress(OSError):
                remove_tree(self.root, STAGING_DIR)
        self._episodes = committed_episodes(self.root)

    def _write_staged(self, staging: Path, recorded: list[tuple[RecordedEpisode, str]]) -> None:
        """Have LeRobot write the episodes (each with its task string) into ``staging`` (a copy of
        the dataset's metadata), each into files of its own, then their language rows into the
        staged data files."""
        if any(episode.frames < 1 for episode, _task in recorded):
            raise RecorderError("cannot save an episode without frames")
        cache = staging / ".hf_datasets_cache"
        staged = lerobot_api.resume(self.spec.repo_id, staging, cache, self.spec.vcodec)
        first = staged.meta.total_episodes
        rows = {}
        with lerobot_api.each_episode_as_if_resumed(staged):
            for index, (episode, task) in enumerate(recorded, first):
                self._add_episode(staged, episode, task)
                lerobot_api.save_episode(staged)
                rows[index] = episode_rows(self.spec, episode.columns[EDGES], task)
        staged.finalize()
        lerobot_api.write_language_rows(staging, rows, staging / ".language_rows")

    def _add_episode(self, staged: Any, episode: RecordedEpisode, task: str) -> None:
        """Hand LeRobot's writer ``staged`` the frames of ``episode`` (its task string ``task``)."""
        if episode.videos:
            videos = {key: (video.path, video.image_statistics()) for key, video in episode.videos.items()}
            lerobot_api.take_videos(staged, lerobot_api.PrerecordedVideos(videos))
        # LeRobot checks every frame's features; a video's frames are in its file already.
        placeholders: dict[str, NDArray[Any]] = {
            key: np.zeros((height, width, 3), np.uint8)
            for key, (height, width) in ((camera_key(uid), size) for uid, size in self.spec.cameras.items())
            if key in episode.videos
        }
        for uid in self.spec.depth_cameras:
            if depth_key(uid) in episode.videos:
                placeholders[depth_key(uid)] = np.ones((*self.spec.cameras[uid], 1), np.float32)
        images = episode.image_frames(self.spec)
        for step in range(episode.frames):
            values: dict[str, Any] = {name: column[step] for name, column in episode.columns.items() if name != EDGES}
            values.update(placeholders)
            values.update({key: np.array(frames[step]) for key, frames in images.items()})
            values.update(dict.fromkeys(LANGUAGE_COLUMNS))  # filled later, per episode
            values["task"] = task
            staged.add_frame(values)

    def finalize(self) -> None:
        """Drop an open episode, remove the staging folder and release the dataset (idempotent)."""
        if not self._lock.held:
            return
        try:
            if self._recording is not None:
                self.discard_episode()
            with contextlib.suppress(OSError):  # what is left, the next open removes
                remove_tree(self.root, SPOOL_DIR)
                if not os.path.lexists(self.root / STAGING_DIR / MANIFEST):  # else the next open finishes the commit
                    remove_tree(self.root, STAGING_DIR)
        finally:
            self._lock.release()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.finalize()


def repair_dataset(root: Path) -> RepairReport:
    """Clean up after a killed writer (finish or drop its last episode) without resuming."""
    lock = DirLock(root)
    try:
        return repair(root)
    finally:
        lock.release()
