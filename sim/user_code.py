"""Calling the functions a gym config names (events, success checks, observation terms), and
saying so when one raises or returns what its contract does not allow.

These are plugins' code as much as ours: when one raises, :func:`called` turns it into a
:class:`UserCodeError` that names the function and where the config uses it, with the frames
from the function inward (what its author needs), instead of a crash of ``generate``. What a
function returns is checked where it returns, not where the recorder later stores it:

- an event: a dict of what it sampled, plain data (numbers, strings, booleans, ``None``, and
  lists and dicts of them; NumPy values become numbers and lists);
- a success check: ``(success, metrics, reason)``, the metrics numbers by name;
- an observation term: one finite number per component it declares.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError

__all__ = ["UserCodeError", "called", "checked_event_values", "checked_result", "checked_terms", "raised"]

#: The frames of a raising function kept in the message: its own and what it called, the last ones.
_FRAMES = 8


class UserCodeError(ActionbankError):
    """A function the gym config names raised, or broke its contract (exit code 1)."""

    exit_code = 1


def called[T](what: str, function: Callable[..., T], *args: Any) -> T:
    """``function(*args)``; when it raises, a :class:`UserCodeError` naming ``what`` (``success
    check 'near' (env.success)``), with the function's frames."""
    try:
        return function(*args)
    except Exception as error:
        raise raised(what, error) from error


def raised(what: str, error: Exception) -> UserCodeError:
    """The :class:`UserCodeError` for ``error``, raised by the function ``what`` called from the
    frame that caught it: the message, then the frames from the function inward."""
    frames = traceback.extract_tb(error.__traceback__)[1:]
    listed = "".join(traceback.format_list(frames[-_FRAMES:])).rstrip()
    return UserCodeError(f"{what} raised {type(error).__name__}: {error}\n{listed}")


def _plain(value: Any, where: str) -> Any:
    """``value`` as plain data (NumPy scalars and arrays converted), or a :class:`ValueError`."""
    if isinstance(value, np.generic | np.ndarray):
        value = value.tolist()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {key: _plain(item, f"{where}[{key!r}]") for key, item in value.items()}
    raise ValueError(f"{where} is a {type(value).__name__}")


def checked_event_values(what: str, values: Any) -> dict[str, Any]:
    """An event's return value as plain data, or a :class:`UserCodeError` saying what it is."""
    if not isinstance(values, dict):
        raise UserCodeError(
            f"{what} returned {type(values).__name__}, not a dict of the values it sampled (return {{}} when none)"
        )
    try:
        plain: dict[str, Any] = _plain(values, "the return value")
    except ValueError as error:
        raise UserCodeError(
            f"{what} returned values that are not plain data (numbers, strings, lists, dicts): {error}"
        ) from None
    return plain


def checked_result(what: str, result: Any) -> tuple[bool, dict[str, float], str]:
    """A success check's ``(success, metrics, reason)``, or a :class:`UserCodeError` saying what is wrong."""
    if not (isinstance(result, tuple) and len(result) == 3):
        raise UserCodeError(f"{what} returned {type(result).__name__}, not (success, metrics, reason)")
    success, metrics, reason = result
    if not isinstance(success, bool | np.bool_):
        raise UserCodeError(f"{what} returned a success of type {type(success).__name__}, not a bool")
    if not isinstance(metrics, Mapping) or not isinstance(reason, str):
        raise UserCodeError(f"{what} returned metrics that are not a dict, or a reason that is not text")
    numbers: dict[str, float] = {}
    for key, value in metrics.items():
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
            raise UserCodeError(f"{what} returned metric {key!r} = {value!r}, not a number")
        numbers[str(key)] = float(value)
    return bool(success), numbers, reason


def checked_terms(what: str, values: Any, components: int) -> NDArray[np.float64]:
    """An observation term's values as ``components`` finite numbers, or a :class:`UserCodeError`."""
    try:
        if values is None:
            raise TypeError
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise UserCodeError(f"{what} returned {type(values).__name__}, not numbers") from None
    if array.shape != (components,):
        raise UserCodeError(
            f"{what} returned values of shape {array.shape}, not ({components},): one number per component it declares"
        )
    if not all(math.isfinite(x) for x in array.tolist()):
        raise UserCodeError(f"{what} returned {array.tolist()}, which is not finite")
    return array
