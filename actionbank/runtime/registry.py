"""Registries of what the simulation provides: robot types, events and success checks.

One contract for each (as for functions, :mod:`actionbank.functions.registry`): a
:class:`Registry` maps a name to a *declaration* (what ``lint`` reads: a
:class:`~actionbank.runtime.robots.RobotFacts` or a
:class:`~actionbank.runtime.params.Declaration` with its typed params model) and, optionally,
an *implementation* (what the simulation runs). It is filled by code only: this package's
declarations, the decorators (:func:`register_event`, :func:`register_success_check`), the
``declare_*`` functions, and the installed entry points of its group
(``actionbank.robots``, ``actionbank.events``, ``actionbank.success_checks``), loaded once, on
first use, sorted by name.

A plugin's contract, so that ``lint`` never imports MuJoCo:

- The module an entry point names is imported by ``lint``. It must not import MuJoCo or
  ``sim`` at module level. Either it holds the implementation too and imports MuJoCo lazily,
  inside the function (``@register_event(params=MyParams)`` on the function); or it only
  declares, naming the implementation as ``"package.module:attribute"``
  (``declare_event("my_event", MyParams, implementation="my_pkg.sim_impl:my_event")``), which
  the simulation imports when it runs the function.
- An entry point may also name a declaration (or a list of them) instead of a module.
- Registering a name twice is an error unless it is the same declaration (an implementation
  may be added to a declaration that has none).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from actionbank.diagnostics.hints import did_you_mean
from actionbank.entry_points import entry_points_of, load_plugin
from actionbank.errors import ActionbankError

__all__ = ["Entry", "PluginError", "Registry", "RegistryConflictError", "resolve_implementation"]

D = TypeVar("D")
#: An implementation: the object itself, or ``"package.module:attribute"`` imported on demand.
Implementation = Callable[..., Any] | str


class RegistryConflictError(ActionbankError):
    """Two different declarations (or implementations) were registered under one name."""

    exit_code = 2


class PluginError(ActionbankError):
    """A name without an implementation, or an implementation that failed to import (an installed
    plugin that fails to load is a :class:`~actionbank.entry_points.PluginLoadError`)."""

    exit_code = 2


@dataclass(frozen=True)
class Entry[T]:
    """A registered name: its declaration, its implementation (``None``: not bound yet) and
    where it came from (``builtin``, a module, or ``entry point <group>:<name>``)."""

    name: str
    declaration: T
    implementation: Implementation | None = None
    origin: str = "builtin"


class Registry(Mapping[str, D]):
    """Declarations by name (a read-only mapping), filled by code; entry points load on first read.

    ``kind`` names what it holds in messages (``"event"``); ``group`` is its entry-point group;
    an entry point may name a ``declaration_type`` (or a list of them), named by ``name_of``.
    """

    def __init__(self, kind: str, group: str, declaration_type: type[D], name_of: Callable[[D], str]) -> None:
        self.kind = kind
        self.group = group
        self._type = declaration_type
        self._name_of = name_of
        self._entries: dict[str, Entry[D]] = {}
        self._loaded = False
        #: Registries whose entry points load together with this one's (:meth:`load_entry_points`).
        self.together: tuple[Registry[Any], ...] = ()

    # -- filling ---------------------------------------------------------------------------

    def register(
        self, name: str, declaration: D, implementation: Implementation | None = None, origin: str = "builtin"
    ) -> Entry[D]:
        """Add ``name``; raises :class:`RegistryConflictError` when it is taken by something else."""
        existing = self._entries.get(name)
        entry = Entry(name, declaration, implementation, origin)
        if existing is not None:
            same_implementation = (
                existing.implementation is None or implementation is None or existing.implementation == implementation
            )
            if existing.declaration != declaration or not same_implementation:
                raise RegistryConflictError(
                    f"{self.kind} {name!r} from {origin} conflicts with the one from {existing.origin}"
                )
            entry = replace(existing, implementation=existing.implementation or implementation)
        self._entries[name] = entry
        return entry

    def bind(self, name: str, implementation: Implementation, origin: str) -> Entry[D]:
        """Give the already registered ``name`` its implementation (how the simulation binds the
        declarations of this package); does not load entry points."""
        existing = self._entries.get(name)
        if existing is None:
            raise RegistryConflictError(f"{origin} implements {self.kind} {name!r}, which is not declared")
        return self.register(name, existing.declaration, implementation, existing.origin)

    def bind_all(self, implementations: Mapping[str, Callable[..., Any]]) -> None:
        """:meth:`bind` each function of ``implementations`` to its declared name (its origin is
        the function's module and name)."""
        for name, function in implementations.items():
            self.bind(name, function, f"{function.__module__}.{function.__qualname__}")

    def load_entry_points(self) -> None:
        """Import this registry's entry points, and those of the registries it loads
        ``together`` with, once each, sorted by name. A module registers its declarations as it
        is imported, into whichever registry its decorators name: loaded together, a module
        listed under another registry's group still registers in time. An entry point may also
        name declarations, which go into its own group's registry."""
        for registry in self.together or (self,):
            registry._load_own_entry_points()

    def _load_own_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for entry_point in entry_points_of(self.group):
            loaded = load_plugin(entry_point, self.group, self.kind)
            items = loaded if isinstance(loaded, list | tuple) else [loaded]
            for item in items:
                if isinstance(item, self._type):
                    self.register(self._name_of(item), item, origin=f"entry point {self.group}:{entry_point.name}")

    # -- reading ---------------------------------------------------------------------------

    def entry(self, name: str) -> Entry[D] | None:
        self.load_entry_points()
        return self._entries.get(name)

    def entries(self) -> list[Entry[D]]:
        """Every entry, sorted by name."""
        self.load_entry_points()
        return [self._entries[name] for name in sorted(self._entries)]

    def __getitem__(self, name: str) -> D:
        self.load_entry_points()
        return self._entries[name].declaration

    def __iter__(self) -> Iterator[str]:
        self.load_entry_points()
        return iter(sorted(self._entries))

    def __len__(self) -> int:
        self.load_entry_points()
        return len(self._entries)

    def suggestion(self, name: str) -> str | None:
        """The registered name closest to ``name`` (did-you-mean), if any is close."""
        return did_you_mean(name, list(self))

    def unknown_message(self, name: str) -> str:
        """``unknown event 'x'; did you mean 'y'? known: …``."""
        close = self.suggestion(name)
        hint = f"; did you mean {close!r}?" if close else ""
        return f"unknown {self.kind} {name!r}{hint} (known: {', '.join(self) or 'none'})"

    def implementation(self, name: str) -> Callable[..., Any]:
        """The implementation bound to ``name`` (imported if given as a string); raises
        :class:`PluginError` when ``name`` is unknown or has none."""
        entry = self.entry(name)
        if entry is None:
            raise PluginError(self.unknown_message(name))
        if entry.implementation is None:
            raise PluginError(f"{self.kind} {name!r} (from {entry.origin}) is declared but has no implementation")
        return resolve_implementation(entry.implementation, f"{self.kind} {name!r}")


def resolve_implementation(implementation: Implementation, what: str) -> Callable[..., Any]:
    """The object ``implementation`` names (``"package.module:attribute"``), or itself."""
    if not isinstance(implementation, str):
        return implementation
    module_name, _, attribute = implementation.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split(".") if attribute else ():
            target = getattr(target, part)
    except Exception as exc:  # the plugin's environment, not our bug
        raise PluginError(
            f"the implementation of {what} ({implementation}) failed to import: {type(exc).__name__}: {exc}"
        ) from exc
    if not callable(target):
        raise PluginError(f"the implementation of {what} ({implementation}) is not callable")
    return target  # type: ignore[no-any-return]
