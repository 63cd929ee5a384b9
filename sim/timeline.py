"""Per-scope action timelines: edges' motions laid out on the schedule with gap filling.

A scope holds its start value until its first edge; each edge's motion runs from its
``start`` and occupies the scope up to its ``span_end``: ``still`` pads the motion with its
last value, ``scalable`` resamples the whole motion over the span. After the last edge the
scope holds its last value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from actionbank.plan import PlanEdge

__all__ = ["fit_span", "lay_out"]

Array = NDArray[np.float64]


def fit_span(motion: Array, start_value: Array, span: int, fill_type: str) -> Array:
    """``motion`` (duration × dim) stretched (``scalable``) or padded (``still``) to ``span`` steps."""
    duration = motion.shape[0]
    if span == duration:
        return motion
    if fill_type == "scalable" and duration > 0:
        # Resample the path start → motion over the span: sample k of span lands at fraction (k+1)/span.
        path = np.vstack([start_value.reshape(1, -1), motion])
        knots = np.arange(duration + 1, dtype=np.float64) / duration
        fractions = np.arange(1, span + 1, dtype=np.float64) / span
        return np.stack([np.interp(fractions, knots, path[:, j]) for j in range(path.shape[1])], axis=1)
    last = motion[-1:] if duration else start_value.reshape(1, -1)
    return np.vstack([motion, np.repeat(last, span - duration, axis=0)])


def lay_out(
    edges: Sequence[PlanEdge],
    start_value: Array,
    makespan: int,
    motion_of: Callable[[PlanEdge, Array], Array],
    edge_index: Callable[[PlanEdge], int],
) -> tuple[Array, NDArray[np.int32]]:
    """The scope's values (makespan × dim) and the active edge index per step (-1 when idle).

    ``motion_of(edge, value_at_start)`` returns the edge's motion (duration × dim).
    """
    dim = start_value.size
    values = np.empty((makespan, dim))
    active = np.full(makespan, -1, dtype=np.int32)
    current = start_value.reshape(-1).astype(np.float64)
    cursor = 0
    for edge in sorted(edges, key=lambda e: (e.start, e.end)):
        values[cursor : edge.start] = current
        motion = np.asarray(motion_of(edge, current), dtype=np.float64).reshape(edge.duration, dim)
        span = max(edge.span_end, edge.end) - edge.start
        filled = fit_span(motion, current, span, edge.fill_type)
        values[edge.start : edge.start + span] = filled
        active[edge.start : edge.start + span] = edge_index(edge)
        if span:
            current = filled[-1]
        cursor = edge.start + span
    values[cursor:] = current
    return values, active
