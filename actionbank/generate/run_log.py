"""A run's attempt counts appended to its dataset's ``meta/actionbank/runs.jsonl``
(:mod:`recorder.runs`) when the run ends, however it ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionbank.generate.options import GenerateSummary, Note

if TYPE_CHECKING:
    from recorder.writer import DatasetWriter

__all__ = ["log_run"]


def log_run(writer: DatasetWriter, summary: GenerateSummary, first_attempt: int, tell: Note) -> None:
    """Append the line of this run (``summary``'s counts, from attempt ``first_attempt`` on) to the
    dataset of ``writer``, which must still be open (it holds the dataset's lock). A run that
    decided no attempt adds no line. Writing it cannot fail the run, nor hide why the run
    stopped: an IO error (a full disk) is told with ``tell`` and the run goes on ending."""
    from recorder.runs import append_run, run_record

    if summary.saved_now == 0 and not summary.discarded:
        return
    record = run_record(
        first_attempt,
        summary.saved_now,
        summary.discarded,
        failed_saved=summary.failed_saved,
        frames=summary.frames,
        seed=summary.seed,
    )
    try:
        append_run(writer.root, record)
    except OSError as error:  # DatasetPathError (a link there) is a RecorderError, not an OSError: it propagates
        tell(f"could not record this run's attempt counts in {writer.root}: {error.strerror or error}")
