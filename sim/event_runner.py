"""When the gym config's events run, and from which generator each draws.

EmbodiChain's event modes: ``startup`` events (and ``prestartup`` ones: the scene is compiled
before any event runs, and every event changes the compiled model) run once per scene build (at the first reset,
drawing from that episode's seed; what they sample is reported with every episode, under their
label), ``reset`` events at every reset, ``interval`` events every ``interval_step`` control
steps (at steps N, 2N, …; reported as ``{step: sample}``).

Each event draws from its own generator, seeded from the episode seed and the event's label,
so adding, removing or reordering one event never changes what another draws (a camera event
cannot move an object). The model fields the events may change are restored to their values
after the startup events before each reset's events: an episode depends on its seed only,
never on the episodes before it.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime import RUNTIME, Params
from actionbank.spec.gym_models import Event, GymConfig
from sim.events import EventFunction, event_function
from sim.user_code import called, checked_event_values

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["MODEL_FIELDS", "EventRunner", "event_rng"]

#: The model arrays the events change (restored before each reset's events).
MODEL_FIELDS = (
    "geom_rgba",
    "geom_matid",
    "geom_size",
    "geom_pos",
    "geom_rbound",
    "geom_aabb",
    "geom_friction",
    "geom_contype",
    "geom_conaffinity",
    "body_gravcomp",
    "body_mass",
    "body_inertia",
    "body_ipos",
    "mat_rgba",
    "mat_reflectance",
    "mat_shininess",
    "light_pos",
    "light_dir",
    "light_diffuse",
    "cam_pos",
    "cam_quat",
    "cam_intrinsic",
    "cam_sensorsize",
)


def event_rng(seed: int | None, label: str) -> np.random.Generator:
    """The generator of event ``label`` in the episode of ``seed`` (``None``: fresh entropy)."""
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed, zlib.crc32(label.encode("utf-8"))])


class EventRunner:
    """Runs the events of ``config`` (checked) on an environment, mode by mode."""

    def __init__(self, config: GymConfig) -> None:
        #: Each event with its implementation and validated params, in declared order.
        self.events: list[tuple[str, Event, EventFunction, Params]] = [
            (label, event, event_function(event.func), RUNTIME.events[event.func].parse(event.params))
            for label, event in config.env.events.items()
        ]
        self._defaults: dict[str, NDArray[Any]] | None = None
        self._startup: dict[str, Any] = {}
        self._interval_rngs: dict[str, np.random.Generator] = {}

    def reset(self, env: ActionbankEnv, seed: int | None) -> dict[str, Any]:
        """Run the startup events (first call only), restore the model, run the reset events;
        returns what each event sampled, by label (startup ones included)."""
        if self._defaults is None:
            for label, event, function, params in self.events:
                if event.mode in ("prestartup", "startup"):  # AB755: prestartup runs as startup
                    self._startup[label] = _run(label, event, function, env, event_rng(seed, label), params)
            self._defaults = {name: getattr(env.model, name).copy() for name in MODEL_FIELDS}
        else:
            for name, value in self._defaults.items():
                getattr(env.model, name)[...] = value
        sampled = dict(self._startup)
        self._interval_rngs = {}
        for label, event, function, params in self.events:
            if event.mode == "reset":
                sampled[label] = _run(label, event, function, env, event_rng(seed, label), params)
            elif event.mode == "interval":
                self._interval_rngs[label] = event_rng(seed, label)
        return sampled

    def step(self, env: ActionbankEnv, steps: int, sampled: dict[str, Any]) -> bool:
        """Run the interval events due at control step ``steps``, adding their samples to
        ``sampled``; whether any ran (the caller then updates derived quantities)."""
        ran = False
        for label, event, function, params in self.events:
            if event.mode == "interval" and steps % event.interval_step == 0:
                rng = self._interval_rngs[label]
                sampled.setdefault(label, {})[str(steps)] = _run(label, event, function, env, rng, params)
                ran = True
        if ran:
            mujoco.mj_forward(env.model, env.data)
        return ran


def _run(
    label: str, event: Event, function: EventFunction, env: ActionbankEnv, rng: np.random.Generator, params: Params
) -> dict[str, Any]:
    """What the event sampled, checked to be plain data; its raising said as its own."""
    what = f"event {event.func!r} (env.events.{label})"
    return checked_event_values(what, called(what, function, env, rng, params))
