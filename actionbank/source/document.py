"""A parsed document: plain JSON-like data plus a source map from JSON pointers to positions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from actionbank.diagnostics.diagnostic import Diagnostic

__all__ = ["Locator", "SourceDocument"]

#: Maps a JSON pointer to a 1-based ``(line, column)``, or ``None`` when it is not in the text.
Locator = Callable[[str], tuple[int, int] | None]


@dataclass(frozen=True)
class SourceDocument:
    """One input file as read: its display path, language, plain data and source map.

    ``data`` holds only ``dict`` (string keys), ``list``, ``str``, ``int``, ``float``,
    ``bool`` and ``None``, whatever the language was.
    """

    path: str
    language: Literal["json", "yaml"]
    data: Any
    locator: Locator
    text: str | None = None  # as read; None when the data did not come from a text

    def may_hold(self, word: str) -> bool:
        """Whether a string or key of the document may contain ``word``: ``False`` only when its
        text shows that none can, the word being nowhere in it and no escape (every escape,
        in JSON and in YAML, starts with a backslash) able to spell it."""
        return self.text is None or word in self.text or "\\" in self.text

    def locate(self, pointer: str) -> tuple[int, int] | None:
        """The position of the value at ``pointer``, or of its nearest existing ancestor."""
        while True:
            position = self.locator(pointer)
            if position is not None or not pointer:
                return position
            pointer = pointer.rsplit("/", 1)[0]

    def place(self, diagnostic: Diagnostic) -> Diagnostic:
        """``diagnostic`` with this document's file name and the position of its pointer."""
        position = self.locate(diagnostic.pointer)
        line, column = position if position is not None else (None, None)
        return diagnostic.at(self.path, line, column)

    def place_all(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [self.place(d) for d in diagnostics]
