"""The validated action config, flattened: scopes, nodes, edges and sync rules in declared order.

Each element keeps the JSON pointer of its entry so every later stage can report locations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from actionbank.source import pointer as jp
from actionbank.spec.action_config import DEFAULT_FILL_TYPE, ActionConfig, MiscSpec

__all__ = ["ActionBank", "Edge", "Node", "Scope", "SyncRule", "describe_edge"]


def describe_edge(label: str) -> str:
    """The description of an edge that has none: its label in words (``pre_grasp_to_grasp`` →
    ``"pre grasp to grasp"``)."""
    return " ".join(label.replace("-", " ").replace("_", " ").split()) or label


@dataclass(frozen=True, slots=True)
class Scope:
    """An executor such as ``right_arm``: ``size`` values per step."""

    name: str
    index: int
    shape: tuple[int, ...]
    dtype: str
    init_method: Literal["current_qpos", "given_qpos"]
    given_qpos: tuple[float, ...] | None
    init_key: str | None
    pointer: str

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True, slots=True)
class Node:
    """A key-pose generator. ``index`` is its position in declared order over all scopes."""

    label: str
    scope: str
    index: int
    function: str
    kwargs: Mapping[str, Any]
    pointer: str


@dataclass(frozen=True, slots=True)
class Edge:
    """A motion ``src → sink`` in one scope; ``position`` is its place in the scope's list."""

    label: str
    scope: str
    index: int
    position: int
    function: str
    function_named: bool
    src: str
    sink: str
    duration: int
    fill_type: Literal["still", "scalable"]
    kwargs: Mapping[str, Any]
    pointer: str
    description: str = ""


class _EdgeBuilder:
    """Builds an :class:`Edge` several times faster than its frozen ``__init__``, which sets
    each of its 13 fields through ``object.__setattr__`` (about 80 ms of a 16,000-edge
    bank's build): same slots, plain assignments, then the object becomes an ``Edge`` (the
    layouts are the same, so Python allows the class change). Written by hand: dataclasses
    offer no fast path for frozen instances."""

    __slots__ = Edge.__slots__

    def __init__(
        self,
        label: str,
        scope: str,
        index: int,
        position: int,
        function: str,
        function_named: bool,
        src: str,
        sink: str,
        duration: int,
        fill_type: Literal["still", "scalable"],
        kwargs: Mapping[str, Any],
        pointer: str,
        description: str,
    ) -> None:
        self.label = label
        self.scope = scope
        self.index = index
        self.position = position
        self.function = function
        self.function_named = function_named
        self.src = src
        self.sink = sink
        self.duration = duration
        self.fill_type = fill_type
        self.kwargs = kwargs
        self.pointer = pointer
        self.description = description


def _new_edge(*fields: Any) -> Edge:
    """``Edge(*fields)`` (all 13 fields, in order), built by :class:`_EdgeBuilder`."""
    built: Any = _EdgeBuilder(*fields)
    built.__class__ = Edge
    return built  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class SyncRule:
    """``edge`` starts only after every edge in ``depends_on`` has ended."""

    edge: str
    depends_on: tuple[str, ...]
    pointer: str


@dataclass(frozen=True)
class ActionBank:
    spec: ActionConfig
    scopes: tuple[Scope, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    sync: tuple[SyncRule, ...]

    @property
    def misc(self) -> MiscSpec:
        return self.spec.misc

    @classmethod
    def from_spec(cls, spec: ActionConfig) -> ActionBank:
        scopes = tuple(
            Scope(
                name=name,
                index=index,
                shape=tuple(scope.dim),
                dtype=scope.dtype,
                init_method=scope.init.method,
                given_qpos=None if scope.init.kwargs.given_qpos is None else tuple(scope.init.kwargs.given_qpos),
                init_key=scope.init.init_node_name or None,
                pointer=jp.join("/scope", name),
            )
            for index, (name, scope) in enumerate(spec.scope.items())
        )
        nodes: list[Node] = []
        for scope_name, entries in spec.node.items():
            for position, entry in enumerate(entries):
                ((label, node),) = entry.items()
                nodes.append(
                    Node(
                        label,
                        scope_name,
                        len(nodes),
                        node["name"],
                        node.get("kwargs") or {},
                        jp.join("/node", scope_name, position, label),
                    )
                )
        edges: list[Edge] = []
        for scope_name, edge_entries in spec.edge.items():
            scope_pointer = jp.join("/edge", scope_name)
            for position, edge_entry in enumerate(edge_entries):
                ((label, edge),) = edge_entry.items()
                # Hot on large banks: positional fields, and the pointer joined by hand when
                # the label needs no escaping (the same text jp.join gives).
                plain = "~" not in label and "/" not in label
                pointer = f"{scope_pointer}/{position}/{label}" if plain else jp.join(scope_pointer, position, label)
                function = edge.get("name")
                edges.append(
                    _new_edge(
                        label,
                        scope_name,
                        len(edges),
                        position,
                        function or label,
                        function is not None,
                        edge["src"],
                        edge["sink"],
                        edge["duration"],
                        edge.get("fill_type", DEFAULT_FILL_TYPE),
                        edge.get("kwargs") or {},
                        pointer,
                        edge.get("description") or describe_edge(label),
                    )
                )
        sync = tuple(
            SyncRule(name, tuple(rule.depend_tasks), jp.join("/sync", name)) for name, rule in spec.sync.items()
        )
        return cls(spec, scopes, tuple(nodes), tuple(edges), sync)
