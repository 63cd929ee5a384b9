"""The runtime's catalogue: every registry and declaration :mod:`actionbank.runtime` exports.

What the simulation provides, declared where the compiler can read it without MuJoCo.

Robot types (:mod:`actionbank.runtime.robots`), events (:mod:`actionbank.runtime.events`) and
success checks (:mod:`actionbank.runtime.success`) are declarations: names, plain facts and
typed params models. ``lint`` checks a gym config against them; the simulation (``sim``)
implements each declared name and builds its robots from the facts, and a test holds the
two to each other. Each kind is a registry (:mod:`actionbank.runtime.registries`) that plugins
extend with a decorator or an entry point. :data:`RUNTIME` bundles the three registries; a
caller that knows other declarations passes its own :class:`Runtime`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from actionbank.runtime.events import EVENTS
from actionbank.runtime.model_robots import RobotTypes
from actionbank.runtime.observations import OBSERVATIONS, ObservationParams
from actionbank.runtime.params import Declaration, Kind, Params, Reference
from actionbank.runtime.registries import (
    EVENT_REGISTRY,
    OBSERVATION_REGISTRY,
    ROBOT_REGISTRY,
    SUCCESS_CHECK_REGISTRY,
    declare_event,
    declare_observation,
    declare_robot,
    declare_success_check,
    register_event,
    register_observation,
    register_success_check,
)
from actionbank.runtime.registry import Entry, PluginError, Registry, RegistryConflictError
from actionbank.runtime.robots import Gripper, Part, RobotFacts
from actionbank.runtime.success import SUCCESS_CHECKS

__all__ = [
    "EVENTS",
    "EVENT_REGISTRY",
    "OBSERVATIONS",
    "OBSERVATION_REGISTRY",
    "ROBOTS",
    "ROBOT_REGISTRY",
    "RUNTIME",
    "SUCCESS_CHECKS",
    "SUCCESS_CHECK_REGISTRY",
    "Declaration",
    "Entry",
    "Gripper",
    "Kind",
    "ObservationParams",
    "Params",
    "Part",
    "PluginError",
    "Reference",
    "Registry",
    "RegistryConflictError",
    "RobotFacts",
    "Runtime",
    "declare_event",
    "declare_observation",
    "declare_robot",
    "declare_success_check",
    "register_event",
    "register_observation",
    "register_success_check",
]


@dataclass(frozen=True)
class Runtime:
    """The robot types, events, success checks and observation terms a simulation provides, by name."""

    robots: Mapping[str, RobotFacts]
    events: Mapping[str, Declaration]
    success_checks: Mapping[str, Declaration]
    observations: Mapping[str, Declaration] = field(default_factory=lambda: OBSERVATION_REGISTRY)


#: Every robot type: the registered ones (ALOHA, the toy arm, plugins') and the model-file ones
#: (Panda, SO-101), whose facts are read from their files on first use.
ROBOTS: Mapping[str, RobotFacts] = RobotTypes(ROBOT_REGISTRY)

#: Every robot type, event and success check (plugins' entry points load on first read).
RUNTIME = Runtime(
    robots=ROBOTS,
    events=EVENT_REGISTRY,
    success_checks=SUCCESS_CHECK_REGISTRY,
    observations=OBSERVATION_REGISTRY,
)
