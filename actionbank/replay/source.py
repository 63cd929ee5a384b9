"""What a replay is rebuilt from: a dataset's provenance, read back checked.

``meta/actionbank/`` holds the gym and action configs verbatim, the run's seed, the sha256 of
every file the gym config names (``hashes.json`` ``assets``), the versions that made it
(``package.json``) and, per episode, its seed and sampled randomisation
(:mod:`recorder.provenance`). The configs are written to a private temporary folder and
compiled from there, so nothing the dataset names is read outside it.

The files a gym config names (meshes) are not in the dataset. When it names any, the replay
needs the original gym config (``--gym-config PATH``): its text must be the stored one and
each file it names, read from its folder, must have the recorded sha256
(:func:`recorder.run_identity.run_differences`, ``--resume``'s check). A dataset whose
gym config names no file replays from its own copy alone.
"""

from __future__ import annotations

import importlib.metadata
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionbank.attempts import episode_seed
from actionbank.errors import ActionbankError

__all__ = ["ConfigFiles", "ReplayInputError", "ReplaySource", "config_files", "open_source", "version_notes"]

#: A distribution name (PEP 508).
_PACKAGE_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


class ReplayInputError(ActionbankError):
    """The dataset, the episode or the configs cannot be replayed (bad input): exit code 2."""

    exit_code = 2


@dataclass(frozen=True)
class ConfigFiles:
    """Where the replay reads its configs: the gym config (its folder holds the files it names)
    and the action config."""

    gym_config: Path
    action_config: Path


@dataclass(frozen=True)
class ReplaySource:
    """One episode of a dataset and what made it. ``record``: its line of ``episodes.jsonl``;
    ``notes``: differences between the versions that made it and the installed ones."""

    root: Path
    spec: Any  # recorder.spec.DatasetSpec (the recorder is imported when a replay runs)
    episode: int
    record: dict[str, Any]
    notes: tuple[str, ...]

    @property
    def seed(self) -> int:
        return int(self.record["seed"])

    @property
    def length(self) -> int:
        """The episode's frames [steps]."""
        return int(self.record["length"])


def open_source(root: Path, episode: int) -> ReplaySource:
    """Episode ``episode`` of the dataset at ``root`` and its provenance, checked:
    :class:`ReplayInputError` when ``root`` is no actionbank dataset or has no such episode, or
    when the episode's seed is not the one its attempt had in the recorded run;
    :class:`~recorder.errors.RecorderError` when a provenance file is damaged."""
    from recorder.errors import RecorderError
    from recorder.provenance import check_episode_configs, load_spec, read_episode_records

    if not root.is_dir():
        raise ReplayInputError(f"{root} is not a folder")
    try:
        spec = load_spec(root)
    except RecorderError as error:
        if type(error) is RecorderError:  # no dataset.json: not one of ours
            raise ReplayInputError(str(error)) from None
        raise
    records = read_episode_records(root)
    check_episode_configs(root, spec, records)
    if not 0 <= episode < len(records):
        have = f"episodes 0..{len(records) - 1}" if records else "no episodes"
        raise ReplayInputError(f"{root} has {have}; there is no episode {episode}")
    record = records[episode]
    attempt = record["metrics"].get("attempt")
    if spec.seed is not None and attempt is not None:
        expected = episode_seed(spec.seed, int(attempt))
        if int(record["seed"]) != expected:
            raise ReplayInputError(
                f"{root}: episode {episode} has seed {record['seed']}, but attempt {int(attempt)} of a run "
                f"seeded {spec.seed} has seed {expected}: its provenance is damaged"
            )
    return ReplaySource(root, spec, episode, record, tuple(version_notes(root)))


def version_notes(root: Path) -> list[str]:
    """One note per package whose version in the dataset's ``package.json`` differs from the
    installed one (the replay still runs; its differences may come from there)."""
    from recorder.checked import read_json
    from recorder.provenance import PROVENANCE_DIR

    name = f"{PROVENANCE_DIR}/package.json"
    recorded = read_json(root, name)
    if not isinstance(recorded, dict):
        return [f"{root / name} is not an object: the versions that made the dataset are unknown"]
    notes = []
    for package, version in sorted(recorded.items()):
        if not _PACKAGE_NAME.fullmatch(package):  # a name from the dataset never becomes a path
            notes.append(f"{root / name} names a package {package!r} that is not a valid name: skipped")
            continue
        try:
            installed: str | None = importlib.metadata.version(package)
        except (importlib.metadata.PackageNotFoundError, ValueError):
            installed = None
        if version != installed:
            notes.append(
                f"the dataset was made with {package} {version}, {package} {installed or '(not installed)'} is "
                "installed: the replay may differ for that reason"
            )
    return notes


@contextmanager
def config_files(
    source: ReplaySource, gym_config: Path | None, *, allow_outside_assets: bool = False
) -> Iterator[ConfigFiles]:
    """The configs to replay ``source`` with, for the duration: the stored copies in a temporary
    folder, or ``gym_config`` (the original) checked against the provenance.

    :class:`ReplayInputError` when the gym config names files and no ``gym_config`` is given, or
    when ``gym_config`` differs from the stored text or its files from the recorded hashes.
    """
    from recorder.provenance import config_file_names

    spec = source.spec
    gym_name, action_name = config_file_names(spec)
    with tempfile.TemporaryDirectory(prefix="actionbank-replay-") as folder:
        stored_gym, stored_action = Path(folder) / gym_name, Path(folder) / action_name
        stored_gym.write_text(spec.gym_config_text, encoding="utf-8")
        stored_action.write_text(spec.action_config_text, encoding="utf-8")
        if gym_config is None:
            if spec.asset_hashes:
                listed = ", ".join(sorted(spec.asset_hashes)[:5])
                raise ReplayInputError(
                    f"{source.root}: its gym config names files that are not in the dataset ({listed}); "
                    "give --gym-config with the gym config it was made from (its folder holds them)"
                )
            yield ConfigFiles(stored_gym, stored_action)
            return
        _check_original(source, gym_config, stored_action, allow_outside_assets)
        yield ConfigFiles(gym_config, stored_action)


def _check_original(source: ReplaySource, gym_config: Path, action_config: Path, allow_outside: bool) -> None:
    """Raise :class:`ReplayInputError` unless ``gym_config`` is the dataset's gym config and the
    files it names have the recorded sha256."""
    from actionbank.generate.options import GenerateOptions
    from actionbank.generate.run_spec import asset_hashes_of, read_config_text
    from recorder.run_identity import RunInputs, run_differences
    from sim.config import load_sim_config

    spec = source.spec
    text = read_config_text(gym_config)
    assets: dict[str, str] = {}
    if text == spec.gym_config_text:  # else the text's difference is the message
        config, _warnings = load_sim_config(gym_config, allow_outside_assets=allow_outside)
        options = GenerateOptions(gym_config, action_config, allow_outside_assets=allow_outside)
        assets = asset_hashes_of(options, config)
    else:
        assets = dict(spec.asset_hashes)
    # Only the gym config and its files are in question: the seed and attempt range are the dataset's own.
    run = RunInputs(gym_config, text, action_config, spec.action_config_text, assets, None, spec.attempts)
    problems = run_differences(spec, run)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise ReplayInputError(
            f"{gym_config} is not the gym config {source.root} was made with:\n{listed}\n"
            "give the gym config (and its files) the dataset was made from"
        )
