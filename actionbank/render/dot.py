"""Graphviz DOT text for an :class:`~actionbank.plan.ExecutionPlan`.

Two views:

* ``"schedule"``: one cluster per scope; key poses are nodes, each edge an arrow
  ``src -> sink`` labelled with its name, duration [steps] and ``[start, end)``; critical
  edges are bold and red; sync constraints are dashed arrows between clusters.
* ``"dataflow"``: one node per node generator (in ``node_order``) and one note-shaped node
  per environment key; an arrow per key read, from the key's producer to its reader.

Same plan, same bytes: everything is emitted in declared order, never hash or set order.
"""

# Written by hand, not with pydot/graphviz: DOT text is simple and we avoid a dependency.

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from actionbank.plan import ExecutionPlan, PlanEdge

__all__ = ["DotView", "dot_quote", "render_dot"]

DotView = Literal["schedule", "dataflow"]

_CRITICAL_COLOR = "#d62728"
_SYNC_COLOR = "#555555"


def dot_quote(text: str) -> str:
    """Quote ``text`` as a DOT double-quoted string, safe for ids and labels.

    Backslashes are doubled (so label escapes such as ``\\N`` or ``\\l`` are shown as typed
    and a trailing backslash cannot swallow the closing quote), double quotes become
    ``\\"`` and line breaks become DOT's centred line break ``\\n``. Different strings
    give different quoted ids.
    """
    out = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    )
    return f'"{out}"'


def _label(*lines: str) -> str:
    """A quoted multi-line label: each line quoted on its own, joined with ``\\n``."""
    return '"' + "\\n".join(dot_quote(line)[1:-1] for line in lines) + '"'


def _attrs(**attrs: str) -> str:
    """``[k=v, ...]`` in the order given; values must already be DOT-safe."""
    return "[" + ", ".join(f"{key}={value}" for key, value in attrs.items()) + "]"


def _id_segment(name: str) -> str:
    """Escape ``%`` and ``/`` so ``scope/key`` ids cannot collide across scopes."""
    return name.replace("%", "%25").replace("/", "%2F")


def _pose_id(scope: str, key: str) -> str:
    """Node id of key pose ``key`` inside scope ``scope`` (unique per scope)."""
    return dot_quote(f"{_id_segment(scope)}/{key}")


def _placeholder_id(scope: str) -> str:
    """Node id of the placeholder inside an empty scope's cluster (never has a ``/``)."""
    return dot_quote(_id_segment(scope))


def _edge_label(edge: PlanEdge) -> str:
    lines = [edge.name, f"{edge.duration} steps [{edge.start}, {edge.end})"]
    if edge.span_end > edge.end:
        lines.append(f"fill [{edge.end}, {edge.span_end}) {edge.fill_type}")
    return _label(*lines)


def _first_by_name(edges: list[PlanEdge]) -> dict[str, PlanEdge]:
    """Edges by name; the first in declared order wins if a name repeats."""
    by_name: dict[str, PlanEdge] = {}
    for edge in edges:
        by_name.setdefault(edge.name, edge)
    return by_name


def _schedule_lines(plan: ExecutionPlan) -> Iterator[str]:
    yield "digraph schedule {"
    title = _label(f"schedule: makespan {plan.makespan} steps")
    yield f"  graph [rankdir=LR, labelloc=t, label={title}];"
    yield "  node [shape=ellipse];"
    for index, scope in enumerate(plan.scopes):
        edges = plan.edges_of(scope.name)
        yield f"  subgraph cluster_{index} {{"
        yield f"    label={_label(scope.name)};"
        keys: list[str] = []
        for edge in edges:
            for key in (edge.src, edge.sink):
                if key not in keys:
                    keys.append(key)
        if not keys:
            placeholder = _attrs(label='"(no edges)"', shape="plaintext")
            yield f"    {_placeholder_id(scope.name)} {placeholder};"
        for key in keys:
            yield f"    {_pose_id(scope.name, key)} {_attrs(label=_label(key))};"
        for edge in edges:
            attrs = {"label": _edge_label(edge)}
            if edge.critical:
                attrs.update(style="bold", color=f'"{_CRITICAL_COLOR}"', penwidth="2")
            arrow = f"{_pose_id(scope.name, edge.src)} -> {_pose_id(scope.name, edge.sink)}"
            yield f"    {arrow} {_attrs(**attrs)};"
        yield "  }"
    scope_names = {scope.name for scope in plan.scopes}
    by_name = _first_by_name([edge for edge in plan.edges if edge.scope in scope_names])
    for sync in plan.sync:
        dependent = by_name.get(sync.edge)
        if dependent is None:
            continue
        for dependency_name in sync.after:
            dependency = by_name.get(dependency_name)
            if dependency is None:
                continue
            sync_attrs = _attrs(
                style="dashed",
                color=f'"{_SYNC_COLOR}"',
                fontcolor=f'"{_SYNC_COLOR}"',
                constraint="false",
                label=_label(f"sync: {sync.edge} after {dependency_name}"),
            )
            tail = _pose_id(dependency.scope, dependency.sink)
            head = _pose_id(dependent.scope, dependent.src)
            yield f"  {tail} -> {head} {sync_attrs};"
    yield "}"


def _dataflow_lines(plan: ExecutionPlan) -> Iterator[str]:
    yield "digraph dataflow {"
    yield "  graph [rankdir=LR];"
    yield "  node [shape=box];"
    for key in plan.environment_keys:
        yield f"  {dot_quote('env:' + key)} {_attrs(label=_label(key), shape='note')};"
    for node in plan.node_order:
        label = _label(node.label, node.function)
        yield f"  {dot_quote('node:' + node.label)} {_attrs(label=label)};"
    environment = set(plan.environment_keys)
    for reader_index, reader in enumerate(plan.node_order):
        seen: list[str] = []
        for key in reader.reads:
            if key in seen:
                continue
            seen.append(key)
            producer = next(
                (n for n in plan.node_order[:reader_index] if key in n.writes),
                None,
            )
            if producer is not None:
                tail = dot_quote("node:" + producer.label)
            elif key in environment:
                tail = dot_quote("env:" + key)
            else:
                continue
            head = dot_quote("node:" + reader.label)
            yield f"  {tail} -> {head} {_attrs(label=_label(key))};"
    yield "}"


def render_dot(plan: ExecutionPlan, view: DotView = "schedule") -> str:
    """Graphviz DOT text of ``plan`` in the given ``view``, ending with a newline.

    Durations and times in labels are in steps. Edges of scopes not in ``plan.scopes``,
    sync entries or dependencies that name no drawn edge, and reads with neither a producer
    nor an environment key draw no arrow. Raises :class:`ValueError` for an unknown ``view``.
    """
    if view == "schedule":
        lines = _schedule_lines(plan)
    elif view == "dataflow":
        lines = _dataflow_lines(plan)
    else:
        raise ValueError(f"unknown DOT view {view!r}. Available views: 'schedule', 'dataflow'")
    return "\n".join(lines) + "\n"
