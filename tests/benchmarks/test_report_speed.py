"""``benchmarks/report_speed.py`` in miniature: a one-episode dataset generated, the report and
the bare read each timed in a fresh process, the figures printed. The timings themselves are
never checked."""

from __future__ import annotations

import re

from helpers import load_benchmark

report_speed = load_benchmark("report_speed")


def test_the_benchmark_generates_a_dataset_and_prints_both_times_and_their_ratio(tmp_path, capsys):
    assert report_speed.main(["--episodes", "1", "--folder", str(tmp_path)]) == 0
    first = capsys.readouterr().out
    assert "generated in" in first and "measured on 1 episodes, not 100" in first
    report = float(re.search(r"report\s+([\d.]+) s", first).group(1))
    read = float(re.search(r"read\s+([\d.]+) s", first).group(1))
    ratio = float(re.search(r"ratio\s+([\d.]+)", first).group(1))
    assert report > 0 and read > 0 and abs(ratio - report / read) < 0.01 + 0.01 * ratio
    assert (tmp_path / "report.html").stat().st_size > 1_000_000
    assert report_speed.episodes_in(tmp_path / "dataset") == 1  # what a second run reuses


def test_bad_arguments_exit_2(capsys):
    assert report_speed.main(["--episodes", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
