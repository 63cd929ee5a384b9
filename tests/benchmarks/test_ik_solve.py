"""The quick mode of ``benchmarks/ik_solve.py`` runs and prints its report (timings are not checked)."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

ik_solve = load_benchmark("ik_solve")


def test_the_quick_mode_runs_and_prints_success_timings_and_checks(capsys: pytest.CaptureFixture[str]) -> None:
    status = ik_solve.main(["--quick"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert f"{ik_solve.QUICK_TARGETS} targets" in out
    for part in ("success", "median", "p95", "fk", "mj_forward", "PASS"):
        assert part in out
