"""Gym configs: load, validate and check a simulation scene into a :class:`GymConfig`.

Three stages, as for action configs: the loader gives plain data with a source map; the
pydantic models are the fast gate, and when they reject a document, jsonschema lists
every violation for the diagnostics; then :mod:`actionbank.spec.gym_checks` checks what a
schema cannot say. Before the models, :mod:`actionbank.spec.gym_unsupported` names the keys of
EmbodiChain's gym configs that we do not support, and takes them out of what the models see. Every diagnostic carries ``file:line:col`` in the gym config.

The models live in :mod:`actionbank.spec.gym_models` and are re-exported here.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from actionbank.diagnostics.diagnostic import Diagnostic, has_errors, sort_diagnostics
from actionbank.runtime import Runtime
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.source.loader import load_document
from actionbank.spec.gym_checks import Available, run_gym_checks
from actionbank.spec.gym_models import (
    Attached,
    Camera,
    Dataset,
    EnvSection,
    Event,
    GymConfig,
    Instruction,
    LeRobotDatasetConfig,
    LeRobotParams,
    Light,
    Lights,
    LookAt,
    ObjectAttrs,
    ObservationTerm,
    Particles,
    Physics,
    RenderSettings,
    RigidObject,
    Robot,
    RobotMeta,
    Shape,
    SuccessCheck,
)
from actionbank.spec.gym_unsupported import strip_unsupported
from actionbank.spec.schema import describe_path, model_schema, schema_diagnostics

__all__ = [
    "Attached",
    "Available",
    "Camera",
    "Dataset",
    "EnvSection",
    "Event",
    "GymConfig",
    "GymConfigResult",
    "Instruction",
    "LeRobotDatasetConfig",
    "LeRobotParams",
    "Light",
    "Lights",
    "LookAt",
    "ObjectAttrs",
    "ObservationTerm",
    "Particles",
    "Physics",
    "RenderSettings",
    "RigidObject",
    "Robot",
    "RobotMeta",
    "Shape",
    "SuccessCheck",
    "gym_config_schema",
    "load_gym_config",
    "validate_gym_config",
]


class GymConfigResult(NamedTuple):
    """The typed config and every located diagnostic.

    ``config`` is ``None`` when any diagnostic is an error (warnings leave it set);
    ``document`` is ``None`` when the file could not be parsed.
    """

    config: GymConfig | None
    diagnostics: list[Diagnostic]
    document: SourceDocument | None


@functools.cache
def gym_config_schema() -> dict[str, Any]:
    return model_schema(
        GymConfig,
        "actionbank gym config",
        "A simulation scene in EmbodiChain's gym config format: env, robot, sensor, light, objects.",
    )


def _schema_problems(data: Any, error: ValidationError) -> list[Diagnostic]:
    diagnostics = schema_diagnostics(gym_config_schema(), data)
    if not diagnostics:  # the models are stricter than JSON Schema can say (e.g. 1.0 as an integer)
        for item in error.errors():
            path = [p for p in item["loc"] if isinstance(p, str | int)]
            diagnostics.append(
                Diagnostic.make("AB115", jp.join("", *path), where=describe_path(path), reason=item["msg"])
            )
    return diagnostics


def validate_gym_config(
    document: SourceDocument,
    *,
    base_dir: str | Path | None = None,
    runtime: Runtime | None = None,
    allow_outside_assets: bool = False,
) -> GymConfigResult:
    """Validate a parsed gym config and check it against what the simulation provides.

    ``base_dir`` is the folder asset paths are relative to (``None``: files are not
    checked); ``allow_outside_assets`` lets them lie outside it. ``runtime`` holds the robot
    types, events and success checks the simulation provides (``None``: names and params are
    not checked); ``lint`` and ``generate`` both pass :data:`actionbank.runtime.RUNTIME`.
    """
    data, unsupported = strip_unsupported(document.data)
    try:
        config = GymConfig.model_validate(data)
    except ValidationError as error:
        problems = [*unsupported, *_schema_problems(data, error)]
        return GymConfigResult(None, sort_diagnostics(document.place_all(problems)), document)
    available = Available(None if base_dir is None else Path(base_dir), runtime, allow_outside_assets)
    found = sort_diagnostics(document.place_all([*unsupported, *run_gym_checks(config, available)]))
    return GymConfigResult(None if has_errors(found) else config, found, document)


def load_gym_config(
    path: str | Path,
    *,
    runtime: Runtime | None = None,
    allow_outside_assets: bool = False,
) -> GymConfigResult:
    """Load a gym config file (JSON or YAML) and validate it; see :func:`validate_gym_config`.

    Asset paths are resolved relative to the file's folder. Raises
    :class:`~actionbank.errors.InputError` when the file cannot be read at all.
    """
    document, diagnostics = load_document(path)
    if document is None:
        return GymConfigResult(None, diagnostics, None)
    return validate_gym_config(
        document, base_dir=Path(path).parent, runtime=runtime, allow_outside_assets=allow_outside_assets
    )
