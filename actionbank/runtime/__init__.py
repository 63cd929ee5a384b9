"""What the simulation provides, declared where the compiler can read it without MuJoCo.

Everything named here lives in :mod:`actionbank.runtime.catalog` and is imported on first use
(PEP 562): a module of this package imported on its own, such as the pour-water task's
function declarations that the ``actionbank.functions`` entry point names, does not load the
registries and their params models, which ``compile`` does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actionbank.runtime.catalog import (
        EVENT_REGISTRY,
        EVENTS,
        OBSERVATION_REGISTRY,
        OBSERVATIONS,
        ROBOT_REGISTRY,
        ROBOTS,
        RUNTIME,
        SUCCESS_CHECK_REGISTRY,
        SUCCESS_CHECKS,
        Declaration,
        Entry,
        Gripper,
        Kind,
        ObservationParams,
        Params,
        Part,
        PluginError,
        Reference,
        Registry,
        RegistryConflictError,
        RobotFacts,
        Runtime,
        declare_event,
        declare_observation,
        declare_robot,
        declare_success_check,
        register_event,
        register_observation,
        register_success_check,
    )

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


def __getattr__(name: str) -> Any:
    if name in __all__:
        from actionbank.runtime import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
