"""JSON Schemas generated from the models, and jsonschema errors turned into diagnostics.

``schemas/*.schema.json`` in the repository are these schemas written out (a test keeps
them equal), for editors; the compiler generates them in memory, so an installed package
needs no data files.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint, did_you_mean
from actionbank.source import pointer as jp

if TYPE_CHECKING:  # imported where a document is invalid: a clean compile never needs jsonschema
    import jsonschema

__all__ = ["describe_path", "model_schema", "schema_diagnostics", "schema_text"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TYPE_WORDS = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _strip_titles(node: Any, keep: bool) -> Any:
    if isinstance(node, dict):
        return {
            key: _strip_titles(value, key in ("properties", "$defs"))
            for key, value in node.items()
            if not (key == "title" and not keep and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_strip_titles(item, False) for item in node]
    return node


def model_schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``model``, tidied for editors."""
    raw = model.model_json_schema(mode="validation")
    body = _strip_titles(raw, keep=False)
    body.pop("title", None)
    body.pop("description", None)
    return {"$schema": DIALECT, "title": title, "description": description, **body}


def schema_text(schema: dict[str, Any]) -> str:
    """Canonical text of a schema file: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@functools.cache
def _validator(schema_json: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def describe_path(path: Any) -> str:
    """``edge.right_arm[2].pre1_to_grasp.duration`` for ``/edge/right_arm/2/pre1_to_grasp/duration``."""
    text = jp.path_text(path)
    return f"'{text}'" if text else "the document"


def _type_word(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _expected(types: Any) -> str:
    """``"a list or null"`` for ``["array", "array", "null"]``: each type once, in order."""
    names = [types] if isinstance(types, str) else [n for t in types for n in ([t] if isinstance(t, str) else t)]
    return " or ".join(dict.fromkeys(_TYPE_WORDS.get(n, n) for n in names))


def _forms(node: Any, keyword: str, root: dict[str, Any]) -> list[list[str]]:
    """The keys of each form of an ``anyOf``/``oneOf`` ``node`` whose branches are all objects
    with named properties (following local references): ``[["func", "params"], ["all"], …]``;
    empty when a branch is anything else."""
    forms: list[list[str]] = []
    for branch in node.get(keyword, ()) if isinstance(node, dict) else ():
        seen: set[str] = set()
        while isinstance(branch, dict) and isinstance(branch.get("$ref"), str) and branch["$ref"] not in seen:
            seen.add(branch["$ref"])
            branch = _local(root, branch["$ref"])
        properties = branch.get("properties") if isinstance(branch, dict) else None
        if not isinstance(properties, dict) or not properties:
            return []
        forms.append(list(properties))
    return forms


def _local(root: dict[str, Any], ref: str) -> Any:
    """What the local reference ``#/$defs/Name`` points to in ``root`` (None when it does not)."""
    node: Any = root
    for token in jp.split(ref[1:]) if ref.startswith("#") else [None]:
        node = node.get(token) if isinstance(node, dict) and token is not None else None
    return node


def _forms_text(forms: list[list[str]]) -> str:
    """``{func, params}, {all}, {any} or {not}``."""
    shown = ["{" + ", ".join(keys) + "}" for keys in forms]
    return ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]


def _form_diagnostics(
    error: jsonschema.ValidationError,
    path: list[Any],
    prefix: Sequence[str | int],
    forms: list[list[str]],
    root: dict[str, Any],
) -> Iterator[Diagnostic]:
    """An object that matches none of several object forms: its keys that no form has (the
    likely typo, offered every form's keys), else the closest form's errors, a key of
    another form said to be one."""
    instance: Any = error.instance
    every_key = [key for keys in forms for key in keys]
    unknown = [key for key in instance if key not in every_key]
    where = describe_path([*prefix, *path])
    pointer = jp.join("", *prefix, *path)
    if unknown:
        for key in unknown:
            guess = did_you_mean(key, every_key)
            hint = (f"did you mean {guess!r}? " if guess else "") + f"write it as {_forms_text(forms)}"
            yield Diagnostic.make("AB111", jp.join(pointer, key), key=key, where=where, hint=hint)
        return
    for sub in _closest_branch(path, list(error.context or ())):
        for diagnostic in _diagnostics_for(sub, prefix, root):
            key = jp.split(diagnostic.pointer)[-1] if diagnostic.pointer.startswith(pointer + "/") else None
            if diagnostic.code == "AB111" and key in every_key and diagnostic.pointer == jp.join(pointer, key):
                hint = f"{key!r} belongs to another form of this value: write it as {_forms_text(forms)}"
                diagnostic = dataclasses.replace(diagnostic, hint=hint)
            yield diagnostic


