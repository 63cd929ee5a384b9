"""The compiler's output: a frozen, JSON round-trippable ``ExecutionPlan``.

Same input, same bytes: :meth:`ExecutionPlan.to_json` writes fields in model order with a
fixed indent and a trailing newline. ``schemas/plan.schema.json`` is generated from
these models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "PLAN_FORMAT",
    "ExecutionPlan",
    "PlanEdge",
    "PlanNode",
    "PlanScope",
    "PlanSync",
    "plan_json_bytes",
    "plan_json_parts",
]

PLAN_FORMAT: Final = "actionbank.plan/1"


class _Frozen(BaseModel):
    # Built when a plan is first validated: the compile command writes plans without models.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class PlanScope(_Frozen):
    name: str
    shape: list[int] = Field(description="Shape of one action of this scope.")
    dtype: str
    init_method: Literal["current_qpos", "given_qpos"]
    given_qpos: list[float] | None = None
    init_key: str | None = Field(None, description="Affordance key holding the start value.")


class PlanNode(_Frozen):
    label: str
    scope: str
    function: str
    kwargs: dict[str, Any]
    reads: list[str] = Field(description="Affordance keys it reads.")
    writes: list[str] = Field(description="Affordance keys it writes (its label first).")


class PlanEdge(_Frozen):
    scope: str
    name: str
    function: str
    src: str
    sink: str
    start: int = Field(description="First step of the motion.")
    end: int = Field(description="start + duration: the step after the motion's last step.")
    span_end: int = Field(description="The step up to which the edge occupies its scope after gap filling.")
    duration: int = Field(description="[steps]")
    fill_type: Literal["still", "scalable"]
    slack: int = Field(description="Steps the start could slip without lengthening the makespan.")
    critical: bool = Field(description="Whether the edge is on the critical path.")
    kwargs: dict[str, Any]
    description: str = Field(
        "", description="What the motion does, in natural language (the config's, or derived from the name)."
    )


class PlanSync(_Frozen):
    edge: str
    after: list[str] = Field(description="Edges that end before this edge starts.")


class ExecutionPlan(_Frozen):
    """What to generate (``node_order``) and what each scope does at each step (``edges``)."""

    format: Literal["actionbank.plan/1"] = PLAN_FORMAT
    makespan: int = Field(description="Length of the schedule [steps].")
    scopes: list[PlanScope]
    edges: list[PlanEdge] = Field(description="Every edge, by scope (declared order), then list order.")
    node_order: list[PlanNode] = Field(description="Node generators in dataflow (topological) order.")
    sync: list[PlanSync]
    critical_path: list[str] = Field(description="Edge names, first to last.")
    environment_keys: list[str] = Field(description="Affordance keys the environment must provide.")

    def to_json(self) -> str:
        """Canonical JSON text: identical plans give identical bytes."""
        return self.to_json_bytes().decode()

    def to_json_bytes(self) -> bytes:
        """:meth:`to_json`'s text as UTF-8, straight from the serializer (a large plan is written
        without decoding and encoding megabytes again)."""
        return self.__pydantic_serializer__.to_json(self, indent=2) + b"\n"

    @classmethod
    def from_json(cls, text: str) -> ExecutionPlan:
        return cls.model_validate_json(text)

    def edges_of(self, scope: str) -> list[PlanEdge]:
        return [e for e in self.edges if e.scope == scope]


def plan_json_parts(data: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """:func:`plan_json_bytes` in two parts, the JSON and its final newline, for a writer that
    writes both: joining them copies the whole plan once more (11 MB at 16,000 edges)."""
    return pydantic_core.to_json(data, indent=2), b"\n"


def plan_json_bytes(data: Mapping[str, Any]) -> bytes:
    """:meth:`ExecutionPlan.to_json_bytes` of the plan whose ``model_dump`` is ``data``, written
    by the same serializer from the plain data, without validating it into models first."""
    return b"".join(plan_json_parts(data))
