"""``benchmarks/generate_throughput.py``: one real ``generate`` subprocess measured (frames,
peak memory, the summary it parses), the codec switch it compares, the per-example rows
(robot, bare loop, generate next to it), unknown example names, and its verdicts. The
timings themselves are never checked."""

from __future__ import annotations

import pytest
from helpers import load_benchmark
from ruamel.yaml import YAML

generate_throughput = load_benchmark("generate_throughput")


def test_one_generate_run_is_measured_from_its_summary_and_its_process(tmp_path):
    run = generate_throughput.run_generate(
        "transfer_cube", generate_throughput.TRANSFER_CUBE, 1, 1, tmp_path / "dataset"
    )
    assert run.frames == 225  # one episode of the transfer-cube plan
    assert run.seconds > 0 and run.fps == run.frames / run.seconds
    assert run.reported_fps > 0
    assert 200 < run.peak_rss_mb < 8000  # MiB: torch and LeRobot are in there
    assert (tmp_path / "dataset" / "meta" / "info.json").is_file()


def test_the_codec_comparison_writes_a_gym_config_that_differs_only_in_vcodec(tmp_path):
    example = generate_throughput.EXAMPLE
    shipped = generate_throughput.example_vcodec(example)
    other = generate_throughput.with_vcodec(example, "libsvtav1", tmp_path)
    yaml = YAML(typ="safe")
    original, changed = yaml.load((example / "gym_config.yaml").read_text()), yaml.load(other.read_text())
    assert changed["env"]["dataset"]["lerobot"]["params"]["vcodec"] == "libsvtav1"
    changed["env"]["dataset"]["lerobot"]["params"]["vcodec"] = shipped
    assert changed == original


def test_verdicts_compare_against_the_targets():
    assert generate_throughput.verdict(0.6, 0.6) == "PASS"
    assert generate_throughput.verdict(0.59, 0.6) == "MISS"
    assert generate_throughput.verdict(1.2, 1.2, higher_is_better=False) == "PASS"
    assert generate_throughput.verdict(1.21, 1.2, higher_is_better=False) == "MISS"


def test_an_unknown_example_exits_2_and_lists_the_examples(capsys):
    assert generate_throughput.main(["--quick", "--example", "no_such_task"]) == 2
    err = capsys.readouterr().err
    assert "no example 'no_such_task'" in err and "transfer_cube" in err


def test_an_example_row_puts_generate_next_to_the_bare_loop_of_that_examples_robot():
    bare, cameras, robot = generate_throughput.bare_fps(0, generate_throughput.TRANSFER_CUBE)
    assert (robot, cameras) == ("aloha", "1 x 320x240")
    assert bare > 0
    run = generate_throughput.GenerateRun("transfer_cube, 1 worker", 225, 9.0, 40.0, 900.0)
    row = generate_throughput.ExampleRow("transfer_cube", robot, cameras, bare, run)
    fields = generate_throughput.example_row(row).split()
    assert fields[:3] == ["transfer_cube", "aloha", "1"]  # "1 x 320x240" spans three fields
    assert [float(f) for f in fields[5:]] == pytest.approx(
        [225, 9.0, 25.0, 40.0, round(bare, 1), round(25.0 / bare, 2), 900], abs=0.051
    )
    assert generate_throughput.EXAMPLE_HEADER.split()[:3] == ["example", "robot", "cameras"]
