"""Function declarations and the registry the compiler resolves names in."""

from actionbank.functions.builtins import BUILTINS
from actionbank.functions.patterns import match as match_pattern
from actionbank.functions.registry import (
    ENTRY_POINT_GROUP,
    FunctionConflictError,
    FunctionRegistry,
    default_registry,
    register_function,
)
from actionbank.functions.spec import Call, FunctionKind, FunctionSpec, Parameter

__all__ = [
    "BUILTINS",
    "ENTRY_POINT_GROUP",
    "Call",
    "FunctionConflictError",
    "FunctionKind",
    "FunctionRegistry",
    "FunctionSpec",
    "Parameter",
    "default_registry",
    "match_pattern",
    "register_function",
]
