"""A dataset's JSON files read back, checked: what is wrong is said with the file's name.

A damaged or hand-edited ``meta/info.json``, ``meta/actionbank/dataset.json`` or
``COMMIT.json`` must not end in a ``KeyError`` traceback halfway through repairing a dataset:
each is read with :func:`read_json` (a link or a path leaving the dataset is refused, see
:mod:`recorder.confine`) and its keys checked against a table of :class:`Kind` before
anything is done with it. Problems become :class:`~recorder.errors.DatasetCorruptError`.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from recorder.confine import name_problem, read_dataset_bytes
from recorder.errors import DatasetCorruptError

__all__ = [
    "BOOL",
    "INFO",
    "INT",
    "INT_OR_NULL",
    "NUMBER",
    "OBJECT",
    "OBJECT_LIST",
    "STR",
    "STR_LIST",
    "STR_OR_NULL",
    "Kind",
    "field_problems",
    "read_info",
    "read_json",
]

INFO = "meta/info.json"


class Kind(NamedTuple):
    """What a JSON value must be: a description for messages and the test."""

    description: str
    accepts: Callable[[Any], bool]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


INT = Kind("an integer", _is_int)
NUMBER = Kind("a number", lambda value: _is_int(value) or isinstance(value, float))
STR = Kind("a string", lambda value: isinstance(value, str))
BOOL = Kind("true or false", lambda value: isinstance(value, bool))
OBJECT = Kind("an object", lambda value: isinstance(value, dict))
OBJECT_LIST = Kind(
    "a list of objects", lambda value: isinstance(value, list) and all(isinstance(v, dict) for v in value)
)
STR_LIST = Kind("a list of strings", lambda value: isinstance(value, list) and all(isinstance(v, str) for v in value))
INT_OR_NULL = Kind("an integer or null", lambda value: value is None or _is_int(value))
STR_OR_NULL = Kind("a string or null", lambda value: value is None or isinstance(value, str))


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def field_problems(data: Any, fields: Mapping[str, tuple[Kind, bool]], where: str = "") -> list[str]:
    """One message per missing required key and per value of the wrong kind in the object ``data``.

    ``fields``: key → (its :class:`Kind`, whether it is required). ``where`` prefixes key names.
    """
    if not isinstance(data, dict):
        return [f"{where or 'the file'} must be an object, not {_json_type(data)}"]
    problems = []
    for key, (kind, required) in fields.items():
        if key not in data:
            if required:
                problems.append(f"the key {where}{key!r} is missing")
        elif not kind.accepts(data[key]):
            problems.append(f"{where}{key!r} must be {kind.description}, not {_json_type(data[key])}")
    return problems


def read_json(root: Path, name: str) -> Any:
    """The JSON value in the dataset file ``name``; :class:`DatasetCorruptError` when it is not JSON."""
    path = root / name
    try:
        return json.loads(read_dataset_bytes(root, name).decode("utf-8"))
    except FileNotFoundError:
        raise DatasetCorruptError(f"{path} is missing") from None
    except UnicodeDecodeError as error:
        raise DatasetCorruptError(f"{path} is not UTF-8 text: {error}") from None
    except json.JSONDecodeError as error:
        raise DatasetCorruptError(f"{path} is not valid JSON: {error}") from None
    except OSError as error:
        raise DatasetCorruptError(f"{path} cannot be read: {error.strerror or error}") from None


#: The keys of LeRobot 0.6.1's ``info.json`` that this recorder and LeRobot's loader rely on.
_INFO_FIELDS: dict[str, tuple[Kind, bool]] = {
    "codebase_version": (STR, True),
    "fps": (INT, True),
    "total_episodes": (INT, True),
    "total_frames": (INT, True),
    "total_tasks": (INT, True),
    "chunks_size": (INT, True),
    "data_path": (STR, True),
    "video_path": (STR_OR_NULL, True),
    "features": (OBJECT, True),
    "robot_type": (STR_OR_NULL, False),
    "splits": (OBJECT, False),
}
_TEMPLATE_FIELDS = {"chunk_index": 0, "file_index": 0}


def _template_problem(template: str, folder: str, video_keys: list[str]) -> str | None:
    """Why a path template of ``info.json`` could lead outside ``folder`` (or cannot be formatted)."""
    allowed = {*_TEMPLATE_FIELDS, "video_key"} if folder == "videos/" else set(_TEMPLATE_FIELDS)
    try:
        fields = [name for _text, name, _spec, _conversion in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        return f"it is not a valid template ({error})"
    if any(name not in allowed for name in fields):
        return f"its fields must be among {sorted(allowed)}"
    # Without video features the template names no file; it is still checked, with a stand-in key.
    for key in video_keys or ["any_camera"]:
        try:
            name = template.format(video_key=key, **_TEMPLATE_FIELDS)
        except (ValueError, KeyError, IndexError) as error:
            return f"it cannot be formatted ({error})"
        problem = name_problem(name, (folder,))
        if problem is not None:
            return f"{name!r} would be used and {problem}"
    return None


def read_info(root: Path) -> dict[str, Any]:
    """``meta/info.json``, checked: the keys LeRobot and the recorder use, of the right types, and
    path templates that stay in ``data/`` and ``videos/`` (they name the files LeRobot reads
    and writes)."""
    info = read_json(root, INFO)
    problems = field_problems(info, _INFO_FIELDS)
    if not problems:
        for key in ("fps", "total_episodes", "total_frames", "chunks_size"):
            if info[key] < (1 if key in ("fps", "chunks_size") else 0):
                problems.append(f"{key!r} must be {'positive' if key in ('fps', 'chunks_size') else 'at least 0'}")
        features = info["features"]
        bad = [key for key, feature in features.items() if not isinstance(feature, dict) or "/" in key or not key]
        if bad:
            problems.append(f"features {bad} must be objects named without '/'")
        else:
            videos = [key for key, feature in features.items() if feature.get("dtype") == "video"]
            for key, folder, keys in (("data_path", "data/", []), ("video_path", "videos/", videos)):
                template = info[key]
                problem = _template_problem(template, folder, keys) if template is not None else None
                if problem is not None:
                    problems.append(f"{key!r} {template!r} is refused: {problem}")
    if problems:
        raise DatasetCorruptError(f"{root / INFO}: " + "; ".join(problems))
    return dict(info)
