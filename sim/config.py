"""Loading a gym config for the simulation: schema, files, and what this backend provides.

Everything the simulation cannot honour (an unknown robot type, a missing mesh, an event or
success function it does not have, a camera on a link that does not exist) is a located
diagnostic naming what is available, before anything runs.
"""

from __future__ import annotations

from pathlib import Path

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import CompileError, InputError
from actionbank.spec.gym_config import GymConfig, load_gym_config
from sim.events import EVENTS
from sim.robots import ROBOTS
from sim.tasks import SUCCESS_CHECKS

__all__ = ["load_sim_config"]


def load_sim_config(path: str | Path) -> tuple[GymConfig, list[Diagnostic]]:
    """The validated gym config and its warnings; :class:`CompileError` when it has errors,
    :class:`InputError` when it cannot be read."""
    result = load_gym_config(
        path,
        robot_types=sorted(ROBOTS),
        control_parts_by_robot={name: list(robot.parts) for name, robot in ROBOTS.items()},
        event_functions=sorted(EVENTS),
        success_functions=sorted(SUCCESS_CHECKS),
        link_names=sorted({link for robot in ROBOTS.values() for link in robot.links}),
    )
    if result.document is None:
        raise InputError(result.diagnostics)
    if result.config is None:
        raise CompileError(result.diagnostics)
    return result.config, list(result.diagnostics)
