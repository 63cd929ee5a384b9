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

from actionbank.errors import ActionbankError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint, EntryPoints

__all__ = ["PluginLoadError", "entry_points_of", "load_plugin", "plugins_that_loaded_the_simulation"]

#: Modules a plugin must not import when it is loaded (``lint`` loads plugins, and imports no
#: simulation: the contract of :mod:`actionbank.runtime.registry`).
_SIMULATION = ("mujoco", "sim")
#: The plugins that imported one of them as they loaded: ``"<name> (<value>, entry point group <group>)"``.
_LOADED_THE_SIMULATION: list[str] = []


def entry_points_of(group: str) -> list[EntryPoint]:
    """The installed entry points of ``group``, sorted by name."""
    return sorted(_installed(tuple(sys.path)).select(group=group), key=lambda e: e.name)


@lru_cache(maxsize=4)
def _installed(path: tuple[str, ...]) -> EntryPoints:
    """Every entry point installed on ``path`` (the key: a changed ``sys.path`` scans again)."""
    from importlib.metadata import entry_points  # only when a registry is first read

    return entry_points()


class PluginLoadError(ActionbankError):
    """An installed plugin (an entry point) failed to load: the user's environment, not a config
    (exit code 2)."""

    exit_code = 2


def load_plugin(entry_point: EntryPoint, group: str, kind: str) -> object:
    """``entry_point.load()`` for the registry of ``kind`` (``"event"``), noting the plugin when
    loading it imported MuJoCo or ``sim``; a :class:`PluginLoadError` naming it when it fails."""
    before = [name in sys.modules for name in _SIMULATION]
    try:
        loaded = entry_point.load()
    except Exception as exc:  # a broken plugin is the user's environment, not our bug
        raise PluginLoadError(
            f"the {kind} plugin {entry_point.name!r} ({entry_point.value}, entry point group {group}) failed to "
            f"load: {type(exc).__name__}: {exc}"
        ) from exc
    if any(not was and name in sys.modules for was, name in zip(before, _SIMULATION, strict=True)):
        _LOADED_THE_SIMULATION.append(f"{entry_point.name!r} ({entry_point.value}, entry point group {group})")
    return loaded


def plugins_that_loaded_the_simulation() -> list[str]:
    """The plugins whose loading imported MuJoCo or ``sim`` (``lint`` warns of them)."""
    return list(_LOADED_THE_SIMULATION)
