"""Fixtures for the simulation tests: the pour-water example's gym config and plan, loaded
once per session, and gym configs with small cameras (fast to render)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EXAMPLES

from actionbank.compiler import CompileOptions, compile_file
from actionbank.plan import ExecutionPlan
from actionbank.spec.gym_models import GymConfig
from sim.config import load_sim_config

POUR_WATER: Path = EXAMPLES / "pour_water"
#: Small camera images [px] for tests where the pictures themselves are not the point.
SMALL_WIDTH, SMALL_HEIGHT = 64, 48

ShrinkCameras = Callable[[GymConfig], GymConfig]


def _shrink_cameras(config: GymConfig, width: int = SMALL_WIDTH, height: int = SMALL_HEIGHT) -> GymConfig:
    """``config`` with every camera resized to ``width`` x ``height``, keeping its field of view."""
    return config.model_copy(update={"sensor": [camera.resized(width, height) for camera in config.sensor]})


@pytest.fixture(scope="session")
def small_cameras() -> ShrinkCameras:
    """A function giving a gym config with 64x48 cameras (same fields of view)."""
    return _shrink_cameras


@pytest.fixture(scope="session")
def pour_water_dir() -> Path:
    return POUR_WATER


@pytest.fixture(scope="session")
def pour_water_config() -> GymConfig:
    config, _ = load_sim_config(POUR_WATER / "gym_config.yaml")
    return config


@pytest.fixture(scope="session")
def small_pour_water_config(pour_water_config: GymConfig) -> GymConfig:
    """The pour-water gym config with 64x48 cameras."""
    return _shrink_cameras(pour_water_config)


@pytest.fixture(scope="session")
def pour_water_plan() -> ExecutionPlan:
    result = compile_file(POUR_WATER / "action_config.yaml", CompileOptions())
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    return result.plan
