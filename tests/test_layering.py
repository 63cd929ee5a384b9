"""The compiler's commands import neither MuJoCo nor any module of the simulation, the recorder,
LeRobot or torch, directly or through an entry point (house style 8 and 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, checkout_distribution

HEAVY = ("mujoco", "sim", "recorder", "lerobot", "torch")
#: Runs ``python -m actionbank ARGS`` in-process, then prints the heavy modules it imported.
WRAPPER = (
    "import runpy, sys\n"
    "sys.argv = ['actionbank', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('actionbank', run_name='__main__')\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    f"heavy = set({HEAVY!r})\n"
    "print('IMPORTED', sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
)


@pytest.mark.parametrize("command", ["lint", "compile", "dot", "gantt"])
def test_compiler_commands_import_no_simulation_recorder_lerobot_or_torch(command: str, tmp_path: Path) -> None:
    # pour_water: its gym config is checked and its task functions come through an entry point.
    action = ROOT / "examples" / "pour_water" / "action_config.yaml"
    extra = {"compile": ["-o", str(tmp_path / "plan.json")], "gantt": ["-o", str(tmp_path / "gantt.svg")]}
    path = os.pathsep.join([str(checkout_distribution(tmp_path / "site")), str(ROOT)])
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, command, str(action), *extra.get(command, [])],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported = [line for line in result.stdout.splitlines() if line.startswith("IMPORTED")]
    assert imported == ["IMPORTED []"], result.stdout + result.stderr
    assert "Traceback" not in result.stderr
