"""Everything the report shows, read from one dataset folder and nothing outside it.

Provenance goes through the recorder's checked readers (:func:`recorder.load_spec` checks
``dataset.json``, the stored configs and ``hashes.json``; :func:`recorder.read_episode_records`
and :func:`recorder.runs.read_run_records` check each line), after
:func:`recorder.frame_strip.check_readable` has refused links and ``info.json`` path templates
that leave the dataset. Frames are read through LeRobot's loader: its Arrow table for the
numeric columns (one pass, no per-frame decoding) and one decoded item per camera for the
first frames.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError

__all__ = ["ReportData", "ReportError", "Segment", "gather"]


class ReportError(ActionbankError):
    """The report cannot be made: not a dataset, a dataset it cannot read, an output it cannot write (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Segment:
    """Scope ``scope`` runs edge ``edge`` from ``start`` to ``end`` [s] of an episode."""

    scope: str
    edge: str
    start: float
    end: float


@dataclass(frozen=True)
class ReportData:
    """A dataset as the report shows it. Arrays have one row per frame of the whole dataset."""

    root: Path
    fps: int
    robot_type: str | None
    task: str
    state_names: list[str]
    action_names: list[str]
    state: NDArray[np.float64]
    action: NDArray[np.float64]
    #: The episode [index] of each frame.
    episode_index: NDArray[np.int64]
    #: Each saved episode's provenance line (``episodes.jsonl``).
    episodes: list[dict[str, Any]]
    #: Each generate run's attempt counts (``runs.jsonl``; [] for datasets made before it).
    runs: list[dict[str, Any]]
    #: Stored name → sha256 of the gym and action configs, and of each asset the gym config names.
    config_hashes: dict[str, str]
    asset_hashes: dict[str, str]
    scopes: tuple[str, ...]
    #: The episode whose trajectories are drawn, and the edges its scopes ran.
    episode: int
    segments: list[Segment]
    #: Camera uid → PNG bytes of its first frame in episode 0.
    first_frames: dict[str, bytes] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return int(self.episode_index.shape[0])

    @property
    def duration(self) -> float:
        """Length of every episode together [s]."""
        return self.frames / self.fps


def gather(root: Path, episode: int = 0) -> ReportData:
    """Read the dataset at ``root`` for the report; ``episode``: the one whose trajectories are drawn.

    Raises :class:`ReportError` (or a :class:`~recorder.errors.RecorderError`, exit code 2 too)
    when ``root`` is not an actionbank dataset or a file of it is damaged.
    """
    from recorder import load_spec, read_episode_records
    from recorder.checked import read_info
    from recorder.dataset_files import check_readable
    from recorder.provenance import check_episode_configs, config_hashes
    from recorder.runs import read_run_records

    if not root.is_dir():
        raise ReportError(f"{root} is not a folder: give the folder of a dataset made by `actionbank generate`")
    spec = load_spec(root)  # "not an actionbank dataset" when meta/actionbank/dataset.json is missing
    check_readable(root)
    info = read_info(root)
    records = read_episode_records(root)
    check_episode_configs(root, spec, records)
    runs = read_run_records(root)
    if len(records) != info["total_episodes"]:
        raise ReportError(
            f"{root}: meta/actionbank/episodes.jsonl has {len(records)} episodes but meta/info.json says "
            f"{info['total_episodes']}; `actionbank generate --resume` repairs a dataset a killed run left"
        )
    if not records:
        raise ReportError(f"{root} holds no episode yet")
    if not 0 <= episode < len(records):
        raise ReportError(f"{root} has episodes 0..{len(records) - 1}; there is no episode {episode}")
    dataset = _open(root)
    table = dataset.hf_dataset.data.table
    state, state_names = _matrix(table, info, "observation.state")
    action, action_names = _matrix(table, info, "action")
    episode_index = np.asarray(table.column("episode_index").to_numpy(), dtype=np.int64)
    start, stop = _bounds(episode_index, episode)
    segments = _segments(table, start, (stop - start) / spec.fps)
    return ReportData(
        root=root,
        fps=spec.fps,
        robot_type=info.get("robot_type"),
        task=spec.task,
        state_names=state_names,
        action_names=action_names,
        state=state,
        action=action,
        episode_index=episode_index,
        episodes=records,
        runs=runs,
        config_hashes=config_hashes(spec),
        asset_hashes=dict(spec.asset_hashes),
        scopes=tuple(spec.scopes),
        episode=episode,
        segments=segments,
        first_frames=_first_frames(dataset, _bounds(episode_index, 0)[0]),
    )


def _open(root: Path) -> Any:
    """LeRobot's dataset at ``root`` (read-only use)."""
    from recorder.lerobot_api import open_dataset

    try:
        return open_dataset(f"actionbank/{root.name}", root)
    except OSError as error:
        raise ReportError(f"{root}: LeRobot cannot read the dataset: {error}") from None


def _matrix(table: Any, info: dict[str, Any], key: str) -> tuple[NDArray[np.float64], list[str]]:
    """Column ``key`` as frames × values, and the names ``info.json`` gives its values."""
    feature = info["features"].get(key)
    if feature is None or key not in table.column_names:
        raise ReportError(f"the dataset has no {key!r} column")
    column = table.column(key).combine_chunks()
    values = np.asarray(column.flatten().to_numpy(zero_copy_only=False), dtype=np.float64)
    width = values.size // max(len(column), 1)
    names = feature.get("names")
    if not isinstance(names, list) or len(names) != width:
        names = [f"{key}[{i}]" for i in range(width)]
    return values.reshape(len(column), width), [str(name) for name in names]


def _bounds(episode_index: NDArray[np.int64], episode: int) -> tuple[int, int]:
    """First and one-past-last frame [row] of ``episode``."""
    rows = np.flatnonzero(episode_index == episode)
    if rows.size == 0:
        raise ReportError(f"the dataset's data has no frame of episode {episode}")
    return int(rows[0]), int(rows[-1]) + 1


def _segments(table: Any, start: int, duration: float) -> list[Segment]:
    """The edges each scope ran in the episode whose first frame is row ``start``, read from its
    ``language_persistent`` motion rows (:func:`recorder.edges_at`); ``duration`` [s]."""
    from recorder.language import LANGUAGE_PERSISTENT, edges_at

    if LANGUAGE_PERSISTENT not in table.column_names:
        return []
    rows = table.column(LANGUAGE_PERSISTENT)[start].as_py() or []
    times = sorted({float(row["timestamp"]) for row in rows if row.get("style") == "motion"})
    segments: list[Segment] = []
    open_: dict[str, Segment] = {}
    for time in times:
        for scope, edge in edges_at(rows, time).items():
            current = open_.get(scope)
            if current is not None and current.edge == edge:
                continue
            if current is not None:
                segments.append(Segment(scope, current.edge, current.start, time))
            open_[scope] = Segment(scope, edge, time, duration)
    segments.extend(open_.values())
    return sorted(segments, key=lambda s: (s.scope, s.start))


def _first_frames(dataset: Any, row: int) -> dict[str, bytes]:
    """Camera uid → PNG of its frame at ``row``, decoded by LeRobot from the camera's video."""
    from PIL import Image

    from recorder.features import IMAGE_PREFIX

    keys = [key for key in dataset.meta.camera_keys if key.startswith(IMAGE_PREFIX)]
    if not keys:
        return {}
    item = dataset[row]
    frames = {}
    for key in keys:
        array = np.asarray(item[key], dtype=np.float32)  # channels × height × width, 0..1
        pixels = np.clip(np.round(array.transpose(1, 2, 0) * 255), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="PNG")
        frames[key.removeprefix(IMAGE_PREFIX)] = buffer.getvalue()
    return frames
