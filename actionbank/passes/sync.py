"""Sync: constraints name real edges, no edge waits for itself, and order has no deadlock.

Edges of one scope run in list order; ``sync`` adds "starts after … ends". A cycle
through both kinds of order can never run, and is reported hop by hop.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["check", "order_graph"]


def order_graph(ctx: CompileContext) -> nx.DiGraph[str]:
    """Edge labels, with an arc ``a → b`` when ``b`` may start only after ``a`` ends.

    The same precedence the scheduler uses (:attr:`CompileContext.precedence`), as a
    networkx graph for finding and printing cycles (networkx is imported only then).
    """
    import networkx as nx

    precedence = ctx.precedence
    labels = [edge.label for edge in precedence.edges]
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(labels)
    for i, predecessors in enumerate(precedence.predecessors):
        graph.add_edges_from((labels[p], labels[i]) for p in predecessors)
    return graph


def _hop(ctx: CompileContext, before: str, after: str) -> str:
    """Why ``after`` waits for ``before``, and where the config says so."""
    for rule in ctx.bank.sync:
        if rule.edge == after and before in rule.depends_on:
            pointer = jp.join(rule.pointer, "depend_tasks", rule.depends_on.index(before))
            return f"{after!r} waits for {before!r} by sync ({ctx.where(pointer)})"
    edge = ctx.edges_by_label[after]
    return f"{after!r} follows {before!r} in scope {edge.scope!r} ({ctx.where(edge.pointer)})"


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    labels = list(ctx.edges_by_label)
    for rule in ctx.bank.sync:
        if rule.edge not in ctx.edges_by_label:
            yield Diagnostic.make("AB401", rule.pointer, edge=rule.edge, hint=choices_hint(rule.edge, labels, "edges"))
        seen: set[str] = set()
        for index, dependency in enumerate(rule.depends_on):
            pointer = jp.join(rule.pointer, "depend_tasks", index)
            if dependency == rule.edge:
                yield Diagnostic.make("AB403", pointer, edge=rule.edge)
            elif dependency not in ctx.edges_by_label:
                yield Diagnostic.make(
                    "AB402",
                    pointer,
                    edge=rule.edge,
                    dependency=dependency,
                    hint=choices_hint(dependency, labels, "edges"),
                )
            elif dependency in seen:
                yield Diagnostic.make("AB405", pointer, edge=rule.edge, dependency=dependency)
            seen.add(dependency)
    if ctx.precedence.order is not None:
        return
    import networkx as nx  # only to report the cycles

    graph = order_graph(ctx)
    position = {edge.label: i for i, edge in enumerate(ctx.precedence.edges)}
    components = [sorted(c, key=position.__getitem__) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    for component in sorted(components, key=lambda c: position[c[0]]):
        cycle = nx.find_cycle(graph.subgraph(component), source=component[0])
        hops = [_hop(ctx, before, after) for before, after in cycle]
        first = ctx.edges_by_label[component[0]]
        path = " → ".join([component[0], *[after for _, after in cycle]])
        yield Diagnostic.make(
            "AB404",
            first.pointer,
            cycle=f"{path}: " + "; ".join(hops),
            hint="remove one of the sync dependencies in this cycle",
        )
