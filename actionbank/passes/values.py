"""Values: scope init vectors against dims, and fill types that a function ignores."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    for scope in ctx.bank.scopes:
        init = jp.join(scope.pointer, "init")
        if scope.init_method == "given_qpos":
            if scope.given_qpos is None:
                yield Diagnostic.make(
                    "AB502", init, scope=scope.name, hint=f"add kwargs: {{given_qpos: [...]}} with {scope.size} values"
                )
            elif len(scope.given_qpos) != scope.size:
                yield Diagnostic.make(
                    "AB501",
                    jp.join(init, "kwargs", "given_qpos"),
                    scope=scope.name,
                    actual=len(scope.given_qpos),
                    expected=scope.size,
                )
        elif scope.init_key is None:
            yield Diagnostic.make(
                "AB503", init, scope=scope.name, hint=f"set init_node_name, e.g. '{scope.name}_init_qpos'"
            )
    for edge in ctx.bank.edges:
        spec = ctx.registry.get(edge.function)
        if edge.fill_type == "scalable" and spec is not None and spec.always_still:
            yield Diagnostic.make("AB504", jp.join(edge.pointer, "fill_type"), edge=edge.label, function=edge.function)
