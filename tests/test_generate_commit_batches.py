"""How generate's driver groups results into commits (actionbank.generate.job._run_attempts).

The attempt source here has every handed-out attempt finished at once, last first: what a
driver finds when it falls behind its workers. Its results carry no recording (no writer), so
what is checked is which results each commit gets; tests/recorder/test_writer.py checks that
episodes committed together are the same dataset as episodes committed one by one.
"""

from __future__ import annotations

import pytest

from actionbank.attempts import AttemptResult
from actionbank.generate import job
from actionbank.generate.options import GenerateSummary
from recorder import EpisodeInfo


class AllFinished:
    """Attempts that have all finished by the time a result is asked for, handed back last first."""

    def __init__(self, invalid: set[int]) -> None:
        self.invalid = invalid
        self.finished: list[int] = []

    def submit(self, attempt: int) -> None:
        self.finished.append(attempt)

    def next_result(self) -> AttemptResult:
        result = self.ready_result()
        assert result is not None, "the driver waits for a result when none is out"
        return result

    def ready_result(self) -> AttemptResult | None:
        if not self.finished:
            return None
        attempt = self.finished.pop()
        return AttemptResult(attempt, 5, attempt not in self.invalid, (), EpisodeInfo(attempt), None)

    def close(self) -> None:
        pass


def _commits(monkeypatch, invalid: set[int], target: int, attempts: range, ahead: int) -> list[list[tuple[int, bool]]]:
    """Run the driver loop; the (attempt, valid) results of each commit, in order."""
    commits: list[list[tuple[int, bool]]] = []
    account = job._account

    def spy(results, writer, summary, failed):
        commits.append([(result.attempt, result.valid) for result in results])
        account(results, writer, summary, failed)

    monkeypatch.setattr(job, "_account", spy)
    summary = GenerateSummary(None, target=target)
    job._run_attempts(AllFinished(invalid), attempts, ahead, lambda: None, summary, None)  # type: ignore[arg-type]
    assert summary.saved == target
    return commits


def test_results_ready_together_are_committed_together_in_attempt_order(monkeypatch):
    commits = _commits(monkeypatch, invalid={2, 5}, target=10, attempts=range(20), ahead=8)
    attempts = [attempt for commit in commits for attempt, _valid in commit]
    assert attempts == list(range(12))  # in order, none skipped, none past the target's
    # all that was handed out (8 beyond the next to commit), then what the target still needs
    assert commits[0] == [(0, True), (1, True), (2, False), (3, True), (4, True), (5, False), (6, True), (7, True)]
    assert commits[1:] == [[(8, True), (9, True), (10, True), (11, True)]]


def test_a_commit_takes_at_most_commit_batch_valid_results(monkeypatch):
    monkeypatch.setattr(job, "COMMIT_BATCH", 3)
    commits = _commits(monkeypatch, invalid={5}, target=9, attempts=range(4, 30), ahead=20)
    assert [[attempt for attempt, _valid in commit] for commit in commits] == [[4, 5, 6, 7], [8, 9, 10], [11, 12, 13]]


@pytest.mark.parametrize("invalid", [set(), set(range(0, 40, 3))])
def test_commits_end_at_the_target_exactly(monkeypatch, invalid):
    commits = _commits(monkeypatch, invalid=invalid, target=7, attempts=range(40), ahead=16)
    assert sum(valid for commit in commits for _attempt, valid in commit) == 7
    assert commits[-1][-1][1]  # the last result committed is the target's valid one
