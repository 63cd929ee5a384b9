"""Parts: each scope drives one of the gym config's control parts, with as many values per step.

The action the simulation steps is the concatenation of ``env.control_parts``; a scope is
matched to the part of its name. A scope that names no part would be computed and dropped,
and one of another size would be cut or refused only while it runs, so both are errors here,
where the gym config is known (``lint``, ``generate``, or ``--gym-config``).
"""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.functions.patterns import declared_key_paths
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    parts = ctx.environment.control_parts
    if parts is None:
        return
    listed = ", ".join(parts) or "none"
    for scope in ctx.bank.scopes:
        if scope.name not in parts:
            yield Diagnostic.make(
                "AB505",
                scope.pointer,
                scope=scope.name,
                parts=listed,
                hint=choices_hint(scope.name, parts, "control parts")
                + "; name each scope after the control part it drives, or list it under env.control_parts",
            )
            continue
        expected = parts[scope.name]
        if expected is not None and scope.size != expected:
            yield Diagnostic.make(
                "AB506",
                jp.join(scope.pointer, "dim"),
                scope=scope.name,
                actual=scope.size,
                expected=expected,
                hint=f"write dim: [{expected}] (an arm has a value per joint, a gripper one)",
            )
    scoped = {scope.name for scope in ctx.bank.scopes}
    for part in parts:
        if part not in scoped:
            yield Diagnostic.make("AB507", "/scope", part=part, hint=f"add a scope {part!r} to move it")
    yield from _constant_sizes(ctx)


def _constant_sizes(ctx: CompileContext) -> Iterator[Diagnostic]:
    """AB508: an edge that moves its scope through values of it (``reads_scope_values``) names
    an ``env.affordances`` constant of another size; before, the attempt failed as it ran."""
    sizes = ctx.environment.constant_sizes
    if not sizes:
        return
    for edge in ctx.bank.edges:
        spec = ctx.registry.get(edge.function)
        scope = ctx.scopes.get(edge.scope)
        if spec is None or not spec.reads_scope_values or scope is None:
            continue
        for key, path in declared_key_paths(edge.kwargs, spec.reads):
            if key in sizes and sizes[key] != scope.size:
                yield Diagnostic.make(
                    "AB508",
                    edge.pointer if path is None else jp.join(f"{edge.pointer}/kwargs", *path),
                    edge=edge.label,
                    scope=edge.scope,
                    size=scope.size,
                    key=key,
                    actual=sizes[key],
                    hint=f"give env.affordances.{key} {scope.size} values in the gym config (one per joint "
                    f"of part {edge.scope!r}), or name another key",
                )
