"""How a run ends early, and what it tells: the errors for a stop (a signal, a full disk) and
for too few valid episodes, each saying what was saved and how to continue it; and how a
discarded attempt is counted in the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionbank.errors import ActionbankError
from actionbank.generate.options import GenerateOptions, GenerateSummary
from actionbank.interrupts import signal_of

if TYPE_CHECKING:
    from actionbank.rollout import Failure
    from recorder.errors import DiskFullError
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter

__all__ = [
    "DISCARD_REASONS",
    "GenerationFailed",
    "GenerationInterrupted",
    "discard_reason",
    "shortfall_error",
    "stopped_error",
    "what_was_kept",
]

#: How a failed rollout is counted in the summary, by the stage that failed.
DISCARD_REASONS = {
    "node": "node failure",
    "ik": "IK failure",
    "task_check": "task check failed",
    "edge": "exception in an edge",
    "exception": "exception in an edge",
}


class GenerationFailed(ActionbankError):
    """The target number of valid episodes was not reached within the attempts."""

    exit_code = 1


class GenerationInterrupted(ActionbankError):
    """A signal stopped the job; exit code 128 + its number (130: SIGINT, 143: SIGTERM), as shells do."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def discard_reason(failure: Failure | None) -> str:
    """How a failed attempt is counted in the summary: by the stage that failed, and for a task
    check by the check's own reason too (``task check failed: left_eef does not hold the cube``)."""
    if failure is None:
        return DISCARD_REASONS["task_check"]
    label = DISCARD_REASONS[failure.stage]
    return f"{label}: {failure.reason}" if failure.stage == "task_check" and failure.reason else label


def what_was_kept(options: GenerateOptions, writer: DatasetWriter | None, spec: DatasetSpec | None) -> str:
    """What a stopped run leaves: how many episodes, where, and how to continue. Read from the
    disk: a stop can land after the dataset was created and before its writer was handed back."""
    from recorder.staging import INFO, committed_episodes

    if not options.save:
        return "nothing was to be saved"
    root = writer.root if writer is not None else spec.root if spec is not None else None
    if root is None or not (root / INFO).is_file():
        return "nothing was saved"
    saved = committed_episodes(root)  # a commit cut short by the disk may count one more
    are = "1 episode is" if saved == 1 else f"{saved} episodes are"
    return f"{are} saved in {root}; the same command with --resume {root} continues it"


def stopped_error(stop: KeyboardInterrupt | DiskFullError, kept: str) -> ActionbankError:
    """The error to raise for a stop, once the workers are stopped and the dataset is closed:
    :class:`GenerationInterrupted` for a signal, :class:`~recorder.errors.DiskFullError` for a full disk."""
    from recorder.errors import DiskFullError

    if isinstance(stop, KeyboardInterrupt):
        signum = signal_of(stop)
        return GenerationInterrupted(f"stopped by {signum.name}: {kept}", 128 + signum)
    return DiskFullError(f"{stop}; {kept}")


def shortfall_error(summary: GenerateSummary, max_attempts: int) -> GenerationFailed:
    """Too few valid episodes after ``max_attempts``: how many, why the others were discarded, where
    the saved ones are."""
    reasons = ", ".join(f"{n} {reason}" for reason, n in summary.discarded.most_common()) or "none"
    kept = f"what was saved is in {summary.root}" if summary.root is not None else "nothing was to be saved"
    earlier = f", {summary.already} of them from earlier runs" if summary.already else ""
    return GenerationFailed(
        f"only {summary.saved} of {summary.target} episodes are valid after {max_attempts} attempts{earlier} "
        f"(discarded: {reasons}); {kept}"
    )
