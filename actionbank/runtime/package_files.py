"""Model files shipped inside installed Python packages, located without importing them.

``gym_aloha`` imports dm_control and ``gym_hil`` imports pygame at import time; we only need
their asset folders, so a package is located with :func:`importlib.util.find_spec`, which does
not run it. ``lint`` reads the robot model files found here (names only), so this module
imports neither MuJoCo nor anything of ``sim``; :mod:`sim.assets` re-exports it.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from actionbank.errors import ActionbankError

__all__ = ["AssetError", "package_file"]


class AssetError(ActionbankError):
    """A model file the scene needs is not installed."""

    exit_code = 2


@cache
def package_file(package: str, relative: str, distribution: str) -> Path:
    """The file ``relative`` (a POSIX path) inside the installed package ``package``, found
    without importing it; ``distribution`` is what to ``pip install`` when it is missing."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location) / relative
        if path.is_file():
            return path
    raise AssetError(
        f"{relative!r} of package {package!r} was not found (install it with: pip install {distribution!r})"
    )
