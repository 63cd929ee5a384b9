"""Task modules: task-specific functions (registered with the compiler) and success checks."""

from __future__ import annotations

from collections.abc import Callable

from sim.tasks.pour_water import pour_water_success
from sim.tasks.transfer_cube import transfer_cube_success

__all__ = ["SUCCESS_CHECKS", "SuccessCheck"]

#: ``check(env, **params) -> (success, metrics, reason)``.
SuccessCheck = Callable[..., tuple[bool, dict[str, float], str]]

SUCCESS_CHECKS: dict[str, SuccessCheck] = {
    "pour_water_success": pour_water_success,
    "transfer_cube_success": transfer_cube_success,
}
