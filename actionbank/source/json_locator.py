"""Positions in a JSON text: from a JSON pointer to the line and column of its value.

Positions are only computed when a diagnostic asks for one: the locator walks the text
along the pointer and skips sibling values with the standard library's C scanner. (Written
by hand: no maintained library gives both C-speed parsing and a JSON-pointer source map.)

Hot when a large bank gets hundreds of diagnostics (16,000 edges, 400 of them located):
each container is scanned at most once and only as far as asked, the loops call the C
scanner directly, and whitespace is matched only where there is some, so compact and
indented texts both cost about one C decode of what is skipped.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_right, insort
from collections.abc import Iterator
from typing import Any

from actionbank.source import pointer as jp
from actionbank.source.json_key_ordinals import KeyOrdinals

__all__ = ["JsonText"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SPACE = frozenset(" \t\n\r")
_DECODER = json.JSONDecoder()
_scan_once = _DECODER.scan_once  # type: ignore[attr-defined]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonText:
    """Positions in one JSON text that the C decoder accepted (except :meth:`duplicates`,
    which also walks texts the parser rejected for their repeated keys)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Offsets found while locating, per container offset, with the scan that found them:
        # each container is scanned at most once, however many diagnostics point into it,
        # and only as far as the members or items asked for (skipping a member decodes it).
        self._members: dict[int, tuple[dict[str, tuple[int, int]], Iterator[tuple[str, int, int]]]] = {}
        self._items: dict[int, list[Any]] = {}  # array offset → [item offsets, next item, end]
        # (offset, line, line start) of offsets already counted, sorted: a line is counted
        # from the nearest one before it, so locating in text order reads the text once, and
        # a small text is not split into line starts at all.
        self._lines: list[tuple[int, int, int]] = [(0, 1, 0)]
        # Set by the parser when every '":' in the text ends a key: most positions are then
        # found from key counts, without decoding what comes before them.
        self.ordinals: KeyOrdinals | None = None

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based ``(line, column)`` of character ``offset``."""
        lines = self._lines
        start, line, line_start = lines[bisect_right(lines, (offset, 1 << 62, 0)) - 1]
        if start != offset:
            newlines = self.text.count("\n", start, offset)
            if newlines:
                line += newlines
                line_start = self.text.rfind("\n", start, offset) + 1
            insort(lines, (offset, line, line_start))
        return line, offset - line_start + 1

    def skip_ws(self, index: int) -> int:
        text = self.text
        if index < len(text) and text[index] in _SPACE:
            match = _WHITESPACE.match(text, index)
            assert match is not None
            return match.end()
        return index

    def members(self, index: int) -> Iterator[tuple[str, int, int]]:
        """``(key, key_offset, value_offset)`` for each member of the object at ``index``."""
        text = self.text
        skip_ws = self.skip_ws
        index = skip_ws(index + 1)
        if text[index] == "}":
            return
        while True:
            key_offset = index
            key, index = _scanstring(text, index + 1)
            index = skip_ws(skip_ws(index) + 1)  # past ':'
            yield key, key_offset, index
            index = skip_ws(self._value_end(index))
            if text[index] != ",":
                return
            index = skip_ws(index + 1)

    def items(self, index: int) -> Iterator[int]:
        """The offset of each item of the array at ``index``."""
        text = self.text
        skip_ws = self.skip_ws
        index = skip_ws(index + 1)
        if text[index] == "]":
            return
        while True:
            yield index
            index = skip_ws(_skip_value(text, index))
            if text[index] != ",":
                return
            index = skip_ws(index + 1)

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Object members are located at their key, array items at the item."""
        try:
            tokens = jp.split(pointer)
        except ValueError:
            return None
        if self.ordinals is not None:
            offset = self.ordinals.offset(tokens)
            if offset is not None:
                return self.line_column(offset)
        index = self.skip_ws(0)
        found = index
        for token in tokens:
            opener = self.text[index]
            found_at: tuple[int, int] | None = None
            if opener == "{":
                found_at = self._member(index, token)
            elif opener == "[" and token.isdigit():
                offset = self._item(index, int(token))
                found_at = None if offset is None else (offset, offset)
            if found_at is None:
                return None
            found, index = found_at
        return self.line_column(found)

    def _member(self, index: int, key: str) -> tuple[int, int] | None:
        """``(key_offset, value_offset)`` of member ``key`` of the object at ``index``.

        A parsed document has no repeated keys (the parser rejects them), so the scan stops
        at the first match and resumes from there for the next key asked for.
        """
        state = self._members.get(index)
        if state is None:
            state = self._members[index] = ({}, self.members(index))
        seen, scan = state
        found = seen.get(key)
        if found is None:
            for member, key_offset, value_offset in scan:
                seen.setdefault(member, (key_offset, value_offset))
                if member == key:
                    return key_offset, value_offset
        return found

    def _item(self, index: int, position: int) -> int | None:
        """The offset of item ``position`` of the array at ``index``.

        Hot (hundreds of diagnostics deep in a 500-item array): a plain loop, no generator;
        the state per array is its item offsets so far, where the next item starts (-1 past
        the last) and where the array ends (-1 until the scan gets there).
        """
        state = self._items.get(index)
        if state is None:
            first = self.skip_ws(index + 1)
            empty = self.text[first] == "]"
            state = self._items[index] = [[], -1 if empty else first, first + 1 if empty else -1]
        offsets: list[int] = state[0]
        if position < len(offsets):
            return offsets[position]
        text = self.text
        at: int = state[1]
        while at >= 0 and len(offsets) <= position:
            offsets.append(at)
            at = _skip_value(text, at)
            if text[at] in _SPACE:
                at = self.skip_ws(at)
            if text[at] != ",":
                state[2] = at + 1  # past the "]"
                at = -1
                break
            at += 1
            if text[at] in _SPACE:
                at = self.skip_ws(at)
        state[1] = at
        return offsets[position] if position < len(offsets) else None

    def _value_end(self, index: int) -> int:
        """The offset just past the value at ``index``: an array already scanned item by item
        (a diagnostic pointed into it) is scanned on to its end, not decoded again whole."""
        state = self._items.get(index)
        if state is None:
            return _skip_value(self.text, index)
        self._item(index, sys.maxsize)
        return int(state[2])

    def duplicates(self, index: int = 0, pointer: str = "") -> Iterator[tuple[str, str, int]]:
        """``(pointer, key, key_offset)`` of every repeated key, in text order."""
        index = self.skip_ws(index)
        opener = self.text[index]
        if opener == "{":
            seen: set[str] = set()
            for key, key_offset, value_offset in self.members(index):
                if key in seen:
                    yield jp.join(pointer, key), key, key_offset
                seen.add(key)
                yield from self.duplicates(value_offset, jp.join(pointer, key))
        elif opener == "[":
            for position, item_offset in enumerate(self.items(index)):
                yield from self.duplicates(item_offset, jp.join(pointer, position))


def _skip_value(text: str, index: int) -> int:
    """The offset just past the JSON value at ``index`` (as ``JSONDecoder.raw_decode``, which
    raises :class:`json.JSONDecodeError` where there is no value)."""
    try:
        return int(_scan_once(text, index)[1])
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
