"""Validation of an action config document into the typed spec.

The pydantic models (pydantic-core, compiled) accept exactly what the generated JSON Schema
accepts (a test proves it on valid and mutated configs), so they are the fast gate. When
they reject a document, jsonschema lists every violation with its path for the diagnostics.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import ValidationError

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.spec.action_config import ActionConfig
from actionbank.spec.schema import describe_path, model_schema, schema_diagnostics

__all__ = ["action_config_schema", "validate_action_config"]


@functools.cache
def action_config_schema() -> dict[str, Any]:
    return model_schema(
        ActionConfig,
        "actionbank action config",
        "An action bank in EmbodiChain's format: scope, node, edge, sync, misc.",
    )


def validate_action_config(document: SourceDocument) -> tuple[ActionConfig | None, list[Diagnostic]]:
    """The typed spec, or ``None`` and located diagnostics."""
    try:
        return ActionConfig.model_validate(document.data), []
    except ValidationError as error:
        diagnostics = schema_diagnostics(action_config_schema(), document.data)
        if not diagnostics:  # the models are stricter than JSON Schema can say (e.g. 1.0 as an integer)
            for item in error.errors():
                path = [p for p in item["loc"] if isinstance(p, str | int)]
                diagnostics.append(
                    Diagnostic.make("AB115", jp.join("", *path), where=describe_path(path), reason=item["msg"])
                )
        return None, document.place_all(diagnostics)
