"""The quick mode of ``benchmarks/ik_solve.py`` runs and prints its report (timings are not checked)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

_MODULE_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "ik_solve.py"


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ik_solve", _MODULE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("ik_solve", module)
    spec.loader.exec_module(module)
    return module


ik_solve = _load_module()


def test_the_quick_mode_runs_and_prints_success_timings_and_checks(capsys: pytest.CaptureFixture[str]) -> None:
    status = ik_solve.main(["--quick"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert f"{ik_solve.QUICK_TARGETS} targets" in out
    for part in ("success", "median", "p95", "fk", "mj_forward", "PASS"):
        assert part in out
