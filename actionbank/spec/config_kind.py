"""Which kind of config a file is, by its top-level sections, and AB635 when a command was given
one kind where it takes the other (an action config as the gym config, or the two swapped).

An action config has ``scope``, ``node`` or ``edge`` and none of a gym config's sections; a gym
config has ``env``, ``robot``, ``sensor``, … and none of an action config's
(:func:`actionbank.spec.gym_lint.is_gym_config`). A file with both, or neither, is no kind:
its schema errors say what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import InputError
from actionbank.source import pointer as jp
from actionbank.source.document import SourceDocument
from actionbank.source.loader import load_document
from actionbank.spec.gym_lint import ACTION_SECTIONS, GYM_SECTIONS, is_gym_config

__all__ = ["ConfigKind", "check_config_kinds", "config_kind", "wrong_kind"]

ConfigKind = Literal["action", "gym"]

_NAMES = {"action": "an action config", "gym": "a gym config"}


def config_kind(data: Any) -> ConfigKind | None:
    """``"action"`` or ``"gym"`` by the top-level sections of parsed ``data``; ``None`` when they do
    not tell (a file with both kinds of sections, or neither, or no mapping)."""
    if is_gym_config(data):
        return "gym"
    if isinstance(data, dict) and ACTION_SECTIONS & data.keys() and not GYM_SECTIONS & data.keys():
        return "action"
    return None


def _sections(data: dict[str, Any], kind: ConfigKind) -> list[str]:
    """The top-level keys of ``data`` that make it ``kind``, in the file's order."""
    marks = ACTION_SECTIONS if kind == "action" else GYM_SECTIONS
    return [key for key in data if key in marks]


def wrong_kind(document: SourceDocument, expected: ConfigKind, role: str, more: str = "") -> Diagnostic | None:
    """AB635 when ``document``, given as ``role`` (e.g. ``--gym-config``), is the other kind of
    config than ``expected``; located at its first top-level section that says so. ``more`` ends
    the message (e.g. what the other file is)."""
    actual = config_kind(document.data)
    if actual is None or actual == expected:
        return None
    sections = _sections(document.data, actual)
    problem = Diagnostic.make(
        "AB635",
        jp.join("", sections[0]),
        role=role,
        path=document.path,
        actual=_NAMES[actual],
        keys=", ".join(sections),
        expected=_NAMES[expected],
        more=more,
    )
    return document.place(problem)


def _document(path: str | Path | None) -> SourceDocument | None:
    """The parsed file at ``path``, or ``None`` when there is none or it cannot be read or parsed
    (its own diagnostics say why)."""
    if path is None:
        return None
    try:
        document, _ = load_document(path)
    except InputError:
        return None
    return document


def check_config_kinds(
    action_config: str | Path,
    gym_config: str | Path | None,
    *,
    action_role: str = "--action-config",
    gym_role: str = "--gym-config",
) -> None:
    """Raise :class:`~actionbank.errors.InputError` with one AB635 when the action config is a gym
    config, the gym config an action config, or the two are swapped (said in one line, located
    in the gym config)."""
    action, gym = _document(action_config), _document(gym_config)
    action_is_gym = action is not None and config_kind(action.data) == "gym"
    problem = None
    if gym is not None and config_kind(gym.data) == "action":
        more = f"; {action_role} {action_config} is a gym config: the two are swapped" if action_is_gym else ""
        problem = wrong_kind(gym, "gym", gym_role, more)
    elif action is not None:
        problem = wrong_kind(action, "action", action_role)
    if problem is not None:
        raise InputError([problem])
