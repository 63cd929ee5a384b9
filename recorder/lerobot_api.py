"""The few LeRobot calls the recorder makes, imported only when used.

LeRobot pulls in torch, so it is imported inside these functions: ``import recorder``
stays light. LeRobot ships no type information; its objects are ``Any`` here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["VIDEO_BACKEND", "create_empty", "open_dataset", "resume", "scoped_datasets_cache"]

#: PyAV, named explicitly: left unset, LeRobot probes torchcodec, which needs FFmpeg's shared
#: libraries from the system, and prints a long import traceback before falling back to PyAV.
VIDEO_BACKEND = "pyav"


@contextlib.contextmanager
def scoped_datasets_cache(folder: Path) -> Iterator[None]:
    """Point Hugging Face ``datasets``' cache at ``folder`` for the duration.

    ``LeRobotDataset.resume`` loads ``meta/episodes`` with ``Dataset.from_parquet``, which
    caches an Arrow copy under ``~/.cache/huggingface/datasets``: one entry per resume. The
    writer resumes once per episode, so it keeps that cache in its staging folder, removed
    with it. ``datasets`` reads ``config.HF_DATASETS_CACHE`` at each call.
    """
    import datasets.config  # type: ignore[import-untyped]

    saved = datasets.config.HF_DATASETS_CACHE
    datasets.config.HF_DATASETS_CACHE = folder
    try:
        yield
    finally:
        datasets.config.HF_DATASETS_CACHE = saved


def create_empty(
    repo_id: str, root: Path, fps: int, features: dict[str, dict[str, Any]], robot_type: str, use_videos: bool
) -> None:
    """Create a LeRobot dataset with no episode at ``root`` (a folder that must not exist)."""
    from lerobot.datasets import LeRobotDataset  # type: ignore[import-untyped]

    dataset = LeRobotDataset.create(
        repo_id,
        fps=fps,
        features=features,
        root=root,
        robot_type=robot_type,
        use_videos=use_videos,
        video_backend=VIDEO_BACKEND,
    )
    dataset.finalize()


def resume(repo_id: str, root: Path, cache: Path) -> Any:
    """``LeRobotDataset.resume`` on ``root``: a dataset in write mode, appending to new files."""
    from lerobot.datasets import LeRobotDataset

    with scoped_datasets_cache(cache):
        return LeRobotDataset.resume(repo_id, root=root, video_backend=VIDEO_BACKEND)


def open_dataset(repo_id: str, root: Path, **kwargs: Any) -> Any:
    """``LeRobotDataset(repo_id, root=root)``: the dataset for reading."""
    from lerobot.datasets import LeRobotDataset

    return LeRobotDataset(repo_id, root=root, **{"video_backend": VIDEO_BACKEND, **kwargs})
