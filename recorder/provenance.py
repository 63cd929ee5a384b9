"""What made a dataset and each of its episodes, kept in ``meta/actionbank/``.

Dataset level (written once, with the dataset): ``dataset.json`` (the spec, with the run's
seed), the gym and action configs verbatim, ``hashes.json`` (their sha256 and those of the
files the gym config names, under ``assets``), ``package.json`` (versions). The plan's segmentation is not here: it is in LeRobot's
``language_persistent`` column (:mod:`recorder.language`), which LeRobot's tools carry along
with the frames. Episode level: one JSON line per saved episode in
``episodes.jsonl`` (seed, randomization, initial poses, metrics, the configs' sha256, and
for a failed episode kept by ``save_failed_episodes`` why it failed),
appended after LeRobot has persisted the episode.

Everything is read back checked (:mod:`recorder.checked`, :mod:`recorder.confine`): a damaged
file is reported with its name and what is wrong, never as a traceback.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from recorder.checked import INT, NUMBER, OBJECT, Kind, field_problems, read_json
from recorder.confine import dataset_path, read_dataset_bytes
from recorder.durable import json_bytes, read_lines
from recorder.errors import DatasetCorruptError, RecorderError
from recorder.spec import DatasetSpec, spec_errors

__all__ = [
    "ASSETS_KEY",
    "CONFIG_HASHES_KEY",
    "EPISODES_LOG",
    "FAILURE_KEY",
    "HASHES_FILE",
    "PROVENANCE_DIR",
    "SPEC_FILE",
    "EpisodeInfo",
    "RolloutInfo",
    "check_episode_configs",
    "config_file_names",
    "config_hashes",
    "episode_record",
    "load_spec",
    "package_versions",
    "provenance_files",
    "read_episode_records",
    "record_line",
    "record_problems",
]

PROVENANCE_DIR = "meta/actionbank"
SPEC_FILE = f"{PROVENANCE_DIR}/dataset.json"
EPISODES_LOG = f"{PROVENANCE_DIR}/episodes.jsonl"
HASHES_FILE = f"{PROVENANCE_DIR}/hashes.json"


class RolloutInfo(Protocol):
    """What an episode's provenance needs; :class:`actionbank.rollout.Rollout` has all of it."""

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
    #: Why the episode failed (an episode kept by ``save_failed_episodes``), or ``None``.
    failure: dict[str, str] | None = None


def _plain(value: Any) -> Any:
    """JSON fallback for numpy values that samplers and metrics produce."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def config_hashes(spec: DatasetSpec) -> dict[str, str]:
    """sha256 (hex) of the gym and action config texts, keyed by their stored names (as in ``hashes.json``)."""
    gym_name, action_name = config_file_names(spec)
    return {
        gym_name: hashlib.sha256(spec.gym_config_text.encode()).hexdigest(),
        action_name: hashlib.sha256(spec.action_config_text.encode()).hexdigest(),
    }


def episode_record(
    episode_index: int, length: int, info: RolloutInfo, configs: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The provenance of one saved episode; ``length`` in frames; ``configs``: :func:`config_hashes`
    of the dataset, so each episode says which configs made it."""
    record: dict[str, Any] = {
        "episode_index": episode_index,
        "length": length,
        "seed": int(info.seed),
        "randomization": info.randomization,
        "initial_poses": info.initial_poses,
        "metrics": info.metrics,
    }
    failure = getattr(info, "failure", None)
    if failure is not None:
        record[FAILURE_KEY] = dict(failure)
    if configs is not None:
        record[CONFIG_HASHES_KEY] = dict(configs)
    return record


#: The key of an episode record holding the sha256 of the configs that made the episode.
CONFIG_HASHES_KEY = "config_sha256"
#: The key of a failed episode's record holding why it failed (stage, name, function, reason).
FAILURE_KEY = "failure"

_RECORD_FIELDS: dict[str, tuple[Kind, bool]] = {
    "episode_index": (INT, True),
    "length": (INT, True),
    "seed": (INT, True),
    "randomization": (OBJECT, True),
    "initial_poses": (OBJECT, True),
    "metrics": (OBJECT, True),
    CONFIG_HASHES_KEY: (OBJECT, False),
    FAILURE_KEY: (OBJECT, False),
}


def record_problems(record: Any, episode_index: int | None = None) -> list[str]:
    """What is wrong with an episode record read back (``episode_index``: the index it must have)."""
    problems = field_problems(record, _RECORD_FIELDS)
    if problems:
        return problems
    if episode_index is not None and record["episode_index"] != episode_index:
        problems.append(f"'episode_index' is {record['episode_index']}, expected {episode_index}")
    if record["length"] < 1:
        problems.append("'length' must be at least 1")
    attempt = record["metrics"].get("attempt")
    if attempt is not None and not NUMBER.accepts(attempt):
        problems.append("'metrics.attempt' must be a number")
    hashes = record.get(CONFIG_HASHES_KEY, {})
    if not all(isinstance(value, str) for value in hashes.values()):
        problems.append(f"{CONFIG_HASHES_KEY!r} must map names to strings")
    return problems


