"""Positions in a JSON text from the order of its keys, without decoding what comes before.

In a text where every ``":`` ends an object key (:func:`json_scan.key_ends`: the parser kept as
many members as there are ``":``, plus those with whitespace before the colon), the keys
before an offset are the key ends before it, and the data says how many keys precede a value:
the keys of everything written before it (dicts keep the text's order). So a key's position
is found by searching its text from a known earlier key and counting the key ends passed
(both in C), where :class:`json_locator.JsonText` decodes every value before it.

The counts come from the document's scan (:attr:`json_scan.DocumentScan.keys_before`) for the
containers near the top, and are counted the same way (:func:`json_scan.index_keys`), once,
for the others a pointer passes through.
Whatever this cannot prove, it leaves to the decoder (``None``): a key written with escapes
other than ``json.dumps``' own, an array item that is not a non-empty object.

Written by hand: no library locates JSON values from key counts.
"""

from __future__ import annotations

import json
from bisect import bisect_right, insort
from typing import Any

from actionbank.source.json_scan import SPACED_KEY_END, index_keys

__all__ = ["KeyOrdinals"]

_ENCODE_KEY = json.JSONEncoder(ensure_ascii=False).encode
_SPACE = " \t\n\r"


class KeyOrdinals:
    """Key offsets in ``text`` (whose data is ``data``, scanned into ``keys_before``), for a text
    in which every ``":`` ends a key, as does every ``"`` then whitespace then ``:`` when
    ``spaced`` (there are some: they are counted too, and such keys are left to the decoder)."""

    def __init__(self, text: str, data: Any, keys_before: dict[int, list[int]], spaced: bool = False) -> None:
        self.text = text
        self.spaced = spaced
        self.data = data  # keeps the ids in ``keys_before`` and ``_positions`` valid
        self._keys_before = keys_before
        self._positions: dict[int, dict[str, int]] = {}  # dict id → key → its place in the dict
        # (keys before the offset, offset) of key ends found so far, sorted: each search starts
        # at the nearest one before, so locating in text order reads the text once.
        self._anchors: list[tuple[int, int]] = [(0, 0)]

    def offset(self, tokens: list[str]) -> int | None:
        """The offset of the value at ``tokens``: its key for an object member, its ``{`` for an
        array item that is an object; ``None`` when this cannot tell (ask the decoder)."""
        if not tokens:
            return None
        value = self.data
        keys = 0  # keys before the current value's content, in text order
        last = len(tokens) - 1
        for depth, token in enumerate(tokens):
            kind = type(value)
            if kind is dict:
                place = self._place(value, token)
                if place is None:
                    return None
                keys += self._before(value, place)
                if depth == last:
                    return self._key_offset(keys, token)
                keys += 1  # the member's own key, then its value's
                value = value[token]
            elif kind is list:
                if not token.isdigit() or int(token) >= len(value):
                    return None
                index = int(token)
                keys += self._before(value, index)
                value = value[index]
                if depth == last:
                    return self._item_offset(keys, value)
            else:
                return None
        return None  # not reached: the last token returns

    def _place(self, value: dict[str, Any], key: str) -> int | None:
        positions = self._positions.get(id(value))
        if positions is None:
            positions = self._positions[id(value)] = {k: i for i, k in enumerate(value)}
        return positions.get(key)

    def _before(self, container: dict[str, Any] | list[Any], index: int) -> int:
        """Keys in ``container`` before its child ``index``, counted from its opening."""
        counts = self._keys_before.get(id(container))
        if counts is None:  # deeper than the scan indexed: counted once, the same way
            counts = index_keys(container, self._keys_before)
        return counts[index]

    def _key_offset(self, keys: int, key: str) -> int | None:
        """The offset of the opening quote of the key that ``keys`` keys precede, whose text is
        ``key`` as ``json.dumps`` writes it: searched from the nearest known key end before it,
        and proven by the ``":`` counted on the way."""
        text = self.text
        needle = _ENCODE_KEY(key) + ":"
        anchors = self._anchors
        seen, start = anchors[bisect_right(anchors, (keys, len(text))) - 1]
        while True:
            found = text.find(needle, start)
            if found < 0:
                return None
            end = found + len(needle)
            seen += text.count('":', start, end)
            if self.spaced:
                seen += len(SPACED_KEY_END.findall(text, start, end))
            if seen > keys + 1:  # passed it: the key is written differently
                return None
            if seen == keys + 1:  # the needle's '":' ends this key, so the needle is all of it
                insort(anchors, (seen, end))
                return found
            start = end  # a key that ends like this one, earlier: search on

    def _item_offset(self, keys: int, item: Any) -> int | None:
        """The ``{`` of an array item that is a non-empty object (found from its first key)."""
        if type(item) is not dict or not item:
            return None
        first = self._key_offset(keys, next(iter(item)))
        if first is None:
            return None
        at = first - 1
        while at >= 0 and self.text[at] in _SPACE:
            at -= 1
        return at if at >= 0 and self.text[at] == "{" else None
