"""Node generators: ``generate_affordances_from_src`` and the gripper states.

A node returns the affordances it writes, by key; the executor stores them and also stores
the node's label (with the value of the last key written, unless the node wrote its label).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from actionbank.functions import default_registry
from sim.functions import processes, validators
from sim.functions.context import NodeContext, NodeFailure, resolve

__all__ = ["PROCESSES", "VALIDATORS", "execute_close_value", "execute_open_value", "generate_affordances_from_src"]

Step = Callable[..., Any]

VALIDATORS: dict[str, Step] = {name: getattr(validators, name) for name in validators.__all__}
PROCESSES: dict[str, Step] = {name: getattr(processes, name) for name in processes.__all__}


def generate_affordances_from_src(
    ctx: NodeContext,
    affordance_infos: list[Mapping[str, Any]],
    extra_validators: Mapping[str, Step] | None = None,
    extra_processes: Mapping[str, Step] | None = None,
    **_: Any,
) -> dict[str, Any]:
    """For each info, in order: read ``src_key``, run each validator on the current value and
    then its ``pass_processes`` (or its ``rejected_processes`` when it fails; failing without
    any is a node failure), and write the result to ``dst_key``. Later infos may read what
    earlier ones wrote."""
    validator_table = {**VALIDATORS, **(extra_validators or {})}
    process_table = {**PROCESSES, **(extra_processes or {})}
    written: dict[str, Any] = {}
    for index, info in enumerate(affordance_infos):
        src, dst = info["src_key"], info["dst_key"]
        if src not in ctx.store:
            raise NodeFailure(f"affordance_infos[{index}]: source {src!r} is not available")
        value: Any = ctx.store[src]
        for entry in info.get("valid_funcs_name_kwargs_proc", []):
            check = validator_table[entry["name"]]
            passed = bool(check(ctx, value, **resolve(entry.get("kwargs") or {}, ctx.store)))
            branch = "pass_processes" if passed else "rejected_processes"
            steps = entry.get(branch)
            if not passed and not steps:
                stage = "ik" if _validates_ik(ctx, entry["name"]) else "node"  # no IK solution: an IK failure
                raise NodeFailure(f"{src!r} → {dst!r}: validator {entry['name']} rejected the value", stage=stage)
            for step in steps or []:
                value = process_table[step["name"]](ctx, value, **resolve(step.get("kwargs") or {}, ctx.store))
        ctx.store[dst] = written[dst] = value
    return written


def _validates_ik(ctx: NodeContext, name: str) -> bool:
    """Whether validator ``name`` is declared to reject exactly the poses IK cannot reach."""
    spec = (ctx.functions or default_registry()).get(name)
    return spec is not None and spec.validates_ik


def execute_open_value(ctx: NodeContext, **_: Any) -> dict[str, Any]:
    """As a node: the open gripper value, ``[1.0]``."""
    return {ctx.label: np.ones(1)}


def execute_close_value(ctx: NodeContext, **_: Any) -> dict[str, Any]:
    """As a node: the closed gripper value, ``[0.0]``."""
    return {ctx.label: np.zeros(1)}
