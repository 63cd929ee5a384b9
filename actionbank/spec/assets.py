"""Files a gym config names (meshes, later textures): where they are, and whether they may be read.

A relative path is read from the gym config's folder, whatever the working directory. A path
that is absolute, or that leads out of that folder (``..``, or a symbolic link pointing
elsewhere), is read only when the caller allows it (``generate`` / ``lint``
``--allow-outside-assets``): a config cannot make us read files outside its folder by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from actionbank.source import pointer as jp
from actionbank.spec.gym_models import GymConfig

__all__ = ["AssetPathError", "asset_hashes", "config_assets", "resolve_asset"]


class AssetPathError(ValueError):
    """An asset path leaves the gym config's folder and that was not allowed."""


def resolve_asset(fpath: str, base_dir: Path, *, allow_outside: bool = False) -> Path:
    """The absolute, symlink-free path of ``fpath`` (relative to ``base_dir``, the gym config's folder).

    Raises :class:`AssetPathError` when the file lies outside ``base_dir`` and ``allow_outside``
    is false. The file need not exist (the caller reports a missing file).
    """
    folder = base_dir.resolve()
    path = Path(fpath)
    resolved = (folder / path).resolve()  # an absolute ``path`` replaces ``folder``
    if not allow_outside and not resolved.is_relative_to(folder):
        why = "is absolute" if path.is_absolute() else "leads out of the gym config's folder"
        raise AssetPathError(f"{fpath!r} {why} ({resolved})")
    return resolved


def config_assets(config: GymConfig) -> Iterator[tuple[str, str]]:
    """(JSON pointer, path as written) of every file the config names, in document order."""
    if config.robot.fpath is not None:
        yield "/robot/fpath", config.robot.fpath
    for section in ("background", "rigid_object"):
        for index, item in enumerate(getattr(config, section)):
            if item.shape.shape_type == "Mesh" and item.shape.fpath is not None:
                yield jp.join("", section, index, "shape", "fpath"), item.shape.fpath
    for index, group in enumerate(config.rigid_object_group):
        for key, member in group.rigid_objects.items():
            if member.shape.shape_type == "Mesh" and member.shape.fpath is not None:
                yield (
                    jp.join("", "rigid_object_group", index, "rigid_objects", key, "shape", "fpath"),
                    member.shape.fpath,
                )


def asset_hashes(config: GymConfig, base_dir: Path, *, allow_outside: bool = False) -> dict[str, str]:
    """sha256 of each file the config names, keyed by the path as written (for provenance)."""
    hashes: dict[str, str] = {}
    for _pointer, fpath in config_assets(config):
        if fpath not in hashes:
            data = resolve_asset(fpath, base_dir, allow_outside=allow_outside).read_bytes()
            hashes[fpath] = hashlib.sha256(data).hexdigest()
    return hashes
