"""What ``actionbank generate`` runs (:class:`GenerateOptions`) and what a run did so far
(:class:`GenerateSummary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from actionbank.generate.attempt_range import AttemptRange

__all__ = ["DEFAULT_SEED", "GenerateOptions", "GenerateSummary", "Note", "Progress", "ignore_note"]

#: The seed of a new dataset when none is given.
DEFAULT_SEED = 0


@dataclass(frozen=True)
class GenerateOptions:
    """What to run. ``seed``: None when not given (0 for a new dataset, the dataset's own with
    ``resume``); ``output`` and ``resume`` exclude each other; ``allow_outside_assets``: the
    gym config may name files outside its folder (their hashes go into the provenance);
    ``attempts``: run only these attempt indices (:mod:`~actionbank.generate.attempt_range`);
    ``executor``: where the ``num_envs`` environments run (``local``: processes of this machine;
    ``ray``: actors of the Ray cluster at ``ray_address``, ``auto`` for the one ``ray start``
    made, None for a Ray runtime started for the job)."""

    gym_config: Path
    action_config: Path
    max_episodes: int | None = None
    seed: int | None = None
    output: Path | None = None
    resume: Path | None = None
    max_attempts: int | None = None
    save: bool = True
    num_envs: int = 1
    allow_outside_assets: bool = False
    attempts: AttemptRange | None = None
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None


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

    @property
    def saved(self) -> int:
        """Valid episodes in the dataset: those already there and those saved now."""
        return self.already + self.saved_now

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.wall_time if self.wall_time else 0.0


#: Receives the summary so far and the elapsed time [s] after each committed attempt.
Progress = Callable[[GenerateSummary, float], None]
#: Receives a one-line note for the user: how the job runs (fewer workers than asked for, a
#: resumed folder that holds nothing yet), the seed a resumed run reuses, what a repair did.
Note = Callable[[str], None]


def ignore_note(_text: str) -> None:
    """A note nobody reads."""
