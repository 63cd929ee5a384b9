"""Kwargs path patterns: how a function declares where keys and nested calls live in its kwargs.

A pattern is ``/``-separated: a literal segment matches that key (or list index), ``*`` any
one child, ``**`` any depth (zero or more levels), and a final ``@keys`` yields the keys of
the object reached. Example: ``affordance_infos/*/dst_key``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from actionbank.source import pointer as jp

__all__ = ["declared_key_paths", "declared_key_values", "declared_keys", "match", "match_paths", "match_values"]


Path = tuple[str | int, ...]
#: A compiled pattern: appends ``(path, value)`` for each place it reaches under ``value``.
_Matcher = Callable[[Any, Path, list[tuple[Path, Any]]], None]


def _found(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
    found.append((path, value))


def _keys_of(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
    if isinstance(value, dict):
        found.extend(((*path, key), key) for key in value)


def _every_child(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
    """``*`` as the last segment: each child is found (no call per child)."""
    if isinstance(value, dict):
        found.extend([((*path, key), child) for key, child in value.items()])
    elif isinstance(value, list):
        found.extend([((*path, index), child) for index, child in enumerate(value)])


def _any_child(rest: _Matcher) -> _Matcher:
    if rest is _found:
        return _every_child

    def match_child(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                rest(child, (*path, key), found)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                rest(child, (*path, index), found)

    return match_child


def _any_depth(rest: _Matcher) -> _Matcher:
    def match_deep(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
        rest(value, path, found)
        if isinstance(value, dict):
            for key, child in value.items():
                match_deep(child, (*path, key), found)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                match_deep(child, (*path, index), found)

    return match_deep


def _literal(head: str, rest: _Matcher) -> _Matcher:
    digits = head.isdigit()
    if rest is _found and not digits:  # a last literal segment: the common ``*/dst_key``

        def match_key(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
            if isinstance(value, dict) and head in value:
                found.append(((*path, head), value[head]))

        return match_key

    def match_literal(value: Any, path: Path, found: list[tuple[Path, Any]]) -> None:
        if isinstance(value, dict):
            if head in value:
                rest(value[head], (*path, head), found)
        elif digits and isinstance(value, list) and int(head) < len(value):
            rest(value[int(head)], (*path, int(head)), found)

    return match_literal


@functools.cache
def _compiled(pattern: str) -> _Matcher:
    """``pattern`` as nested closures, one per segment (hot on large banks: no slicing and
    no segment dispatch per value)."""
    segments = pattern.split("/")
    matcher: _Matcher = _found
    for index in range(len(segments) - 1, -1, -1):
        head = segments[index]
        if head == "@keys":
            matcher = _keys_of  # nothing after @keys matters
        elif head == "**":
            matcher = _any_depth(matcher)
        elif head == "*":
            matcher = _any_child(matcher)
        else:
            matcher = _literal(head, matcher)
    return matcher


#: :data:`_Matcher` without paths: appends each value it reaches.
_ValueMatcher = Callable[[Any, list[Any]], None]


def _every_value(value: Any, found: list[Any]) -> None:
    if isinstance(value, dict):
        found.extend(value.values())
    elif isinstance(value, list):
        found.extend(value)


def _value_found(value: Any, found: list[Any]) -> None:
    found.append(value)


@functools.cache
def _compiled_values(pattern: str) -> _ValueMatcher:
    """``pattern`` compiled as :func:`_compiled` does, for the values alone: what a check
    that only reports when something is wrong asks first (hot: no path per value)."""
    matcher: _ValueMatcher = _value_found
    for head in reversed(pattern.split("/")):
        if head == "@keys":
            matcher = _value_keys
        elif head == "**":
            matcher = _values_at_any_depth(matcher)
        elif head == "*":
            matcher = _every_value if matcher is _value_found else _values_of_children(matcher)
        else:
            matcher = _value_of_key(head, matcher)
    return matcher


def _value_keys(value: Any, found: list[Any]) -> None:
    if isinstance(value, dict):
        found.extend(value)


def _values_at_any_depth(rest: _ValueMatcher) -> _ValueMatcher:
    def match_deep(value: Any, found: list[Any]) -> None:
        rest(value, found)
        if isinstance(value, dict):
            for child in value.values():
                match_deep(child, found)
        elif isinstance(value, list):
            for child in value:
                match_deep(child, found)

    return match_deep


def _values_of_children(rest: _ValueMatcher) -> _ValueMatcher:
    def match_child(value: Any, found: list[Any]) -> None:
        if isinstance(value, dict):
            for child in value.values():
                rest(child, found)
        elif isinstance(value, list):
            for child in value:
                rest(child, found)

    return match_child


def _value_of_key(head: str, rest: _ValueMatcher) -> _ValueMatcher:
    index = int(head) if head.isdigit() else None

    def match_literal(value: Any, found: list[Any]) -> None:
        if isinstance(value, dict):
            if head in value:
                rest(value[head], found)
        elif index is not None and isinstance(value, list) and index < len(value):
            rest(value[index], found)

    return match_literal


def match_values(value: Any, pattern: str) -> list[Any]:
    """The values of :func:`match_paths`, in the same order, without their paths."""
    found: list[Any] = []
    _compiled_values(pattern)(value, found)
    return found


def match_paths(value: Any, pattern: str) -> list[tuple[Path, Any]]:
    """``(path, value)`` for every place in ``value`` that ``pattern`` reaches, in order;
    ``path`` holds the keys and list indices from ``value`` down."""
    found: list[tuple[Path, Any]] = []
    _compiled(pattern)(value, (), found)
    return found


def match(value: Any, pattern: str, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """``(pointer, value)`` for every place in ``value`` that ``pattern`` reaches, in order."""
    for path, item in match_paths(value, pattern):
        yield jp.join(pointer, *path), item


def declared_key_paths(kwargs: Any, patterns: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """``(key, path)`` for each string value the ``reads``/``writes`` ``patterns`` reach in
    ``kwargs``; a ``pattern=key`` entry that reaches none gives ``(key, None)``."""
    keys: list[tuple[str, Path | None]] = []
    for matcher, default in _key_patterns(patterns):
        reached: list[tuple[Path, Any]] = []
        matcher(kwargs, (), reached)
        found = False
        for path, value in reached:
            if isinstance(value, str):
                found = True
                keys.append((value, path))
        if default and not found:
            keys.append((default, None))
    return keys


def declared_key_values(kwargs: Any, patterns: tuple[str, ...]) -> list[str]:
    """The keys of :func:`declared_key_paths`, in the same order, without their paths."""
    keys: list[str] = []
    for matcher, default in _key_value_patterns(patterns):
        reached: list[Any] = []
        matcher(kwargs, reached)
        found = False
        for value in reached:
            if isinstance(value, str):
                found = True
                keys.append(value)
        if default and not found:
            keys.append(default)
    return keys


@functools.cache
def _key_value_patterns(patterns: tuple[str, ...]) -> tuple[tuple[_ValueMatcher, str], ...]:
    return tuple((_compiled_values(pattern), default) for pattern, _, default in (e.partition("=") for e in patterns))


@functools.cache
def _key_patterns(patterns: tuple[str, ...]) -> tuple[tuple[_Matcher, str], ...]:
    """Each ``pattern=default`` entry as its compiled pattern and default (hot: once per
    node and edge, so the entries are split and looked up once per function)."""
    return tuple((_compiled(pattern), default) for pattern, _, default in (e.partition("=") for e in patterns))


def declared_keys(
    kwargs: Any, patterns: tuple[str, ...], pointer: str, default_pointer: str
) -> Iterator[tuple[str, str]]:
    """``(key, pointer)`` for each string value the ``reads``/``writes`` ``patterns`` reach in
    ``kwargs`` (under ``pointer``); a ``pattern=key`` entry that reaches none yields ``key`` at
    ``default_pointer``."""
    for key, path in declared_key_paths(kwargs, patterns):
        yield key, default_pointer if path is None else jp.join(pointer, *path)
