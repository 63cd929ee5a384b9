"""Scope walks: each scope's edges run in list order from its init node; names resolve."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.functions.patterns import declared_key_paths, declared_key_values
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    known = ctx.known_keys
    edge_reads: dict[str, tuple[str, ...]] = {}  # function name → its edge reads patterns
    for scope_name, edges in ctx.edges_by_scope.items():
        scope = ctx.scopes.get(scope_name)
        pairs: dict[tuple[str, str], str] = {}
        for position, edge in enumerate(edges):
            src, sink = edge.src, edge.sink
            if src not in known or sink not in known:  # hot: one test per edge, tuples only to report
                for role, name in (("src", src), ("sink", sink)):
                    if name not in known:
                        yield Diagnostic.make(
                            "AB204",
                            f"{edge.pointer}/{role}",
                            edge=edge.label,
                            role=role,
                            name=name,
                            hint=choices_hint(name, known, "node labels and keys"),
                        )
            reads = edge_reads.get(edge.function)
            if reads is None:
                spec = ctx.registry.get(edge.function)
                reads = edge_reads[edge.function] = spec.reads if spec is not None and "edge" in spec.kinds else ()
            # Paths and pointers only for an edge that reads an unknown key (hot: once per edge).
            unknown = bool(reads) and not known.issuperset(declared_key_values(edge.kwargs, reads))
            for name, path in declared_key_paths(edge.kwargs, reads) if unknown else ():
                if name not in known:
                    yield Diagnostic.make(
                        "AB205",
                        edge.pointer if path is None else jp.join(f"{edge.pointer}/kwargs", *path),
                        edge=edge.label,
                        name=name,
                        hint=choices_hint(name, known, "node labels and keys"),
                    )
            if position == 0:
                if scope is not None and scope.init_key and src != scope.init_key:
                    yield Diagnostic.make(
                        "AB305",
                        f"{edge.pointer}/src",
                        edge=edge.label,
                        scope=scope_name,
                        src=src,
                        init=scope.init_key,
                    )
            elif src != (previous := edges[position - 1]).sink:
                yield Diagnostic.make(
                    "AB304",
                    f"{edge.pointer}/src",
                    edge=edge.label,
                    src=src,
                    previous=previous.label,
                    scope=scope_name,
                    sink=previous.sink,
                )
            pair = (src, sink)
            other = pairs.get(pair)
            if other is None:
                pairs[pair] = edge.label
            else:
                yield Diagnostic.make("AB307", edge.pointer, edge=edge.label, src=src, sink=sink, other=other)
    for scope_name, nodes in ctx.bank.spec.node.items():
        if nodes and not ctx.edges_by_scope.get(scope_name) and scope_name in ctx.scopes:
            yield Diagnostic.make("AB306", jp.join("/node", scope_name), scope=scope_name)
