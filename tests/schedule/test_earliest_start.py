import itertools
import random

import pytest

from actionbank.schedule import schedule_edges
from actionbank.spec.bank import Edge


def _edge(label: str, scope: str, duration: int, index: int) -> Edge:
    return Edge(label, scope, index, 0, "f", True, "a", "b", duration, "still", {}, "")


def _random_bank(rng: random.Random) -> tuple[list[Edge], dict[str, list[str]]]:
    edges: list[Edge] = []
    for s in range(rng.randint(1, 3)):
        for _ in range(rng.randint(1, 2)):
            edges.append(_edge(f"e{len(edges)}", f"s{s}", rng.randint(1, 4), len(edges)))
    # sync only towards earlier scopes: acyclic by construction
    depends: dict[str, list[str]] = {}
    for edge in edges:
        earlier = [e.label for e in edges if e.scope < edge.scope]
        if earlier and rng.random() < 0.6:
            depends[edge.label] = rng.sample(earlier, rng.randint(1, min(2, len(earlier))))
    return edges, depends


def _feasible(edges, depends, start) -> bool:
    by_label = {e.label: i for i, e in enumerate(edges)}
    for i, edge in enumerate(edges):
        same = [j for j in range(i) if edges[j].scope == edge.scope]
        if same and start[i] < start[same[-1]] + edges[same[-1]].duration:
            return False
        for label in depends.get(edge.label, []):
            j = by_label[label]
            if start[i] < start[j] + edges[j].duration:
                return False
    return True


def _brute_force_makespan(edges, depends) -> int:
    horizon = sum(e.duration for e in edges)
    best = horizon
    for start in itertools.product(range(horizon + 1), repeat=len(edges)):
        makespan = max(s + e.duration for s, e in zip(start, edges, strict=True))
        if makespan < best and _feasible(edges, depends, start):
            best = makespan
    return best


@pytest.mark.parametrize("seed", range(25))
def test_earliest_start_is_as_short_as_any_feasible_schedule(seed):
    edges, depends = _random_bank(random.Random(seed))
    if sum(e.duration for e in edges) ** len(edges) > 400_000:
        edges = edges[:4]
        labels = {e.label for e in edges}
        depends = {k: [d for d in v if d in labels] for k, v in depends.items() if k in labels}
    schedule = schedule_edges(edges, depends)
    assert _feasible(edges, depends, schedule.start)
    assert schedule.makespan == _brute_force_makespan(edges, depends)


def test_slack_and_the_critical_path():
    edges = [_edge("a", "arm", 5, 0), _edge("b", "arm", 5, 1), _edge("g", "eef", 2, 2), _edge("h", "eef", 1, 3)]
    schedule = schedule_edges(edges, {"g": ["a"], "b": ["g"]})
    assert schedule.start == (0, 7, 5, 7)
    assert schedule.makespan == 12
    assert schedule.slack == (0, 0, 0, 4)
    assert [edges[i].label for i in schedule.critical_path] == ["a", "g", "b"]


def test_a_cycle_raises_instead_of_scheduling():
    edges = [_edge("a", "x", 1, 0), _edge("b", "y", 1, 1)]
    with pytest.raises(ValueError, match="cycle"):
        schedule_edges(edges, {"a": ["b"], "b": ["a"]})


def test_no_edges_is_an_empty_schedule():
    schedule = schedule_edges([], {})
    assert schedule.makespan == 0 and schedule.critical_path == ()
