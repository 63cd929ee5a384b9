"""``generate --attempts START:STOP``: run only the attempt indices ``START`` to ``STOP - 1``.

Attempt ``a`` is seeded from the run's seed and ``a`` alone
(:func:`actionbank.attempts.episode_seed`), so N jobs given disjoint ranges (a SLURM array,
separate machines) make the same episodes one run over the union would; ``actionbank
merge`` puts them together in attempt order.

How a range bounds a run:

* it is the attempt bound: ``--max-attempts`` is refused with it;
* without ``--max-episodes`` every attempt of the range runs and each valid one is saved;
  with it, the run stops at that many valid episodes or at ``STOP``, whichever comes first;
  reaching ``STOP`` is not a failure (exit 0; the summary says how many were saved);
* it is part of the dataset's identity (``dataset.json``'s ``attempts``,
  :mod:`recorder.run_identity`): ``--resume`` needs the same ``--attempts`` as the run that
  made the dataset, and continues from the attempt after the last one saved, within the range.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "AttemptRange",
    "attempt_indices",
    "check_attempt_range",
    "first_index",
    "parse_attempt_range",
    "range_target",
]


class AttemptRange(NamedTuple):
    """Attempt indices ``start`` to ``stop - 1`` (``stop`` excluded, as Python's ``range``)."""

    start: int
    stop: int

    def __str__(self) -> str:
        return f"{self.start}:{self.stop}"


def check_attempt_range(start: int, stop: int) -> AttemptRange:
    """The range ``start:stop``; :class:`ValueError` saying why when it holds no attempt index."""
    if start < 0 or stop < 0:
        raise ValueError(f"{start}:{stop}: attempt indices start at 0")
    if stop <= start:
        raise ValueError(f"{start}:{stop}: STOP must be greater than START (STOP is excluded)")
    return AttemptRange(start, stop)


def parse_attempt_range(text: str) -> AttemptRange:
    """``"START:STOP"`` (two integers, ``0 <= START < STOP``) as a range; :class:`ValueError` saying
    what is wrong otherwise."""
    start_text, colon, stop_text = text.partition(":")
    if not colon:
        raise ValueError(f"{text!r} is not START:STOP (two integers, e.g. 0:1000)")
    try:
        start, stop = int(start_text.strip()), int(stop_text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not START:STOP (two integers, e.g. 0:1000)") from None
    return check_attempt_range(start, stop)


def range_target(attempts: AttemptRange, max_episodes: int | None) -> int:
    """Valid episodes a run over ``attempts`` aims at: ``max_episodes``, else one per attempt."""
    return max_episodes if max_episodes is not None else attempts.stop - attempts.start


def first_index(attempts: AttemptRange | None, first_attempt: int) -> int:
    """The first attempt index a run hands out: ``first_attempt`` (the one after the last saved,
    when resuming), not before the start of ``attempts``."""
    return first_attempt if attempts is None else max(first_attempt, attempts.start)


def attempt_indices(attempts: AttemptRange | None, first_attempt: int, max_attempts: int) -> range:
    """The attempt indices a run hands out: from :func:`first_index` within ``attempts``; without a
    range, ``max_attempts`` of them."""
    first = first_index(attempts, first_attempt)
    return range(first, first + max_attempts if attempts is None else attempts.stop)
