"""actionbank: a declarative graph compiler for robot action banks.

The names below are loaded on first use (PEP 562), so that importing one part of the
package (``actionbank.cli``, ``actionbank.runtime``) does not import the others first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actionbank.compiler import CompileOptions, CompileResult, compile_document, compile_file
    from actionbank.diagnostics import Diagnostic
    from actionbank.errors import ActionbankError, CompileError, InputError
    from actionbank.functions import FunctionRegistry, FunctionSpec, Parameter, default_registry, register_function
    from actionbank.plan import ExecutionPlan
    from actionbank.references import parse_reference

#: Each public name → the module that defines it.
_HOMES = {
    "ActionbankError": "actionbank.errors",
    "CompileError": "actionbank.errors",
    "CompileOptions": "actionbank.compiler",
    "CompileResult": "actionbank.compiler",
    "Diagnostic": "actionbank.diagnostics",
    "ExecutionPlan": "actionbank.plan",
    "FunctionRegistry": "actionbank.functions",
    "FunctionSpec": "actionbank.functions",
    "InputError": "actionbank.errors",
    "Parameter": "actionbank.functions",
    "compile_document": "actionbank.compiler",
    "compile_file": "actionbank.compiler",
    "default_registry": "actionbank.functions",
    "parse_reference": "actionbank.references",
    "register_function": "actionbank.functions",
}

__all__ = [
    "ActionbankError",
    "CompileError",
    "CompileOptions",
    "CompileResult",
    "Diagnostic",
    "ExecutionPlan",
    "FunctionRegistry",
    "FunctionSpec",
    "InputError",
    "Parameter",
    "compile_document",
    "compile_file",
    "default_registry",
    "parse_reference",
    "register_function",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'actionbank' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
