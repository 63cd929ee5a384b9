"""References in config strings, such as ``env.affordance_datas['cup_pose'][:2, 3]``.

EmbodiChain evaluates such strings with Python's ``eval``. We parse them with a small
grammar of our own into reference objects, and the runtime resolves those against the
affordance store; nothing from a config is ever evaluated or imported::

    reference := "env" ( "." NAME | "[" items "]" )*
    items     := item ( "," item )* [","]
    item      := STRING | INT | [INT] ":" [INT] [ ":" [INT] ]
    INT       := ["-"] DIGITS          STRING := '…' | "…"

Only whitelisted attribute paths are accepted: ``env.affordance_datas[KEY]…`` (with
index, slice and tuple subscripts after the key) and the EmbodiChain handles
``env.robot``, ``env.robot.compute_fk`` and ``env.robot.compute_ik``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from actionbank.errors import ActionbankError

__all__ = [
    "AffordanceRef",
    "HandleRef",
    "Reference",
    "ReferenceSyntaxError",
    "Slice",
    "is_reference",
    "parse_reference",
]

#: Handles a config may name; the runtime supplies what each stands for.
HANDLES: frozenset[tuple[str, ...]] = frozenset({("robot",), ("robot", "compute_fk"), ("robot", "compute_ik")})
_STORE = "affordance_datas"
_MAX_LENGTH = 512
_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<int>-?\d+)|(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<punct>[.\[\],:])"""
)


class ReferenceSyntaxError(ActionbankError):
    """A string that starts like a reference but is outside the grammar."""

    def __init__(self, text: str, reason: str, column: int) -> None:
        self.text = text
        self.reason = reason
        self.column = column  # 1-based, within the string
        super().__init__(f"{text!r}: {reason} (at character {column})")


@dataclass(frozen=True, slots=True)
class Slice:
    start: int | None = None
    stop: int | None = None
    step: int | None = None

    def to_slice(self) -> slice:
        return slice(self.start, self.stop, self.step)

    def __str__(self) -> str:
        text = f"{'' if self.start is None else self.start}:{'' if self.stop is None else self.stop}"
        return text + (f":{self.step}" if self.step is not None else "")


Item = int | str | Slice
Subscript = tuple[Item, ...]


def _item_text(item: Item) -> str:
    return repr(item) if isinstance(item, str) else str(item)


def _subscript_text(subscript: Subscript) -> str:
    return "[" + ", ".join(_item_text(i) for i in subscript) + "]"


def _python_index(subscript: Subscript) -> Any:
    items = tuple(i.to_slice() if isinstance(i, Slice) else i for i in subscript)
    return items[0] if len(items) == 1 else items


@dataclass(frozen=True, slots=True)
class AffordanceRef:
    """``env.affordance_datas[key]`` followed by index, slice or tuple subscripts."""

    key: str
    subscripts: tuple[Subscript, ...] = ()

    def resolve(self, affordances: Mapping[str, Any]) -> Any:
        """The value in ``affordances`` (``KeyError`` when absent), indexed as written."""
        value = affordances[self.key]
        for subscript in self.subscripts:
            value = value[_python_index(subscript)]
        return value

    def __str__(self) -> str:
        return f"env.{_STORE}[{self.key!r}]" + "".join(_subscript_text(s) for s in self.subscripts)


@dataclass(frozen=True, slots=True)
class HandleRef:
    """A whitelisted handle such as ``env.robot.compute_ik``."""

    path: tuple[str, ...]

    def __str__(self) -> str:
        return "env." + ".".join(self.path)


Reference = AffordanceRef | HandleRef


def is_reference(value: object) -> bool:
    """Whether a config value is meant as a reference (a string starting with ``env``)."""
    if not isinstance(value, str):
        return False
    text = value.lstrip()
    return text == "env" or text.startswith(("env.", "env["))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                self.fail(f"unexpected character {text[position]!r}", position)
            assert match.lastgroup is not None
            if match.lastgroup != "space":
                self.tokens.append((match.lastgroup, match.group(), position))
            position = match.end()
        self.index = 0

    def fail(self, reason: str, position: int | None = None) -> NoReturn:
        if position is None:
            position = self.tokens[self.index][2] if self.index < len(self.tokens) else len(self.text)
        raise ReferenceSyntaxError(self.text, reason, position + 1)

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            wanted = repr(value) if value is not None else {"name": "a name", "string": "a quoted key"}.get(kind, kind)
            found = "the end" if token is None else repr(token[1])
            self.fail(f"expected {wanted}, found {found}")
        self.index += 1
        assert token is not None
        return token[1]

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "punct" and token[1] == value

    def integer(self) -> int | None:
        token = self.peek()
        if token is not None and token[0] == "int":
            self.index += 1
            return int(token[1])
        return None

    def item(self) -> Item:
        token = self.peek()
        if token is not None and token[0] == "string":
            self.index += 1
            return _unquote(token[1])
        start = self.integer()
        if not self.at(":"):
            if start is None:
                self.fail("expected an integer, a slice or a quoted key")
            assert start is not None
            return start
        self.index += 1
        stop = self.integer()
        step = None
        if self.at(":"):
            self.index += 1
            step = self.integer()
            if step == 0:
                self.fail("a slice step cannot be zero")
        return Slice(start, stop, step)

    def subscript(self) -> Subscript:
        self.take("punct", "[")
        items = [self.item()]
        while self.at(","):
            self.index += 1
            if self.at("]"):
                break
            items.append(self.item())
        self.take("punct", "]")
        return tuple(items)

    def parse(self) -> Reference:
        if self.take("name") != "env":
            self.fail("a reference starts with 'env'", 0)
        path: list[str] = []
        while self.at("."):
            self.index += 1
            token = self.peek()
            name = self.take("name")
            assert token is not None
            if name.startswith("_"):
                self.fail(f"attribute {name!r} is not allowed", token[2])
            path.append(name)
            if path == [_STORE]:
                break
            if tuple(path) not in HANDLES:
                allowed = sorted({f"env.{'.'.join(h)}" for h in HANDLES} | {f"env.{_STORE}[...]"})
                self.fail(
                    f"'env.{'.'.join(path)}' is not an allowed attribute; allowed: {', '.join(allowed)}", token[2]
                )
        if path == [_STORE]:
            if not self.at("["):
                self.fail(f"env.{_STORE} must be followed by a quoted key, e.g. ['bottle_pose']")
            key = self.subscript()
            if len(key) != 1 or not isinstance(key[0], str):
                self.fail(f"the first subscript of env.{_STORE} must be one quoted key")
            subscripts: list[Subscript] = []
            while self.at("["):
                subscripts.append(self.subscript())
            reference: Reference = AffordanceRef(str(key[0]), tuple(subscripts))
        elif path:
            reference = HandleRef(tuple(path))
        else:
            self.fail(f"a bare 'env' is not a reference; use env.{_STORE}['key'] or env.robot")
        if self.peek() is not None:
            token = self.peek()
            assert token is not None
            self.fail(f"unexpected {token[1]!r} after the reference")
        return reference


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def parse_reference(text: str) -> Reference:
    """Parse ``text``; raise :class:`ReferenceSyntaxError` when it is outside the grammar."""
    if len(text) > _MAX_LENGTH:
        raise ReferenceSyntaxError(text[:40] + "…", f"longer than {_MAX_LENGTH} characters", 1)
    return _Parser(text.strip()).parse()
