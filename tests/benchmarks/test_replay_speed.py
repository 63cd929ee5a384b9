"""``benchmarks/replay_speed.py`` in miniature: the toy arm (one camera, a mesh, 12 steps) generated,
its attempt re-run as a worker runs it, replayed with and without video; the figures exist and
the replay is identical. The timings themselves are never checked."""

from __future__ import annotations

from helpers import load_benchmark
from test_resume import write_configs

replay_speed = load_benchmark("replay_speed")


def test_one_example_is_measured_attempt_against_replay(tmp_path):
    gym, action = write_configs(tmp_path / "configs")
    row = replay_speed.measure("toy", gym, action, tmp_path)
    assert row.frames == 12
    assert row.attempt_s > 0 and row.replay_s > 0 and row.video_s > 0
    assert row.ratio == row.replay_s / row.attempt_s
    assert row.identical
    assert (tmp_path / "replay.mp4").stat().st_size > 0


def test_an_unknown_example_exits_2(capsys):
    assert replay_speed.main(["--example", "nope"]) == 2
    assert "no example 'nope'" in capsys.readouterr().err


def test_the_verdict_compares_against_the_target():
    assert replay_speed.verdict(1.2) == "PASS" and replay_speed.verdict(1.21) == "MISS"
