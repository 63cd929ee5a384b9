"""The files a dataset's metadata names, checked before LeRobot opens it: there, and decodable.

LeRobot's loader, given a folder, downloads from the Hugging Face Hub whatever file of it is
missing (network access; offline, an ``httpx`` traceback), and lets a damaged file's decoding
error escape (pyarrow's ``ArrowInvalid``, ``datasets``' ``DatasetGenerationError``, PyAV's
``InvalidDataError``). Every command that reads a dataset (``report``, ``strip``, ``replay``,
``merge``) calls :func:`check_dataset_files` first: ``meta/tasks.parquet``, the
``meta/episodes`` files, and each data and video file the episodes name must be in the folder
(paths confined by :mod:`recorder.confine`) and decode, or a
:class:`~recorder.errors.DatasetCorruptError` (exit code 2) names the file and why.

Parquet files are read whole (LeRobot reads them whole too); of each video, the container and
its first frame are decoded, and an MP4 file's boxes must fill it (a cut file often decodes).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

from recorder.checked import INFO, read_info
from recorder.confine import dataset_path, symlinks_in
from recorder.errors import DatasetCorruptError, DatasetPathError

__all__ = ["EPISODES_DIR", "TASKS", "check_dataset_files", "check_readable"]

#: LeRobot's task table and episode index (LeRobot 0.6.1's layout).
TASKS = "meta/tasks.parquet"
EPISODES_DIR = "meta/episodes"
#: The first file of the episode index, named when there is none.
_FIRST_EPISODES = f"{EPISODES_DIR}/chunk-000/file-000.parquet"


def check_readable(root: Path) -> None:
    """Refuse a dataset LeRobot's loader would read files outside of: one holding symbolic links
    (the loader follows them) or whose ``info.json`` path templates leave ``data/`` and ``videos/``
    (:class:`DatasetPathError`, :class:`~recorder.errors.DatasetCorruptError`), or one with a file
    its metadata names missing or damaged (:func:`recorder.dataset_files.check_dataset_files`:
    LeRobot would download it, or fail decoding it)."""
    links = list(symlinks_in(root))
    if links:
        shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
        raise DatasetPathError(f"{root} holds symbolic links ({shown}); a dataset holds none: refusing to read it")
    read_info(root)
    check_dataset_files(root)


def check_dataset_files(root: Path, staging: Path | None = None, moving: Collection[str] = ()) -> None:
    """Refuse the dataset at ``root`` unless every file its metadata names is there and decodes
    (:class:`DatasetCorruptError` naming the first that is not); nothing is ever downloaded.

    ``moving``: dataset-relative names of files a commit not finished yet will move in from the
    folder ``staging`` (:func:`recorder.staging.plan_repair`); the dataset is checked as it will
    be, those files where they are now.
    """
    view = _View(root, staging, frozenset(moving))
    info = read_info(view.base(INFO))
    if info["total_episodes"]:  # an empty dataset (a shard without valid episodes) has no task yet
        _read_parquet(view, TASKS, "LeRobot's task table")
    episodes = _episode_rows(view, int(info["total_episodes"]))
    videos = [key for key, feature in info["features"].items() if feature.get("dtype") == "video"]
    data_files: dict[str, None] = {}
    video_files: dict[str, None] = {}
    for row in episodes:
        data_files[info["data_path"].format(**_indices(row, "data", root))] = None
        for key in videos:
            if info["video_path"] is not None:
                video_files[info["video_path"].format(video_key=key, **_indices(row, f"videos/{key}", root))] = None
    for name in data_files:
        _read_parquet(view, name, f"named by {EPISODES_DIR}")
    for name in video_files:
        _decode_video(view.path(name))


class _View(NamedTuple):
    """The files of the dataset at ``root``, those in ``moving`` taken from ``staging`` instead."""

    root: Path
    staging: Path | None
    moving: frozenset[str]

    def base(self, name: str) -> Path:
        """The folder the dataset-relative ``name`` is read under."""
        return self.staging if self.staging is not None and name in self.moving else self.root

    def path(self, name: str) -> Path:
        """Where the dataset file ``name`` is read (confined to its folder, :func:`dataset_path`)."""
        return dataset_path(self.base(name), name)

    def episode_files(self) -> list[str]:
        """The dataset-relative names of the ``meta/episodes`` parquet files, sorted."""
        folder = dataset_path(self.root, EPISODES_DIR)
        names = {p.relative_to(self.root).as_posix() for p in folder.glob("*/*.parquet")} if folder.is_dir() else set()
        names |= {name for name in self.moving if fnmatch.fnmatchcase(name, f"{EPISODES_DIR}/*/*.parquet")}
        return sorted(names)


def _episode_rows(view: _View, total: int) -> list[dict[str, Any]]:
    """The rows of every ``meta/episodes`` file; as many as ``info.json`` says there are episodes."""
    root = view.root
    names = view.episode_files()
    if total and not names:
        raise DatasetCorruptError(
            f"{root / _FIRST_EPISODES} is missing (meta/info.json says the dataset holds {total} episodes); "
            "LeRobot's episode index cannot be downloaded for a local dataset"
        )
    rows = [row for name in names for row in _read_parquet(view, name, "LeRobot's episode index").to_pylist()]
    if len(rows) != total:
        raise DatasetCorruptError(
            f"{root / EPISODES_DIR} lists {len(rows)} episodes but meta/info.json says {total}: a file of it is "
            "missing or damaged"
        )
    return rows


def _indices(row: dict[str, Any], prefix: str, root: Path) -> dict[str, int]:
    """The chunk and file index under ``prefix`` of an episode row."""
    try:
        return {"chunk_index": int(row[f"{prefix}/chunk_index"]), "file_index": int(row[f"{prefix}/file_index"])}
    except (KeyError, TypeError, ValueError):
        raise DatasetCorruptError(
            f"{root / EPISODES_DIR}: episode {row.get('episode_index')} has no valid {prefix}/chunk_index and "
            f"{prefix}/file_index"
        ) from None


def _read_parquet(view: _View, name: str, what: str) -> Any:
    """The whole table of the dataset's parquet file ``name`` (``what``: for the message)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    path = view.path(name)
    if not path.is_file():
        raise DatasetCorruptError(f"{path} is missing ({what}); a local dataset's files are never downloaded")
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise DatasetCorruptError(f"{path} cannot be read ({what}): {error}") from None


