"""The edge-label table that ``subtask_index`` values point into: ``meta/subtasks.json``.

LeRobot 0.6.1 has no table of this kind. Its native "subtask" notion is a *language* style
(rows of free text in the ``language_persistent`` column, written by its annotation
pipeline), and that pipeline drops any column named ``subtask_index`` it finds. Our table is
integer-indexed and several scopes run edges at once, so it lives in its own file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["SUBTASKS_PATH", "Subtask", "subtask_table", "subtasks_json"]

#: Where the table goes, relative to the dataset root.
SUBTASKS_PATH = "meta/subtasks.json"


@dataclass(frozen=True)
class Subtask:
    """One edge of the plan: ``subtask_index`` value ``index`` means this edge is active."""

    index: int
    scope: str
    edge: str
    label: str


def subtask_table(edge_labels: tuple[str, ...]) -> list[Subtask]:
    """One :class:`Subtask` per ``scope/edge`` label, indexed in plan order."""
    table = []
    for index, label in enumerate(edge_labels):
        scope, _, edge = label.partition("/")
        table.append(Subtask(index, scope, edge, label))
    return table


def subtasks_json(scopes: tuple[str, ...], edge_labels: tuple[str, ...]) -> dict[str, Any]:
    """The content of ``meta/subtasks.json``: the scope order of the column, -1, and the table."""
    return {
        "feature": "subtask_index",
        "scopes": list(scopes),
        "idle": -1,
        "subtasks": [asdict(entry) for entry in subtask_table(edge_labels)],
    }
