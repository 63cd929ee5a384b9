"""One walk over a plainly parsed JSON document: what the strict parse would have rejected.

``json.loads`` without hooks runs entirely in C, but it keeps the last of repeated keys and
reads ``NaN``, ``Infinity`` and ``1e999`` as floats. :func:`scan_document` finds out, in one
walk, whether the strict parse (a Python hook per object and per float) would have had
anything to say: nesting deeper than the limit, a non-finite float, an integer beyond 64 bits,
and how many object members were kept, which the parser compares with the number of keys in
the text (:func:`keys_in_text_at_least`) to know that no key was repeated. The same walk
checks the depth and integers of a document the strict parse read.

Written by hand: nothing in the standard library reports these.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from actionbank.source.limits import INT64_LIMIT

__all__ = ["DocumentScan", "keys_in_text_at_least", "scan_document"]

_SPACED_KEY_END = re.compile(r'"[ \t\n\r]+:')


class DocumentScan(NamedTuple):
    too_deep: bool  # containers nest deeper than the limit (then the rest is not filled in)
    big_integer: bool  # an integer does not fit in 64 bits
    finite: bool  # every float is finite
    members: int  # object members kept, over the whole document


def scan_document(data: Any, limit: int) -> DocumentScan:
    """Walk ``data`` (as ``json.loads`` returns it), at most ``limit`` containers deep."""
    kind = type(data)
    if kind is not dict and kind is not list:
        big = kind is int and abs(data) >= INT64_LIMIT
        return DocumentScan(False, big, kind is not float or math.isfinite(data), 0)
    found: list[Any] = [False, False, False, len(data) if kind is dict else 0]
    _scan(data, limit - 1, found)
    return DocumentScan(found[0], found[1], not found[2], found[3])


def _scan(value: Any, remaining: int, found: list[Any]) -> None:
    """Walk the dict or list ``value`` whose children may nest ``remaining`` more levels;
    ``found`` is ``[too_deep, big_integer, not_finite, members]``. Hot: exact type checks, no
    generators (a recursive loop beat C iteration over whole levels, which touches every
    value once per pass)."""
    child: Any
    for child in value.values() if type(value) is dict else value:
        kind = type(child)
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


def keys_in_text_at_least(text: str) -> int:
    """At least the number of object keys in the valid JSON ``text``.

    Every key's closing quote is followed by optional whitespace and ``:``; so is a quote
    inside a string only when the string holds ``":`` or starts with ``:``. So when this
    count equals the members the parser kept, no key was repeated (and when it does not,
    the caller must look closer).
    """
    return text.count('":') + len(_SPACED_KEY_END.findall(text))
