"""The installed entry points, read once for every registry.

:func:`importlib.metadata.entry_points` reads the metadata of every installed distribution on
each call, whatever group it is asked for (tens of milliseconds each where LeRobot and torch
are installed), and the registries (functions, robot types, events, success checks) each ask
for their own group: one scan, kept for as long as the import path stays the same, serves
them all.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint, EntryPoints

__all__ = ["entry_points_of"]


def entry_points_of(group: str) -> list[EntryPoint]:
    """The installed entry points of ``group``, sorted by name."""
    return sorted(_installed(tuple(sys.path)).select(group=group), key=lambda e: e.name)


@lru_cache(maxsize=4)
def _installed(path: tuple[str, ...]) -> EntryPoints:
    """Every entry point installed on ``path`` (the key: a changed ``sys.path`` scans again)."""
    from importlib.metadata import entry_points  # only when a registry is first read

    return entry_points()
