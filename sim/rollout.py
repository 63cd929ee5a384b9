"""The rollout types the executor produces, re-exported from :mod:`actionbank.rollout` (where they
live, so that the recorder reads them without importing the simulation)."""

from __future__ import annotations

from actionbank.rollout import Failure, FailureStage, Frame, Rollout

__all__ = ["Failure", "FailureStage", "Frame", "Rollout"]
