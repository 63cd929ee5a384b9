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
its first frame are decoded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recorder.checked import read_info
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


def check_dataset_files(root: Path) -> None:
    """Refuse the dataset at ``root`` unless every file its metadata names is there and decodes
    (:class:`DatasetCorruptError` naming the first that is not); nothing is ever downloaded."""
    info = read_info(root)
    if info["total_episodes"]:  # an empty dataset (a shard without valid episodes) has no task yet
        _read_parquet(root, TASKS, "LeRobot's task table")
    episodes = _episode_rows(root, int(info["total_episodes"]))
    videos = [key for key, feature in info["features"].items() if feature.get("dtype") == "video"]
    data_files: dict[str, None] = {}
    video_files: dict[str, None] = {}
    for row in episodes:
        data_files[info["data_path"].format(**_indices(row, "data", root))] = None
        for key in videos:
            if info["video_path"] is not None:
                video_files[info["video_path"].format(video_key=key, **_indices(row, f"videos/{key}", root))] = None
    for name in data_files:
        _read_parquet(root, name, f"named by {EPISODES_DIR}")
    for name in video_files:
        _decode_video(root, name)


def _episode_rows(root: Path, total: int) -> list[dict[str, Any]]:
    """The rows of every ``meta/episodes`` file; as many as ``info.json`` says there are episodes."""
    folder = dataset_path(root, EPISODES_DIR)
    names = sorted(p.relative_to(root).as_posix() for p in folder.glob("*/*.parquet")) if folder.is_dir() else []
    if total and not names:
        raise DatasetCorruptError(
            f"{root / _FIRST_EPISODES} is missing (meta/info.json says the dataset holds {total} episodes); "
            "LeRobot's episode index cannot be downloaded for a local dataset"
        )
    rows = [row for name in names for row in _read_parquet(root, name, "LeRobot's episode index").to_pylist()]
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


def _read_parquet(root: Path, name: str, what: str) -> Any:
    """The whole table of the dataset's parquet file ``name`` (``what``: for the message)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    path = dataset_path(root, name)
    if not path.is_file():
        raise DatasetCorruptError(f"{path} is missing ({what}); a local dataset's files are never downloaded")
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise DatasetCorruptError(f"{path} cannot be read ({what}): {error}") from None


def _decode_video(root: Path, name: str) -> None:
    """Open the dataset's video ``name`` and decode its first frame."""
    import av

    path = dataset_path(root, name)
    if not path.is_file():
        raise DatasetCorruptError(
            f"{path} is missing (named by {EPISODES_DIR}); a local dataset's files are never downloaded"
        )
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise DatasetCorruptError(f"{path} holds no video stream")
            next(container.decode(video=0))
    except StopIteration:
        raise DatasetCorruptError(f"{path} holds no frame") from None
    except (OSError, av.FFmpegError) as error:
        raise DatasetCorruptError(f"{path} cannot be decoded: {error}") from None
