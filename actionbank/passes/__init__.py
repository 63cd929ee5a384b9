"""Compiler passes. Each is a pure function ``check(ctx) -> Iterator[Diagnostic]``.

:data:`PASSES` is the one place that says which passes run and in what order.
"""

from collections.abc import Callable, Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.passes import dataflow, functions, misc, names, parts, references, sync, values, walks
from actionbank.passes.context import CompileContext

__all__ = ["PASSES", "CompileContext", "Pass"]

Pass = Callable[[CompileContext], Iterator[Diagnostic]]

PASSES: tuple[tuple[str, Pass], ...] = (
    ("names", names.check),
    ("misc", misc.check),
    ("values", values.check),
    ("parts", parts.check),
    ("functions", functions.check),
    ("references", references.check),
    ("dataflow", dataflow.check),
    ("walks", walks.check),
    ("sync", sync.check),
)
