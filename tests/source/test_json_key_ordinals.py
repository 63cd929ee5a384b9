"""Locating from key counts gives the decoder's positions, for every value of every document."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actionbank.source import pointer as jp
from actionbank.source.json_key_ordinals import KeyOrdinals
from actionbank.source.json_locator import JsonText
from actionbank.source.json_source import parse_json

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic_bank import generate_bank  # noqa: E402

JSON_FILES = sorted(REPO.glob("examples/*/*.json")) + sorted((REPO.parent / "shared" / "reference").rglob("*.json"))


def _pointers(value: Any, pointer: str = "") -> Iterator[str]:
    yield pointer
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _pointers(child, jp.join(pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _pointers(child, jp.join(pointer, index))


def _both(text: str) -> tuple[JsonText, JsonText, Any]:
    """The locator as parsed (with key ordinals when the text allows) and one without them."""
    document, diagnostics = parse_json(text, "x.json")
    assert diagnostics == [] and document is not None
    fast = document.locator.__self__  # type: ignore[attr-defined]
    assert isinstance(fast, JsonText)
    return fast, JsonText(text), document.data


def _assert_same_positions(text: str) -> int:
    """Every pointer is located where the decoder locates it; the number the ordinals found."""
    fast, slow, data = _both(text)
    answered = 0
    for pointer in _pointers(data):
        if fast.ordinals is not None and fast.ordinals.offset(jp.split(pointer)) is not None:
            answered += 1
        assert fast.locate(pointer) == slow.locate(pointer), pointer
    # A pointer to nothing: both give nothing (the document then falls back to an ancestor).
    assert fast.locate("/no such key/0") is None and slow.locate("/no such key/0") is None
    return answered


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_value_of_the_shipped_json_configs_is_located_as_the_decoder_locates_it(path: Path) -> None:
    text = path.read_text()
    fast, _, data = _both(text)
    assert fast.ordinals is not None
    members = sum(1 for p in _pointers(data) if p)
    assert _assert_same_positions(text) >= members // 2


@pytest.mark.parametrize("indent", [None, 2])
def test_a_bank_is_located_from_key_counts(indent: int | None) -> None:
    text = json.dumps(generate_bank(4, 25, seed=3), indent=indent)
    answered = _assert_same_positions(text)
    # Every member and every object item of an edge or node list is found without decoding.
    data = json.loads(text)
    objects = sum(1 for p in _pointers(data) if p and not isinstance(_at(data, p), list | str | int | float))
    assert answered >= objects


def _at(data: Any, pointer: str) -> Any:
    for token in jp.split(pointer):
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def test_keys_written_with_escapes_or_repeated_at_other_levels_are_still_found_where_they_are() -> None:
    data = {
        "é": {"é": [{"é": 1}, {"x": {"é": 2}}]},
        'q"uote': {"a\\b": [{}, [], {'q"uote': 3}]},
        "x": [{"x": {"x": [{"x": 4}]}}],
        "tab\tkey": {"/~": {"~1": 5}},
    }
    for ensure_ascii in (True, False):  # escaped: the ordinals cannot find "é" and leave it to the decoder
        _assert_same_positions(json.dumps(data, ensure_ascii=ensure_ascii))
        _assert_same_positions(json.dumps(data, ensure_ascii=ensure_ascii, indent=1))


def test_a_text_whose_strings_hold_a_key_end_is_located_by_decoding() -> None:
    text = '{"a": "x\\":", "b": [{"c": 1}]}'
    fast, _, _ = _both(text)
    assert fast.ordinals is None
    assert fast.locate("/b/0/c") == (1, 22)


def test_keys_with_spaces_before_their_colons_are_counted_and_located_by_decoding() -> None:
    text = '{"a" : {"b" : 1, "c": [{"d": 2}]}, "e": {"f": 3}}'
    fast, _, _ = _both(text)
    assert fast.ordinals is not None and fast.ordinals.spaced
    assert fast.ordinals.offset(jp.split("/a/b")) is None  # written '"b" :': the decoder finds it
    assert fast.ordinals.offset(jp.split("/e/f")) == text.index('"f"')
    assert _assert_same_positions(text) == 5  # /a/c, /a/c/0, /a/c/0/d, /e, /e/f


def test_the_first_search_after_a_found_key_starts_there() -> None:
    text = json.dumps({"k": [{"k": 1}, {"k": 2}], "m": {"k": 3}})
    document, _ = parse_json(text, "x.json")
    assert document is not None
    ordinals = document.locator.__self__.ordinals  # type: ignore[attr-defined]
    assert isinstance(ordinals, KeyOrdinals)
    assert [ordinals.offset(jp.split(p)) for p in ("/m/k", "/k/1/k", "/k")] == [
        text.index('"k": 3'),
        text.index('"k": 2'),
        1,
    ]


_KEYS = st.text(alphabet='ab"\\:/~é\n ', max_size=4)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(-2, 2), st.text(alphabet='ab"\\: ', max_size=4)
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(_KEYS, _DOCUMENTS, max_size=5),
    indent=st.sampled_from([None, 0, 2]),
    ensure_ascii=st.booleans(),
)
def test_any_document_is_located_as_the_decoder_locates_it(
    document: Any, indent: int | None, ensure_ascii: bool
) -> None:
    _assert_same_positions(json.dumps(document, indent=indent, ensure_ascii=ensure_ascii))
