"""The function library: implementations of the built-in functions the compiler declares.

:func:`runtime_registry` returns the compiler's registry with every built-in bound to its
implementation here; user functions registered with ``@register_function`` carry their own.
Calling conventions by kind:

- node: ``fn(ctx: NodeContext, **kwargs) -> dict[key, value]`` (the affordances it writes);
- validator: ``fn(ctx: NodeContext, value, **kwargs) -> bool``;
- process: ``fn(ctx: NodeContext, value, **kwargs) -> value``;
- edge: ``fn(ctx: EdgeContext, **kwargs) -> array (duration × dim)``.

Functions that are both node and edge (``execute_open``) get either context.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from actionbank.functions import FunctionRegistry, default_registry
from sim.functions import edges
from sim.functions.context import EdgeContext, IKSolution, Kinematics, NodeContext, NodeFailure, resolve
from sim.functions.nodes import (
    PROCESSES,
    VALIDATORS,
    execute_close_value,
    execute_open_value,
    generate_affordances_from_src,
)

__all__ = [
    "EdgeContext",
    "IKSolution",
    "Kinematics",
    "NodeContext",
    "NodeFailure",
    "resolve",
    "runtime_registry",
]


def _node_or_edge(as_node: Callable[..., Any], as_edge: Callable[..., Any]) -> Callable[..., Any]:
    def run(ctx: NodeContext | EdgeContext, **kwargs: Any) -> Any:
        return as_edge(ctx, **kwargs) if isinstance(ctx, EdgeContext) else as_node(ctx, **kwargs)

    run.__doc__ = as_edge.__doc__
    return run


IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {
    "generate_affordances_from_src": generate_affordances_from_src,
    **VALIDATORS,
    **PROCESSES,
    "plan_trajectory": edges.plan_trajectory,
    "stand_still": edges.stand_still,
    "execute_open": _node_or_edge(execute_open_value, edges.execute_open),
    "execute_close": _node_or_edge(execute_close_value, edges.execute_close),
}


def runtime_registry(registry: FunctionRegistry | None = None) -> FunctionRegistry:
    """A copy of ``registry`` (default: the compiler's) with the built-ins and the task functions
    (``sim/tasks``, declared in :mod:`actionbank.runtime.tasks`) bound to implementations."""
    from sim.tasks import TASK_FUNCTIONS  # sim.tasks imports this package's modules

    bound = (registry or default_registry()).copy()
    for name, implementation in {**IMPLEMENTATIONS, **TASK_FUNCTIONS}.items():
        spec = bound.get(name)
        if spec is not None and spec.implementation is None:
            bound.register(dataclasses.replace(spec, implementation=implementation))
    return bound
