"""JSON documents: parsed by the standard library's C decoder, located lazily.

A clean document costs one ``json.loads``. Positions are only computed when a diagnostic
asks for one: the locator walks the text along the pointer and skips sibling values with
``JSONDecoder.raw_decode``, which runs at C speed. (Written by hand: no maintained library
gives both C-speed parsing and a JSON-pointer source map.)
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.source.limits import INT64_LIMIT, MAX_DEPTH, scan_limits

__all__ = ["parse_json"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIRED = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_LONG_DIGITS = re.compile(r"\d{19,}")
_NEWLINE = re.compile("\n")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class _DuplicateSeen(Exception):
    pass


class _NotFinite(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


def _finite_float(token: str) -> float:
    value = float(token)
    if value in (math.inf, -math.inf):
        raise _NotFinite(token)
    return value


def _reject_constant(token: str) -> float:
    raise _NotFinite(token)


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateSeen
    return result


class _Text:
    """Positions in one JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Offsets found while locating, per container offset, with the scan that found them:
        # each container is scanned at most once, however many diagnostics point into it,
        # and only as far as the members or items asked for (skipping a member decodes it).
        self._members: dict[int, tuple[dict[str, tuple[int, int]], Iterator[tuple[str, int, int]]]] = {}
        self._items: dict[int, tuple[list[int], Iterator[int]]] = {}
        self._line_starts: list[int] | None = None

    def line_column(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def skip_ws(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        assert match is not None
        return match.end()

    def members(self, index: int) -> Iterator[tuple[str, int, int]]:
        """``(key, key_offset, value_offset)`` for each member of the object at ``index``."""
        text = self.text
        index = self.skip_ws(index + 1)
        if text[index] == "}":
            return
        while True:
            key_offset = index
            key, index = _scanstring(text, index + 1)
            index = self.skip_ws(self.skip_ws(index) + 1)  # past ':'
            yield key, key_offset, index
            _, index = _DECODER.raw_decode(text, index)
            index = self.skip_ws(index)
            if text[index] != ",":
                return
            index = self.skip_ws(index + 1)

    def items(self, index: int) -> Iterator[int]:
        """The offset of each item of the array at ``index``."""
        text = self.text
        index = self.skip_ws(index + 1)
        if text[index] == "]":
            return
        while True:
            yield index
            _, index = _DECODER.raw_decode(text, index)
            index = self.skip_ws(index)
            if text[index] != ",":
                return
            index = self.skip_ws(index + 1)

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """Object members are located at their key, array items at the item."""
        try:
            tokens = jp.split(pointer)
        except ValueError:
            return None
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
        """The offset of item ``position`` of the array at ``index``."""
        state = self._items.get(index)
        if state is None:
            state = self._items[index] = ([], self.items(index))
        offsets, scan = state
        while len(offsets) <= position:
            offset = next(scan, None)
            if offset is None:
                return None
            offsets.append(offset)
        return offsets[position]

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


def _unrepresentable(text: str) -> tuple[int, str] | None:
    """A lone surrogate escape or an integer beyond 64 bits: valid JSON text, but not data we
    can write back out or compute with. Both searches are cheap and rarely match at all."""
    if "\\u" in text:
        paired = {m.start() for m in _PAIRED.finditer(text)}
        paired |= {p + 6 for p in paired}
        for match in _SURROGATE_ESCAPE.finditer(text):
            if match.start() not in paired and text[match.start() - 1] != "\\":
                return match.start(), f"{match.group()} is a lone surrogate, not a character"
    return None


def _big_integer(data: Any) -> tuple[str, int] | None:
    """The pointer and value of the first integer beyond 64 bits, if any (iterative walk)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((jp.join(pointer, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((jp.join(pointer, i), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= INT64_LIMIT:
            return pointer, value
    return None


def parse_json(text: str, display: str) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Parse ``text``; on failure return ``None`` and located diagnostics."""
    source = _Text(text)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs_without_duplicates,
            parse_float=_finite_float,
            parse_constant=_reject_constant,
        )
    except _DuplicateSeen:
        diagnostics = []
        for pointer, key, offset in source.duplicates():
            line, column = source.line_column(offset)
            diagnostics.append(Diagnostic.make("AB106", pointer, key=key).at(display, line, column))
        return None, diagnostics
    except json.JSONDecodeError as exc:
        diagnostic = Diagnostic.make("AB105", language="JSON", reason=exc.msg)
        return None, [diagnostic.at(display, exc.lineno, exc.colno)]
    except _NotFinite as exc:
        offset = max(text.find(exc.token), 0)
        line, column = source.line_column(offset)
        reason = f"{exc.token} is not a finite JSON number"
        return None, [Diagnostic.make("AB105", language="JSON", reason=reason).at(display, line, column)]
    except RecursionError:
        return None, [Diagnostic.make("AB108", limit=MAX_DEPTH).at(display, 1, 1)]
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        match = _LONG_DIGITS.search(text)
        line, column = source.line_column(match.start() if match else 0)
        return None, [Diagnostic.make("AB105", language="JSON", reason=str(exc)).at(display, line, column)]
    problem = _unrepresentable(text)
    if problem is not None:
        offset, reason = problem
        line, column = source.line_column(offset)
        return None, [Diagnostic.make("AB105", language="JSON", reason=reason).at(display, line, column)]
    too_deep, big_seen = scan_limits(data, MAX_DEPTH)
    if big_seen or too_deep:  # too deep: the walk stopped at the limit, so look for big integers everywhere
        big = _big_integer(data) if big_seen or _LONG_DIGITS.search(text) else None
        if big is not None:
            pointer, value = big
            position = source.locate(pointer) or (1, 1)
            reason = f"{str(value)[:20]}… does not fit in 64 bits"
            return None, [Diagnostic.make("AB105", pointer, language="JSON", reason=reason).at(display, *position)]
    if too_deep:
        return None, [Diagnostic.make("AB108", limit=MAX_DEPTH).at(display, 1, 1)]
    return SourceDocument(display, "json", data, source.locate), []
