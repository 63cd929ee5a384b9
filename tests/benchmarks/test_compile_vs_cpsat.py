"""``benchmarks/compile_vs_cpsat.py``: our compile and a CP-SAT job-shop model of the same bank
agree on the makespan; the verdicts say PASS/FAIL as they should (timings are not checked)."""

from __future__ import annotations

import json

import pytest
from helpers import load_benchmark

compile_vs_cpsat = load_benchmark("compile_vs_cpsat")
synthetic_bank = load_benchmark("synthetic_bank")


def test_the_quick_mode_compiles_and_solves_one_bank_and_finds_ours_optimal(capsys: pytest.CaptureFixture[str]) -> None:
    status = compile_vs_cpsat.main(["--quick"])
    out = capsys.readouterr().out
    assert status in (0, 1)  # the speed verdict on a 100-edge bank says little
    assert "bank 4x25 = 100 edges" in out
    assert "OPTIMAL" in out
    assert any(line.startswith("PASS  makespan:") and "ours is optimal" in line for line in out.splitlines()), out
    assert any(line.startswith(("PASS  speed:", "FAIL  speed:")) for line in out.splitlines())


def test_cpsat_proves_the_critical_path_makespan_of_a_small_bank() -> None:
    from actionbank.compiler import CompileOptions, compile_document
    from actionbank.source.loader import parse_text

    document = synthetic_bank.generate_bank(3, 12, seed=5)
    parsed, _ = parse_text(json.dumps(document), "bank.json")
    assert parsed is not None
    result = compile_document(parsed, CompileOptions(gym_config=None))
    assert result.plan is not None
    solved = compile_vs_cpsat.solve_cpsat(document, time_limit_s=30.0, workers=1)
    assert solved.status == "OPTIMAL"
    assert solved.makespan == result.plan.makespan == solved.bound


def _cpsat(status: str, makespan: int | None, bound: int, seconds: float = 30.0) -> object:
    return compile_vs_cpsat.CpSat(0.0, seconds, status, makespan, bound, 1)


def test_the_makespan_verdict_fails_when_ours_differs_from_a_proven_optimum() -> None:
    ok, line = compile_vs_cpsat.makespan_verdict(120, _cpsat("OPTIMAL", 100, 100))
    assert not ok and line.startswith("FAIL") and "120 != CP-SAT's proven optimum 100" in line
    ok, line = compile_vs_cpsat.makespan_verdict(100, _cpsat("FEASIBLE", 110, 90))
    assert ok and "did not prove optimality" in line
    ok, _ = compile_vs_cpsat.makespan_verdict(None, _cpsat("UNKNOWN", None, 0))
    assert not ok


def test_the_speed_verdict_is_cpsat_time_over_the_cli_time_against_15x() -> None:
    ours = compile_vs_cpsat.Ours(0.5, 2.0, 100, 100, "")
    ok, line = compile_vs_cpsat.ratio_verdict(ours, _cpsat("OPTIMAL", 100, 100, seconds=30.0))
    assert ok and line == "PASS  speed: CP-SAT 30.000 s / CLI compile 2.000 s = 15.0x (target 15x)"
    ok, line = compile_vs_cpsat.ratio_verdict(ours, _cpsat("OPTIMAL", 100, 100, seconds=29.0))
    assert not ok and line.startswith("FAIL  speed:")
