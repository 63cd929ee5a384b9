"""Stopping a long job on SIGINT (Ctrl-C) or SIGTERM, the same way for both.

Inside :func:`interrupt_on_signals`, the first of these signals raises :class:`Interrupted`
(a :class:`KeyboardInterrupt`, so ``except Exception`` in a library lets it through) in the
main thread; the job's ``finally`` blocks stop its workers and close its files. Further
signals are ignored until the block ends, so that clean-up runs to its end. The command
line exits with ``128 + signal number`` (130 for SIGINT, 143 for SIGTERM), as shells do.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOP_SIGNALS", "Interrupted", "interrupt_on_signals", "signal_of"]

#: The signals that stop a job cleanly.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The job was asked to stop by signal ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


#: The stop signal received within the current :func:`interrupt_on_signals` block, if any: a
#: library may catch :class:`Interrupted` and raise a plain KeyboardInterrupt of its own
#: (Ray does, when the signal lands while it waits), which still says SIGINT.
_received: list[int] = []


def signal_of(interrupt: KeyboardInterrupt) -> signal.Signals:
    """The signal behind ``interrupt``: its own, else the one the block received, else SIGINT
    (Python's own :class:`KeyboardInterrupt`)."""
    if isinstance(interrupt, Interrupted):
        return signal.Signals(interrupt.signum)
    return signal.Signals(_received[0] if _received else signal.SIGINT)


@contextlib.contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` once (see the module).

    Does nothing outside the main thread, where Python cannot set signal handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()

    def stop(signum: int, _frame: FrameType | None) -> None:
        if not _received:
            _received.append(signum)
            raise Interrupted(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
