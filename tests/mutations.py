"""A hypothesis strategy that breaks valid documents in small, random, realistic ways.

``mutated(doc)`` draws a deep copy of ``doc`` with one to a few mutations applied at
random places in its tree: drop a key or item, duplicate a list item, retype a value,
rename a key (random text, the empty string, unicode, or a sibling's name), reorder the
keys of an object, insert an extra key, truncate a list, swap two sibling values.

Used by ``tests/test_bad_input.py`` (the compiler never crashes on what it draws) and by
``tests/spec/test_schema_agreement.py`` (the JSON Schema and the pydantic models accept
the same documents).

Floats are never integral (``1.0``): JSON Schema counts them as integers, the strict
models do not, and that known, documented difference is kept out of the agreement test
here rather than filtered there. The valid documents hold integral floats of their own
(``max_depenetration_velocity: 10.0``); a draw that moved one where the document had no float
(a swap, a rename to a sibling's name) is rejected. Floats are finite, so every draw is plain JSON.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from ruamel.yaml import YAML

__all__ = ["MUTATIONS", "VALID_CONFIG_FILES", "json_values", "mutated", "paths", "valid_configs"]

_ROOT = Path(__file__).resolve().parent.parent
_REFERENCE = _ROOT.parent / "shared" / "reference" / "embodichain"

#: Valid action configs to start mutating from: the shipped example and two real EmbodiChain
#: configs (the reference ones live outside the repository and may be absent).
VALID_CONFIG_FILES = {
    "example_pour_water": _ROOT / "examples" / "pour_water" / "action_config.yaml",
    "reference_pour_water": _REFERENCE / "pour_water" / "action_config.json",
    "reference_action_bank": _REFERENCE / "action_bank" / "conf.json",
}

Place = tuple[str | int, ...]

#: Every kind of mutation that :func:`mutated` applies.
MUTATIONS = ("drop", "duplicate", "retype", "rename", "reorder", "insert", "truncate", "swap")

#: Deepest path chosen when a draw asks for a "shallow" place (the schema-shaped part of
#: a config; below it lie free-form ``kwargs``).
_SHALLOW = 4

# Finite, non-integral floats: 1.0 is an integer to JSON Schema but not to the strict models.
_floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer())

# st.text() draws no surrogates, so every string can be written as UTF-8.
_keys = st.one_of(st.just(""), st.text(max_size=12), st.sampled_from(["name", "kwargs", "dim", "src", "sink"]))

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-3, max_value=3),
    _floats,
    st.text(max_size=16),
)


def valid_configs() -> dict[str, Any]:
    """The configs of :data:`VALID_CONFIG_FILES` that exist, as plain data (read without actionbank)."""
    configs: dict[str, Any] = {}
    for name, path in VALID_CONFIG_FILES.items():
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        configs[name] = json.loads(text) if path.suffix == ".json" else YAML(typ="safe", pure=True).load(text)
    return configs


def json_values() -> st.SearchStrategy[Any]:
    """Small JSON values of every type: null, bool, int, float, str, list and object."""
    return st.recursive(
        _scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(_keys, inner, max_size=3),
        ),
        max_leaves=6,
    )


def paths(data: Any, prefix: Place = ()) -> Iterator[Place]:
    """Every place in ``data`` (the root first, then depth-first in document order)."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


def _get(data: Any, path: Place) -> Any:
    for token in path:
        data = data[token]
    return data


def _replace(data: Any, path: Place, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced (in place below the root)."""
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _kinds(value: Any) -> list[str]:
    kinds = ["retype"]
    if isinstance(value, dict):
        kinds.append("insert")
        if value:
            kinds += ["drop", "rename"]
        if len(value) >= 2:
            kinds += ["reorder", "swap"]
    elif isinstance(value, list) and value:
        kinds += ["drop", "duplicate", "truncate"]
        if len(value) >= 2:
            kinds.append("swap")
    return kinds


def _mutate_object(draw: st.DrawFn, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    keys = list(value)
    if kind == "insert":
        extra = draw(_keys.filter(lambda k: k not in value))
        return {**value, extra: draw(json_values())}
    if kind == "drop":
        gone = draw(st.sampled_from(keys))
        return {k: v for k, v in value.items() if k != gone}
    if kind == "rename":
        old = draw(st.sampled_from(keys))
        new = draw(st.one_of(_keys, st.sampled_from(keys)))  # a sibling's name merges two entries
        renamed: dict[str, Any] = {}
        for key, item in value.items():
            renamed[new if key == old else key] = item
        return renamed
    if kind == "reorder":
        order = draw(st.permutations(keys))
        return {k: value[k] for k in order}
    # swap: two sibling values trade places, the keys stay
    first, second = draw(st.lists(st.sampled_from(keys), min_size=2, max_size=2, unique=True))
    swapped = dict(value)
    swapped[first], swapped[second] = value[second], value[first]
    return swapped


def _mutate_array(draw: st.DrawFn, kind: str, value: list[Any]) -> list[Any]:
    indexes = st.integers(min_value=0, max_value=len(value) - 1)
    if kind == "drop":
        index = draw(indexes)
        return value[:index] + value[index + 1 :]
    if kind == "duplicate":
        index = draw(indexes)
        return [*value[: index + 1], copy.deepcopy(value[index]), *value[index + 1 :]]
    if kind == "truncate":
        return value[: draw(st.integers(min_value=0, max_value=len(value) - 1))]
    first, second = draw(st.lists(indexes, min_size=2, max_size=2, unique=True))
    swapped = list(value)
    swapped[first], swapped[second] = value[second], value[first]
    return swapped


def _names(data: Any) -> set[str]:
    """Every key and string in ``data``."""
    if isinstance(data, dict):
        return set(data).union(*(_names(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(_names(value) for value in data))
    return {data} if isinstance(data, str) else set()


def _names_in(data: Any) -> st.SearchStrategy[Any]:
    """A name the document already uses (a key or a string), alone or in a list.

    Values like these make the references of a config dangle, collide or form cycles.
    """
    names = sorted(_names(data))
    if not names:
        return st.nothing()
    known = st.sampled_from(names)
    return st.one_of(known, st.lists(known, min_size=1, max_size=3))


@st.composite
def _mutation(draw: st.DrawFn, data: Any) -> Any:
    places = list(paths(data))
    if draw(st.booleans()):  # half the time stay in the schema-shaped top of the tree
        places = [p for p in places if len(p) <= _SHALLOW]
    path = draw(st.sampled_from(places))
    value = _get(data, path)
    kind = draw(st.sampled_from(_kinds(value)))
    if kind == "retype":
        new = draw(st.one_of(json_values(), _names_in(data)))
    elif isinstance(value, dict):
        new = _mutate_object(draw, kind, value)
    else:
        new = _mutate_array(draw, kind, value)
    return _replace(data, path, new)


@st.composite
def mutated(draw: st.DrawFn, doc: Any, max_mutations: int = 3) -> Any:
    """A deep copy of ``doc`` with 1 to ``max_mutations`` random mutations applied."""
    data = copy.deepcopy(doc)
    for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
        data = draw(_mutation(data))
    assume(not _moved_integral_float(doc, data))
    return data


def _moved_integral_float(original: Any, data: Any) -> bool:
    """Whether ``data`` holds an integral float (``10.0``) where ``original`` holds no float."""
    for path in paths(data):
        value = _get(data, path)
        if isinstance(value, float) and value.is_integer():
            try:
                before = _get(original, path)
            except (KeyError, IndexError, TypeError):
                return True
            if not isinstance(before, float):
                return True
    return False
