"""Fixtures for the recorder tests: small synthetic datasets, written once per module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # synthetic_rollouts.py

from synthetic_rollouts import make_spec, write_episode

from recorder import DatasetWriter
from recorder.lerobot_api import scoped_datasets_cache


@pytest.fixture(scope="module", params=[True, False], ids=["videos", "images"])
def two_episodes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset of two synthetic episodes (videos or PNG images); its root."""
    root = tmp_path_factory.mktemp("recorded") / "dataset"
    with DatasetWriter.create(make_spec(root, use_videos=request.param)) as writer:
        for seed in range(2):
            write_episode(writer, seed)
    return root


@pytest.fixture(autouse=True)
def _datasets_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Reading a dataset back caches Arrow files; keep them out of ~/.cache/huggingface."""
    with scoped_datasets_cache(tmp_path_factory.mktemp("hf_datasets_cache")):
        yield
