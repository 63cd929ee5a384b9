"""The flattened bank: edges built on the fast path are ordinary frozen ``Edge`` objects."""

from __future__ import annotations

import dataclasses

import pytest

from actionbank.spec.bank import Edge, _new_edge

_FIELDS = ("e1", "arm", 3, 1, "plan_trajectory", True, "home", "grasp", 12, "still", {"a": [1]}, "/edge/arm/1/e1", "d")


def test_a_fast_built_edge_equals_the_one_its_constructor_builds() -> None:
    built = _new_edge(*_FIELDS)
    assert type(built) is Edge
    assert built == Edge(*_FIELDS)
    assert dataclasses.astuple(built) == dataclasses.astuple(Edge(*_FIELDS))
    assert repr(built) == repr(Edge(*_FIELDS))


def test_a_fast_built_edge_is_frozen() -> None:
    built = _new_edge(*_FIELDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.label = "other"  # type: ignore[misc]
