"""Names: duplicate node and edge labels, and sections that name undeclared scopes."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    labelled = (("AB201", ctx.bank.nodes, ctx.nodes_by_label), ("AB202", ctx.bank.edges, ctx.edges_by_label))
    for code, items, first in labelled:
        for item in items:
            other = first[item.label]
            if other is not item:
                yield Diagnostic.make(
                    code,
                    item.pointer,
                    label=item.label,
                    other_scope=other.scope,
                    hint=f"first defined at {ctx.where(other.pointer)}",
                )
    scopes = list(ctx.scopes)
    spec = ctx.bank.spec
    for section, names in (("node", spec.node), ("edge", spec.edge)):
        for name in names:
            if name not in ctx.scopes:
                yield Diagnostic.make(
                    "AB203",
                    jp.join("/" + section, name),
                    section=f"'{section}'",
                    scope=name,
                    hint=choices_hint(name, scopes, "declared scopes"),
                )
    for index, pair in enumerate(ctx.bank.misc.unit_pairs):
        for position, name in enumerate(pair):
            if name not in ctx.scopes:
                yield Diagnostic.make(
                    "AB203",
                    jp.join("/misc/unit_pairs", index, position),
                    section="misc.unit_pairs",
                    scope=name,
                    hint=choices_hint(name, scopes, "declared scopes"),
                )
