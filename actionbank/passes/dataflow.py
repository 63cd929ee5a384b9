"""Affordance dataflow: what each node generator reads and writes, and the order to run them.

A node writes its label and the keys its function's ``writes`` patterns name; it reads the
keys its ``reads`` patterns name and every ``env.affordance_datas[...]`` reference in its
kwargs. Generation order is topological, ties broken by declared order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import did_you_mean
from actionbank.functions.patterns import Path, declared_key_paths, match_paths
from actionbank.functions.spec import FunctionSpec
from actionbank.passes.context import CompileContext
from actionbank.references import AffordanceRef
from actionbank.source import pointer as jp
from actionbank.spec.bank import Node

__all__ = ["Dataflow", "NodeFlow", "analyze", "check"]

#: Used for functions the registry does not know (with --allow-unknown-functions):
#: EmbodiChain's usual shape.
_GENERIC = FunctionSpec(
    "<unknown>", ("node",), reads=("**/src_key",), writes=("**/dst_key",), steps="affordance_infos/*"
)


@dataclass(frozen=True, slots=True)
class NodeFlow:
    """Keys a node reads from outside (not served by an earlier step of its own) and writes."""

    node: Node
    reads: tuple[tuple[str, str], ...]  # (key, pointer), first mention of each key
    writes: tuple[tuple[str, str], ...]  # (key, pointer); the label first
    self_reads: tuple[tuple[str, str], ...]  # external reads of keys it also writes


@dataclass(frozen=True)
class Dataflow:
    flows: tuple[NodeFlow, ...]
    order: tuple[Node, ...] | None  # None when there is a cycle
    diagnostics: tuple[Diagnostic, ...]


def _step_index(path: Path | None, steps: list[Path]) -> int:
    """Index of the step whose subtree holds ``path`` (steps are sibling list items), -1 when
    none does (``None``: a default key, at the node itself)."""
    if path is not None:
        for index, step in enumerate(steps):
            if path[: len(step)] == step:
                return index
    return -1


def _step_of(pointer: str, steps: list[str]) -> int:
    """:func:`_step_index` for a pointer (a reference's) and the steps' pointers."""
    for index, step in enumerate(steps):
        if pointer == step or pointer.startswith(step + "/"):
            return index
    return -1


def _flow(node: Node, spec: FunctionSpec, references: list[tuple[str, str]]) -> NodeFlow:
    """Hot (once per node): keys are found as paths, a pointer is only made for each key kept,
    and the steps only matter (and are only found) when the node reads a key it writes."""
    kwargs = node.kwargs
    reads = declared_key_paths(kwargs, spec.reads) if spec.reads else []
    writes = declared_key_paths(kwargs, spec.writes) if spec.writes else []
    base = f"{node.pointer}/kwargs"
    all_writes: dict[str, str] = {node.label: node.pointer}
    for key, path in writes:
        if key not in all_writes:
            all_writes[key] = node.pointer if path is None else jp.join(base, *path)
    steps: list[Path] = []
    first_write: dict[str, int] = {}  # key → the step that first writes it, when a read may follow
    if spec.steps and writes:
        written = {key for key, _ in writes}
        if any(key in written for key, _ in reads) or any(key in written for key, _ in references):
            steps = [path for path, _ in match_paths(kwargs, spec.steps)]
            for key, path in writes:
                if key not in first_write:
                    first_write[key] = _step_index(path, steps)
    external: dict[str, str] = {}
    for key, path in reads:
        if key not in external and not (key in first_write and 0 <= first_write[key] < _step_index(path, steps)):
            external[key] = node.pointer if path is None else jp.join(base, *path)
    if references:
        step_pointers = [jp.join(base, *step) for step in steps]
        for key, pointer in references:
            if key not in external and not (
                key in first_write and 0 <= first_write[key] < _step_of(pointer, step_pointers)
            ):
                external[key] = pointer
    kept = tuple(external.items())
    return NodeFlow(node, kept, tuple(all_writes.items()), tuple(r for r in kept if r[0] in all_writes))


def _flows(ctx: CompileContext) -> tuple[NodeFlow, ...]:
    refs: dict[int, list[tuple[str, str]]] = {}
    for site in ctx.references:
        if isinstance(site.owner, Node) and isinstance(site.reference, AffordanceRef):
            refs.setdefault(site.owner.index, []).append((site.reference.key, site.pointer))
    flows = []
    for node in ctx.bank.nodes:
        spec = ctx.registry.get(node.function)
        if spec is None or "node" not in spec.kinds:
            spec = _GENERIC
        flows.append(_flow(node, spec, refs.get(node.index, [])))
    return tuple(flows)


def _cycle_text(
    ctx: CompileContext, via: Mapping[tuple[int, int], tuple[str, str]], cycle: list[tuple[int, int]]
) -> str:
    hops = []
    for producer, consumer in cycle:
        key, pointer = via[producer, consumer]
        node = ctx.bank.nodes[consumer]
        hops.append(
            f"{node.label!r} reads {key!r} ({ctx.where(pointer)}), written by {ctx.bank.nodes[producer].label!r}"
        )
    return "; ".join(hops)


def _lexicographic_order(count: int, successors: Sequence[Iterable[int]]) -> list[int]:
    """Kahn's algorithm, always taking the smallest ready index (declared order): the order
    networkx's ``lexicographical_topological_sort`` gives. Shorter than ``count`` when there
    is a cycle."""
    pending = [0] * count
    for targets in successors:
        for target in targets:
            pending[target] += 1
    ready = [i for i in range(count) if pending[i] == 0]  # already a heap: ascending
    order: list[int] = []
    while ready:
        current = heapq.heappop(ready)
        order.append(current)
        for target in successors[current]:
            pending[target] -= 1
            if pending[target] == 0:
                heapq.heappush(ready, target)
    return order


def _cycles(ctx: CompileContext, via: Mapping[tuple[int, int], tuple[str, str]], count: int) -> Iterator[Diagnostic]:
    """One AB302 per cycle (only when there is one: networkx is imported here, not on every compile)."""
    import networkx as nx

    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(via)
    for component in sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1):
        cycle = nx.find_cycle(graph.subgraph(component), source=component[0])
        first = ctx.bank.nodes[component[0]]
        yield Diagnostic.make(
            "AB302",
            first.pointer,
            cycle=_cycle_text(ctx, via, list(cycle)),
            hint="break the cycle: one of these nodes must read a key produced earlier",
        )


def analyze(ctx: CompileContext) -> Dataflow:
    flows = _flows(ctx)
    producers: dict[str, list[int]] = {}
    for flow in flows:
        for key, _ in flow.writes:
            producers.setdefault(key, []).append(flow.node.index)
    provided = ctx.provided_keys
    known = sorted(set(producers) | set(provided))
    diagnostics: list[Diagnostic] = []
    # producer → consumer arcs in the order they are found, each with the first read that made it
    via: dict[tuple[int, int], tuple[str, str]] = {}
    successors: list[list[int]] = [[] for _ in flows]
    for flow in flows:
        node = flow.node
        written = {key for key, _ in flow.self_reads}
        for key, pointer in flow.reads:
            sources = [p for p in producers.get(key, ()) if p != node.index]
            for source in sources:
                if (source, node.index) not in via:
                    via[source, node.index] = (key, pointer)
                    successors[source].append(node.index)
            if sources or key in provided:
                continue
            if key in written:
                hint = "declare it under misc.environment_keys if the environment provides it"
                diagnostics.append(Diagnostic.make("AB308", pointer, node=node.label, key=key, hint=hint))
                continue
            guess = did_you_mean(key, known)
            hint = (f"did you mean {guess!r}? " if guess else "") + (
                "if the environment provides it, declare it under misc.environment_keys "
                "or pass the gym config with --gym-config"
            )
            diagnostics.append(Diagnostic.make("AB301", pointer, node=node.label, key=key, hint=hint))
    for key, indices in producers.items():
        first = ctx.bank.nodes[indices[0]]
        for later in indices[1:]:
            pointer = next(p for k, p in flows[later].writes if k == key)
            diagnostics.append(
                Diagnostic.make(
                    "AB303",
                    pointer,
                    key=key,
                    node=ctx.bank.nodes[later].label,
                    other=first.label,
                    hint=f"{first.label!r} is at {ctx.where(first.pointer)}",
                )
            )
    ranked = _lexicographic_order(len(flows), successors)
    order: tuple[Node, ...] | None = None
    if len(ranked) == len(flows):
        order = tuple(ctx.bank.nodes[i] for i in ranked)
    else:  # a cycle: report each one
        diagnostics.extend(_cycles(ctx, via, len(flows)))
    return Dataflow(flows, order, tuple(diagnostics))


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    yield from ctx.dataflow.diagnostics
