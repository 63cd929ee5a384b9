"""The plan's segmentation and the task's paraphrases, as rows of LeRobot's ``language_persistent``.

LeRobot 0.6.1 keeps language annotations in two columns (``lerobot.datasets.language``):
``language_persistent`` holds, on every frame of an episode, the episode's list of persistent
rows (``role``, ``content``, ``style``, ``timestamp`` [s], ``camera``, ``tool_calls``); a row is
active from its ``timestamp`` until the next row of its style. Being data columns, they go
wherever LeRobot's merge, split and delete tools take the frames.

What an episode gets (all ``camera=None``, ``tool_calls=None``):

* ``subtask`` rows (role ``assistant``): at the first frame and at every frame where the set of
  running edges changes, the descriptions of the edges then running, in scope order, joined by
  ``"; "`` (``"idle"`` when none runs).
* ``motion`` rows (role ``assistant``), at the same times: every scope and its edge,
  ``"<scope>: <edge>"`` joined by ``"; "`` (``<edge>`` is ``idle`` when the scope runs none).
  :func:`edges_at` reads them back: the per-frame, per-scope edge, without a table in
  ``meta/`` (a ``subtask_index`` column pointing into one would lose its meaning in a
  merge of datasets with different plans; LeRobot's annotation writer also drops it).
* ``task_aug`` rows (role ``user``) at 0 s: the instruction's paraphrases other than the
  episode's task (:func:`episode_task`), which LeRobot's renderer rotates ``${task}`` through.

LeRobot's writer refuses values for language columns at record time, so the episode is
written without them and the rows are added by LeRobot's annotation writer
(:func:`recorder.lerobot_api.write_language_rows`), as ``lerobot-annotate`` does.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actionbank.spec.bank import describe_edge
from recorder.spec import DatasetSpec

__all__ = [
    "IDLE",
    "LANGUAGE_EVENTS",
    "LANGUAGE_PERSISTENT",
    "edges_at",
    "episode_rows",
    "episode_task",
    "language_features",
    "segmentation_rows",
    "task_aug_rows",
]

#: LeRobot's column names (``lerobot.datasets.language``), repeated here to keep lerobot unimported.
LANGUAGE_PERSISTENT = "language_persistent"
LANGUAGE_EVENTS = "language_events"
#: What a scope runs when it runs no edge.
IDLE = "idle"


def language_features() -> dict[str, dict[str, Any]]:
    """The ``info.json`` entries of LeRobot's two language columns (as ``language_feature_info()``)."""
    return {
        name: {"dtype": "language", "shape": (1,), "names": None} for name in (LANGUAGE_PERSISTENT, LANGUAGE_EVENTS)
    }


def episode_task(spec: DatasetSpec, seed: int) -> str:
    """The task string of the episode with ``seed``: drawn from the paraphrases, or the task."""
    phrasings = spec.task_phrasings or (spec.task,)
    return phrasings[random.Random(seed).randrange(len(phrasings))]


def _row(role: str, content: str, style: str, timestamp: float) -> dict[str, Any]:
    return {
        "role": role,
        "content": content,
        "style": style,
        "timestamp": timestamp,
        "camera": None,
        "tool_calls": None,
    }


def task_aug_rows(spec: DatasetSpec, task: str) -> list[dict[str, Any]]:
    """One ``task_aug`` row at 0 s per paraphrase other than ``task`` (in declared order, once each)."""
    others = dict.fromkeys(phrase for phrase in spec.task_phrasings if phrase != task)
    return [_row("user", phrase, "task_aug", 0.0) for phrase in others]


def segmentation_rows(spec: DatasetSpec, edges: NDArray[Any]) -> list[dict[str, Any]]:
    """The ``subtask`` and ``motion`` rows of an episode whose frames ran ``edges``.

    ``edges`` is frames × scopes: per frame and scope the index of the running edge into
    ``spec.edge_labels`` (-1: idle). A row's timestamp is its frame's, ``frame / fps`` [s].
    """
    descriptions = spec.edge_descriptions or tuple(describe_edge(label.partition("/")[2]) for label in spec.edge_labels)
    names = [label.partition("/")[2] for label in spec.edge_labels]
    rows: list[dict[str, Any]] = []
    previous: tuple[int, ...] | None = None
    for frame, running in enumerate(np.asarray(edges, dtype=np.int64).tolist()):
        current = tuple(running)
        if current == previous:
            continue
        previous = current
        timestamp = frame / spec.fps
        active = [descriptions[index] for index in current if index >= 0]
        rows.append(_row("assistant", "; ".join(active) or IDLE, "subtask", timestamp))
        motion = "; ".join(
            f"{scope}: {names[index] if index >= 0 else IDLE}"
            for scope, index in zip(spec.scopes, current, strict=True)
        )
        rows.append(_row("assistant", motion, "motion", timestamp))
    return rows


def episode_rows(spec: DatasetSpec, edges: NDArray[Any], task: str) -> list[dict[str, Any]]:
    """Every persistent row of an episode: its segmentation and its task's paraphrases."""
    return task_aug_rows(spec, task) + segmentation_rows(spec, edges)


def edges_at(persistent: Sequence[Mapping[str, Any]], timestamp: float) -> dict[str, str]:
    """Scope → edge name (or ``"idle"``) running at ``timestamp`` [s], read from the ``motion`` rows.

    ``persistent`` is a frame's ``language_persistent`` list; the active row is the last one
    whose timestamp is at most ``timestamp`` (LeRobot's ``active_at``); {} before the first.
    """
    active: Mapping[str, Any] | None = None
    for row in persistent:
        if (
            row.get("style") == "motion"
            and float(row["timestamp"]) <= timestamp + 1e-6
            and (active is None or float(row["timestamp"]) >= float(active["timestamp"]))
        ):
            active = row
    if active is None:
        return {}
    pairs = (part.split(": ", 1) for part in str(active["content"]).split("; "))
    return {scope: edge for scope, edge in pairs}
