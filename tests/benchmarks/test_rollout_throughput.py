"""The quick mode of ``benchmarks/rollout_throughput.py`` runs and prints every row (timings are not checked)."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

rollout_throughput = load_benchmark("rollout_throughput")


def test_the_quick_mode_runs_and_prints_the_executor_bare_and_gym_aloha_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = rollout_throughput.main(["--quick"])
    out = capsys.readouterr().out
    assert status == 0, out
    lines = out.splitlines()
    for label in (
        "(a) executor run_plan",
        "(b) bare mj_step + Renderer",
        "(c) gym-aloha AlohaTransferCube-v0",
        "(c) ours, no shadows, no MSAA",
        "(c) ours, gym-aloha's shadows and MSAA",
    ):
        assert any(line.startswith(label) for line in lines), f"no row {label!r} in:\n{out}"
    assert "compile examples/pour_water" in out
    assert "steps/s" in out and "ratio" in out
    assert any(line.startswith(("PASS  executor / bare", "MISS  executor / bare")) for line in lines)
    quick_cameras = f"{320 // rollout_throughput.QUICK_CAMERA_SCALE}x{240 // rollout_throughput.QUICK_CAMERA_SCALE}"
    assert quick_cameras in out
