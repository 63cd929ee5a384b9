"""What made a dataset and each of its episodes, kept in ``meta/actionbank/``.

Dataset level (written once, with the dataset): ``dataset.json`` (the spec), the gym and
action configs verbatim, ``hashes.json`` (their sha256), ``package.json`` (versions) and
``meta/subtasks.json``. Episode level: one JSON line per saved episode in
``episodes.jsonl`` (seed, randomization, initial poses, metrics), appended after LeRobot
has persisted the episode.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from recorder.durable import json_bytes, read_lines
from recorder.errors import RecorderError
from recorder.spec import DatasetSpec
from recorder.subtasks import SUBTASKS_PATH, subtasks_json

__all__ = [
    "EPISODES_LOG",
    "PROVENANCE_DIR",
    "SPEC_FILE",
    "EpisodeInfo",
    "RolloutInfo",
    "config_file_names",
    "episode_record",
    "load_spec",
    "package_versions",
    "provenance_files",
    "read_episode_records",
    "record_line",
]

PROVENANCE_DIR = "meta/actionbank"
SPEC_FILE = f"{PROVENANCE_DIR}/dataset.json"
EPISODES_LOG = f"{PROVENANCE_DIR}/episodes.jsonl"


class RolloutInfo(Protocol):
    """What an episode's provenance needs; :class:`sim.rollout.Rollout` has all of it."""

    @property
    def seed(self) -> int: ...
    @property
    def randomization(self) -> dict[str, Any]: ...
    @property
    def initial_poses(self) -> dict[str, list[float]]: ...
    @property
    def metrics(self) -> dict[str, float]: ...


@dataclass(frozen=True)
class EpisodeInfo:
    """A :class:`RolloutInfo` built by hand (tests, replays)."""

    seed: int
    randomization: dict[str, Any] = field(default_factory=dict)
    initial_poses: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """JSON fallback for numpy values that samplers and metrics produce."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def episode_record(episode_index: int, length: int, info: RolloutInfo) -> dict[str, Any]:
    """The provenance of one saved episode; ``length`` in frames."""
    return {
        "episode_index": episode_index,
        "length": length,
        "seed": int(info.seed),
        "randomization": info.randomization,
        "initial_poses": info.initial_poses,
        "metrics": info.metrics,
    }


def record_line(record: dict[str, Any]) -> str:
    """``record`` as one line of ``episodes.jsonl``."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_plain)


def read_episode_records(root: Path) -> list[dict[str, Any]]:
    """Every complete line of ``episodes.jsonl``, in episode order."""
    return [json.loads(line) for line in read_lines(root / EPISODES_LOG)]


def config_file_names(spec: DatasetSpec) -> tuple[str, str]:
    """Stored names of the gym and action configs: ``gym_config.<ext>``, ``action_config.<ext>``."""
    gym_ext = Path(spec.gym_config_name).suffix or ".txt"
    action_ext = Path(spec.action_config_name).suffix or ".txt"
    return f"gym_config{gym_ext}", f"action_config{action_ext}"


def package_versions(spec: DatasetSpec) -> dict[str, str | None]:
    """Versions of actionbank (from the spec), LeRobot and MuJoCo; None when not installed."""
    versions: dict[str, str | None] = {"actionbank": spec.package_version}
    for name in ("lerobot", "mujoco"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def provenance_files(spec: DatasetSpec) -> dict[str, bytes]:
    """Dataset-level provenance: path relative to the dataset root → content."""
    gym_name, action_name = config_file_names(spec)
    gym_bytes = spec.gym_config_text.encode()
    action_bytes = spec.action_config_text.encode()
    hashes = {
        gym_name: {"source": spec.gym_config_name, "sha256": hashlib.sha256(gym_bytes).hexdigest()},
        action_name: {"source": spec.action_config_name, "sha256": hashlib.sha256(action_bytes).hexdigest()},
    }
    return {
        SPEC_FILE: json_bytes(spec.to_json()),
        f"{PROVENANCE_DIR}/{gym_name}": gym_bytes,
        f"{PROVENANCE_DIR}/{action_name}": action_bytes,
        f"{PROVENANCE_DIR}/hashes.json": json_bytes(hashes),
        f"{PROVENANCE_DIR}/package.json": json_bytes(package_versions(spec)),
        SUBTASKS_PATH: json_bytes(subtasks_json(spec.scopes, spec.edge_labels)),
    }


def load_spec(root: Path) -> DatasetSpec:
    """The spec of the actionbank dataset at ``root``, its config texts read back."""
    spec_path = root / SPEC_FILE
    if not spec_path.is_file():
        raise RecorderError(f"{root} is not an actionbank dataset: {SPEC_FILE} is missing")
    data = json.loads(spec_path.read_text(encoding="utf-8"))
    probe = DatasetSpec.from_json(data, root, "", "")
    gym_name, action_name = config_file_names(probe)
    texts = [(root / PROVENANCE_DIR / name).read_bytes().decode() for name in (gym_name, action_name)]
    return DatasetSpec.from_json(data, root, texts[0], texts[1])
