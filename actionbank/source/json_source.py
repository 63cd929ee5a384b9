"""JSON documents: parsed by the standard library's C decoder, located lazily.

A clean document costs one plain ``json.loads`` and one walk (:mod:`json_scan`); only a
document that walk has doubts about is parsed again, strictly, with hooks that find repeated
keys and non-finite numbers where they are. Positions are only computed when a diagnostic
asks for one (:mod:`json_locator`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pydantic_core

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.source.json_key_ordinals import KeyOrdinals
from actionbank.source.json_locator import JsonText
from actionbank.source.json_scan import DocumentScan, KeyEnds, key_ends, scan_document
from actionbank.source.limits import INT64_LIMIT, MAX_DEPTH

__all__ = ["parse_json"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIRED = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_LONG_DIGITS = re.compile(r"\d{19,}")


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


def _parse_plain(text: str) -> tuple[Any, DocumentScan, KeyEnds] | None:
    """``(data, its scan, its key ends)`` from one compiled parse, or ``None``
    when the strict parse must run: the text is not JSON, nests too deep, has a non-finite
    number or (maybe) a repeated key. A clean document then costs one parse and one walk.

    pydantic-core's parser (``from_json``) reads what ``json.loads`` reads, into the same
    values, in about two thirds of the time; a text it refuses goes to ``json.loads`` (the
    strict parse), whose errors are the ones reported."""
    try:
        data = pydantic_core.from_json(text, allow_inf_nan=False)
    except (ValueError, RecursionError):
        return None
    scan = scan_document(data, MAX_DEPTH)
    ends = key_ends(text)
    if scan.too_deep or not scan.finite or scan.members != ends.at_least:
        return None
    return data, scan, ends


def _syntax_error(text: str) -> json.JSONDecodeError | None:
    """Where ``text`` stops being JSON, if it does (the plain C parse's own error)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error
    except (ValueError, RecursionError):
        return None
    return None


def _parse_strict(text: str, display: str, source: JsonText) -> tuple[Any, list[Diagnostic]]:
    """The data, or the diagnostics that say why the text is not a document we accept."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs_without_duplicates,
            parse_float=_finite_float,
            parse_constant=_reject_constant,
        )
    except _DuplicateSeen:
        diagnostics = []
        try:
            for pointer, key, offset in source.duplicates():
                line, column = source.line_column(offset)
                diagnostics.append(Diagnostic.make("AB106", pointer, key=key).at(display, line, column))
        except (json.JSONDecodeError, IndexError) as walk_error:
            # The hook fires as soon as an object with a repeated key closes, so the text may
            # still break further on (or end), where the walk for the keys stops: report that.
            syntax = _syntax_error(text)
            if syntax is None:
                if not isinstance(walk_error, json.JSONDecodeError):
                    raise
                syntax = walk_error
            diagnostic = Diagnostic.make("AB105", language="JSON", reason=syntax.msg)
            return None, [diagnostic.at(display, syntax.lineno, syntax.colno)]
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
    return data, []


def parse_json(text: str, display: str) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Parse ``text``; on failure return ``None`` and located diagnostics."""
    source = JsonText(text)
    plain = _parse_plain(text)
    if plain is None:
        data, diagnostics = _parse_strict(text, display, source)
        if diagnostics:
            return None, diagnostics
        scan = scan_document(data, MAX_DEPTH)
    else:
        data, scan, ends = plain  # each key end found ends a key: locate from key counts
        source.ordinals = KeyOrdinals(text, data, scan.keys_before, spaced=ends.spaced > 0)
    problem = _unrepresentable(text)
    if problem is not None:
        offset, reason = problem
        line, column = source.line_column(offset)
        return None, [Diagnostic.make("AB105", language="JSON", reason=reason).at(display, line, column)]
    too_deep, big_seen = scan.too_deep, scan.big_integer
    if big_seen or too_deep:  # too deep: the walk stopped at the limit, so look for big integers everywhere
        big = _big_integer(data) if big_seen or _LONG_DIGITS.search(text) else None
        if big is not None:
            pointer, value = big
            position = source.locate(pointer) or (1, 1)
            reason = f"{str(value)[:20]}… does not fit in 64 bits"
            return None, [Diagnostic.make("AB105", pointer, language="JSON", reason=reason).at(display, *position)]
    if too_deep:
        return None, [Diagnostic.make("AB108", limit=MAX_DEPTH).at(display, 1, 1)]
    return SourceDocument(display, "json", data, source.locate, text), []
