"""The few LeRobot calls the recorder makes, imported only when used.

LeRobot pulls in torch, so it is imported inside these functions: ``import recorder``
stays light. LeRobot ships no type information; its objects are ``Any`` here.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "VIDEO_BACKEND",
    "PrerecordedVideos",
    "create_empty",
    "depth_encoder",
    "each_episode_as_if_resumed",
    "embedding_in_one_batch",
    "episode_index_rows",
    "episode_rows_read_lightly",
    "hub_offline",
    "open_dataset",
    "resume",
    "rgb_encoder",
    "save_episode",
    "scoped_datasets_cache",
    "take_videos",
    "unhashed_datasets",
    "write_language_rows",
]

#: PyAV, named explicitly: left unset, LeRobot probes torchcodec, which needs FFmpeg's shared
#: libraries from the system, and prints a long import traceback before falling back to PyAV.
VIDEO_BACKEND = "pyav"


@contextlib.contextmanager
def _replaced(owner: Any, name: str, value: Any) -> Iterator[None]:
    """``owner.name`` set to ``value`` for the duration, then put back (LeRobot's and Hugging
    Face's module-level settings and functions, which they read at each call)."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


@contextlib.contextmanager
def scoped_datasets_cache(folder: Path) -> Iterator[None]:
    """Point Hugging Face ``datasets``' cache at ``folder`` for the duration.

    ``LeRobotDataset.resume`` on its own loads ``meta/episodes`` with ``Dataset.from_parquet``,
    which caches an Arrow copy under ``~/.cache/huggingface/datasets``: one entry per resume.
    The writer resumes once per episode (reading that index with :func:`episode_index_rows`
    instead), so whatever ``datasets`` caches meanwhile stays in its staging folder, removed
    with it. ``datasets`` reads ``config.HF_DATASETS_CACHE`` at each call.
    """
    import datasets.config  # type: ignore[import-untyped]

    with _replaced(datasets.config, "HF_DATASETS_CACHE", folder):
        yield


def rgb_encoder(vcodec: str) -> Any:
    """LeRobot's encoder settings for camera videos in codec ``vcodec`` (its defaults otherwise).

    They go into ``info.json``; :mod:`recorder.video` encodes with them.
    """
    from lerobot.configs.video import RGBEncoderConfig  # type: ignore[import-untyped]

    return RGBEncoderConfig(vcodec=vcodec)


def depth_encoder() -> Any:
    """LeRobot's encoder settings for depth videos: :data:`recorder.video.DEPTH_CODEC`'s.

    They go into ``info.json`` (with the quantiser's range), which LeRobot's reader decodes with.
    """
    from lerobot.configs.video import DepthEncoderConfig

    from recorder.video import DEPTH_CODEC

    options = DEPTH_CODEC.options
    return DepthEncoderConfig(preset=options["preset"], extra_options={"x265-params": options["x265-params"]})


def create_empty(
    repo_id: str,
    root: Path,
    fps: int,
    features: dict[str, dict[str, Any]],
    robot_type: str,
    use_videos: bool,
    vcodec: str,
) -> None:
    """Create a LeRobot dataset with no episode at ``root`` (a folder that must not exist)."""
    from lerobot.datasets import LeRobotDataset  # type: ignore[import-untyped]

    dataset = LeRobotDataset.create(
        repo_id,
        fps=fps,
        features=features,
        root=root,
        robot_type=robot_type,
        use_videos=use_videos,
        video_backend=VIDEO_BACKEND,
        rgb_encoder=rgb_encoder(vcodec),
        depth_encoder=depth_encoder(),
    )
    dataset.finalize()


def _holds_files(feature: Any) -> bool:
    """Whether a ``datasets`` feature, or one nested in it, embeds files (``embed_storage``:
    images, audio). ``datasets``' own ``require_storage_embed`` answers whether a *cast* is
    needed for nested features, which the JSON leaves of the language columns do."""
    if isinstance(feature, dict):
        return any(_holds_files(value) for value in feature.values())
    if hasattr(feature, "feature") and not hasattr(feature, "embed_storage"):  # List, LargeList
        return _holds_files(feature.feature)
    return hasattr(feature, "embed_storage")


@contextlib.contextmanager
def embedding_in_one_batch() -> Iterator[None]:
    """Within the block, LeRobot's writer embeds an episode's files (PNG images) into its table
    in one batch instead of one row at a time.

    LeRobot's ``embed_images`` maps ``datasets``' ``embed_table_storage`` over the episode row
    by row, and each call rebuilds the features from the Arrow schema: 0.95 s of a 1.6 s commit
    for a 225-frame transfer-cube episode (measured, nested language columns included). The
    function works on each row alone, so one call on the whole episode gives the same table;
    and an episode with no image feature (its cameras are videos) has nothing to embed, so
    the table is kept as it is (the map costs 50-60 ms for nothing). Written by hand: LeRobot
    has no switch for it. tests/recorder/test_writer.py checks that the data files are byte
    for byte the same, with videos and with PNG images.
    """
    from datasets.table import embed_table_storage  # type: ignore[import-untyped]
    from lerobot.datasets import dataset_writer

    def embed_images(dataset: Any) -> Any:
        if not any(_holds_files(feature) for feature in dataset.features.values()):
            return dataset  # nothing to embed (a dataset with videos): the map would copy the table
        kept = dataset.format
        embedded = dataset.with_format("arrow").map(embed_table_storage, batched=True, batch_size=None)
        return embedded.with_format(**kept)

    with _replaced(dataset_writer, "embed_images", embed_images):
        yield


@contextlib.contextmanager
def unhashed_datasets() -> Iterator[None]:
    """Within the block, a ``datasets.Dataset`` made without a fingerprint gets a random one
    instead of a hash of its content.

    LeRobot's writer turns each episode into a ``Dataset`` (``Dataset.from_dict``), whose
    constructor pickles and hashes the whole table to name it in Hugging Face's cache: about
    0.11 s of each commit for a 225-frame episode, measured. The name is only used for cache
    files, which in-memory datasets never get, and it is written into no file (``datasets``
    gives transforms random names too when caching is off). Written by hand: ``from_dict`` takes no
    fingerprint. tests/recorder/test_writer.py checks that every file of the dataset is byte
    for byte the one LeRobot writes without this.
    """
    from datasets import arrow_dataset
    from datasets.fingerprint import generate_random_fingerprint  # type: ignore[import-untyped]

    with _replaced(arrow_dataset, "generate_fingerprint", lambda dataset: generate_random_fingerprint()):
        yield


def episode_index_rows(root: Path) -> Any:
    """``meta/episodes`` of the dataset at ``root`` without its ``stats/`` columns, as a
    ``datasets.Dataset`` in memory: what LeRobot 0.6.1's ``load_episodes`` returns, read
    with pyarrow directly.

    LeRobot reads it through ``Dataset.from_parquet``, which converts the files into an
    Arrow cache and builds the features of every statistics column before dropping them:
    0.2-0.3 s of each resume, measured, for the one file the writer's staging folder holds
    (LeRobot's writer reads ``episodes[-1]`` alone). Reading only the columns kept costs a
    few milliseconds.
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]
    from datasets import Dataset
    from datasets.table import InMemoryTable

    paths = sorted((root / "meta" / "episodes").glob("*/*.parquet"))
    if not paths:
        raise FileNotFoundError(f"{root / 'meta' / 'episodes'} holds no parquet file")
    tables = []
    for path in paths:
        names = [name for name in pq.read_schema(path).names if not name.startswith("stats/")]
        tables.append(pq.read_table(path, columns=names))
    table = pa.concat_tables(tables)
    return Dataset(InMemoryTable(table), fingerprint=f"episodes-{len(paths)}-{table.num_rows}")


@contextlib.contextmanager
def episode_rows_read_lightly() -> Iterator[None]:
    """Within the block, LeRobot's metadata reads ``meta/episodes`` with :func:`episode_index_rows`."""
    from lerobot.datasets import dataset_metadata

    with _replaced(dataset_metadata, "load_episodes", episode_index_rows):
        yield


def save_episode(dataset: Any) -> None:
    """``dataset.save_episode()`` (videos given by :func:`take_videos`, none encoded here), with
    the episode's table embedded in one batch (:func:`embedding_in_one_batch`), no content hash
    (:func:`unhashed_datasets`) and each task's index looked up once.

    LeRobot looks a frame's task up in its pandas task table once per frame (``.loc``,
    about 0.1 ms each); the episode's tasks are added to the table before the lookups, and
    the table does not change during them, so one lookup per distinct task gives the same
    indices.
    """
    meta = dataset.meta
    meta.get_task_index = functools.lru_cache(maxsize=None)(meta.get_task_index)
    try:
        with embedding_in_one_batch(), unhashed_datasets():
            dataset.save_episode(parallel_encoding=False)
    finally:
        del meta.get_task_index


def resume(repo_id: str, root: Path, cache: Path, vcodec: str) -> Any:
    """``LeRobotDataset.resume`` on ``root``: a dataset in write mode, appending to new files."""
    from datasets.utils import logging as datasets_logging  # type: ignore[import-untyped]
    from lerobot.datasets import LeRobotDataset

    bars = datasets_logging.is_progress_bar_enabled()
    with scoped_datasets_cache(cache), episode_rows_read_lightly():
        dataset = LeRobotDataset.resume(
            repo_id,
            root=root,
            video_backend=VIDEO_BACKEND,
            rgb_encoder=rgb_encoder(vcodec),
            depth_encoder=depth_encoder(),
        )
    if not bars:  # LeRobot's SuppressProgressBars turns them on when it is done, whatever they were
        datasets_logging.disable_progress_bar()
    return dataset


def take_videos(dataset: Any, videos: PrerecordedVideos) -> None:
    """The writer of ``dataset`` (from :func:`resume`) takes its next episode's videos from
    ``videos`` instead of encoding the frames it is given: they stand where LeRobot's streaming
    encoder would. Call it before the episode's first frame (LeRobot starts the encoder's
    episode there)."""
    dataset.writer._streaming_encoder = videos


@contextlib.contextmanager
def each_episode_as_if_resumed(dataset: Any) -> Iterator[None]:
    """Within the block, every episode the writer of ``dataset`` (from :func:`resume`) saves is
    written as if it were the first after a :func:`resume` of its own: into data, video and
    ``meta/episodes`` files of its own, its statistics aggregated with the dataset's as read
    back from ``stats.json``; after the block, ``info.json`` is written as that would leave it.
    So a dataset is the same files whether its episodes were committed one by one or several at
    a time (tests/recorder/test_writer.py compares them).

    LeRobot 0.6.1 appends an episode to the files of the one before it until they reach the
    ``info.json`` limits ``data_files_size_in_mb`` and ``video_files_size_in_mb``, and writes
    episode metadata in batches of ``metadata_buffer_size`` (10 after a resume); a new file is
    started when the last one's size plus the new episode's reaches the limit. With both
    limits 0 and a buffer of 1 every episode starts new files. LeRobot keeps the running
    statistics in memory at float32 precision where a resume reads them back from their JSON
    as float64: they are read back after each episode. LeRobot writes ``info.json`` at each
    episode, with the limits of the moment: it is written again with its own limits once the
    episodes are saved. Written by hand: LeRobot has no switch for any of it, and its setter
    refuses limits of 0.
    """
    from lerobot.datasets.io_utils import load_stats, write_info  # type: ignore[import-untyped]

    meta = dataset.meta
    info = meta.info
    kept = info.data_files_size_in_mb, info.video_files_size_in_mb, meta._metadata_buffer_size
    save_metadata = meta.save_episode

    def save_episode(*args: Any, **kwargs: Any) -> None:
        save_metadata(*args, **kwargs)
        meta.stats = load_stats(meta.root)

    info.data_files_size_in_mb = info.video_files_size_in_mb = 0
    meta._metadata_buffer_size = 1
    meta.save_episode = save_episode
    try:
        yield
    finally:
        del meta.save_episode
        info.data_files_size_in_mb, info.video_files_size_in_mb, meta._metadata_buffer_size = kept
    write_info(info, meta.root)


class PrerecordedVideos:
    """Stands in for LeRobot's streaming encoder inside a dataset writer (the methods LeRobot
    0.6.1's ``DatasetWriter`` calls on it): the episode's videos were encoded already, by
    :mod:`recorder.video` in the process that recorded it; ``finish_episode`` hands them over
    as LeRobot's own encoder would: feature key → (MP4 path, running image statistics)."""

    def __init__(self, videos: dict[str, tuple[Path, dict[str, Any] | None]]) -> None:
        self._videos = dict(videos)

    def start_episode(self, video_keys: list[str], temp_dir: Path, depth_video_keys: list[str] | None = None) -> None:
        missing = sorted(set(video_keys) - set(self._videos))
        if missing:
            raise ValueError(f"no recorded video for {missing}")

    def feed_frame(self, video_key: str, image: Any) -> None:
        """The frame is in the recorded video already."""

    def finish_episode(self) -> dict[str, tuple[Path, dict[str, Any] | None]]:
        return dict(self._videos)

    def cancel_episode(self) -> None:
        """The recorded files belong to the recording, which deletes them."""

    def close(self) -> None:
        """Nothing runs."""


@contextlib.contextmanager
def hub_offline() -> Iterator[None]:
    """Forbid the Hugging Face Hub for the duration: LeRobot, given a local folder that misses a
    file, would download it (``snapshot_download``); offline, it raises instead. Callers check
    the files first (:func:`recorder.dataset_files.check_dataset_files`); this is the backstop."""
    import huggingface_hub.constants

    with _replaced(huggingface_hub.constants, "HF_HUB_OFFLINE", True):
        yield


def open_dataset(repo_id: str, root: Path, **kwargs: Any) -> Any:
    """``LeRobotDataset(repo_id, root=root)``: the dataset for reading (never from the Hub)."""
    from lerobot.datasets import LeRobotDataset

    with hub_offline():
        return LeRobotDataset(repo_id, root=root, **{"video_backend": VIDEO_BACKEND, **kwargs})


def write_language_rows(root: Path, rows: dict[int, list[dict[str, Any]]], work: Path) -> None:
    """Give each episode in ``root/data`` its persistent language rows (``rows``: by episode
    index, one entry for every episode there) and no event rows.

    LeRobot's own annotation writer does it, as ``lerobot-annotate`` would: the rows are staged
    in ``work`` (a folder that must not exist; removed afterwards), then each data file holding
    the episodes is rewritten with its ``language_persistent`` and ``language_events`` columns.
    The dataset's ``info.json`` must declare both columns already (they are written empty
    while recording).
    """
    import shutil

    from lerobot.annotations.steerable_pipeline.reader import iter_episodes  # type: ignore[import-untyped]
    from lerobot.annotations.steerable_pipeline.staging import EpisodeStaging  # type: ignore[import-untyped]
    from lerobot.annotations.steerable_pipeline.writer import LanguageColumnsWriter  # type: ignore[import-untyped]

    records = list(iter_episodes(root))
    try:
        for record in records:
            EpisodeStaging(work, record.episode_index).write("plan", rows[record.episode_index])
        LanguageColumnsWriter(drop_existing_subtask_index=False).write_all(records, work, root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
