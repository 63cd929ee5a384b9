"""``benchmarks/rollout_throughput.py`` runs every example (or those ``--example`` names), one
row pair per example with its robot, and gym-aloha's comparison on pour_water (timings are not
checked)."""

from __future__ import annotations

import pytest
from helpers import ROOT, load_benchmark

rollout_throughput = load_benchmark("rollout_throughput")


def test_every_example_folder_is_found_and_named_ones_keep_their_order() -> None:
    every = rollout_throughput.examples()
    expected = sorted(p.parent.name for p in (ROOT / "examples").glob("*/action_config.yaml"))
    assert [folder.name for folder in every] == expected
    assert {"pour_water", "transfer_cube"} <= set(expected)
    chosen = rollout_throughput.examples(["transfer_cube", "pour_water", "transfer_cube"])
    assert [folder.name for folder in chosen] == ["transfer_cube", "pour_water"]


def test_an_unknown_example_exits_2_and_lists_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert rollout_throughput.main(["--quick", "--example", "no_such_task"]) == 2
    err = capsys.readouterr().err
    assert "no example 'no_such_task'" in err and "pour_water" in err and "transfer_cube" in err


def test_the_quick_mode_puts_the_examples_side_by_side_with_their_robots(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = rollout_throughput.main(["--quick", "--example", "transfer_cube", "--example", "pour_water"])
    out = capsys.readouterr().out
    assert status == 0, out
    lines = out.splitlines()
    table = lines[lines.index(rollout_throughput.EXAMPLE_HEADER) + 1 :][:4]
    assert [line.split()[:3] for line in table] == [
        ["transfer_cube", "aloha", "(a)"],
        ["transfer_cube", "aloha", "(b)"],
        ["pour_water", "aloha", "(a)"],
        ["pour_water", "aloha", "(b)"],
    ]
    for label in (
        "(c) gym-aloha AlohaTransferCube-v0",
        "(c) ours, no shadows, no MSAA",
        "(c) ours, gym-aloha's shadows and MSAA",
    ):
        assert any(line.startswith(label) for line in lines), f"no row {label!r} in:\n{out}"
    assert "pour_water (aloha): compile" in out and "transfer_cube (aloha): compile" in out
    assert "steps/s" in out and "ratio" in out
    for example in ("transfer_cube", "pour_water"):
        assert any(
            line.startswith(("PASS  ", "MISS  ")) and f"{example} (aloha): executor / bare" in line for line in lines
        )
    quick_cameras = f"{320 // rollout_throughput.QUICK_CAMERA_SCALE}x{240 // rollout_throughput.QUICK_CAMERA_SCALE}"
    assert quick_cameras in out


def test_the_robot_of_a_model_file_example_is_named_by_its_file() -> None:
    from sim.config import load_sim_config

    config, _ = load_sim_config(ROOT / "tests" / "sim" / "model_arm" / "gym_config.yaml")
    assert config.robot.robot_type is None
    assert rollout_throughput.robot_name(config) == "my_arm (arm.xml)"
