"""The plain-parse check: whatever the text holds, repeated keys and non-finite numbers are
still found (by the strict parse it falls back to) and clean texts are read as they are."""

from __future__ import annotations

import json

import pytest

from actionbank.source.json_scan import key_ends, scan_document
from actionbank.source.json_source import parse_json


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": "x:y", "a": 1}', (1, 14)),  # a colon inside a string
        ('{"a": "\\":", "b": {"c": 1, "c": 2}}', (1, 28)),  # a quote and a colon inside a string
        ('{"a" : 1,\n "a"\t: 2}', (2, 2)),  # spaces before the colon
        ('[{"k": 1}, {"k": 1, "k": 1}]', (1, 21)),
    ],
)
def test_a_repeated_key_is_reported_where_it_is(text: str, where: tuple[int, int]) -> None:
    document, diagnostics = parse_json(text, "x.json")
    assert document is None
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("AB106", *where)]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-2e308"])
def test_a_non_finite_number_is_refused(token: str) -> None:
    document, diagnostics = parse_json('{"a": [1, ' + token + "]}", "x.json")
    assert document is None
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("AB105", 1, 11)]


def test_a_clean_text_with_colons_and_quotes_in_strings_is_read_as_it_is() -> None:
    text = '{"a": ":", "b": "\\":", "c": {"d": [1.5, "e:f"]}, "g": {}}'
    document, diagnostics = parse_json(text, "x.json")
    assert diagnostics == [] and document is not None
    assert document.data == json.loads(text)
    assert key_ends(text).at_least > scan_document(document.data, 64).members == 5


def test_the_scan_counts_members_and_sees_depth_big_integers_and_non_finite_floats() -> None:
    scan = scan_document({"a": [{"b": 1}, 2**63], "c": float("nan")}, 64)
    assert (scan.too_deep, scan.big_integer, scan.finite, scan.members) == (False, True, False, 3)
    assert scan_document([[[1]]], 2).too_deep and not scan_document([[[1]]], 3).too_deep
