"""One walk over a plainly parsed JSON document: what the strict parse would have rejected.

``json.loads`` without hooks runs entirely in C, but it keeps the last of repeated keys and
reads ``NaN``, ``Infinity`` and ``1e999`` as floats. :func:`scan_document` finds out, in one
walk, whether the strict parse (a Python hook per object and per float) would have had
anything to say: nesting deeper than the limit, a non-finite float, an integer beyond 64 bits,
and how many object members were kept, which the parser compares with the number of keys in
the text (:func:`key_ends`) to know that no key was repeated. The same walk
checks the depth and integers of a document the strict parse read.

The walk also counts, for the containers near the top (:data:`INDEXED_DEPTH`), how many keys
come before each child in text order (:attr:`DocumentScan.keys_before`): what
:mod:`json_key_ordinals` needs to find a value's position without decoding what precedes it.

Written by hand: nothing in the standard library reports these.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any, NamedTuple

from actionbank.source.limits import INT64_LIMIT

__all__ = [
    "INDEXED_DEPTH",
    "SPACED_KEY_END",
    "DocumentScan",
    "KeyEnds",
    "index_keys",
    "key_ends",
    "scan_document",
]

#: A key's closing quote, whitespace, then its colon.
SPACED_KEY_END = re.compile(r'"[ \t\n\r]+:')
#: Containers this deep or less (the document is depth 0) get :attr:`DocumentScan.keys_before`:
#: an action config's scopes' lists of nodes and edges are at depth 2.
INDEXED_DEPTH = 2


class DocumentScan(NamedTuple):
    too_deep: bool  # containers nest deeper than the limit (then the rest is not filled in)
    big_integer: bool  # an integer does not fit in 64 bits
    finite: bool  # every float is finite
    members: int  # object members kept, over the whole document
    # id of each container at most INDEXED_DEPTH deep → for each of its children, the object
    # keys before it in text order, counted from the container's opening (and the total last):
    # a member's own key counts before its value's keys.
    keys_before: dict[int, list[int]]


def scan_document(data: Any, limit: int) -> DocumentScan:
    """Walk ``data`` (as ``json.loads`` returns it), at most ``limit`` containers deep."""
    kind = type(data)
    if kind is not dict and kind is not list:
        big = kind is int and abs(data) >= INT64_LIMIT
        return DocumentScan(False, big, kind is not float or math.isfinite(data), 0, {})
    found: list[Any] = [False, False, False, len(data) if kind is dict else 0]
    keys_before: dict[int, list[int]] = {}
    _scan_indexed(data, limit - 1, found, INDEXED_DEPTH, keys_before)
    return DocumentScan(found[0], found[1], not found[2], found[3], keys_before)


def index_keys(container: dict[str, Any] | list[Any], keys_before: dict[int, list[int]]) -> list[int]:
    """``keys_before`` of ``container`` (a container of a document already scanned, so not too
    deep), counted now and recorded there too: for one deeper than :data:`INDEXED_DEPTH`."""
    _scan_indexed(container, sys.maxsize, [False, False, False, 0], 0, keys_before)
    return keys_before[id(container)]


def _scan_indexed(value: Any, remaining: int, found: list[Any], depth: int, keys_before: dict[int, list[int]]) -> None:
    """:func:`_scan`, recording ``keys_before`` for ``value`` and its descendants down to
    ``depth`` levels below it. Few containers are indexed, but their children are many (an
    edge list's edges); the keys a child holds are what the members count grew by while
    scanning it."""
    is_dict = type(value) is dict
    own = 1 if is_dict else 0  # a member's key comes before its value's keys
    counts = [0]
    total = 0
    for child in value.values() if is_dict else value:
        before = found[3]
        kind = type(child)
        if kind is dict or kind is list:
            if kind is dict:
                found[3] += len(child)
            if remaining == 0:
                found[0] = True
            elif depth > 0:
                _scan_indexed(child, remaining - 1, found, depth - 1, keys_before)
            else:
                _scan(child, remaining - 1, found)
        else:
            _scan([child], remaining, found)  # a number: checked as _scan checks one
        total += own + found[3] - before
        counts.append(total)
    keys_before[id(value)] = counts


def _scan(value: Any, remaining: int, found: list[Any]) -> None:
    """Walk the dict or list ``value`` whose children may nest ``remaining`` more levels;
    ``found`` is ``[too_deep, big_integer, not_finite, members]``. Hot: exact type checks, no
    generators (a recursive loop beat C iteration over whole levels, which touches every
    value once per pass)."""
    child: Any
    for child in value.values() if type(value) is dict else value:
        kind = type(child)
        if kind is str:  # the most common value: one test
            continue
        if kind is dict:
            found[3] += len(child)
            if remaining == 0:
                found[0] = True
            else:
                _scan(child, remaining - 1, found)
        elif kind is list:
            if remaining == 0:
                found[0] = True
            else:
                _scan(child, remaining - 1, found)
        elif kind is int:
            if child >= INT64_LIMIT or child <= -INT64_LIMIT:
                found[1] = True
        elif kind is float and child - child != 0.0:  # inf - inf and nan - nan are nan
            found[2] = True


class KeyEnds(NamedTuple):
    colons: int  # '":' in the text
    spaced: int  # '"' then whitespace then ':'

    @property
    def at_least(self) -> int:
        """At least the number of object keys in the text: each key ends one way or the other,
        and a quote inside a string only when the string holds ``":`` or starts with ``:``."""
        return self.colons + self.spaced


def key_ends(text: str) -> KeyEnds:
    """How often a closing quote is followed by ``:`` in the valid JSON ``text``, directly or
    after whitespace: every key's closing quote is, and other quotes seldom are. When the
    total equals the members the parser kept, each of these ends a key, and no key is
    repeated: the keys before an offset are then the key ends before it
    (:mod:`json_key_ordinals`)."""
    return KeyEnds(text.count('":'), len(SPACED_KEY_END.findall(text)))
