"""Continuing a dataset (``--resume``): only with what made it (the same config texts, asset
hashes and seed, :mod:`recorder.run_identity`), after repairing what a killed run left, from
the attempt after the last one it saved."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionbank.generate.options import GenerateOptions, Note

if TYPE_CHECKING:
    from recorder.writer import DatasetWriter

__all__ = ["Resumed", "holds_no_dataset", "open_resumed", "repair_notes"]


@dataclass(frozen=True)
class Resumed:
    """A reopened dataset: its writer, the run's seed and the first attempt [index] still to run."""

    writer: DatasetWriter
    seed: int
    first_attempt: int


def holds_no_dataset(folder: Path) -> bool:
    """Whether ``folder`` holds no dataset yet (missing, empty, or only recordings of a stopped run)."""
    from recorder import DatasetExistsError, DatasetWriter

    try:
        DatasetWriter.check_vacant(folder)
    except DatasetExistsError:
        return False
    return True


def open_resumed(
    folder: Path, options: GenerateOptions, gym_text: str, action_text: str, assets: dict[str, str], tell: Note
) -> Resumed:
    """Reopen the dataset in ``folder`` (``options.resume``); raises :class:`~recorder.errors.RunMismatchError` when it was made
    from other configs, assets, seed or attempt range, other :class:`~recorder.errors.RecorderError` when it is
    damaged. Tells the seed it reuses (when none was given) and what reopening repaired."""
    from recorder import DatasetWriter, read_episode_records
    from recorder.run_identity import RunInputs, check_same_run, resume_seed

    run = RunInputs(
        options.gym_config, gym_text, options.action_config, action_text, assets, options.seed, options.attempts
    )
    writer = DatasetWriter.open_for_resume(folder, check=lambda stored: check_same_run(stored, run))
    try:
        seed = resume_seed(writer.spec, options.seed)
        if options.seed is None:
            tell(f"resuming {writer.root} with the seed it was made with: {seed}")
        for repaired in repair_notes(writer):
            tell(repaired)
        records = read_episode_records(writer.root)
        first_attempt = 1 + max((int(r["metrics"].get("attempt", -1)) for r in records), default=-1)
    except BaseException:
        writer.finalize()  # a stop or an error while reading leaves the dataset closed
        raise
    return Resumed(writer, seed, first_attempt)


def repair_notes(writer: DatasetWriter) -> list[str]:
    """Notes on what reopening the dataset repaired after a killed run."""
    report = writer.repair_report
    notes = []
    if report is not None and report.committed_episodes:
        first, last = report.committed_episodes[0], report.committed_episodes[-1]
        which = f"episode {first}" if first == last else f"episodes {first}-{last}"
        notes.append(f"finished committing {which}, left by a killed run")
    if report is not None and report.discarded_partial_episode:
        notes.append("dropped the unfinished episode of a killed run")
    return notes
