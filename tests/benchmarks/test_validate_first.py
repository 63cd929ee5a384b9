"""``benchmarks/validate_first.py`` in miniature: the hard task it builds differs from the shipped
transfer-cube example only in the cube's mass event, and one short run (1 episode, cameras 8
times smaller) prints both parts with their verdicts. Timings are never checked."""

from __future__ import annotations

from pathlib import Path

from helpers import load_benchmark
from ruamel.yaml import YAML

validate_first = load_benchmark("validate_first")


def test_the_hard_task_adds_only_a_cube_mass_event(tmp_path: Path) -> None:
    gym = validate_first.copy_example("transfer_cube", tmp_path, 1, validate_first.HARD_MASS_RANGE)
    yaml = YAML(typ="safe")
    shipped = yaml.load((validate_first.EXAMPLES / "transfer_cube" / "gym_config.yaml").read_text())
    changed = yaml.load(gym.read_text())
    event = changed["env"]["events"].pop("heavy_cube")
    assert event == {
        "func": "randomize_rigid_object_mass",
        "mode": "reset",
        "params": {"entity_cfg": {"uid": "red_box"}, "mass_range": [0.02, 0.2]},
    }
    assert changed == shipped


def test_a_short_run_prints_both_parts_with_ratios_and_verdicts(capsys) -> None:
    assert validate_first.main(["--quick", "--divisor", "8"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    hard = next(line for line in lines if line.startswith("(a) transfer_cube heavy cube") and "success" in line)
    shipped = next(line for line in lines if line.startswith("(b) transfer_cube") and "success" in line)
    assert "gain" in hard and ("PASS" in hard or "MISS" in hard)
    assert "cost" in shipped and ("PASS" in shipped or "MISS" in shipped)
    table = [line for line in lines if line.startswith("(")]
    assert len(table) == 6  # per part: its progress row, its table row, its verdict line


def test_an_unknown_example_exits_2(capsys) -> None:
    assert validate_first.main(["--example", "no_such_task"]) == 2
    assert "no example 'no_such_task'" in capsys.readouterr().err