def _closest_branch(path: list[Any], context: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """The errors of the ``anyOf``/``oneOf`` branch the value was most likely meant for.

    Branches the value does not even have the type of are dropped; of the rest, the one
    missing the fewest required keys wins (so ``{parent: …}`` is read as the branch that
    requires ``parent``), then the one with the fewest errors, then the first declared.
    """
    branches: dict[Any, list[jsonschema.ValidationError]] = {}
    for sub in context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    here = [
        errors
        for errors in branches.values()
        if not any(e.validator == "type" and list(e.absolute_path) == path for e in errors)
    ] or list(branches.values())

    def score(errors: list[jsonschema.ValidationError]) -> tuple[int, int]:
        missing = sum(1 for e in errors if e.validator == "required" and list(e.absolute_path) == path)
        return missing, len(errors)

    return min(here, key=score)


def _diagnostics_for(
    error: jsonschema.ValidationError, prefix: Sequence[str | int], root: dict[str, Any]
) -> Iterator[Diagnostic]:
    path = list(error.absolute_path)
    pointer = jp.join("", *prefix, *path)
    where = describe_path([*prefix, *path])
    # jsonschema types these as possibly unset; on a real validation error they are set.
    instance: Any = error.instance
    schema: Any = error.schema
    keyword: Any = error.validator
    value: Any = error.validator_value
    context = list(error.context or ())
    if keyword == "required":
        for key in value:
            if isinstance(instance, dict) and key not in instance:
                yield Diagnostic.make("AB110", pointer, key=key, where=where)
    elif keyword == "additionalProperties" and isinstance(instance, dict):
        known = list(schema.get("properties", {}))
        for key in instance:
            if key not in known:
                yield Diagnostic.make(
                    "AB111",
                    jp.join(pointer, key),
                    key=key,
                    where=where,
                    hint=choices_hint(key, known, "valid keys"),
                )
    elif keyword == "type":
        yield Diagnostic.make(
            "AB112",
            pointer,
            where=where,
            expected=_expected(value),
            actual=_type_word(instance),
        )
    elif keyword in ("anyOf", "oneOf") and all(
        sub.validator == "type" and list(sub.absolute_path) == path for sub in context
    ):
        types = [sub.validator_value for sub in context]
        forms = _forms(schema, keyword, root)
        hint = f"write it as {_forms_text(forms)}" if len(forms) > 1 else None
        yield Diagnostic.make(
            "AB112", pointer, where=where, expected=_expected(types), actual=_type_word(instance), hint=hint
        )
    elif keyword in ("anyOf", "oneOf") and isinstance(instance, dict) and len(_forms(schema, keyword, root)) > 1:
        yield from _form_diagnostics(error, path, prefix, _forms(schema, keyword, root), root)
    elif keyword in ("anyOf", "oneOf") and context:
        for sub in _closest_branch(path, context):
            yield from _diagnostics_for(sub, prefix, root)
    elif keyword in ("enum", "const"):
        allowed = value if keyword == "enum" else [value]
        hint = None
        if isinstance(instance, str):
            hint = choices_hint(instance, [str(a) for a in allowed], "allowed values")
        reason = f"{json.dumps(instance)} is not one of {', '.join(json.dumps(a) for a in allowed)}"
        yield Diagnostic.make("AB113", pointer, where=where, reason=reason, hint=hint)
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }
        reason = f"must be {words[keyword]} {value}, not {json.dumps(instance)}"
        yield Diagnostic.make("AB113", pointer, where=where, reason=reason)
    elif keyword in ("minProperties", "maxProperties") and schema.get("maxProperties") == 1:
        count = len(instance) if isinstance(instance, dict) else 0
        yield Diagnostic.make(
            "AB114",
            pointer,
            where=where,
            count=count,
            hint="write each entry as its own list item: - label: {...}",
        )
    elif keyword in ("minItems", "maxItems") and schema.get("minItems") == schema.get("maxItems") != 1:
        count = len(instance) if isinstance(instance, list) else 0
        reason = f"must have exactly {value} items, not {count}"
        yield Diagnostic.make("AB113", pointer, where=where, reason=reason)
    elif keyword in ("minProperties", "minItems", "minLength"):
        reason = "must not be empty" if value == 1 else error.message
        yield Diagnostic.make("AB113", pointer, where=where, reason=reason)
    elif keyword == "propertyNames":
        yield Diagnostic.make("AB113", pointer, where=where, reason="keys must not be empty")
    else:
        yield Diagnostic.make("AB115", pointer, where=where, reason=error.message)


def schema_diagnostics(schema: dict[str, Any], data: Any, prefix: Sequence[str | int] = ()) -> list[Diagnostic]:
    """Every schema violation in ``data``, as diagnostics in document order.

    ``prefix`` is where ``data`` sits in its document (pointers and messages start there).
    """
    validator = _validator(json.dumps(schema, sort_keys=True))
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    diagnostics: list[Diagnostic] = []
    seen: set[tuple[str, str, str]] = set()
    for error in errors:
        for diagnostic in _diagnostics_for(error, prefix, schema):
            key = (diagnostic.code, diagnostic.pointer, diagnostic.message)
            if key not in seen:
                seen.add(key)
                diagnostics.append(diagnostic)
    return diagnostics
