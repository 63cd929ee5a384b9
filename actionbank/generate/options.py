"""What ``actionbank generate`` runs (:class:`GenerateOptions`) and what a run did so far
(:class:`GenerateSummary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import InputError
from actionbank.generate.attempt_range import AttemptRange
from actionbank.source import load_document

__all__ = [
    "DEFAULT_SEED",
    "GenerateOptions",
    "GenerateSummary",
    "Note",
    "Progress",
    "Report",
    "configured_num_envs",
    "ignore_note",
]

#: The seed of a new dataset when none is given.
DEFAULT_SEED = 0


@dataclass(frozen=True)
class GenerateOptions:
    """What to run. ``seed``: None when not given (0 for a new dataset, the dataset's own with
    ``resume``); ``output`` and ``resume`` exclude each other; ``allow_outside_assets``: the
    gym config may name files outside its folder (their hashes go into the provenance);
    ``attempts``: run only these attempt indices (:mod:`~actionbank.generate.attempt_range`);
    ``num_envs``: worker processes (``generate --num-envs``, whose default is the gym config's
    ``num_envs``: :func:`configured_num_envs`), and ``num_envs_from`` what gave the number, as
    remarks about it name it; ``executor``: where the ``num_envs``
    environments run (``local``: processes of this machine; ``ray``: actors of the Ray cluster
    at ``ray_address``, ``auto`` for the one ``ray start`` made, None for a Ray runtime started
    for the job); ``validate_first``: run each recorded attempt without cameras first and render
    only those that pass (:func:`~actionbank.attempts.worth_validating`)."""

    gym_config: Path
    action_config: Path
    max_episodes: int | None = None
    seed: int | None = None
    output: Path | None = None
    resume: Path | None = None
    max_attempts: int | None = None
    save: bool = True
    num_envs: int = 1
    num_envs_from: str = "--num-envs"
    allow_outside_assets: bool = False
    attempts: AttemptRange | None = None
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    validate_first: bool = True


def configured_num_envs(gym_config: Path) -> int | None:
    """The gym config's top-level ``num_envs`` as written: the default of ``generate --num-envs``.

    None when the file gives none, or one that is not a whole number of at least 1, or cannot be
    read or parsed: the gym config's checks, which ``generate`` runs next, report each of those.
    """
    try:
        document, _ = load_document(gym_config)
    except InputError:  # generate reports the unreadable file when it loads it
        return None
    data = document.data if document is not None else None
    value = data.get("num_envs") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


@dataclass
class GenerateSummary:
    """A run so far: ``already`` episodes were in the dataset before it (``resume``), ``saved_now``
    were saved by it; ``frames`` and ``wall_time`` [s] are this run's; ``seed`` the run's seed."""

    root: Path | None
    saved_now: int = 0
    already: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    frames: int = 0
    wall_time: float = 0.0
    target: int = 0
    seed: int = DEFAULT_SEED
    #: Where failed attempts are kept (``save_failed_episodes``), and how many this run kept.
    failed_root: Path | None = None
    failed_saved: int = 0
    #: Whether attempts were validated without cameras first, and how many failed attempts
    #: were so never rendered (those that failed before their first step never are).
    validated_first: bool = False
    unrendered: int = 0
    #: Control steps of the unrendered failed attempts, and of the rendered ones with the
    #: seconds they took (their physics-only pass apart) and the seconds of those passes.
    unrendered_steps: int = 0
    rendered_steps: int = 0
    rendered_s: float = 0.0
    validation_overhead_s: float = 0.0
    #: What was told of the attempts, by topic: the first text of each (``settle_drift``,
    #: ``actions_clipped``, ``arm_off_target``, ``gripper_out_of_range``, ``gripper_stuck``).
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def saved(self) -> int:
        """Valid episodes in the dataset: those already there and those saved now."""
        return self.already + self.saved_now

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.wall_time if self.wall_time else 0.0

    def count_cost(self, steps: int, validation_s: float, recording_s: float, rendered: bool) -> None:
        """Add one attempt's cost: ``steps`` control steps, seconds of its physics-only pass
        (0: none) and of its pass with cameras; ``rendered``: whether it had one."""
        if rendered:
            self.rendered_steps += steps
            self.rendered_s += recording_s
            self.validation_overhead_s += validation_s
        elif validation_s > 0.0 and steps > 0:
            self.unrendered += 1
            self.unrendered_steps += steps

    @property
    def validation_saved_s(self) -> float:
        """Seconds validating first saved [s] (negative: cost), estimated: the unrendered steps at
        the rendered steps' seconds per step, less the physics-only passes of the rendered
        attempts (summed over workers: CPU-seconds of the attempt loops, not wall time)."""
        per_step = self.rendered_s / self.rendered_steps if self.rendered_steps else 0.0
        return self.unrendered_steps * per_step - self.validation_overhead_s


#: Receives the summary so far and the elapsed time [s] after each committed attempt.
Progress = Callable[[GenerateSummary, float], None]
#: Receives a one-line note for the user: how the job runs (fewer workers than asked for, a
#: resumed folder that holds nothing yet), the seed a resumed run reuses, what a repair did,
#: what the attempts remarked (a robot that left its start pose at reset: once a run).
Note = Callable[[str], None]
#: Receives the configs' warnings and notes (what ``lint`` reports of them), once, before anything runs.
Report = Callable[[Sequence[Diagnostic]], None]


def ignore_note(_text: str) -> None:
    """A note nobody reads."""
