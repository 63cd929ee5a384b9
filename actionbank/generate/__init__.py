"""``actionbank generate``: compile a config pair, run episodes in MuJoCo, record valid ones.

Episode attempt ``a`` uses the seed derived from ``(seed, a)``; the dataset holds the first
valid attempts in attempt order, so the same configs and seed give the same episodes, with
one process or N (``num_envs``): workers record attempts as they finish them, this process
commits them in attempt order. Invalid rollouts are never written: their recordings are
deleted. MuJoCo and LeRobot are imported only when a job runs, so the compiler's commands
stay light.

``resume`` continues a dataset only with what made it: the same gym and action config
texts, the same asset files (by sha256), the same seed (the dataset's own when none is
given) and the same attempt range; anything else is refused before a worker starts or a
file changes (:mod:`recorder.run_identity`). ``attempts`` limits a run to a range of attempt
indices, a shard of a run that ``actionbank merge`` puts together with the others
(:mod:`~actionbank.generate.attempt_range`, :mod:`recorder.merge`).

This package sits above the compiler, the simulation and the recorder. Its modules:
:mod:`~actionbank.generate.options` (what to run, what a run did),
:mod:`~actionbank.generate.run_spec` (what a run is made of: the plan, the config texts, the
asset hashes, the new dataset's spec), :mod:`~actionbank.generate.resume` (continuing a
dataset), :mod:`~actionbank.generate.job` (the run itself), :mod:`~actionbank.generate.stop`
(why a run ended early and what it left) and :mod:`~actionbank.generate.viewer` (``--preview``).
"""

from actionbank.attempts import episode_seed
from actionbank.generate.job import generate
from actionbank.generate.options import GenerateOptions, GenerateSummary
from actionbank.generate.stop import GenerationFailed, GenerationInterrupted, discard_reason
from actionbank.generate.viewer import preview

__all__ = [
    "GenerateOptions",
    "GenerateSummary",
    "GenerationFailed",
    "GenerationInterrupted",
    "discard_reason",
    "episode_seed",
    "generate",
    "preview",
]
