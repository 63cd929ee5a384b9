"""The schemas this package publishes, as canonical text (``schemas/`` holds copies)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from actionbank.plan import ExecutionPlan
from actionbank.spec.gym_config import gym_config_schema
from actionbank.spec.schema import model_schema, schema_text
from actionbank.spec.validate import action_config_schema

__all__ = ["SCHEMAS", "SCHEMA_FILES"]


def _action() -> str:
    return schema_text(action_config_schema())


def _gym() -> str:
    return schema_text(gym_config_schema())


def _plan() -> str:
    return schema_text(
        model_schema(ExecutionPlan, "actionbank execution plan", "The compiled schedule of an action bank.")
    )


SCHEMAS: Mapping[str, Callable[[], str]] = {"action": _action, "gym": _gym, "plan": _plan}
#: File name in ``schemas/`` of each schema.
SCHEMA_FILES: Mapping[str, str] = {
    "action": "action_config.schema.json",
    "gym": "gym_config.schema.json",
    "plan": "plan.schema.json",
}
