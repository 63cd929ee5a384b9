"""References: every ``env…`` string in kwargs is inside the grammar, and the keys that
edges reference exist."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.passes.context import CompileContext
from actionbank.references import AffordanceRef
from actionbank.spec.bank import Edge

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    for site in ctx.references:
        if site.error is not None:
            yield Diagnostic.make(
                "AB208",
                site.pointer,
                text=site.text,
                reason=f"{site.error.reason} (at character {site.error.column})",
                hint="references look like env.affordance_datas['key'][:2, 3] or env.robot.compute_ik",
            )
        elif (
            isinstance(site.owner, Edge)
            and isinstance(site.reference, AffordanceRef)
            and site.reference.key not in ctx.known_keys
        ):
            yield Diagnostic.make(
                "AB205",
                site.pointer,
                edge=site.owner.label,
                name=site.reference.key,
                hint=choices_hint(site.reference.key, ctx.known_keys, "known keys"),
            )
