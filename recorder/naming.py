"""Where a new dataset goes: ``<root>/<robot>_<scene>_<task>_<NNN>``, numbered without collisions.

The number is reserved by ``os.mkdir`` of the numbered folder, which succeeds for exactly
one process, so concurrent runs never share a number. The reserved folder is left empty;
:meth:`recorder.writer.DatasetWriter.create` accepts an empty folder and renames the new
dataset onto it (LeRobot itself refuses to create a dataset in an existing folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["DEFAULT_ROOT", "ROOT_ENV", "dataset_name_prefix", "dataset_root", "sanitize"]

#: Environment variable naming the folder new datasets go to when no ``--output`` is given.
ROOT_ENV = "ACTIONBANK_DATASET_ROOT"
#: The folder used when neither ``--output`` nor :data:`ROOT_ENV` is given.
DEFAULT_ROOT = Path("~/.cache/actionbank_datasets")

_UNSAFE = re.compile(r"[^\w.-]+")


def sanitize(part: str) -> str:
    """``part`` as a safe file-name piece: spaces and other unsafe characters become ``_``."""
    cleaned = _UNSAFE.sub("_", part.strip()).strip("._")
    return cleaned or "unnamed"


def dataset_name_prefix(robot_type: str, scene_type: str, task_description: str) -> str:
    """``<robot>_<scene>_<task>``, each part sanitised."""
    return "_".join(sanitize(part) for part in (robot_type, scene_type, task_description))


def _taken_numbers(parent: Path, prefix: str) -> list[int]:
    pattern = re.compile(re.escape(prefix) + r"_(\d{3,})")
    if not parent.is_dir():
        return []
    return [int(m.group(1)) for entry in parent.iterdir() if (m := pattern.fullmatch(entry.name))]


def dataset_root(
    output: Path | None, robot_type: str, scene_type: str, task_description: str, parent: Path | None = None
) -> Path:
    """The dataset folder for this run.

    ``output`` when given (returned as is). Otherwise the next free numbered folder
    ``<prefix>_<NNN>`` under ``parent`` (the gym config's ``env.dataset.save_path``), else
    ``$ACTIONBANK_DATASET_ROOT`` or ``~/.cache/actionbank_datasets``,
    created empty here to reserve the number: numbers only grow (one past the largest taken).
    """
    if output is not None:
        return output
    env = os.environ.get(ROOT_ENV)
    parent = (parent if parent is not None else Path(env) if env else DEFAULT_ROOT).expanduser()
    parent.mkdir(parents=True, exist_ok=True)
    prefix = dataset_name_prefix(robot_type, scene_type, task_description)
    number = max(_taken_numbers(parent, prefix), default=-1) + 1
    while True:
        candidate = parent / f"{prefix}_{number:03d}"
        try:
            os.mkdir(candidate)
        except FileExistsError:
            number += 1
            continue
        return candidate
