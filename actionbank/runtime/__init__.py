"""What the simulation provides, declared where the compiler can read it without MuJoCo.

Robot types (:mod:`actionbank.runtime.robots`), events (:mod:`actionbank.runtime.events`) and
success checks (:mod:`actionbank.runtime.success`) are declarations: names, plain facts and
typed params models. ``lint`` checks a gym config against them; the simulation (``sim``)
implements each declared name and builds its robots from the facts, and a test holds the
two to each other. :data:`RUNTIME` bundles this package's declarations; a caller that knows
other ones passes its own :class:`Runtime`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from actionbank.runtime.events import EVENTS
from actionbank.runtime.model_robots import RobotTypes
from actionbank.runtime.params import Declaration, Kind, Params, Reference
from actionbank.runtime.robots import ROBOTS as FIXED_ROBOTS
from actionbank.runtime.robots import Gripper, Part, RobotFacts
from actionbank.runtime.success import SUCCESS_CHECKS

__all__ = [
    "EVENTS",
    "ROBOTS",
    "RUNTIME",
    "SUCCESS_CHECKS",
    "Declaration",
    "Gripper",
    "Kind",
    "Params",
    "Part",
    "Reference",
    "RobotFacts",
    "Runtime",
]


@dataclass(frozen=True)
class Runtime:
    """The robot types, events and success checks a simulation provides, by name."""

    robots: Mapping[str, RobotFacts]
    events: Mapping[str, Declaration]
    success_checks: Mapping[str, Declaration]


#: Every robot type: the fixed ones (ALOHA, the toy arm) and the model-file ones (Panda, SO-101).
ROBOTS: Mapping[str, RobotFacts] = RobotTypes(FIXED_ROBOTS)

#: This package's declarations: what ``sim`` implements.
RUNTIME = Runtime(robots=ROBOTS, events=EVENTS, success_checks=SUCCESS_CHECKS)
