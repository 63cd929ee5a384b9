"""The runtime registries, filled with this package's declarations, and their decorators.

:data:`ROBOT_REGISTRY` (entry-point group ``actionbank.robots``), :data:`EVENT_REGISTRY`
(``actionbank.events``), :data:`SUCCESS_CHECK_REGISTRY` (``actionbank.success_checks``) and
:data:`OBSERVATION_REGISTRY` (``actionbank.observations``).
The contract a plugin follows is in :mod:`actionbank.runtime.registry`. Example, one module
that ``lint`` may import (MuJoCo only inside the function)::

    class NudgeParams(Params):
        entity_cfg: EntityCfg
        distance: float = 0.01

    @register_event(params=NudgeParams)
    def nudge(env, rng, params: NudgeParams) -> dict[str, Any]:
        import mujoco  # lazily: lint imports this module
        ...

and in the plugin's ``pyproject.toml``::

    [project.entry-points."actionbank.events"]
    nudge = "my_plugin.events"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from actionbank.runtime.events import EVENTS
from actionbank.runtime.observations import OBSERVATIONS, ObservationParams
from actionbank.runtime.params import Declaration, Params
from actionbank.runtime.registry import Implementation, Registry
from actionbank.runtime.robots import ROBOTS, RobotFacts
from actionbank.runtime.success import SUCCESS_CHECKS

__all__ = [
    "EVENT_REGISTRY",
    "OBSERVATION_REGISTRY",
    "ROBOT_REGISTRY",
    "SUCCESS_CHECK_REGISTRY",
    "declare_event",
    "declare_observation",
    "declare_robot",
    "declare_success_check",
    "register_event",
    "register_observation",
    "register_success_check",
]

F = TypeVar("F", bound=Callable[..., Any])


def _declaration_name(declaration: Declaration) -> str:
    return declaration.name


def _robot_type(facts: RobotFacts) -> str:
    return facts.robot_type


#: Robot types by ``robot.robot_type``; an implementation builds the robot's model from its facts.
ROBOT_REGISTRY: Registry[RobotFacts] = Registry("robot type", "actionbank.robots", RobotFacts, _robot_type)
#: Events by ``env.events.<label>.func``; an implementation is ``fn(env, rng, params) -> dict``.
EVENT_REGISTRY: Registry[Declaration] = Registry("event", "actionbank.events", Declaration, _declaration_name)
#: Success checks by ``env.success.func``; an implementation is
#: ``fn(env, params) -> (success, metrics, reason)``.
SUCCESS_CHECK_REGISTRY: Registry[Declaration] = Registry(
    "success check", "actionbank.success_checks", Declaration, _declaration_name
)
#: Observation terms by ``env.observations.<label>.func``; an implementation is
#: ``fn(env, params) -> values`` (one float per component of ``params.components(name)``).
OBSERVATION_REGISTRY: Registry[Declaration] = Registry(
    "observation term", "actionbank.observations", Declaration, _declaration_name
)

#: Their entry points load together: a plugin module's decorators register where they say,
#: whichever of these groups lists the module.
_TOGETHER = (ROBOT_REGISTRY, EVENT_REGISTRY, SUCCESS_CHECK_REGISTRY, OBSERVATION_REGISTRY)
for _registry in _TOGETHER:
    _registry.together = _TOGETHER

for _facts in ROBOTS.values():
    ROBOT_REGISTRY.register(_facts.robot_type, _facts)
for _event in EVENTS.values():
    EVENT_REGISTRY.register(_event.name, _event)
for _check in SUCCESS_CHECKS.values():
    SUCCESS_CHECK_REGISTRY.register(_check.name, _check)
for _term in OBSERVATIONS.values():
    OBSERVATION_REGISTRY.register(_term.name, _term)


def _origin(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _doc(function: Callable[..., Any]) -> str:
    return (function.__doc__ or "").strip().split("\n")[0]


def _checked(kind: str, name: str, params: Any, base: type[Params] = Params) -> type[Params]:
    """``params`` when it is a params model (a subclass of ``base``); else a :class:`TypeError`
    saying what it must be, raised as the declaring module is imported (a plugin's then fails
    to load with that message, before any config is read)."""
    if not (isinstance(params, type) and issubclass(params, base)):
        raise TypeError(
            f"{kind} {name!r}: params must be a subclass of {base.__module__}.{base.__name__} (frozen, strict, "
            f"with references() and problems()), not {params!r}"
        )
    if issubclass(params, ObservationParams) and params.components is ObservationParams.components:
        raise TypeError(f"{kind} {name!r}: its params model {params.__name__} must define components(name)")
    return params


def declare_event(
    name: str, params: type[Params], doc: str = "", implementation: Implementation | None = None, origin: str = ""
) -> Declaration:
    """Declare an event (``implementation``: the function, or ``"package.module:attribute"``
    that the simulation imports when it runs the event)."""
    declaration = Declaration(name, _checked("event", name, params), doc)
    EVENT_REGISTRY.register(name, declaration, implementation, origin or f"declare_event({name!r})")
    return declaration


def declare_success_check(
    name: str, params: type[Params], doc: str = "", implementation: Implementation | None = None, origin: str = ""
) -> Declaration:
    """Declare a success check (see :func:`declare_event`)."""
    declaration = Declaration(name, _checked("success check", name, params), doc)
    SUCCESS_CHECK_REGISTRY.register(name, declaration, implementation, origin or f"declare_success_check({name!r})")
    return declaration


def declare_observation(
    name: str, params: type[Params], doc: str = "", implementation: Implementation | None = None, origin: str = ""
) -> Declaration:
    """Declare an observation term (see :func:`declare_event`); ``params`` is an
    :class:`~actionbank.runtime.observations.ObservationParams` model."""
    declaration = Declaration(name, _checked("observation term", name, params, ObservationParams), doc)
    OBSERVATION_REGISTRY.register(name, declaration, implementation, origin or f"declare_observation({name!r})")
    return declaration


def declare_robot(facts: RobotFacts, implementation: Implementation | None = None, origin: str = "") -> RobotFacts:
    """Declare a robot type; ``implementation`` is ``fn(facts) -> sim.robots.RobotModel`` (or its
    ``"package.module:attribute"``)."""
    ROBOT_REGISTRY.register(facts.robot_type, facts, implementation, origin or f"declare_robot({facts.robot_type!r})")
    return facts


def register_event(*, params: type[Params], name: str | None = None, doc: str | None = None) -> Callable[[F], F]:
    """Decorator: declare the decorated ``fn(env, rng, params) -> dict`` as an event."""

    def decorate(function: F) -> F:
        declare_event(
            name or function.__name__, params, _doc(function) if doc is None else doc, function, _origin(function)
        )
        return function

    return decorate


def register_success_check(
    *, params: type[Params], name: str | None = None, doc: str | None = None
) -> Callable[[F], F]:
    """Decorator: declare the decorated ``fn(env, params) -> (success, metrics, reason)`` as a success check."""

    def decorate(function: F) -> F:
        declare_success_check(
            name or function.__name__, params, _doc(function) if doc is None else doc, function, _origin(function)
        )
        return function

    return decorate


def register_observation(*, params: type[Params], name: str | None = None, doc: str | None = None) -> Callable[[F], F]:
    """Decorator: declare the decorated ``fn(env, params) -> values`` as an observation term
    (``params``: an :class:`~actionbank.runtime.observations.ObservationParams` model)."""

    def decorate(function: F) -> F:
        declare_observation(
            name or function.__name__, params, _doc(function) if doc is None else doc, function, _origin(function)
        )
        return function

    return decorate
