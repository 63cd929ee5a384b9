"""``benchmarks/generate_throughput.py``: one real ``generate`` subprocess measured (frames,
peak memory, the summary it parses), the codec switch it compares, and its verdicts. The
timings themselves are never checked."""

from __future__ import annotations

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
