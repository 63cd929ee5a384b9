"""Laying a scope's edges out on the schedule: padding (``still``), resampling (``scalable``),
holding before, between and after edges, and the active edge per step."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from actionbank.plan import PlanEdge
from sim.timeline import fit_span, lay_out

Array = NDArray[np.float64]


def _edge(
    name: str, start: int, duration: int, span_end: int | None = None, fill: Literal["still", "scalable"] = "still"
) -> PlanEdge:
    end = start + duration
    return PlanEdge(
        scope="arm",
        name=name,
        function="plan_trajectory",
        src="a",
        sink="b",
        start=start,
        end=end,
        span_end=end if span_end is None else span_end,
        duration=duration,
        fill_type=fill,
        slack=0,
        critical=False,
        kwargs={},
    )


def _ramp(start: Array, goal: float, duration: int) -> Array:
    """A linear motion from ``start`` (excluded) to ``goal`` (the last row)."""
    fractions = np.arange(1, duration + 1, dtype=np.float64)[:, None] / duration
    return start.reshape(1, -1) + (goal - start.reshape(1, -1)) * fractions


def test_fit_span_returns_the_motion_when_it_fills_the_span() -> None:
    motion = _ramp(np.zeros(2), 1.0, 5)
    assert fit_span(motion, np.zeros(2), 5, "scalable") is motion


def test_a_still_edge_pads_its_motion_with_its_last_value() -> None:
    motion = _ramp(np.zeros(2), 1.0, 4)
    filled = fit_span(motion, np.zeros(2), 7, "still")
    assert filled.shape == (7, 2)
    np.testing.assert_array_equal(filled[:4], motion)
    np.testing.assert_array_equal(filled[4:], np.ones((3, 2)))


def test_a_scalable_edge_stretches_its_whole_motion_over_the_span() -> None:
    start = np.array([0.0, 2.0])
    motion = _ramp(start, 1.0, 4)
    filled = fit_span(motion, start, 8, "scalable")
    assert filled.shape == (8, 2)
    np.testing.assert_allclose(filled, _ramp(start, 1.0, 8), atol=1e-12)
    np.testing.assert_array_equal(filled[-1], motion[-1])


def test_an_empty_still_motion_holds_the_start_value() -> None:
    filled = fit_span(np.empty((0, 2)), np.array([0.3, 0.4]), 3, "still")
    np.testing.assert_array_equal(filled, np.tile([0.3, 0.4], (3, 1)))


def _motion(edge: PlanEdge, value: Array) -> Array:
    return _ramp(value, 1.0 if edge.name == "up" else -1.0, edge.duration)


def test_a_scope_holds_its_start_value_and_is_idle_before_its_first_edge() -> None:
    start = np.array([0.5])
    values, active = lay_out([_edge("up", 5, 4)], start, 12, _motion, lambda e: 3)
    np.testing.assert_array_equal(values[:5, 0], [0.5] * 5)
    np.testing.assert_array_equal(active[:5], [-1] * 5)
    np.testing.assert_array_equal(active[5:9], [3] * 4)
    assert values[8, 0] == 1.0


def test_between_and_after_edges_the_scope_holds_the_last_value_and_is_idle() -> None:
    edges = [_edge("down", 10, 3), _edge("up", 2, 4)]  # listed out of order: laid out by start
    index = {"up": 0, "down": 1}
    values, active = lay_out(edges, np.zeros(1), 16, _motion, lambda e: index[e.name])
    np.testing.assert_array_equal(active, [-1, -1, 0, 0, 0, 0, -1, -1, -1, -1, 1, 1, 1, -1, -1, -1])
    np.testing.assert_array_equal(values[6:10, 0], [1.0] * 4)
    np.testing.assert_array_equal(values[13:, 0], [-1.0] * 3)


def test_the_next_edge_starts_from_where_the_previous_one_ended() -> None:
    seen: list[Array] = []

    def motion(edge: PlanEdge, value: Array) -> Array:
        seen.append(value.copy())
        return _motion(edge, value)

    lay_out([_edge("up", 0, 3), _edge("down", 5, 3)], np.array([0.2]), 10, motion, lambda e: 0)
    np.testing.assert_array_equal(seen, [[0.2], [1.0]])


def test_an_edge_occupies_its_scope_up_to_its_span_end() -> None:
    still = _edge("up", 2, 3, span_end=8)
    values, active = lay_out([still], np.zeros(1), 10, _motion, lambda e: 0)
    np.testing.assert_array_equal(active, [-1, -1, 0, 0, 0, 0, 0, 0, -1, -1])
    np.testing.assert_array_equal(values[5:, 0], [1.0] * 5)
    scalable = _edge("up", 2, 3, span_end=8, fill="scalable")
    values, _ = lay_out([scalable], np.zeros(1), 10, _motion, lambda e: 0)
    np.testing.assert_allclose(values[2:8, 0], np.arange(1, 7) / 6)
