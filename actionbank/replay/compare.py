"""Re-simulated columns against recorded ones: bit-identical, or by how much they differ.

Each column (``observation.state``, ``action``, ...) is a frames × size array. Two columns are
identical when they have the same shape and the same bytes (``NaN`` equal to ``NaN``);
otherwise the largest absolute difference is reported with where it is (frame, and the
element's name), and, per element, the largest difference over the episode (the drift of
each joint).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ColumnComparison", "compare_column"]


@dataclass(frozen=True)
class ColumnComparison:
    """One column compared. ``largest``: the largest ``|replayed - recorded|`` (0 when identical,
    ``inf`` when the shapes differ or only one side is NaN); ``frame`` and ``element``: where it is;
    ``per_element``: the largest difference of each element over the frames both have."""

    key: str
    identical: bool
    largest: float
    frame: int | None
    element: str | None
    per_element: tuple[tuple[str, float], ...]
    recorded_frames: int
    replayed_frames: int

    @property
    def where(self) -> str:
        """Where the largest difference is, in words ('' when identical)."""
        if self.identical:
            return ""
        if self.recorded_frames != self.replayed_frames:
            return f"{self.replayed_frames} frames replayed, {self.recorded_frames} recorded"
        return f"frame {self.frame}, {self.element}"


def compare_column(
    key: str, replayed: NDArray[Any], recorded: NDArray[Any], names: Sequence[str] = ()
) -> ColumnComparison:
    """Compare ``replayed`` with ``recorded`` (frames × size each); ``names``: the elements' names
    (indices when not given). Frames beyond the shorter side are not compared but make the
    column differ."""
    replayed, recorded = np.atleast_2d(replayed), np.atleast_2d(recorded)
    frames = min(len(replayed), len(recorded))
    width = recorded.shape[1] if recorded.size else replayed.shape[1] if replayed.size else 0
    labels = [names[i] if i < len(names) else str(i) for i in range(width)]
    if replayed.shape[1:] != recorded.shape[1:]:
        return ColumnComparison(key, False, float("inf"), None, None, (), len(recorded), len(replayed))
    a = replayed[:frames].astype(np.float64)
    b = recorded[:frames].astype(np.float64)
    same_nan = np.isnan(a) & np.isnan(b)
    difference = np.where(same_nan, 0.0, np.abs(a - b))
    difference = np.where(np.isnan(difference), np.inf, difference)
    per_element = tuple((label, float(difference[:, i].max()) if frames else 0.0) for i, label in enumerate(labels))
    identical = len(replayed) == len(recorded) and _same_bits(replayed, recorded)
    if not frames or float(difference.max()) == 0.0:
        return ColumnComparison(key, identical, 0.0, None, None, per_element, len(recorded), len(replayed))
    frame, element = np.unravel_index(int(np.argmax(difference)), difference.shape)
    largest = float(difference[frame, element])
    return ColumnComparison(
        key, identical, largest, int(frame), labels[int(element)], per_element, len(recorded), len(replayed)
    )


def _same_bits(a: NDArray[Any], b: NDArray[Any]) -> bool:
    """Same shape and values, compared in the recorded dtype (NaN equal to NaN; -0.0 equal to 0.0,
    as LeRobot's parquet files may not keep the sign of a zero)."""
    if a.shape != b.shape:
        return False
    return bool(np.array_equal(a.astype(b.dtype), b, equal_nan=bool(np.issubdtype(b.dtype, np.floating))))
