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


class _Converter:
    """Composed nodes → plain data, collecting diagnostics instead of raising."""

    def __init__(self, yaml: YAML, display: str) -> None:
        self.yaml = yaml
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.values = 0

    def problem(self, code: str, node: Node, pointer: str, **fields: Any) -> None:
        line, column = _position(node)
        self.diagnostics.append(Diagnostic.make(code, pointer, **fields).at(self.display, line, column))

    def convert(self, node: Node, pointer: str, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES or depth > MAX_DEPTH:
            raise _TooBig(node, depth > MAX_DEPTH)
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node, pointer)
                if not isinstance(key, str):
                    self.problem(
                        "AB112", key_node, pointer, where="a key",
                        expected="a string", actual=type(key).__name__,
                    )
                    continue
                if key in result:
                    self.problem("AB106", key_node, jp.join(pointer, key), key=key)
                    continue
                result[key] = self.convert(value_node, jp.join(pointer, key), depth + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, jp.join(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, pointer)

    def scalar(self, node: Node, pointer: str) -> Any:
        if not isinstance(node, ScalarNode):
            self.problem("AB109", node, pointer, kind="collection", reason="a key must be a scalar")
            return None
        value = self.yaml.constructor.construct_object(node, deep=True)
        if value is None or isinstance(value, bool | int | str):
            return value
        if isinstance(value, float):
            if math.isfinite(value):
                return value
            reason = "JSON has no infinity or NaN"
        else:
            reason = f"tag {node.tag} has no JSON equivalent; quote it to make it a string"
        self.problem("AB109", node, pointer, kind=type(value).__name__, reason=reason)
        return None


class _TooBig(Exception):
    def __init__(self, node: Node, depth: bool) -> None:
        self.node = node
        self.depth = depth


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
    converter = _Converter(yaml, display)
    try:
        data = converter.convert(root, "", 1)
    except _TooBig as exc:
        line, column = _position(exc.node)
        if exc.depth:
            diagnostic = Diagnostic.make("AB108", limit=MAX_DEPTH)
        else:
            reason = f"more than {MAX_VALUES} values once aliases are expanded"
            diagnostic = Diagnostic.make("AB107", reason=reason)
        return None, [diagnostic.at(display, line, column)]
    if converter.diagnostics:
        return None, converter.diagnostics
    return SourceDocument(display, "yaml", data, _locator(root)), []
