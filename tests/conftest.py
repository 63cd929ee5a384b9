"""Fixtures shared by all tests; plain helpers live in helpers.py."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # shared test modules: helpers.py, mutations.py

from sim.gl import prefer_headless_gl

prefer_headless_gl()  # before any test module imports MuJoCo

from helpers import REFERENCE, write_config  # noqa: E402

from actionbank.compiler import CompileOptions, CompileResult, compile_file  # noqa: E402


@pytest.fixture
def compile_data(tmp_path: Path) -> Callable[..., CompileResult]:
    """Write ``data`` as JSON and compile it (no gym config unless given)."""

    def run(data: Any, gym: Any = None, **options: Any) -> CompileResult:
        path = write_config(tmp_path, data)
        gym_path = write_config(tmp_path, gym, "gym.json") if gym is not None else None
        return compile_file(path, CompileOptions(gym_config=gym_path, **options))

    return run


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"the shared reference configs are not at {REFERENCE}")
    return REFERENCE