def _decode_video(path: Path) -> None:
    """Open the dataset's video at ``path`` and decode its first frame; an MP4 file must also be
    whole (:func:`_mp4_problem`)."""
    import av

    if not path.is_file():
        raise DatasetCorruptError(
            f"{path} is missing (named by {EPISODES_DIR}); a local dataset's files are never downloaded"
        )
    try:
        problem = _mp4_problem(path) if path.suffix == ".mp4" else None
        if problem is not None:
            raise DatasetCorruptError(f"{path} cannot be decoded: it is cut short or damaged ({problem})")
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise DatasetCorruptError(f"{path} holds no video stream")
            next(container.decode(video=0))
    except StopIteration:
        raise DatasetCorruptError(f"{path} holds no frame") from None
    except (OSError, av.FFmpegError) as error:
        raise DatasetCorruptError(f"{path} cannot be decoded: {error}") from None


def _mp4_problem(path: Path) -> str | None:
    """Why the MP4 file at ``path`` is not whole, or None: its top-level boxes (ISO/IEC 14496-12:
    a 32-bit size, or 1 and a 64-bit size after the type, or 0 for "to the end") must fill the
    file exactly. A cut file ends inside its last box (the ``moov`` index, which encoders write
    last, often decodes still)."""
    size = path.stat().st_size
    offset = 0
    with path.open("rb") as file:
        while offset < size:
            file.seek(offset)
            header = file.read(16)
            if len(header) < 8:
                return f"{size - offset} bytes after the last box at byte {offset}, too few for a box header"
            length = int.from_bytes(header[:4], "big")
            kind = header[4:8].decode("latin-1")
            if length == 1:
                if len(header) < 16:
                    return f"the box {kind!r} at byte {offset} has no 64-bit size"
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:
                return None  # the last box runs to the end of the file
            if length < 8:
                return f"the box {kind!r} at byte {offset} has an invalid size {length}"
            if offset + length > size:
                return f"the box {kind!r} at byte {offset} needs {length} bytes, the file has {size - offset} left"
            offset += length
    return None if size else "the file is empty"
