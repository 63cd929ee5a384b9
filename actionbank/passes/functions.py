"""Functions: every node, edge, validator and process name resolves in the registry, with
the right kind and kwargs that match its parameters."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, get_args

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.functions.patterns import match, match_values
from actionbank.functions.spec import Call, FunctionKind, FunctionSpec, Parameter
from actionbank.passes.context import CompileContext
from actionbank.references import is_reference
from actionbank.source import pointer as jp

__all__ = ["check"]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "reference": is_reference,
    "string": lambda value: isinstance(value, str) and not is_reference(value),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "null": lambda value: value is None,
}


@functools.cache
def _checks(types: tuple[str, ...]) -> tuple[Callable[[Any], bool], ...]:
    return tuple(_TYPE_CHECKS[kind] for kind in types if kind in _TYPE_CHECKS)


def _type_ok(value: Any, parameter: Parameter) -> bool:
    if not parameter.types:
        return True
    for accepts in _checks(parameter.types):  # noqa: SIM110 (hot: a plain loop, no generator)
        if accepts(value):
            return True
    return False


#: How :meth:`_Resolver.clean` checks one argument: True (any value), False (the parameter
#: has choices: not decided there), or the checks of which one must accept the value.
_Accepts = bool | tuple[Callable[[Any], bool], ...]


def _accepts(parameters: dict[str, Parameter]) -> dict[str, _Accepts]:
    """Per parameter, what :func:`_type_ok` (and the choices) would ask of a value, decided once."""
    return {name: False if p.choices else True if not p.types else _checks(p.types) for name, p in parameters.items()}


def _check_kwargs(spec: FunctionSpec, kind: str, kwargs: Any, pointer: str) -> Iterator[Diagnostic]:
    if spec.parameters is None:
        return
    if not isinstance(kwargs, dict):
        yield Diagnostic.make("AB209", pointer, kind=kind, name=spec.name, reason="kwargs must be an object")
        return
    parameters = spec.parameter_map
    for name, value in kwargs.items():
        parameter = parameters.get(name)
        if parameter is not None and not parameter.choices and _type_ok(value, parameter):
            continue  # the common case: no pointer to build
        where = jp.join(pointer, name)
        if parameter is None:
            hint = choices_hint(name, parameters, "its parameters")
            yield Diagnostic.make(
                "AB209", where, kind=kind, name=spec.name, reason=f"unknown argument {name!r}", hint=hint
            )
        elif not _type_ok(value, parameter):
            expected = " or ".join(parameter.types)
            yield Diagnostic.make(
                "AB209", where, kind=kind, name=spec.name, reason=f"argument {name!r} must be {expected}, not {value!r}"
            )
        elif parameter.choices and value not in parameter.choices:
            hint = choices_hint(str(value), [str(c) for c in parameter.choices], "allowed values")
            yield Diagnostic.make(
                "AB209", where, kind=kind, name=spec.name, reason=f"argument {name!r} is {value!r}", hint=hint
            )
    for parameter in spec.parameters:
        if parameter.required and parameter.name not in kwargs:
            yield Diagnostic.make(
                "AB209",
                pointer,
                kind=kind,
                name=spec.name,
                reason=f"missing required argument {parameter.name!r}",
                hint=parameter.doc or None,
            )


_UNSEEN: Any = object()  # a function :meth:`_Resolver.clean` has not looked up yet


class _Resolver:
    def __init__(self, ctx: CompileContext) -> None:
        self.ctx = ctx
        self.unknown_severity = "warning" if ctx.allow_unknown_functions else "error"
        # (name, kind) → what a clean call needs: per parameter name the checks a value must
        # pass one of (True: any value; False: it has choices, so ask :meth:`resolve`), or None
        # when unchecked; its required names and its nested calls; None when :meth:`resolve`
        # must run (unknown, wrong kind).
        # Per kind (no key tuple per call), per name.
        self._plain: dict[
            str, dict[str, tuple[dict[str, _Accepts] | None, tuple[str, ...], tuple[Call, ...]] | None]
        ] = {kind: {} for kind in get_args(FunctionKind)}

    def clean(self, name: str, kind: FunctionKind, kwargs: Any) -> bool:
        """Whether :meth:`resolve` would report nothing, decided without building pointers or
        generators (hot: one call per node and edge). ``False`` only means "ask :meth:`resolve`"."""
        known = self._plain[kind]
        plain = known.get(name, _UNSEEN)
        if plain is _UNSEEN:
            spec = self.ctx.registry.get(name)
            plain = None
            if spec is not None and kind in spec.kinds:
                required = tuple(p.name for p in spec.parameters or () if p.required)
                parameters = None if spec.parameters is None else _accepts(spec.parameter_map)
                plain = (parameters, required, spec.calls)
            known[name] = plain
        if plain is None:
            return False
        parameters, required, calls = plain
        if parameters is not None:
            if not isinstance(kwargs, dict):
                return False
            for argument, value in kwargs.items():
                checks = parameters.get(argument)
                if checks is None or checks is False:
                    return False
                if checks is not True:
                    for accepts in checks:  # hot: a plain loop, no generator
                        if accepts(value):
                            break
                    else:
                        return False
            for argument in required:
                if argument not in kwargs:
                    return False
        for call in calls:
            for entry in match_values(kwargs, call.pattern):
                if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                    return False
                if not self.clean(entry["name"], call.kind, entry.get("kwargs", {})):
                    return False
        return True

    def resolve(
        self, name: str, kind: FunctionKind, kwargs: Any, pointer: str, name_pointer: str, note: str = ""
    ) -> Iterator[Diagnostic]:
        registry = self.ctx.registry
        spec = registry.get(name)
        if spec is None:
            hint = choices_hint(name, registry.names(kind), f"registered {kind} functions") + note
            if not self.ctx.allow_unknown_functions:
                hint += "; register it with @actionbank.register_function or pass --allow-unknown-functions"
            yield Diagnostic.make(
                "AB206",
                name_pointer,
                kind=kind,
                name=name,
                hint=hint,
                severity="warning" if self.ctx.allow_unknown_functions else "error",
            )
            return
        if kind not in spec.kinds:
            yield Diagnostic.make(
                "AB207",
                name_pointer,
                name=name,
                actual="/".join(spec.kinds),
                expected=kind,
                hint=choices_hint(name, registry.names(kind), f"registered {kind} functions"),
            )
            return
        yield from _check_kwargs(spec, kind, kwargs, pointer)
        for call in spec.calls:
            for entry_pointer, entry in match(kwargs, call.pattern, pointer):
                yield from self.entry(entry, call.kind, entry_pointer)

    def entry(self, entry: Any, kind: FunctionKind, pointer: str) -> Iterator[Diagnostic]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            yield Diagnostic.make(
                "AB209",
                pointer,
                kind=kind,
                name="?",
                reason=f"each {kind} entry must be an object with a 'name' string",
            )
            return
        kwargs = entry.get("kwargs", {})
        yield from self.resolve(entry["name"], kind, kwargs, f"{pointer}/kwargs", f"{pointer}/name")


def check(ctx: CompileContext) -> Iterator[Diagnostic]:
    resolver = _Resolver(ctx)
    for node in ctx.bank.nodes:
        if resolver.clean(node.function, "node", node.kwargs):
            continue
        yield from resolver.resolve(
            node.function, "node", node.kwargs, f"{node.pointer}/kwargs", f"{node.pointer}/name"
        )
    for edge in ctx.bank.edges:
        if resolver.clean(edge.function, "edge", edge.kwargs):
            continue
        note = "" if edge.function_named else f"; edge {edge.label!r} has no 'name', so its function is its label"
        name_pointer = f"{edge.pointer}/name" if edge.function_named else edge.pointer
        yield from resolver.resolve(edge.function, "edge", edge.kwargs, f"{edge.pointer}/kwargs", name_pointer, note)
