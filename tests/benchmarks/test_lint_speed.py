"""The quick mode of ``benchmarks/lint_speed.py`` runs lint and check-jsonschema and prints its
report (timings are not checked)."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

lint_speed = load_benchmark("lint_speed")


def test_the_quick_mode_times_one_example_both_ways_and_prints_the_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    status = lint_speed.main(["--quick"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    first = lint_speed.examples()[0][0]
    row = next(line for line in out.splitlines() if line.startswith(first))
    lint_ms, lint_exit, schema_ms, schema_exit, ratio = row.split()[1:]
    assert (lint_exit, schema_exit) == ("0", "0")  # the example is clean both ways
    assert float(lint_ms) > 0 and float(schema_ms) > 0
    assert float(ratio) == pytest.approx(float(lint_ms) / float(schema_ms), abs=0.02)
    assert f"{first}: lint / check-jsonschema" in out
    assert "best of 1 subprocess runs, 1 example(s)" in out


def test_the_report_fails_an_example_slower_than_plain_schema_validation(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [lint_speed.Row("fast", 90.0, 0, 100.0, 0), lint_speed.Row("slow", 150.0, 0, 100.0, 0)]
    checks = lint_speed.report(rows)
    assert [ok for ok, _ in checks] == [True, False]
    assert checks[1][1].startswith("FAIL slow: lint / check-jsonschema = 1.50")
    assert "0.90" in capsys.readouterr().out
