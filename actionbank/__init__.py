"""actionbank: a declarative graph compiler for robot action banks."""

from actionbank.compiler import CompileOptions, CompileResult, compile_document, compile_file
from actionbank.diagnostics import Diagnostic
from actionbank.errors import ActionbankError, CompileError, InputError
from actionbank.functions import FunctionRegistry, FunctionSpec, Parameter, default_registry, register_function
from actionbank.plan import ExecutionPlan
from actionbank.references import parse_reference

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
