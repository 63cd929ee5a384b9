"""Misc: keys of ``misc`` that nothing reads."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.passes.context import CompileContext
from actionbank.source import pointer as jp
from actionbank.spec.action_config import MiscSpec

__all__ = ["check"]


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    known = list(MiscSpec.model_fields)
    for key in ctx.bank.misc.model_extra or {}:
        yield Diagnostic.make("AB120", jp.join("/misc", key), key=key, hint=choices_hint(key, known, "known keys"))
