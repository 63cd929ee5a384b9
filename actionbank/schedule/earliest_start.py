"""Earliest-start scheduling of edges under scope order and sync.

Each scope runs its edges in list order; an edge with sync dependencies starts after they
all end. With the order inside each scope fixed, starting every edge as early as its
predecessors allow gives the minimum makespan (it is the longest path through the
precedence DAG), which is what EmbodiChain's CP-SAT model finds, in linear time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from actionbank.spec.bank import Edge

__all__ = ["Precedence", "Schedule", "precedence", "schedule_edges"]


@dataclass(frozen=True)
class Precedence:
    """Who waits for whom, by index into ``edges``; ``order`` is ``None`` when there is a cycle."""

    edges: tuple[Edge, ...]
    predecessors: tuple[tuple[int, ...], ...]
    successors: tuple[tuple[int, ...], ...]
    order: tuple[int, ...] | None


def precedence(edges: Sequence[Edge], depends_on: Mapping[str, Sequence[str]]) -> Precedence:
    """Scope order (list order within each scope) plus sync, and a topological order.

    Dependencies on labels not among ``edges``, and on an edge itself, are left out (the
    sync pass reports them).
    """
    count = len(edges)
    index = {edge.label: i for i, edge in enumerate(edges)}
    predecessors: list[list[int]] = [[] for _ in range(count)]
    last_in_scope: dict[str, int] = {}
    for i, edge in enumerate(edges):
        previous = last_in_scope.get(edge.scope)
        if previous is not None:
            predecessors[i].append(previous)
        last_in_scope[edge.scope] = i
        for label in depends_on.get(edge.label, ()):
            j = index.get(label)
            if j is not None and j != i:
                predecessors[i].append(j)
    successors: list[list[int]] = [[] for _ in range(count)]
    for i, preds in enumerate(predecessors):
        for p in preds:
            successors[p].append(i)
    pending = [len(p) for p in predecessors]
    order: list[int] = [i for i in range(count) if pending[i] == 0]
    for i in order:  # Kahn's algorithm; ``order`` grows while we walk it
        for s in successors[i]:
            pending[s] -= 1
            if pending[s] == 0:
                order.append(s)
    return Precedence(
        tuple(edges),
        tuple(map(tuple, predecessors)),
        tuple(map(tuple, successors)),
        tuple(order) if len(order) == count else None,
    )


@dataclass(frozen=True)
class Schedule:
    """Times per edge, indexed like the ``edges`` given to :func:`schedule_edges` [steps]."""

    edges: tuple[Edge, ...]
    start: tuple[int, ...]
    end: tuple[int, ...]
    slack: tuple[int, ...]
    makespan: int
    critical_path: tuple[int, ...]  # indices into ``edges``, first to last


def schedule_edges(
    edges: Sequence[Edge], depends_on: Mapping[str, Sequence[str]], given: Precedence | None = None
) -> Schedule:
    """Schedule ``edges`` (scope order = their order within each scope in ``edges``).

    ``depends_on`` maps an edge label to the labels it waits for (ignored when the
    precomputed ``given`` precedence is passed). The precedence graph must be acyclic (the
    sync pass guarantees it); a cycle raises ``ValueError``.
    """
    graph = given if given is not None else precedence(edges, depends_on)
    if graph.order is None:
        raise ValueError("the precedence graph has a cycle")
    edges, predecessors, successors, order = graph.edges, graph.predecessors, graph.successors, graph.order
    count = len(edges)
    duration = [edge.duration for edge in edges]
    start = [0] * count
    end = [0] * count
    end_of = end.__getitem__
    for i in order:  # hot: C-level max over the predecessors, no generator per edge
        start[i] = max(map(end_of, predecessors[i]), default=0)
        end[i] = start[i] + duration[i]
    makespan = max(end, default=0)
    latest_end = [makespan] * count
    latest_start = [makespan - d for d in duration]
    latest_start_of = latest_start.__getitem__
    for i in reversed(order):
        if successors[i]:
            latest_end[i] = min(map(latest_start_of, successors[i]))
            latest_start[i] = latest_end[i] - duration[i]
    slack = [latest_end[i] - end[i] for i in range(count)]
    return Schedule(
        tuple(edges),
        tuple(start),
        tuple(end),
        tuple(slack),
        makespan,
        _critical_path(predecessors, start, end, makespan),
    )


def _critical_path(
    predecessors: Sequence[Sequence[int]], start: list[int], end: list[int], makespan: int
) -> tuple[int, ...]:
    """One chain of tight edges from time 0 to the makespan; ties go to declared order."""
    finishing = [i for i in range(len(end)) if end[i] == makespan]
    if not finishing:
        return ()
    path = [min(finishing)]
    while True:
        current = path[-1]
        binding = [p for p in predecessors[current] if end[p] == start[current]]
        if not binding:
            break
        path.append(min(binding))
    return tuple(reversed(path))
