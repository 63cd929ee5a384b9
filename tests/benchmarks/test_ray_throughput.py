"""``benchmarks/ray_throughput.py`` in miniature: the driver loop on one Ray actor (a local Ray
runtime) commits what it measures, its figures add up, and the report puts them side by side.
The timings themselves are never checked."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

from recorder import open_dataset

ray_throughput = load_benchmark("ray_throughput")


def test_the_driver_loop_commits_each_valid_episode_one_and_two_at_a_time_and_times_both_sides(tmp_path):
    gym, action = ray_throughput.small_configs(tmp_path / "configs", 8)
    quick = ray_throughput.QUICK_DRIVER_EPISODES, ray_throughput.QUICK_BATCH  # what --quick runs
    assert quick == (4, 2)
    cost = ray_throughput.driver_cost(gym, action, quick[0], 1, tmp_path / "dataset", None, quick[1])
    assert cost.episodes == 4  # the four attempts of seed 0 pass: warm-up, one alone, two together
    assert open_dataset("actionbank/dataset", tmp_path / "dataset").num_episodes == 4
    assert cost.receive_s > 0 and cost.single_s > 0 and cost.batched_s > 0 and cost.attempt_s > cost.receive_s
    assert cost.batch == 2
    assert cost.bytes_per_episode > 1000  # the episode's video came through the object store
    assert cost.fed_workers(cost.batched_s) == pytest.approx(cost.attempt_s / (cost.receive_s + cost.batched_s))


def test_the_report_prints_both_frame_rates_their_ratio_and_the_workers_one_driver_feeds():
    cost = ray_throughput.DriverCost(4, 0.01, 0.07, 8, 0.03, 4.0, 50 * 1024)
    text = ray_throughput.report(20.0, 19.0, cost, 2)
    assert "local processes 20.0, Ray actors 19.0; ray / local 0.95" in text and "PASS" in text
    assert "receive + write 10.0 ms (50 KiB shipped); commit one at a time 70.0 ms, 8 at a time 30.0 ms" in text
    assert "one driver feeds 100 workers committing 8 at a time (50 one at a time; target >= 50) PASS" in text
    assert "MISS" in ray_throughput.report(20.0, 10.0, cost, 2)
    slow = cost._replace(batched_s=0.09)
    assert "feeds 40 workers committing 8 at a time" in ray_throughput.report(20.0, 19.0, slow, 2).splitlines()[-1]
    assert ray_throughput.report(20.0, 19.0, slow, 2).endswith("MISS")
