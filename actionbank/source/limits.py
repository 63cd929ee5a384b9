"""Limits that keep hostile documents (deep nesting, alias bombs) from hurting later stages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["INT64_LIMIT", "MAX_DEPTH", "MAX_VALUES", "depth_exceeds"]

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
