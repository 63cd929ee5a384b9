"""Kwargs path patterns: what they reach, with paths and without (the checks' fast path)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionbank.functions.patterns import (
    declared_key_paths,
    declared_key_values,
    match,
    match_paths,
    match_values,
)

KWARGS = {
    "affordance_infos": [
        {"src_key": "a", "dst_key": "b", "valid": [{"name": "v", "kwargs": {"src_key": "c"}}]},
        {"src_key": "b", "dst_key": "d"},
    ],
    "keypose_names": ["a", "d", 3],
    "0": {"1": "x"},
    "list": [["p", "q"], "r"],
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("keypose_names/*", [("/keypose_names/0", "a"), ("/keypose_names/1", "d"), ("/keypose_names/2", 3)]),
        ("affordance_infos/*/dst_key", [("/affordance_infos/0/dst_key", "b"), ("/affordance_infos/1/dst_key", "d")]),
        (
            "**/src_key",
            [
                ("/affordance_infos/0/src_key", "a"),
                ("/affordance_infos/0/valid/0/kwargs/src_key", "c"),
                ("/affordance_infos/1/src_key", "b"),
            ],
        ),
        (
            "affordance_infos/1/@keys",
            [("/affordance_infos/1/src_key", "src_key"), ("/affordance_infos/1/dst_key", "dst_key")],
        ),
        ("0/1", [("/0/1", "x")]),
        ("list/0/1", [("/list/0/1", "q")]),
        ("list/5", []),
        ("missing/*", []),
    ],
)
def test_a_pattern_reaches_these_places_in_order(pattern: str, expected: list[tuple[str, Any]]) -> None:
    assert list(match(KWARGS, pattern)) == expected
    assert match_values(KWARGS, pattern) == [value for _, value in expected]


def test_declared_keys_take_string_values_and_a_default_when_none_is_reached() -> None:
    patterns = ("affordance_infos/*/src_key", "keypose_names/*", "nothing/here=fallback")
    assert declared_key_paths(KWARGS, patterns) == [
        ("a", ("affordance_infos", 0, "src_key")),
        ("b", ("affordance_infos", 1, "src_key")),
        ("a", ("keypose_names", 0)),
        ("d", ("keypose_names", 1)),
        ("fallback", None),
    ]
    assert declared_key_values(KWARGS, patterns) == ["a", "b", "a", "d", "fallback"]


_SEGMENTS = st.sampled_from(["*", "**", "a", "b", "0", "1", "@keys"])
_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["a", "b", "0"])),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "0", "1"]), children, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=_VALUES, segments=st.lists(_SEGMENTS, min_size=1, max_size=4), default=st.sampled_from(["", "=k"]))
def test_without_paths_the_same_values_are_reached_in_the_same_order(
    value: Any, segments: list[str], default: str
) -> None:
    pattern = "/".join(segments)
    assert match_values(value, pattern) == [item for _, item in match_paths(value, pattern)]
    patterns = (pattern + default, "a/*")
    assert declared_key_values(value, patterns) == [key for key, _ in declared_key_paths(value, patterns)]
