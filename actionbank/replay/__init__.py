"""``actionbank replay``: rebuild a recorded episode from its dataset's provenance and check it.

Modules: :mod:`~actionbank.replay.source` (the dataset, the episode and the configs to replay
it with, checked), :mod:`~actionbank.replay.run` (the replay and its report),
:mod:`~actionbank.replay.compare` (re-simulated against recorded columns) and
:mod:`~actionbank.replay.video` (``--video``). This package sits with ``generate`` above the
compiler, the simulation and the recorder; MuJoCo is imported only when a replay runs.
"""

from actionbank.replay.compare import ColumnComparison, compare_column
from actionbank.replay.run import ReplayOptions, ReplayReport, replay
from actionbank.replay.source import ReplayInputError

__all__ = ["ColumnComparison", "ReplayInputError", "ReplayOptions", "ReplayReport", "compare_column", "replay"]
