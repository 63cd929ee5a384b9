"""The package's public names load on first use, and the command's entry point runs the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import ROOT

import actionbank


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_importing_the_package_imports_none_of_its_parts() -> None:
    done = _python("import sys, actionbank; print(sorted(m for m in sys.modules if m.startswith('actionbank.')))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", actionbank.__all__)
def test_every_public_name_loads_from_its_module(name: str) -> None:
    value = getattr(actionbank, name)
    assert getattr(value, "__name__", name) == name
    assert name in dir(actionbank)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'compile_fiel'"):
        actionbank.compile_fiel  # noqa: B018


def test_a_star_import_gives_the_public_names() -> None:
    done = _python("from actionbank import *; print(compile_file.__module__, ExecutionPlan.__name__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["actionbank.compiler", "ExecutionPlan"]


def test_the_entry_point_runs_the_command_with_the_collector_on_again() -> None:
    code = (
        "import gc, sys\n"
        "import actionbank.cli as cli\n"
        "seen = []\n"
        "cli.run = lambda: seen.append(gc.isenabled())\n"
        "from actionbank.launch import run\n"
        "run()\n"
        "print(seen, gc.isenabled())\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[True]", "True"]


def test_python_m_actionbank_is_the_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "actionbank", "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "compile" in done.stdout
