"""The ``actionbank`` command's entry point (and ``python -m actionbank``'s).

The cyclic garbage collector is off while the command's modules load: they are tens of
thousands of objects (pydantic's schemas and validators among them) that are never garbage,
and each collection during the imports would walk all of them again (about 7 ms of a command
that lasts 0.15 s). It is on again before the command runs; the compiler commands then turn
it off themselves (:func:`actionbank.cli._compile_or_exit`).
"""

from __future__ import annotations

import gc

__all__ = ["run"]


def run() -> None:
    """Load the command line with the collector paused, then run it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from actionbank.cli import run as command
    finally:
        if was_enabled:
            gc.enable()
    command()
