"""The synthetic bank generator behind ``benchmarks/compile_scaling.py``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import load_benchmark

from actionbank.spec.action_config import ActionConfig

synthetic_bank = load_benchmark("synthetic_bank")

SIZES = [(1, 1), (2, 3), (4, 25), (8, 100), (16, 250)]


def _one_key(entry: dict[str, Any]) -> tuple[str, Any]:
    assert len(entry) == 1
    ((label, body),) = entry.items()
    return label, body


def _compact(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


@pytest.fixture(scope="module")
def big_bank() -> dict[str, Any]:
    return synthetic_bank.generate_bank(32, 500)


def test_the_same_seed_gives_the_same_bytes() -> None:
    first = _compact(synthetic_bank.generate_bank(8, 100, seed=3))
    assert first == _compact(synthetic_bank.generate_bank(8, 100, seed=3))
    assert first != _compact(synthetic_bank.generate_bank(8, 100, seed=4))


@pytest.mark.parametrize(("scopes", "edges"), SIZES)
def test_generated_banks_validate_against_the_action_config_model(scopes: int, edges: int) -> None:
    ActionConfig.model_validate(synthetic_bank.generate_bank(scopes, edges))


def test_the_32x500_bank_validates_and_is_2_to_6_mb(big_bank: dict[str, Any]) -> None:
    ActionConfig.model_validate(big_bank)
    assert 2_000_000 <= len(_compact(big_bank)) <= 6_000_000


def test_scope_names_sort_in_declared_order(big_bank: dict[str, Any]) -> None:
    names = list(big_bank["scope"])
    assert len(names) == 32
    assert names == sorted(names)
    assert names[7] == "s07_arm"


@pytest.mark.parametrize(("scopes", "edges"), [*SIZES, (32, 500)])
def test_there_are_scopes_times_edges_edges_with_unique_labels(scopes: int, edges: int) -> None:
    bank = synthetic_bank.generate_bank(scopes, edges)
    labels = [_one_key(e)[0] for entries in bank["edge"].values() for e in entries]
    assert len(labels) == scopes * edges
    assert len(set(labels)) == len(labels)
    node_labels = [_one_key(n)[0] for entries in bank["node"].values() for n in entries]
    assert len(set(node_labels)) == len(node_labels)
    assert not set(node_labels) & set(labels)


def test_each_walk_starts_at_the_init_key_and_continues_where_it_stopped(
    big_bank: dict[str, Any],
) -> None:
    for scope, entries in big_bank["edge"].items():
        here = big_bank["scope"][scope]["init"]["init_node_name"]
        assert here == f"{scope}_home"
        node_labels = {_one_key(n)[0] for n in big_bank["node"][scope]}
        for entry in entries:
            _, edge = _one_key(entry)
            assert edge["src"] == here
            assert edge["sink"] != edge["src"]
            assert edge["sink"] in node_labels | {f"{scope}_home"}
            assert edge["kwargs"]["agent_uid"] == scope
            assert edge["kwargs"]["keypose_names"] == [edge["src"], edge["sink"]]
            assert 1 <= edge["duration"] <= 30
            here = edge["sink"]


def test_each_node_reads_the_key_of_the_node_before_it(big_bank: dict[str, Any]) -> None:
    for scope, entries in big_bank["node"].items():
        previous = f"{scope}_home"
        for entry in entries:
            label, node = _one_key(entry)
            assert label.startswith(scope)
            (info,) = node["kwargs"]["affordance_infos"]
            assert (info["src_key"], info["dst_key"]) == (previous, label)
            previous = label


def test_sync_rules_only_wait_for_edges_of_lower_scopes(big_bank: dict[str, Any]) -> None:
    scope_of = {_one_key(e)[0]: index for index, entries in enumerate(big_bank["edge"].values()) for e in entries}
    assert big_bank["sync"]
    for label, rule in big_bank["sync"].items():
        depends = rule["depend_tasks"]
        assert 1 <= len(depends) <= 2
        assert len(set(depends)) == len(depends)
        assert all(scope_of[d] < scope_of[label] for d in depends)
    share = len(big_bank["sync"]) / len(scope_of)
    assert 0.02 < share < 0.1


def test_write_bank_writes_compact_json_and_returns_its_size(tmp_path: Path) -> None:
    path = tmp_path / "bank.json"
    size = synthetic_bank.write_bank(path, 4, 25, seed=1)
    assert size == path.stat().st_size
    assert path.read_bytes() == _compact(synthetic_bank.generate_bank(4, 25, seed=1))


def test_bad_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="scopes"):
        synthetic_bank.generate_bank(0, 10)
    with pytest.raises(ValueError, match="edges_per_scope"):
        synthetic_bank.generate_bank(2, 0)
