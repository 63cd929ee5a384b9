"""YAML documents through ruamel.yaml: composed once, positions read from the node tree.

Duplicate keys are all reported (not just the first), values are converted to plain JSON
types, and alias expansion and nesting depth are bounded.
"""

from __future__ import annotations

import io
import math
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.source.limits import MAX_DEPTH, MAX_VALUES

__all__ = ["parse_yaml"]


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_NOT_SET = object()


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [c for pair in node.value for c in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []


def _too_large(root: Node) -> Node | None:
    """The deepest node that alone expands, aliases followed, to more than the value limit."""
    sizes = _expanded_sizes(root)
    if sizes[id(root)] <= MAX_VALUES:
        return None
    node = root
    while True:
        child = next((c for c in _children(node) if sizes[id(c)] > MAX_VALUES), None)
        if child is None:
            return node
        node = child


def _expanded_sizes(root: Node) -> dict[int, int]:
    """How many values each node holds once aliases are followed (memoised per node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done:
            sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in children), MAX_VALUES + 1)
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes


class _Converter:
    """Composed nodes → plain data, collecting diagnostics instead of raising."""

    def __init__(self, yaml: YAML, display: str) -> None:
        self.yaml = yaml
        self.display = display
        self.diagnostics: list[Diagnostic] = []

    def problem(self, code: str, node: Node, pointer: str, **fields: Any) -> None:
        line, column = _position(node)
        self.diagnostics.append(Diagnostic.make(code, pointer, **fields).at(self.display, line, column))

    def convert(self, node: Node, pointer: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                self.problem(
                    "AB109", node, pointer, kind="mapping", reason=f"tag {node.tag} has no JSON equivalent; remove it"
                )
                return None
            return self.mapping(node, pointer, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.problem(
                    "AB109", node, pointer, kind="sequence", reason=f"tag {node.tag} has no JSON equivalent; remove it"
                )
                return None
            return [self.convert(item, jp.join(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        value = self.scalar(node, pointer)
        return None if value is _NOT_SET else value

    def mapping(self, node: MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        """Explicit keys, then merged ones (``<<: *anchor``) where no explicit key is set."""
        result: dict[str, Any] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                if all(isinstance(m, MappingNode) and m.tag == _MAP for m in sources):
                    merged.extend(sources)
                else:
                    self.problem(
                        "AB109",
                        value_node,
                        pointer,
                        kind="merge",
                        reason="'<<' merges only mappings or a list of mappings",
                    )
                continue
            key = self.key(key_node, pointer)
            if key is _NOT_SET:
                continue
            assert isinstance(key, str)
            if key in result:
                self.problem("AB106", key_node, jp.join(pointer, key), key=key)
                continue
            result[key] = self.convert(value_node, jp.join(pointer, key), depth + 1)
        for source in merged:
            for key, value in self.mapping(source, pointer, depth).items():
                result.setdefault(key, value)
        return result

    def key(self, node: Node, pointer: str) -> object:
        if not isinstance(node, ScalarNode):
            self.problem("AB109", node, pointer, kind="collection", reason="a key must be a scalar")
            return _NOT_SET
        key = self.scalar(node, pointer)
        if isinstance(key, str):
            return key
        if key is not _NOT_SET:
            self.problem(
                "AB112",
                node,
                pointer,
                where=f"the key {node.value!r}",
                expected="a string",
                actual="null" if key is None else "a boolean" if isinstance(key, bool) else "a number",
            )
        return _NOT_SET

    def scalar(self, node: ScalarNode, pointer: str) -> Any:
        """The scalar's value; on a problem, a diagnostic and ``_NOT_SET``."""
        try:
            value = self.yaml.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, KeyError, TypeError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
            self.problem("AB109", node, pointer, kind=(node.tag or "scalar").rsplit(":", 1)[-1], reason=str(reason))
            return _NOT_SET
        if isinstance(value, str):
            if _has_surrogate(value):
                self.problem("AB109", node, pointer, kind="string", reason="it holds a lone surrogate escape")
                return _NOT_SET
            return value
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) < 2**63:
                return value
            reason = "the integer does not fit in 64 bits"
        elif isinstance(value, float):
            if math.isfinite(value):
                return value
            reason = "JSON has no infinity or NaN"
        else:
            reason = f"tag {node.tag} has no JSON equivalent; quote it to make it a string"
        self.problem("AB109", node, pointer, kind=type(value).__name__, reason=reason)
        return _NOT_SET


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _TooDeep(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


def _locator(root: Node):  # type: ignore[no-untyped-def]
    def locate(pointer: str) -> tuple[int, int] | None:
        try:
            tokens = jp.split(pointer)
        except ValueError:
            return None
        node = root
        for token in tokens:
            if isinstance(node, MappingNode):
                matches = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == token]
                if not matches:
                    return None
                key_node, node = matches[0]
                position = _position(key_node)
            elif isinstance(node, SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node = node.value[int(token)]
                position = _position(node)
            else:
                return None
        return position if tokens else _position(root)

    return locate


def parse_yaml(text: str, display: str) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Parse one YAML document; on failure return ``None`` and located diagnostics."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = True  # we report every duplicate ourselves
    try:
        root = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        diagnostic = Diagnostic.make("AB105", language="YAML", reason=reason or "invalid YAML")
        if mark is None:
            return None, [diagnostic.at(display, 1, 1)]
        return None, [diagnostic.at(display, mark.line + 1, mark.column + 1)]
    except YAMLError as exc:
        return None, [Diagnostic.make("AB105", language="YAML", reason=str(exc)).at(display, 1, 1)]
    except RecursionError:
        return None, [Diagnostic.make("AB108", limit=MAX_DEPTH).at(display, 1, 1)]
    if root is None:
        return None, [Diagnostic.make("AB102").at(display, 1, 1)]
    culprit = _too_large(root)
    if culprit is not None:
        line, column = _position(culprit)
        reason = f"this value expands to more than {MAX_VALUES} values once aliases are followed"
        return None, [Diagnostic.make("AB107", reason=reason).at(display, line, column)]
    converter = _Converter(yaml, display)
    try:
        data = converter.convert(root, "", 1)
    except _TooDeep as exc:
        line, column = _position(exc.node)
        return None, [Diagnostic.make("AB108", limit=MAX_DEPTH).at(display, line, column)]
    if converter.diagnostics:
        return None, converter.diagnostics
    return SourceDocument(display, "yaml", data, _locator(root), text), []
