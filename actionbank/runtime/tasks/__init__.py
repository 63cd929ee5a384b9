"""Declarations of the task functions the simulation implements (``sim/tasks``), importable
without MuJoCo: the ``actionbank.functions`` entry points name these modules, so ``lint``
knows the functions' reads, writes and parameters without importing ``sim``."""
