"""The package's one exception root.

Bad *input* never escapes as a traceback: it becomes diagnostics. These exceptions carry
the exit code the command line should use when a stage cannot go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actionbank.diagnostics.diagnostic import Diagnostic

__all__ = ["ActionbankError", "CompileError", "InputError"]


class ActionbankError(Exception):
    """Root of every exception actionbank raises on purpose."""

    exit_code = 1


class InputError(ActionbankError):
    """An input could not be read at all (missing, a directory, no permission): exit code 2."""

    exit_code = 2

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


class CompileError(ActionbankError):
    """The input was read but holds errors, listed in ``diagnostics``: exit code 1."""

    exit_code = 1

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} error(s): " + "; ".join(d.message for d in errors[:3]))
