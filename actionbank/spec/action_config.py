"""The action config as written: typed, frozen pydantic models of the EmbodiChain format.

``schemas/action_config.schema.json`` is generated from these models
(:func:`actionbank.spec.schema.action_config_schema`), so the two cannot drift.

A node and an edge are typed dicts that pydantic validates (strict, no unknown keys): a bank
holds thousands of them, and validating one into a dict takes half the time of building a
model (16 ms of a 16,000-edge bank's 34). Their optional keys are absent when not written;
:mod:`actionbank.spec.bank` reads them with the defaults declared here.
"""

# No ``from __future__ import annotations`` here: the typed dicts' optional keys
# (``NotRequired``) are only known at run time when their annotations are evaluated.
from typing import Annotated, Any, Final, Literal, NotRequired, TypedDict

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, with_config

__all__ = [
    "DEFAULT_FILL_TYPE",
    "ActionConfig",
    "EdgeSpec",
    "InitKwargs",
    "InitSpec",
    "MiscSpec",
    "NodeSpec",
    "ScopeSpec",
    "SyncSpec",
]

Name = Annotated[str, StringConstraints(min_length=1)]
JsonObject = dict[str, Any]
FillType = Literal["still", "scalable"]
#: An edge's ``fill_type`` when it has none.
DEFAULT_FILL_TYPE: Final[FillType] = "still"


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class InitKwargs(_Spec):
    given_qpos: list[float] | None = Field(
        None, description="The scope's start value, one number per dimension (joint [rad] or gripper)."
    )


class InitSpec(_Spec):
    method: Literal["current_qpos", "given_qpos"] = Field(
        description="'current_qpos': start from the robot's joint positions at reset; "
        "'given_qpos': start from kwargs.given_qpos."
    )
    kwargs: InitKwargs = Field(default_factory=InitKwargs, description="Arguments of the init method.")
    init_node_name: str = Field(
        "", description="The affordance key that holds the start value (empty: none is registered)."
    )


class ScopeSpec(_Spec):
    type: Literal["DiGraph"] = Field("DiGraph", description="Graph type of the scope (always 'DiGraph').")
    dim: list[Annotated[int, Field(ge=1)]] = Field(
        min_length=1, description="Shape of one action of this executor, e.g. [6] for an arm."
    )
    init: InitSpec = Field(description="Where the scope's first value comes from.")
    dtype: Literal["float16", "float32", "float64"] = Field("float32", description="Action dtype.")


_ENTRY = ConfigDict(extra="forbid", strict=True)


@with_config(_ENTRY)
class NodeSpec(TypedDict):
    name: Annotated[Name, Field(description="The node generator function (a registered node function).")]
    kwargs: NotRequired[Annotated[JsonObject, Field(description="Arguments of the generator.")]]


@with_config(_ENTRY)
class EdgeSpec(TypedDict):
    src: Annotated[Name, Field(description="Start: a node label or an affordance key.")]
    sink: Annotated[Name, Field(description="End: a node label or an affordance key.")]
    duration: Annotated[int, Field(ge=1, description="Length of the motion [steps], at least 1.")]
    name: NotRequired[
        Annotated[
            Name | None,
            Field(description="The edge function; defaults to the edge's label.", json_schema_extra={"default": None}),
        ]
    ]
    fill_type: NotRequired[
        Annotated[
            FillType,
            Field(
                description="How the edge fills idle time after it: 'still' holds its last value, "
                "'scalable' stretches the motion over the whole span.",
                json_schema_extra={"default": DEFAULT_FILL_TYPE},
            ),
        ]
    ]
    kwargs: NotRequired[Annotated[JsonObject, Field(description="Arguments of the edge function.")]]
    description: NotRequired[
        Annotated[
            Name | None,
            Field(
                description="What the motion does, in natural language (e.g. 'move the gripper down to the "
                "bottle'); written into the dataset's subtask rows. Defaults to the edge's label with '_' as spaces.",
                json_schema_extra={"default": None},
            ),
        ]
    ]


class SyncSpec(_Spec):
    depend_tasks: list[Name] = Field(description="Edges that must end before this edge starts.")


class MiscSpec(BaseModel):
    """Miscellaneous settings. Unknown keys are kept and reported as warnings."""

    model_config = ConfigDict(frozen=True, extra="allow", strict=True)

    vis_graph: bool = Field(False, description="EmbodiChain: show the graph (use `actionbank dot`).")
    vis_gantt: bool = Field(False, description="EmbodiChain: show the Gantt chart (use `actionbank gantt`).")
    warpping: bool = Field(False, description="EmbodiChain's flag, spelled as it spells it.")
    unit_pairs: list[Annotated[list[Name], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list,
        description="Scope pairs that fill idle time together, e.g. [['right_arm', 'right_eef']].",
    )
    environment_keys: list[Name] = Field(
        default_factory=list,
        description="Affordance keys the environment provides at reset (e.g. 'bottle_pose'), "
        "in addition to those read from the gym config.",
    )


class ActionConfig(_Spec):
    """An action bank: executors (scope), key-pose generators (node), motions (edge), order (sync)."""

    scope: dict[Name, ScopeSpec] = Field(min_length=1, description="Executors, e.g. right_arm, left_eef.")
    node: dict[Name, list[Annotated[dict[Name, NodeSpec], Field(min_length=1, max_length=1)]]] = Field(
        description="Per scope, a list of one-key objects {label: node}."
    )
    edge: dict[Name, list[Annotated[dict[Name, EdgeSpec], Field(min_length=1, max_length=1)]]] = Field(
        description="Per scope, a list of one-key objects {label: edge}, run in list order."
    )
    sync: dict[Name, SyncSpec] = Field(default_factory=dict, description="Cross-scope order, keyed by edge label.")
    misc: MiscSpec = Field(default_factory=MiscSpec, description="Miscellaneous settings.")
