"""A stop signal is known by its number, even when a library turns it into a plain KeyboardInterrupt."""

from __future__ import annotations

import os
import signal

import pytest

from actionbank.interrupts import Interrupted, interrupt_on_signals, signal_of


def _like_ray() -> None:
    """What Ray does when the signal lands while it waits: it raises a KeyboardInterrupt of its own."""
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        signal.sigtimedwait([], 0.1)  # let the handler run
    except Interrupted:
        raise KeyboardInterrupt from None


def test_sigterm_turned_into_a_plain_keyboard_interrupt_is_still_sigterm() -> None:
    with pytest.raises(KeyboardInterrupt) as caught, interrupt_on_signals():
        _like_ray()
    assert not isinstance(caught.value, Interrupted)
    assert signal_of(caught.value) == signal.SIGTERM


def test_a_keyboard_interrupt_without_a_signal_is_sigint() -> None:
    with pytest.raises(KeyboardInterrupt) as caught, interrupt_on_signals():
        raise KeyboardInterrupt
    assert signal_of(caught.value) == signal.SIGINT
    with pytest.raises(Interrupted) as sent, interrupt_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        signal.sigtimedwait([], 0.1)
    assert signal_of(sent.value) == signal.SIGTERM
