"""Task modules: task-specific functions (registered with the compiler) and success checks.

Each success check is declared, with its params model, in :mod:`actionbank.runtime.success`
and takes those validated params here; a test holds :data:`SUCCESS_CHECKS` and the
declarations to each other. The declarative predicates (``object_lifted`` …) live in
:mod:`sim.tasks.predicates`; :mod:`sim.success` evaluates a check and its combinations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from actionbank.runtime import SUCCESS_CHECK_REGISTRY
from sim.tasks.pour_water import IMPLEMENTATIONS as POUR_WATER_FUNCTIONS
from sim.tasks.pour_water import pour_water_success
from sim.tasks.predicates import (
    distance_below,
    object_grasped_by,
    object_in_region,
    object_lifted,
    object_on_object,
    object_touches,
    upright,
)
from sim.tasks.transfer_cube import transfer_cube_success

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["SUCCESS_CHECKS", "TASK_FUNCTIONS", "SuccessCheck", "success_check"]

#: ``check(env, params) -> (success, metrics, reason)``, ``params`` the check's declared params model.
SuccessCheck = Callable[["ActionbankEnv", Any], tuple[bool, dict[str, float], str]]

#: The implementation of each task function declared in :mod:`actionbank.runtime.tasks`, by name.
TASK_FUNCTIONS: dict[str, Callable[..., Any]] = {**POUR_WATER_FUNCTIONS}

#: The implementation of each declared success check, by its declared name.
SUCCESS_CHECKS: dict[str, SuccessCheck] = {
    "pour_water_success": pour_water_success,
    "transfer_cube_success": transfer_cube_success,
    "object_in_region": object_in_region,
    "object_on_object": object_on_object,
    "object_lifted": object_lifted,
    "object_grasped_by": object_grasped_by,
    "object_touches": object_touches,
    "upright": upright,
    "distance_below": distance_below,
}

SUCCESS_CHECK_REGISTRY.bind_all(SUCCESS_CHECKS)


def success_check(name: str) -> SuccessCheck:
    """The implementation of the registered success check ``name`` (this package's, or a plugin's)."""
    check: SuccessCheck = SUCCESS_CHECK_REGISTRY.implementation(name)
    return check
