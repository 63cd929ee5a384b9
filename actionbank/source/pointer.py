"""RFC 6901 JSON pointers: how every diagnostic names the value it is about."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["dotted", "join", "path_text", "split"]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join(base: str, *tokens: str | int) -> str:
    """``join("/edge", "right_arm", 3)`` is ``"/edge/right_arm/3"``."""
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = _escape(text)
        base = f"{base}/{text}"
    return base


def split(pointer: str) -> list[str]:
    """The unescaped tokens of ``pointer``; ``""`` (the whole document) has none."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/': {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def path_text(tokens: Iterable[str | int], base: str = "") -> str:
    """``base`` read on through ``tokens`` as messages write a place: keys after dots, list
    indices (ints) in brackets, ``path_text(["edge", "right_arm", 2])`` is ``"edge.right_arm[2]"``."""
    text = base
    for token in tokens:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else token)
    return text


def dotted(base: str, pointer: str) -> str:
    """``pointer`` read on from the dotted path ``base`` (digit tokens as list indices):
    ``dotted("env.events.place.params", "/avoid/1")`` is ``"env.events.place.params.avoid[1]"``."""
    return path_text((int(t) if t.isdigit() else t for t in split(pointer)), base)
