"""What the functions a gym config names return is checked where they return, and their raising
is said as theirs (sim.user_code): the contract of an event, a success check and an
observation term, one case per way to break it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.user_code import UserCodeError, called, checked_event_values, checked_result, checked_terms


def _explode(value: int) -> int:
    raise KeyError(value)


def test_a_raise_is_said_with_the_functions_own_frames() -> None:
    with pytest.raises(UserCodeError) as caught:
        called("event 'x' (env.events.a)", _explode, 7)
    text = str(caught.value)
    assert text.startswith("event 'x' (env.events.a) raised KeyError: 7\n")
    assert "in _explode" in text and "in called" not in text
    assert called("f", lambda v: v + 1, 1) == 2


def test_event_values_are_plain_data() -> None:
    values = {"pos": np.array([0.1, 0.2]), "n": np.int64(3), "ok": True, "deep": [{"s": "x", "v": np.float32(1.5)}]}
    assert checked_event_values("e", values) == {"pos": [0.1, 0.2], "n": 3, "ok": True, "deep": [{"s": "x", "v": 1.5}]}


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (None, "e returned NoneType, not a dict of the values it sampled (return {} when none)"),
        (np.zeros(2), "e returned ndarray, not a dict"),
        (
            {"s": {1, 2}},
            "e returned values that are not plain data (numbers, strings, lists, dicts): the return value['s'] is a set",
        ),
        ({"k": {3: 1}}, "the return value['k'] is a dict"),
    ],
)
def test_event_values_that_are_not_plain_data_are_refused(values: Any, said: str) -> None:
    with pytest.raises(UserCodeError) as caught:
        checked_event_values("e", values)
    assert said in str(caught.value)


def test_a_success_result_is_a_bool_numbers_by_name_and_a_reason() -> None:
    assert checked_result("c", (np.bool_(True), {"d": np.float64(0.5), "n": 2}, "")) == (True, {"d": 0.5, "n": 2.0}, "")


@pytest.mark.parametrize(
    ("result", "said"),
    [
        (None, "c returned NoneType, not (success, metrics, reason)"),
        ((True, {}), "c returned tuple, not (success, metrics, reason)"),
        ((1, {}, ""), "c returned a success of type int, not a bool"),
        ((True, {"far": "x"}, ""), "c returned metric 'far' = 'x', not a number"),
        ((True, {"hit": True}, ""), "c returned metric 'hit' = True, not a number"),
        ((True, [], ""), "c returned metrics that are not a dict, or a reason that is not text"),
    ],
)
def test_a_success_result_that_breaks_the_contract_is_refused(result: Any, said: str) -> None:
    with pytest.raises(UserCodeError, match="^" + said.replace("(", r"\(").replace(")", r"\)")):
        checked_result("c", result)


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (None, "t returned NoneType, not numbers"),
        (["a"], "t returned list, not numbers"),
        ([1.0, 2.0], "t returned values of shape (2,), not (1,): one number per component it declares"),
        ([[1.0]], "t returned values of shape (1, 1), not (1,)"),
        ([float("nan")], "t returned [nan], which is not finite"),
    ],
)
def test_observation_values_are_one_finite_number_per_component(values: Any, said: str) -> None:
    assert checked_terms("t", [0.5], 1).tolist() == [0.5]
    with pytest.raises(UserCodeError) as caught:
        checked_terms("t", values, 1)
    assert str(caught.value).startswith(said)
