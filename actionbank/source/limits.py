"""Limits that keep hostile documents (deep nesting, alias bombs) from hurting later stages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["INT64_LIMIT", "MAX_DEPTH", "MAX_VALUES", "depth_exceeds", "scan_limits"]

#: Deepest nesting of objects and arrays accepted in any input.
MAX_DEPTH = 64
#: Most values a YAML document may expand to once aliases are followed.
MAX_VALUES = 5_000_000
#: Integers whose magnitude reaches this are rejected: they do not fit in 64 bits.
INT64_LIMIT = 2**63


def depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` nests containers deeper than ``limit`` (iterative, no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def scan_limits(data: Any, limit: int) -> tuple[bool, bool]:
    """``(too_deep, big_integer)`` in one walk over ``data``: whether containers nest deeper
    than ``limit`` (as :func:`depth_exceeds`), and whether an integer does not fit in 64 bits.

    The walk recurses at most ``limit`` levels and does not descend past the limit, so when
    ``too_deep`` is true, ``big_integer`` covers only the levels within it. Hot on large
    documents: exact type checks, no generators.
    """
    kind = type(data)
    if kind is not dict and kind is not list:
        return False, kind is int and abs(data) >= INT64_LIMIT
    found = [False, False]
    _scan(data, limit - 1, found)
    return found[0], found[1]


def _scan(value: Any, remaining: int, found: list[bool]) -> None:
    """Walk the dict or list ``value`` whose children may nest ``remaining`` more levels."""
    child: Any
    for child in value.values() if type(value) is dict else value:
        kind = type(child)
        if kind is dict or kind is list:
            if remaining == 0:
                found[0] = True
            else:
                _scan(child, remaining - 1, found)
        elif kind is int and (child >= INT64_LIMIT or child <= -INT64_LIMIT):
            found[1] = True
