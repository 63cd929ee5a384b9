"""Layers (house style 8 and 15): the compiler's commands import neither MuJoCo nor any module of the
simulation, the recorder, LeRobot or torch, directly or through an entry point; no module imports a
layer above its own (the recorder not the simulation either); importing a package leaves os.environ alone."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, checkout_distribution

HEAVY = ("mujoco", "sim", "recorder", "lerobot", "torch")
#: The pipeline's modules, which the compiler's commands do not need either.
PIPELINE_PACKAGES = (
    "actionbank.generate",
    "actionbank.attempts",
    "actionbank.executors",
    "actionbank.loop",
    "actionbank.replay",
    "actionbank.report",
)
#: Runs ``python -m actionbank ARGS`` in-process and, as it exits (the command ends the
#: process itself, after the exit handlers), prints the heavy modules it imported.
WRAPPER = (
    "import atexit, runpy, sys\n"
    "sys.argv = ['actionbank', *sys.argv[1:]]\n"
    f"heavy = set({HEAVY!r})\n"
    f"pipeline = {PIPELINE_PACKAGES!r}\n"
    "atexit.register(lambda: print('IMPORTED', sorted(\n"
    "    m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(pipeline))))\n"
    "runpy.run_module('actionbank', run_name='__main__')\n"
)


@pytest.mark.parametrize("command", ["lint", "compile", "dot", "gantt"])
def test_compiler_commands_import_no_simulation_recorder_lerobot_torch_or_pipeline(
    command: str, tmp_path: Path
) -> None:
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


# -- layers, read from the source (lazy imports inside functions count too) ---------------------

#: The pipeline: above the compiler, the simulation and the recorder.
PIPELINE = (*PIPELINE_PACKAGES, "actionbank.cli", "actionbank.launch", "actionbank.__main__")
#: What each layer may not import, by the layer's top-level name; ``actionbank`` is the compiler
#: (every module of the package except the pipeline's).
FORBIDDEN = {
    "actionbank": ("sim", "recorder", "mujoco", "lerobot", "torch", *PIPELINE),
    "sim": ("recorder", *PIPELINE),
    "recorder": ("sim", "mujoco", *PIPELINE),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_pipeline(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in PIPELINE)


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every import statement in ``path``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _layer_violations(package: str) -> list[str]:
    violations = []
    for path in sorted((ROOT / package).rglob("*.py")):
        module = _module_name(path)
        if _is_pipeline(module):
            continue
        for line, imported in _imports(path):
            for forbidden in FORBIDDEN[package]:
                if imported == forbidden or imported.startswith(forbidden + "."):
                    violations.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return violations


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_a_layer_above_its_own_or_beside_it(package: str) -> None:
    assert _layer_violations(package) == []


def test_the_layer_check_sees_a_lazy_import_of_the_simulation_in_the_compiler(tmp_path: Path) -> None:
    source = "def f():\n    from sim.env import ActionbankEnv\n    import mujoco.viewer\n"
    (tmp_path / "m.py").write_text(source)
    assert _imports(tmp_path / "m.py") == [(2, "sim.env.ActionbankEnv"), (3, "mujoco.viewer")]


def _run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(checkout_distribution(tmp_path / "site")), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _all_modules(package: str) -> list[str]:
    return sorted(_module_name(p) for p in (ROOT / package).rglob("*.py"))


def test_importing_every_recorder_module_imports_neither_the_simulation_nor_mujoco(tmp_path: Path) -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_all_modules('recorder')!r}:\n"
        "    importlib.import_module(name)\n"
        "print('IMPORTED', sorted(m for m in sys.modules if m.split('.')[0] in ('sim', 'mujoco')))\n"
    )
    result = _run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "IMPORTED []"


#: Libraries that set environment variables themselves when imported, imported before the
#: snapshot: what is measured is what our modules do. (gymnasium sets PYGAME_HIDE_SUPPORT_PROMPT.)
SETS_ENVIRONMENT_ON_IMPORT = ("gymnasium",)


@pytest.mark.parametrize("package", ["actionbank", "sim", "recorder"])
def test_importing_every_module_of_a_package_leaves_the_environment_variables_alone(
    package: str, tmp_path: Path
) -> None:
    # __main__ runs the CLI when imported; every other module is imported, lazily loaded parts not.
    modules = [m for m in _all_modules(package) if not m.endswith("__main__")]
    code = (
        "import importlib, os\n"
        f"for name in {SETS_ENVIRONMENT_ON_IMPORT!r}:\n"
        "    importlib.import_module(name)\n"
        "before = dict(os.environ)\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "after = dict(os.environ)\n"
        "print('CHANGED', sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))\n"
    )
    result = _run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "CHANGED []"
