"""The function registry: built-ins, ``@register_function`` plugins and entry points.

A config names functions; the compiler looks them up here. Nothing a config says is ever
imported or evaluated: only code (built-ins, decorators, installed entry points in the
``actionbank.functions`` group) fills the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from actionbank.entry_points import entry_points_of, load_plugin
from actionbank.errors import ActionbankError
from actionbank.functions.builtins import BUILTINS
from actionbank.functions.spec import Call, FunctionKind, FunctionSpec, Parameter

__all__ = [
    "ENTRY_POINT_GROUP",
    "FunctionConflictError",
    "FunctionRegistry",
    "default_registry",
    "register_function",
]

ENTRY_POINT_GROUP = "actionbank.functions"
F = TypeVar("F", bound=Callable[..., Any])


class FunctionConflictError(ActionbankError):
    """Two different functions were registered under one name."""

    exit_code = 2


class FunctionRegistry:
    """Functions by name. Registering a name twice is an error unless it binds an implementation."""

    def __init__(self, specs: Iterable[FunctionSpec] = ()) -> None:
        self._specs: dict[str, FunctionSpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: FunctionSpec) -> FunctionSpec:
        existing = self._specs.get(spec.name)
        if existing is not None and existing != spec:
            raise FunctionConflictError(
                f"function {spec.name!r} from {spec.origin} conflicts with the one from {existing.origin}"
            )
        self._specs[spec.name] = spec
        return spec

    def get(self, name: str) -> FunctionSpec | None:
        return self._specs.get(name)

    def names(self, kind: FunctionKind | None = None) -> list[str]:
        return sorted(n for n, s in self._specs.items() if kind is None or kind in s.kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __len__(self) -> int:
        return len(self._specs)

    def copy(self) -> FunctionRegistry:
        return FunctionRegistry(self._specs.values())


_GLOBAL = FunctionRegistry(BUILTINS)
_entry_points_loaded = False


def register_function(
    *kinds: FunctionKind,
    name: str | None = None,
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    calls: tuple[Call, ...] = (),
    steps: str | None = None,
    parameters: tuple[Parameter, ...] | None = None,
    summary: str | None = None,
    always_still: bool = False,
    validates_ik: bool = False,
    reads_scope_values: bool = False,
) -> Callable[[F], F]:
    """Decorator that registers a user function, e.g. ``@register_function("edge")``.

    ``reads``/``writes`` are kwargs path patterns naming the affordance keys it reads and
    writes (a node always writes its label); ``parameters`` lists its kwargs (``None``: not
    checked); ``always_still`` marks an edge whose fill is always 'still', ``validates_ik``
    a validator whose rejection is an IK failure and ``reads_scope_values`` an edge whose reads
    are values of its scope (see :class:`FunctionSpec`).
    """
    if not kinds:
        raise TypeError("register_function needs at least one kind: 'node', 'edge', 'validator', 'process'")

    def decorate(function: F) -> F:
        _GLOBAL.register(
            FunctionSpec(
                name=name or function.__name__,
                kinds=tuple(kinds),
                summary=summary if summary is not None else (function.__doc__ or "").strip().split("\n")[0],
                reads=reads,
                writes=writes,
                calls=calls,
                steps=steps,
                parameters=parameters,
                always_still=always_still,
                validates_ik=validates_ik,
                reads_scope_values=reads_scope_values,
                implementation=function,
                origin=f"{function.__module__}.{function.__qualname__}",
            )
        )
        return function

    return decorate


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for entry_point in entry_points_of(ENTRY_POINT_GROUP):
        loaded = load_plugin(entry_point, ENTRY_POINT_GROUP, "function")
        # A module registers its functions with @register_function as it is imported;
        # an entry point may also name a FunctionSpec or a sequence of them.
        specs = loaded if isinstance(loaded, list | tuple) else [loaded]
        for spec in specs:
            if isinstance(spec, FunctionSpec):
                _GLOBAL.register(spec)


def default_registry() -> FunctionRegistry:
    """Built-ins, every ``@register_function`` so far, and the installed entry points."""
    _load_entry_points()
    return _GLOBAL
