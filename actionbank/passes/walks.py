"""Scope walks: each scope's edges run in list order from its init node; names resolve."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.functions.patterns import declared_keys
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    known = ctx.known_keys
    for scope_name, edges in ctx.edges_by_scope.items():
        scope = ctx.scopes.get(scope_name)
        pairs: dict[tuple[str, str], str] = {}
        for position, edge in enumerate(edges):
            for role in ("src", "sink"):
                name = getattr(edge, role)
                if name not in known:
                    yield Diagnostic.make(
                        "AB204",
                        jp.join(edge.pointer, role),
                        edge=edge.label,
                        role=role,
                        name=name,
                        hint=choices_hint(name, known, "node labels and keys"),
                    )
            spec = ctx.registry.get(edge.function)
            reads = spec.reads if spec is not None and "edge" in spec.kinds else ()
            base = jp.join(edge.pointer, "kwargs")
            for name, pointer in declared_keys(edge.kwargs, reads, base, edge.pointer):
                if name not in known:
                    yield Diagnostic.make(
                        "AB205",
                        pointer,
                        edge=edge.label,
                        name=name,
                        hint=choices_hint(name, known, "node labels and keys"),
                    )
            if position == 0:
                if scope is not None and scope.init_key and edge.src != scope.init_key:
                    yield Diagnostic.make(
                        "AB305",
                        jp.join(edge.pointer, "src"),
                        edge=edge.label,
                        scope=scope_name,
                        src=edge.src,
                        init=scope.init_key,
                    )
            elif edge.src != edges[position - 1].sink:
                previous = edges[position - 1]
                yield Diagnostic.make(
                    "AB304",
                    jp.join(edge.pointer, "src"),
                    edge=edge.label,
                    src=edge.src,
                    previous=previous.label,
                    scope=scope_name,
                    sink=previous.sink,
                )
            pair = (edge.src, edge.sink)
            if pair in pairs:
                yield Diagnostic.make(
                    "AB307", edge.pointer, edge=edge.label, src=edge.src, sink=edge.sink, other=pairs[pair]
                )
            else:
                pairs[pair] = edge.label
    for scope_name, nodes in ctx.bank.spec.node.items():
        if nodes and not ctx.edges_by_scope.get(scope_name) and scope_name in ctx.scopes:
            yield Diagnostic.make("AB306", jp.join("/node", scope_name), scope=scope_name)
