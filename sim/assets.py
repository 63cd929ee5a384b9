"""Where the robot models live: gym-aloha's ALOHA MJCF and meshes, found without importing it.

``gym_aloha`` imports dm_control at import time; we only need its ``assets`` folder, so the
package is located with :func:`importlib.util.find_spec`, which does not run it.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from actionbank.errors import ActionbankError

__all__ = ["AssetError", "aloha_assets_dir"]


class AssetError(ActionbankError):
    """A model file the scene needs is not installed."""

    exit_code = 2


@cache
def aloha_assets_dir() -> Path:
    """The folder holding ``bimanual_viperx_transfer_cube.xml`` and the ViperX meshes."""
    spec = importlib.util.find_spec("gym_aloha")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        assets = Path(location) / "assets"
        if (assets / "bimanual_viperx_transfer_cube.xml").is_file():
            return assets
    raise AssetError(
        "the ALOHA model is not installed: gym-aloha's assets folder was not found "
        "(install it with: pip install 'lerobot[aloha]')"
    )
