"""Fixtures for the recorder tests: small synthetic datasets, written once per module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # synthetic_rollouts.py

from synthetic_rollouts import make_spec, write_episode

from recorder import DatasetWriter


@pytest.fixture(scope="module", params=[True, False], ids=["videos", "images"])
def two_episodes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset of two synthetic episodes (videos or PNG images); its root."""
    root = tmp_path_factory.mktemp("recorded") / "dataset"
    with DatasetWriter.create(make_spec(root, use_videos=request.param)) as writer:
        for seed in range(2):
            write_episode(writer, seed)
    return root
