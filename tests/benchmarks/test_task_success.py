"""``benchmarks/task_success.py``: its report groups failures by stage, and a short run prints
every line with exit status 0 (rates and timings are not checked)."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import load_benchmark

from actionbank.rollout import Failure

task_success = load_benchmark("task_success")


def _run(*outcomes: Failure | None) -> Any:
    episodes = [task_success.Episode(seed, f is None, f, 0.5) for seed, f in enumerate(outcomes)]
    return task_success.ExampleRun("demo", 100, 0.1, episodes)


def test_the_shipped_examples_are_found() -> None:
    assert task_success.find_examples() == [
        "insertion",
        "panda_pick_place",
        "panda_stack",
        "pour_water",
        "so101_pick_place",
        "transfer_cube",
    ]


def test_failed_seeds_are_grouped_by_stage_then_by_reason() -> None:
    dropped = Failure("task_check", "transfer_cube_success", "success", "the cube touches the table")
    unreachable = Failure("ik", "grasp_qpos", "generate_affordances_from_src", "IK for right_arm did not converge")
    run = _run(None, dropped, unreachable, dropped, None)

    assert task_success.failures_by_stage(run.episodes) == {
        "task_check": {"transfer_cube_success: the cube touches the table": [1, 3]},
        "ik": {"grasp_qpos: IK for right_arm did not converge": [2]},
    }
    lines = task_success.report(run)
    assert "  success   2/5 = 40.0%  MISS (target >= 90%)" in lines
    assert "  failures  task_check: 2" in lines
    assert "    seeds 1, 3: transfer_cube_success: the cube touches the table" in lines
    assert "    seed 2: grasp_qpos: IK for right_arm did not converge" in lines
    assert any(line.startswith("  time      0.500 s/episode") for line in lines)


def test_a_long_reason_is_cut_to_the_reason_width() -> None:
    failure = Failure("node", "n", "f", "x" * 500)
    assert len(task_success.short_reason(failure)) == task_success.REASON_WIDTH
    assert task_success.short_reason(failure).endswith("...")


def test_nine_in_ten_passes_and_fewer_is_a_miss() -> None:
    assert task_success.verdict(0.9) == "PASS"
    assert task_success.verdict(0.88) == "MISS"


def test_the_quick_mode_on_a_copy_of_transfer_cube_prints_its_report_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "transfer_cube"
    shutil.copytree(task_success.EXAMPLES / "transfer_cube", folder)
    status = task_success.main(["--quick", "--example", str(folder)])
    out = capsys.readouterr().out
    assert status == 0, out
    lines = out.splitlines()
    assert f"seeds 0-{task_success.QUICK_EPISODES - 1} per example" in lines[0]
    assert any(line.startswith(f"{folder}: ") and "steps per episode" in line for line in lines)
    assert "examples/pour_water" not in out
    assert any(line.startswith("  success   ") and f"/{task_success.QUICK_EPISODES} = " in line for line in lines)
    assert any(line.startswith("  failures  ") for line in lines)
    assert any(line.startswith("  time      ") and "s/episode" in line for line in lines)
    assert lines[-2] == task_success.HEADER
    row = lines[-1].split()
    assert row[:2] == ["transfer_cube", str(task_success.QUICK_EPISODES)]
    assert row[4] in ("PASS", "MISS")


def test_an_example_is_a_shipped_name_or_a_folder_of_the_same_layout(tmp_path: Path) -> None:
    assert task_success.example_folder("transfer_cube") == task_success.EXAMPLES / "transfer_cube"
    (tmp_path / "action_config.yaml").write_text("{}")
    (tmp_path / "gym_config.yaml").write_text("{}")
    assert task_success.example_folder(str(tmp_path)) == tmp_path
    (tmp_path / "gym_config.yaml").unlink()
    with pytest.raises(argparse.ArgumentTypeError, match=r"nor a folder with gym_config\.yaml"):
        task_success.example_folder(str(tmp_path))
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape("neither a shipped example (insertion, ")):
        task_success.example_folder("transfer_cub")
