"""What the compiler knows about a function: its kind, parameters and dataflow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

__all__ = ["Call", "FunctionKind", "FunctionSpec", "Parameter", "ValueType"]

FunctionKind = Literal["node", "edge", "validator", "process"]
#: Value types a parameter accepts; "reference" is a string in the reference grammar.
ValueType = Literal["number", "integer", "string", "boolean", "array", "object", "reference", "null"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One keyword argument: its name, whether it is required, its types and allowed values."""

    name: str
    types: tuple[ValueType, ...] = ()
    required: bool = False
    choices: tuple[Any, ...] = ()
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Call:
    """Where nested function calls sit in the kwargs: objects with ``name`` and ``kwargs``."""

    kind: FunctionKind
    pattern: str


@dataclass(frozen=True)
class FunctionSpec:
    """A registered function.

    ``kinds`` says where it may be named: as a node generator, an edge, or a validator or
    process inside ``generate_affordances_from_src``. ``reads`` and ``writes`` are kwargs path patterns (see :mod:`.patterns`) whose string
    values are affordance keys (``pattern=key``: the key ``key`` when the pattern finds none, for
    kwargs with a default); a node also writes its own label, last. ``steps`` names the
    kwargs list whose items run in order (each item reads, then writes): a read is served
    by the node itself only when an earlier item writes the key. ``parameters`` is ``None``
    when the kwargs are not checked.

    Facts the passes and the simulation read instead of branching on names: ``always_still``
    (an edge whose fill is always 'still', e.g. a gripper ramp that is never stretched) and
    ``validates_ik`` (a validator whose rejection means the pose has no IK solution, counted
    as an IK failure), ``reads_scope_values`` (an edge whose reads are values of its scope, one
    number per dimension: a constant of another size is an error before anything runs). An
    edge's ``reads`` name keys it needs, checked like a node's.
    """

    name: str
    kinds: tuple[FunctionKind, ...]
    summary: str = ""
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    calls: tuple[Call, ...] = ()
    steps: str | None = None
    parameters: tuple[Parameter, ...] | None = None
    always_still: bool = False
    validates_ik: bool = False
    reads_scope_values: bool = False
    implementation: Callable[..., Any] | None = field(default=None, compare=False)
    origin: str = "builtin"

    @cached_property
    def parameter_map(self) -> dict[str, Parameter]:
        return {p.name: p for p in self.parameters or ()}
