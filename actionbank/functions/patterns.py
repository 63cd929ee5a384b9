"""Kwargs path patterns: how a function declares where keys and nested calls live in its kwargs.

A pattern is ``/``-separated: a literal segment matches that key (or list index), ``*`` any
one child, ``**`` any depth (zero or more levels), and a final ``@keys`` yields the keys of
the object reached. Example: ``affordance_infos/*/dst_key``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actionbank.source import pointer as jp

__all__ = ["match"]


def _children(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        yield from value.items()
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield str(index), item


def _match(value: Any, segments: tuple[str, ...], pointer: str) -> Iterator[tuple[str, Any]]:
    if not segments:
        yield pointer, value
        return
    head, rest = segments[0], segments[1:]
    if head == "@keys":
        if isinstance(value, dict):
            for key in value:
                yield jp.join(pointer, key), key
    elif head == "**":
        yield from _match(value, rest, pointer)
        for key, child in _children(value):
            yield from _match(child, segments, jp.join(pointer, key))
    elif head == "*":
        for key, child in _children(value):
            yield from _match(child, rest, jp.join(pointer, key))
    elif isinstance(value, dict) and head in value:
        yield from _match(value[head], rest, jp.join(pointer, head))
    elif isinstance(value, list) and head.isdigit() and int(head) < len(value):
        yield from _match(value[int(head)], rest, jp.join(pointer, head))


def match(value: Any, pattern: str, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """``(pointer, value)`` for every place in ``value`` that ``pattern`` reaches, in order."""
    yield from _match(value, tuple(pattern.split("/")), pointer)
