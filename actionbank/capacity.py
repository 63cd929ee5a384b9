"""How many worker processes ``generate --num-envs N`` starts: no more than are useful, no more
than the machine's memory holds.

A worker beyond the attempts that can still run (``--max-attempts``) or the episodes still to
save (the target, less what a resumed dataset holds) would only start MuJoCo and wait: it is
not started, and the caller gets a note. Workers that would not fit in the available memory
are refused before any starts (:class:`TooManyWorkers`, exit code 2), rather than leaving
the kernel's out-of-memory killer to stop the run part way.
"""

from __future__ import annotations

import os
from pathlib import Path

from actionbank.errors import ActionbankError

__all__ = ["MAX_WORKERS", "WORKER_MEMORY", "TooManyWorkers", "available_memory", "check_memory", "useful_workers"]

#: The most worker processes one run may ask for (``--num-envs``).
MAX_WORKERS = 256
#: Memory one worker needs [bytes]: measured, a worker recording an example (MuJoCo, two
#: 320x240 cameras rendered with llvmpipe, two encoder threads) peaks at about 300 MiB
#: resident (230 MiB proportional); a quarter more for bigger cameras and frames waiting
#: for their encoder.
WORKER_MEMORY = 400 * 2**20


class TooManyWorkers(ActionbankError):
    """More workers were asked for than the machine's available memory holds (exit code 2)."""

    exit_code = 2


def useful_workers(
    requested: int, episodes_left: int, attempts_left: int, asked_by: str = "--num-envs"
) -> tuple[int, str | None]:
    """The workers worth starting (at least 1) when ``episodes_left`` more episodes are to be
    saved within ``attempts_left`` attempts, and a remark when that is fewer than ``requested``
    (``asked_by``: what asked for them, e.g. the gym config's ``num_envs``)."""
    useful = max(1, min(requested, episodes_left, attempts_left))
    if useful == requested or episodes_left <= 0 or attempts_left <= 0:  # nothing left: nothing to say
        return useful, None
    if episodes_left <= attempts_left:
        left = "1 episode is" if episodes_left == 1 else f"{max(episodes_left, 0)} episodes are"
    else:
        left = "1 attempt is" if attempts_left == 1 else f"{attempts_left} attempts are"
    runs = "1 attempt runs" if useful == 1 else f"{useful} attempts run"
    return useful, f"{asked_by} {requested}: only {left} left, so {runs} at a time"


def available_memory() -> int | None:
    """Memory [bytes] the system can give to new processes without swapping: ``MemAvailable``
    of ``/proc/meminfo`` (free memory plus the cache it can drop), else the free pages
    ``os.sysconf`` reports; None when neither is known."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            name, _, value = line.partition(":")
            if name == "MemAvailable":
                return int(value.split()[0]) * 1024  # the file counts kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def check_memory(workers: int, available: int | None = None, asked_by: str = "--num-envs") -> None:
    """Raise :class:`TooManyWorkers` when ``workers`` processes of :data:`WORKER_MEMORY` each do not
    fit in ``available`` bytes (default: :func:`available_memory`; unknown: no check);
    ``asked_by``: what asked for them."""
    if available is None:
        available = available_memory()
    if available is None or workers <= 1 or workers * WORKER_MEMORY <= available:
        return
    gib = 2**30
    fit = max(1, available // WORKER_MEMORY)
    raise TooManyWorkers(
        f"{asked_by} {workers}: {workers} worker processes need about {workers * WORKER_MEMORY / gib:.1f} GiB of "
        f"memory ({WORKER_MEMORY // 2**20} MiB each) but {available / gib:.1f} GiB is available; "
        f"use --num-envs {fit} or fewer"
    )
