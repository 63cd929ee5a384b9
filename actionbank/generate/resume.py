"""Continuing a dataset (``--resume``): only with what made it (the same config texts, asset
hashes and seed, :mod:`recorder.run_identity`), from the attempt after the last one it saved.

Decide, then act: :func:`check_resumed` checks the whole dataset and locks it, changing nothing
(:func:`recorder.reopen.check_for_resume`); the run makes its own last checks (workers,
memory, the failed-episode dataset); only then :func:`reopen` repairs what a killed run left
and opens the dataset for writing. A refused resume leaves every byte as it was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionbank.generate.options import GenerateOptions, Note

if TYPE_CHECKING:
    from recorder.reopen import ResumeCheck
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter

__all__ = ["Resumed", "check_resumed", "holds_no_dataset", "reopen", "repair_notes"]


@dataclass(frozen=True)
class Resumed:
    """A dataset checked for resuming and locked, not changed yet: the check, the run's seed and
    the first attempt [index] still to run."""

    checked: ResumeCheck
    seed: int
    first_attempt: int

    @property
    def spec(self) -> DatasetSpec:
        return self.checked.spec

    @property
    def episodes(self) -> int:
        """Episodes the dataset holds once reopened (a commit a kill cut short included)."""
        return self.checked.plan.episodes


def holds_no_dataset(folder: Path) -> bool:
    """Whether ``folder`` holds no dataset yet (missing, empty, or only recordings of a stopped run)."""
    from recorder import DatasetExistsError, DatasetWriter

    try:
        DatasetWriter.check_vacant(folder)
    except DatasetExistsError:
        return False
    return True


def check_resumed(
    folder: Path, options: GenerateOptions, gym_text: str, action_text: str, assets: dict[str, str], tell: Note
) -> Resumed:
    """Check the dataset in ``folder`` (``options.resume``) for continuing it, and lock it; nothing of
    it changes. Raises :class:`~recorder.errors.RunMismatchError` when it was made from other
    configs, assets, seed or attempt range, other :class:`~recorder.errors.RecorderError` when
    it is damaged or leads outside. Tells the seed it reuses (when none was given)."""
    from recorder.reopen import check_for_resume
    from recorder.run_identity import RunInputs, check_same_run, resume_seed
    from recorder.runs import read_run_records

    run = RunInputs(
        options.gym_config, gym_text, options.action_config, action_text, assets, options.seed, options.attempts
    )
    checked = check_for_resume(folder, check=lambda stored: check_same_run(stored, run))
    try:
        seed = resume_seed(checked.spec, options.seed)
        records = checked.plan.records
        first_attempt = 1 + max((int(r["metrics"].get("attempt", -1)) for r in records), default=-1)
        # After the attempts the run log says were decided too: a stopped or killed run may have
        # discarded some after its last episode, and deciding them again would count them twice.
        logged = read_run_records(checked.spec.root)
        first_attempt = max([first_attempt, *(int(r["first_attempt"]) + int(r["attempts"]) for r in logged)])
    except BaseException:
        checked.release()
        raise
    if options.seed is None:
        tell(f"resuming {checked.spec.root} with the seed it was made with: {seed}")
    return Resumed(checked, seed, first_attempt)


def reopen(resumed: Resumed, tell: Note) -> DatasetWriter:
    """Repair what a killed run left in the checked dataset (told with ``tell``) and open it for writing."""
    from recorder import DatasetWriter

    writer = DatasetWriter.open_checked(resumed.checked)
    for repaired in repair_notes(writer):
        tell(repaired)
    return writer


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
