"""``actionbank lint`` on a gym config of its own: recognise one, and check it as ``generate`` would.

A file is taken for a gym config when it is a mapping that has none of an action config's
sections (``scope``, ``node``, ``edge``) and at least one of a gym config's (``env``,
``robot``, ``sensor``, …); ``lint --kind gym`` says so without looking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from actionbank.diagnostics import Diagnostic
from actionbank.errors import InputError
from actionbank.source import load_document

__all__ = ["ACTION_SECTIONS", "GYM_SECTIONS", "FileKind", "is_gym_config", "lint_gym_file", "sniff_gym_file"]

#: How ``lint`` reads a file: by its content, or as the kind named.
FileKind = Literal["auto", "action", "gym"]

#: The sections that make a mapping an action config.
ACTION_SECTIONS = frozenset({"scope", "node", "edge"})
#: The sections of a gym config (EmbodiChain's top level).
GYM_SECTIONS = frozenset(
    {"env", "robot", "sensor", "light", "background", "rigid_object", "rigid_object_group", "articulation"}
)


def is_gym_config(data: Any) -> bool:
    """Whether parsed ``data`` is a gym config rather than an action config."""
    return isinstance(data, dict) and not (ACTION_SECTIONS & data.keys()) and bool(GYM_SECTIONS & data.keys())


def lint_gym_file(path: str | Path, *, allow_outside_assets: bool = False) -> list[Diagnostic]:
    """Every located problem of the gym config at ``path``: the checks ``generate`` runs first.

    Raises :class:`~actionbank.errors.InputError` when the file cannot be read or parsed.
    """
    from actionbank.runtime import RUNTIME
    from actionbank.spec.gym_config import validate_gym_config

    document, diagnostics = load_document(path)
    if document is None:
        raise InputError(diagnostics)
    return validate_gym_config(
        document, base_dir=Path(path).parent, runtime=RUNTIME, allow_outside_assets=allow_outside_assets
    ).diagnostics


def sniff_gym_file(path: str | Path) -> bool:
    """Whether the file at ``path`` parses to a gym config (False when it does not parse: the
    action-config path reports why)."""
    try:
        document, _ = load_document(path)
    except InputError:
        return False
    return document is not None and is_gym_config(document.data)
