"""``benchmarks/ik_solve.py``: by default every robot's arm in one run, side by side; ``--robot``
picks one (timings are not checked)."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

ik_solve = load_benchmark("ik_solve")


def _table(out: str) -> dict[str, list[str]]:
    """The side-by-side table's rows by robot."""
    lines = out.splitlines()
    start = lines.index(ik_solve.TABLE_HEADER) + 1
    rows = {}
    for line in lines[start:]:
        if not line.strip():
            break
        rows[line.split()[0]] = line.split()
    return rows


def test_the_quick_mode_runs_every_robot_and_puts_them_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    status = ik_solve.main(["--quick"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert f"{ik_solve.QUICK_TARGETS} targets" in out
    rows = _table(out)
    assert list(rows) == list(ik_solve.ROBOTS) == ["aloha", "panda", "so101"]
    assert [rows[robot][1] for robot in rows] == ["6", "7", "5"]  # joints per arm
    for robot in ik_solve.ROBOTS:
        assert f"== {robot}" in out
        assert any(line.startswith(("PASS  ", "FAIL  ")) and f"{robot}: success" in line for line in out.splitlines())
        assert any(f"{robot}: median solve" in line for line in out.splitlines())
    for part in ("success", "median", "p95", "fk", "mj_forward"):
        assert part in out


def test_the_robot_option_runs_only_that_robot(capsys: pytest.CaptureFixture[str]) -> None:
    status = ik_solve.main(["--robot", "so101", "--targets", "3"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert list(_table(out)) == ["so101"]
    assert "== aloha" not in out and "== panda" not in out
