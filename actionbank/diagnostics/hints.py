"""Hints that name the valid choices, with a did-you-mean."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["choices_hint", "did_you_mean"]

_MAX_LISTED = 12


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, or ``None`` when nothing is close."""
    pool = sorted(set(choices))
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def choices_hint(word: str, choices: Iterable[str], what: str) -> str:
    """``did you mean 'x'?`` followed by (some of) the valid choices."""
    pool = sorted(set(choices))
    parts: list[str] = []
    guess = did_you_mean(word, pool)
    if guess is not None:
        parts.append(f"did you mean {guess!r}?")
    if not pool:
        parts.append(f"there are no {what}")
    else:
        listed = ", ".join(repr(c) for c in pool[:_MAX_LISTED])
        more = f", … ({len(pool) - _MAX_LISTED} more)" if len(pool) > _MAX_LISTED else ""
        parts.append(f"{what}: {listed}{more}")
    return "; ".join(parts)
