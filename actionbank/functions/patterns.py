"""Kwargs path patterns: how a function declares where keys and nested calls live in its kwargs.

A pattern is ``/``-separated: a literal segment matches that key (or list index), ``*`` any
one child, ``**`` any depth (zero or more levels), and a final ``@keys`` yields the keys of
the object reached. Example: ``affordance_infos/*/dst_key``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from actionbank.source import pointer as jp

__all__ = ["declared_keys", "match"]


Path = tuple[str | int, ...]


def _children(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        yield from value.items()
    elif isinstance(value, list):
        yield from enumerate(value)


def _match(value: Any, segments: tuple[str, ...], path: Path, found: list[tuple[Path, Any]]) -> None:
    # Hot on large banks: plain recursion collecting into ``found``, no generators.
    if not segments:
        found.append((path, value))
        return
    head, rest = segments[0], segments[1:]
    if head == "@keys":
        if isinstance(value, dict):
            found.extend(((*path, key), key) for key in value)
    elif head == "**":
        _match(value, rest, path, found)
        for key, child in _children(value):
            _match(child, segments, (*path, key), found)
    elif head == "*":
        for key, child in _children(value):
            _match(child, rest, (*path, key), found)
    elif isinstance(value, dict):
        if head in value:
            _match(value[head], rest, (*path, head), found)
    elif isinstance(value, list) and head.isdigit() and int(head) < len(value):
        _match(value[int(head)], rest, (*path, int(head)), found)


@functools.cache
def _segments(pattern: str) -> tuple[str, ...]:
    return tuple(pattern.split("/"))


def match(value: Any, pattern: str, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """``(pointer, value)`` for every place in ``value`` that ``pattern`` reaches, in order."""
    found: list[tuple[Path, Any]] = []
    _match(value, _segments(pattern), (), found)
    for path, item in found:
        yield jp.join(pointer, *path), item


def declared_keys(
    kwargs: Any, patterns: tuple[str, ...], pointer: str, default_pointer: str
) -> Iterator[tuple[str, str]]:
    """``(key, pointer)`` for each string value the ``reads``/``writes`` ``patterns`` reach in
    ``kwargs`` (under ``pointer``); a ``pattern=key`` entry that reaches none yields ``key`` at
    ``default_pointer``."""
    for entry in patterns:
        pattern, _, default = entry.partition("=")
        found = False
        for where, value in match(kwargs, pattern, pointer):
            if isinstance(value, str):
                found = True
                yield value, where
        if default and not found:
            yield default, default_pointer
