"""A run's attempt counts and notes in its dataset's ``meta/actionbank/runs.jsonl`` (:mod:`recorder.runs`):
written after each batch of episodes the run commits and when it ends, however it ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actionbank.generate.options import GenerateSummary, Note

if TYPE_CHECKING:
    from recorder.writer import DatasetWriter

__all__ = ["RunLog"]


class RunLog:
    """This run's line of the log, from attempt ``first_attempt`` on, kept up to date: a run
    killed with SIGKILL leaves its counts up to its last commit (before, it left no line, and
    ``report`` could not count its attempts)."""

    def __init__(self, first_attempt: int, tell: Note) -> None:
        self.first_attempt = first_attempt
        self.tell = tell
        self._before: list[dict[str, Any]] | None = None  # the earlier runs' lines, read once
        self._failed = False

    def update(self, writer: DatasetWriter | None, summary: GenerateSummary) -> None:
        """Write the log with this run's line as ``summary`` counts now, into the dataset of
        ``writer``, which must be open (it holds the dataset's lock). A run that decided no
        attempt has no line. Writing it cannot fail the run, nor hide why the run stopped: an
        IO error (a full disk) is told with ``tell`` once, and the run goes on."""
        from recorder.runs import read_run_records, run_record, write_runs

        if writer is None or (summary.saved_now == 0 and not summary.discarded):
            return
        record = run_record(
            self.first_attempt,
            summary.saved_now,
            summary.discarded,
            failed_saved=summary.failed_saved,
            frames=summary.frames,
            seed=summary.seed,
            notes=summary.notes,
        )
        try:
            if self._before is None:
                self._before = read_run_records(writer.root)
            write_runs(writer.root, [*self._before, record])
        except OSError as error:  # DatasetPathError (a link there) is a RecorderError, not an OSError: it propagates
            if not self._failed:
                self._failed = True
                self.tell(f"could not record this run's attempt counts in {writer.root}: {error.strerror or error}")