def record_line(record: dict[str, Any]) -> str:
    """``record`` as one line of ``episodes.jsonl``."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_plain)


def read_episode_records(root: Path) -> list[dict[str, Any]]:
    """Every complete line of ``episodes.jsonl``, in episode order, each checked
    (:class:`DatasetCorruptError` names the line and what is wrong)."""
    records = []
    try:
        lines = read_lines(dataset_path(root, EPISODES_LOG))
    except UnicodeDecodeError as error:
        raise DatasetCorruptError(f"{root / EPISODES_LOG} is not UTF-8 text: {error}") from None
    for number, line in enumerate(lines, start=1):
        where = f"{root / EPISODES_LOG} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetCorruptError(f"{where} is not valid JSON: {error}") from None
        problems = record_problems(record, number - 1)
        if problems:
            raise DatasetCorruptError(f"{where}: " + "; ".join(problems))
        records.append(record)
    return records


def check_episode_configs(root: Path, spec: DatasetSpec, records: list[dict[str, Any]]) -> None:
    """Raise :class:`DatasetCorruptError` when an episode says it was made with other configs than
    the dataset's (records written before episodes carried their config hashes are not checked)."""
    expected = config_hashes(spec)
    for record in records:
        stored = record.get(CONFIG_HASHES_KEY)
        if stored is not None and stored != expected:
            raise DatasetCorruptError(
                f"{root / EPISODES_LOG}: episode {record['episode_index']} was recorded with configs "
                f"{stored} but the dataset's are {expected}; the dataset mixes runs of different configs"
            )


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
    hashes_of = config_hashes(spec)
    hashes: dict[str, Any] = {
        gym_name: {"source": spec.gym_config_name, "sha256": hashes_of[gym_name]},
        action_name: {"source": spec.action_config_name, "sha256": hashes_of[action_name]},
        ASSETS_KEY: {fpath: {"sha256": digest} for fpath, digest in spec.asset_hashes.items()},
    }
    return {
        SPEC_FILE: json_bytes(spec.to_json()),
        f"{PROVENANCE_DIR}/{gym_name}": spec.gym_config_text.encode(),
        f"{PROVENANCE_DIR}/{action_name}": spec.action_config_text.encode(),
        HASHES_FILE: json_bytes(hashes),
        f"{PROVENANCE_DIR}/package.json": json_bytes(package_versions(spec)),
    }


#: The key of ``hashes.json`` listing the sha256 of the files the gym config names (meshes).
ASSETS_KEY = "assets"
_SHA256 = Kind("a sha256 (64 hex digits)", lambda value: isinstance(value, str) and len(value) == 64)


def _read_text(root: Path, name: str) -> str:
    try:
        return read_dataset_bytes(root, name).decode("utf-8")
    except FileNotFoundError:
        raise DatasetCorruptError(f"{root / name} is missing") from None
    except UnicodeDecodeError as error:
        raise DatasetCorruptError(f"{root / name} is not UTF-8 text: {error}") from None


def load_spec(root: Path) -> DatasetSpec:
    """The spec of the actionbank dataset at ``root``, its config texts and asset hashes read back.

    Every file is checked: :class:`DatasetCorruptError` names the file and what is wrong (a key
    missing, a value of the wrong type, a stored config that no longer matches its hash).
    """
    if not os.path.lexists(root / SPEC_FILE):
        raise RecorderError(f"{root} is not an actionbank dataset: {SPEC_FILE} is missing")
    data = read_json(root, SPEC_FILE)
    try:
        probe = DatasetSpec.from_json(data, root, "", "")
    except DatasetCorruptError as error:
        raise DatasetCorruptError(f"{root / SPEC_FILE}: {error}") from None
    problems = list(spec_errors(probe))
    if problems:
        raise DatasetCorruptError(f"{root / SPEC_FILE}: " + "; ".join(problems))
    gym_name, action_name = config_file_names(probe)
    texts = {name: _read_text(root, f"{PROVENANCE_DIR}/{name}") for name in (gym_name, action_name)}
    hashes = read_json(root, HASHES_FILE)
    fields = {name: (OBJECT, True) for name in texts} | {ASSETS_KEY: (OBJECT, False)}
    problems = field_problems(hashes, fields)
    for name, text in [] if problems else texts.items():
        problems += field_problems(hashes[name], {"sha256": (_SHA256, True)}, f"{name}.")
        if not problems and hashes[name]["sha256"] != hashlib.sha256(text.encode()).hexdigest():
            problems.append(f"{PROVENANCE_DIR}/{name} does not match its sha256 here: it was changed")
    assets = {} if problems else hashes.get(ASSETS_KEY, {})
    for fpath, entry in assets.items():
        problems += field_problems(entry, {"sha256": (_SHA256, True)}, f"{ASSETS_KEY}.{fpath}.")
    if problems:
        raise DatasetCorruptError(f"{root / HASHES_FILE}: " + "; ".join(problems))
    asset_hashes = {fpath: str(entry["sha256"]) for fpath, entry in assets.items()}
    return DatasetSpec.from_json(data, root, texts[gym_name], texts[action_name], asset_hashes)
