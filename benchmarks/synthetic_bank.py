"""Synthetic action banks of any size, for benchmarking the compiler.

A bank has ``scopes`` arm scopes (``s00_arm``, ``s01_arm``, …; zero-padded so names sort
in declared order), each with ``edges_per_scope`` ``plan_trajectory`` edges that walk over
about ``edges_per_scope / 5`` key-pose nodes and the scope's home key. Everything is valid
by construction:

* every scope starts at its home key ``<scope>_home`` (``given_qpos``, all zeros);
* node ``k`` of a scope derives its key from node ``k - 1``'s key (the first one from the
  home key), so the affordance dataflow is one chain per scope, hence acyclic;
* each edge starts where the previous one ended, the first at the home key, and never
  stays in place (``src != sink``);
* sync rules only let an edge of scope ``i`` wait for edges of scopes ``j < i``. Within a
  scope edges run in list order, so every wait points to a lower scope or an earlier edge
  and the rules cannot deadlock. A dependency is drawn from the same few positions back
  (at most :data:`SYNC_WINDOW` edges earlier) so the schedule stays about as long as one
  scope's walk.

The same ``seed`` gives the same document, and so the same bytes from :func:`write_bank`.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_SYNC_DENSITY",
    "SYNC_WINDOW",
    "edge_label",
    "generate_bank",
    "scope_name",
    "write_bank",
]

#: Share of the edges (of scopes that have a lower scope to wait for) given sync rules.
DEFAULT_SYNC_DENSITY = 0.05
#: A dependency is at most this many positions before the waiting edge's position [edges].
SYNC_WINDOW = 10
#: One key-pose node per this many edges of a scope.
EDGES_PER_NODE = 5
#: Edge durations are drawn uniformly from this range [steps].
DURATION_RANGE = (1, 30)
DIM = 6


def _width(count: int, minimum: int) -> int:
    return max(minimum, len(str(max(count - 1, 0))))


def scope_name(index: int, scopes: int) -> str:
    """The name of scope ``index`` out of ``scopes``, e.g. ``s07_arm``."""
    return f"s{index:0{_width(scopes, 2)}d}_arm"


def edge_label(scope_index: int, position: int, scopes: int, edges_per_scope: int) -> str:
    """The label of edge ``position`` of scope ``scope_index``, e.g. ``s07_e0042``."""
    return f"s{scope_index:0{_width(scopes, 2)}d}_e{position:0{_width(edges_per_scope, 4)}d}"


def _home_key(scope: str) -> str:
    return f"{scope}_home"


def _node_label(scope: str, index: int, nodes: int) -> str:
    return f"{scope}_k{index:0{_width(nodes, 3)}d}"


def _scope_entry(scope: str) -> dict[str, Any]:
    return {
        "type": "DiGraph",
        "dim": [DIM],
        "init": {
            "method": "given_qpos",
            "kwargs": {"given_qpos": [0.0] * DIM},
            "init_node_name": _home_key(scope),
        },
        "dtype": "float32",
    }


def _node_entry(src_key: str, dst_key: str) -> dict[str, Any]:
    validator = {
        "name": "no_validation",
        "kwargs": {},
        "pass_processes": [{"name": "get_offset_qpos", "kwargs": {"offset_value": 0.01, "joint_list_offset": [1]}}],
    }
    info = {"src_key": src_key, "dst_key": dst_key, "valid_funcs_name_kwargs_proc": [validator]}
    node = {"name": "generate_affordances_from_src", "kwargs": {"affordance_infos": [info]}}
    return {dst_key: node}


def _walk(rng: random.Random, keys: list[str], steps: int) -> list[tuple[str, str]]:
    """``steps`` hops ``(src, sink)`` over ``keys`` from ``keys[0]``, never staying in place."""
    hops: list[tuple[str, str]] = []
    here = 0
    for _ in range(steps):
        there = rng.randrange(len(keys) - 1)
        if there >= here:
            there += 1
        hops.append((keys[here], keys[there]))
        here = there
    return hops


def _sync_rules(rng: random.Random, labels: list[list[str]], scope_index: int, density: float) -> dict[str, Any]:
    """Rules for some edges of scope ``scope_index``, each on 1-2 edges of lower scopes."""
    rules: dict[str, Any] = {}
    for position, label in enumerate(labels[scope_index]):
        if scope_index == 0 or rng.random() >= density:
            continue
        first = max(0, position - SYNC_WINDOW)
        wanted = min(rng.randint(1, 2), scope_index * (position - first + 1))
        depends: list[str] = []
        while len(depends) < wanted:
            dependency = labels[rng.randrange(scope_index)][rng.randint(first, position)]
            if dependency not in depends:
                depends.append(dependency)
        rules[label] = {"depend_tasks": depends}
    return rules


def generate_bank(
    scopes: int,
    edges_per_scope: int,
    *,
    seed: int = 0,
    sync_density: float = DEFAULT_SYNC_DENSITY,
) -> dict[str, Any]:
    """A valid action config (a JSON-ready dict) with ``scopes * edges_per_scope`` edges.

    ``sync_density`` is the share of edges in scopes ``1 … scopes-1`` that get one or two
    dependencies on edges of lower scopes (scope 0 has nothing to wait for).
    """
    if scopes < 1:
        raise ValueError(f"scopes must be at least 1, got {scopes}")
    if edges_per_scope < 1:
        raise ValueError(f"edges_per_scope must be at least 1, got {edges_per_scope}")
    if not 0.0 <= sync_density <= 1.0:
        raise ValueError(f"sync_density must be within [0, 1], got {sync_density}")
    rng = random.Random(seed)
    nodes_per_scope = max(1, edges_per_scope // EDGES_PER_NODE)
    names = [scope_name(i, scopes) for i in range(scopes)]
    labels = [[edge_label(i, p, scopes, edges_per_scope) for p in range(edges_per_scope)] for i in range(scopes)]

    scope_section: dict[str, Any] = {}
    node_section: dict[str, Any] = {}
    edge_section: dict[str, Any] = {}
    sync_section: dict[str, Any] = {}
    for i, scope in enumerate(names):
        scope_section[scope] = _scope_entry(scope)
        keys = [_home_key(scope)]
        keys += [_node_label(scope, k, nodes_per_scope) for k in range(nodes_per_scope)]
        node_section[scope] = [_node_entry(src, dst) for src, dst in itertools.pairwise(keys)]
        edges = []
        for label, (src, sink) in zip(labels[i], _walk(rng, keys, edges_per_scope), strict=True):
            edges.append(
                {
                    label: {
                        "src": src,
                        "sink": sink,
                        "duration": rng.randint(*DURATION_RANGE),
                        "name": "plan_trajectory",
                        "kwargs": {"agent_uid": scope, "keypose_names": [src, sink]},
                    }
                }
            )
        edge_section[scope] = edges
        sync_section.update(_sync_rules(rng, labels, i, sync_density))

    return {
        "scope": scope_section,
        "node": node_section,
        "edge": edge_section,
        "sync": sync_section,
        "misc": {},
    }


def write_bank(path: str | Path, scopes: int, edges_per_scope: int, seed: int = 0) -> int:
    """Write a synthetic bank as compact JSON to ``path``; returns its size [bytes]."""
    document = generate_bank(scopes, edges_per_scope, seed=seed)
    data = json.dumps(document, separators=(",", ":")).encode()
    Path(path).write_bytes(data)
    return len(data)
