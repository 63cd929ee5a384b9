"""``generate --executor ray`` on a real Ray cluster of two nodes (one CPU each) started here:
the dataset equals a local run's with the same seed, also when a node dies mid-run; an
unreachable address and a missing Ray are clean errors (exit 2)."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import small_example

from actionbank.cli import main
from actionbank.executors.shipping import ShippedEpisode, unpack
from actionbank.generate import GenerateOptions, GenerateSummary, generate
from recorder import open_dataset, read_episode_records

SEED = 5
EPISODES = 2


def _columns(root: Path) -> dict[str, np.ndarray]:
    data = open_dataset(f"actionbank/{root.name}", root).hf_dataset.with_format("numpy")
    return {name: np.asarray(data[name]) for name in ("action", "observation.state", "episode_index")}


def _videos(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / "videos").rglob("*.mp4"))
    }


def _assert_same_dataset(expected: Path, actual: Path) -> None:
    first, again = _columns(expected), _columns(actual)
    for name, column in first.items():
        assert np.array_equal(column, again[name]), name
    assert _videos(expected) == _videos(actual) and _videos(actual)
    assert [r["seed"] for r in read_episode_records(actual)] == [r["seed"] for r in read_episode_records(expected)]
    # image statistics included, whether the driver or the actors computed them
    stats = json.loads((actual / "meta" / "stats.json").read_text())
    assert stats == json.loads((expected / "meta" / "stats.json").read_text())
    assert stats["observation.images.top"]["mean"]


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The transfer-cube example with a 40x30 camera."""
    return small_example("transfer_cube", tmp_path_factory.mktemp("configs"), divisor=8)


@pytest.fixture(scope="module")
def local(configs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset one local environment writes."""
    gym, action = configs
    root = tmp_path_factory.mktemp("local") / "dataset"
    generate(GenerateOptions(gym, action, max_episodes=EPISODES, seed=SEED, output=root))
    return root


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A Ray cluster of a head node and one more node, one CPU each, quick to notice a dead node."""
    from ray.cluster_utils import Cluster

    head = {
        "num_cpus": 1,
        "include_dashboard": False,
        "_system_config": {"health_check_period_ms": 500, "health_check_failure_threshold": 2},
    }
    made = Cluster(initialize_head=True, head_node_args=head)
    try:
        made.worker = made.add_node(num_cpus=1)
        made.wait_for_nodes()
        yield made
    finally:
        made.shutdown()


@pytest.mark.parametrize("summarizing", [False, True], ids=["driver-statistics", "actor-statistics"])
def test_two_ray_actors_on_two_nodes_write_the_local_dataset(
    configs, local, cluster, tmp_path, monkeypatch, summarizing
):
    """Also with actors computing their videos' statistics, as they do from SUMMARIZING_FROM actors on."""
    from actionbank.executors import ray as ray_executor

    if summarizing:
        monkeypatch.setattr(ray_executor, "SUMMARIZING_FROM", 2)
    gym, action = configs
    root = tmp_path / "dataset"
    args = ["generate", "--gym-config", str(gym), "--action-config", str(action), "--seed", str(SEED)]
    args += ["--max-episodes", str(EPISODES), "-o", str(root), "--num-envs", "2"]
    result = CliRunner().invoke(main, [*args, "--executor", "ray", "--ray-address", cluster.address])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and f"total      {EPISODES}" in result.output
    _assert_same_dataset(local, root)
    assert not list(root.rglob("attempt-*"))  # every received recording was committed or removed


def test_a_node_killed_mid_run_leaves_the_local_dataset(configs, local, cluster, tmp_path):
    # Last in this module: the cluster keeps one node afterwards.
    gym, action = configs
    root = tmp_path / "dataset"
    notes: list[str] = []

    def kill_the_second_node(summary: GenerateSummary, _elapsed: float) -> None:
        if summary.saved == 1 and cluster.worker is not None:
            cluster.remove_node(cluster.worker)
            cluster.worker = None

    options = GenerateOptions(
        gym, action, EPISODES, SEED, root, num_envs=2, executor="ray", ray_address=cluster.address
    )
    summary = generate(options, progress=kill_the_second_node, note=notes.append)
    assert cluster.worker is None and summary.saved == EPISODES
    assert any("Ray attempt actor" in note and "run again" in note for note in notes), notes
    _assert_same_dataset(local, root)


def test_an_unreachable_address_exits_2_naming_it_and_creates_nothing(configs, tmp_path):
    gym, action = configs
    root = tmp_path / "dataset"
    args = ["generate", "--gym-config", str(gym), "--action-config", str(action), "-o", str(root)]
    result = CliRunner().invoke(main, [*args, "--executor", "ray", "--ray-address", "127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    assert "--ray-address 127.0.0.1:1" in result.output and "no Ray cluster answers there" in result.output
    assert "Traceback" not in result.output
    assert not root.exists()


def test_without_ray_installed_the_message_names_the_extra(configs, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as when it is not installed
    gym, action = configs
    args = ["generate", "--gym-config", str(gym), "--action-config", str(action), "-o", str(tmp_path / "d")]
    result = CliRunner().invoke(main, [*args, "--executor", "ray"])
    assert result.exit_code == 2, result.output
    assert "pip install 'actionbank[ray]'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "d").exists()


def test_a_ray_address_without_the_ray_executor_is_a_usage_error(configs):
    gym, action = configs
    args = ["generate", "--gym-config", str(gym), "--action-config", str(action), "--ray-address", "auto"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "--ray-address is for --executor ray" in result.output


def test_a_shipped_recording_naming_a_file_outside_its_folder_is_refused(tmp_path):
    shipped = ShippedEpisode(1, {}, {}, {}, {"../escaped": b"x"})
    with pytest.raises(ValueError, match="outside its folder"):
        unpack(shipped, tmp_path / "episode")
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "episode").exists()
