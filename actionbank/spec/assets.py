"""Files a gym config names (meshes, the robot's model file and the files that model refers to,
the texture images of material events): where they are, and whether they may be read.

A relative path is read from the gym config's folder, whatever the working directory. A path
that is absolute, or that leads out of that folder (``..``, or a symbolic link pointing
elsewhere), is read only when the caller allows it (``generate`` / ``lint``
``--allow-outside-assets``): a config cannot make us read files outside its folder by itself,
nor can the robot model file it names, nor a symbolic link among the PNG images of a texture
folder it names (:func:`texture_images`, the one place ``lint`` and the scene read them from).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from actionbank.runtime.events import MaterialRequest
from actionbank.runtime.model_references import referenced_files
from actionbank.source import pointer as jp
from actionbank.spec.gym_models import GymConfig

__all__ = [
    "AssetPathError",
    "asset_hashes",
    "asset_key",
    "config_assets",
    "config_textures",
    "lies_outside",
    "material_requests",
    "resolve_asset",
    "texture_images",
]


class AssetPathError(ValueError):
    """An asset path leaves the gym config's folder and that was not allowed; ``reason`` says
    how (with the resolved path) without repeating the path as written."""

    def __init__(self, fpath: str, reason: str) -> None:
        super().__init__(f"{fpath!r} {reason}")
        self.reason = reason


def lies_outside(path: Path, base_dir: Path) -> bool:
    """Whether ``path`` (symbolic links followed) lies outside ``base_dir``, the gym config's folder."""
    return not path.resolve().is_relative_to(base_dir.resolve())


def resolve_asset(fpath: str, base_dir: Path, *, allow_outside: bool = False) -> Path:
    """The absolute, symlink-free path of ``fpath`` (relative to ``base_dir``, the gym config's folder).

    Raises :class:`AssetPathError` when the file lies outside ``base_dir`` and ``allow_outside``
    is false. The file need not exist (the caller reports a missing file).
    """
    path = Path(fpath)
    resolved = (base_dir.resolve() / path).resolve()  # an absolute ``path`` replaces the folder
    if not allow_outside and lies_outside(resolved, base_dir):
        why = "is absolute" if path.is_absolute() else "leads out of the gym config's folder"
        raise AssetPathError(fpath, f"{why} ({resolved})")
    return resolved


def asset_key(path: Path, base_dir: Path) -> str:
    """How provenance names a file found through the robot model: its path relative to the gym
    config's folder (POSIX), or its absolute path when it lies outside."""
    resolved, folder = path.resolve(), base_dir.resolve()
    return resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else str(resolved)


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


def material_requests(config: GymConfig) -> Iterator[tuple[str, MaterialRequest]]:
    """(event label, material request) of each event of the config whose params ask for materials,
    in declared order. An event the runtime does not declare, or whose params are invalid, is
    skipped: ``lint`` reports it."""
    from actionbank.runtime import RUNTIME  # the registries load on first use

    for label, event in config.env.events.items():
        declaration = RUNTIME.events.get(event.func)
        if declaration is None:
            continue
        try:
            params = declaration.parse(event.params)
        except ValidationError:
            continue
        materials = getattr(params, "materials", None)
        if callable(materials):
            yield label, materials()


def config_textures(config: GymConfig) -> Iterator[tuple[str, str]]:
    """(JSON pointer, path as written) of every texture image, or folder of them, that the config's
    material events name, in declared order."""
    for label, request in material_requests(config):
        for image, relative in zip(request.images, request.image_pointers, strict=True):
            yield jp.join("", "env", "events", label, "params") + relative, image


def texture_images(path: str, base_dir: Path, *, allow_outside: bool = False) -> list[tuple[str, Path]]:
    """(name as written, resolved file) of the PNG image ``path`` (relative to ``base_dir``, the gym
    config's folder), or of each ``*.png`` in folder ``path``, sorted by name.

    Raises :class:`AssetPathError` when ``path``, or one of the folder's images (a symbolic link),
    lies outside ``base_dir`` and ``allow_outside`` is false. The files need not exist.
    """
    resolved = resolve_asset(path, base_dir, allow_outside=allow_outside)
    if not resolved.is_dir():
        return [(path, resolved)]
    images: list[tuple[str, Path]] = []
    for entry in sorted(resolved.glob("*.png")):
        name, file = f"{path.rstrip('/')}/{entry.name}", entry.resolve()
        if not allow_outside and lies_outside(file, base_dir):
            raise AssetPathError(
                name, f"(an image of texture folder {path!r}) leads out of the gym config's folder ({file})"
            )
        images.append((name, file))
    return images


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def asset_hashes(config: GymConfig, base_dir: Path, *, allow_outside: bool = False) -> dict[str, str]:
    """sha256 of each file the config names, keyed by the path as written, then of each texture
    image of its material events (each PNG of a texture folder), then of each file its robot
    model file refers to (includes, meshes, textures …: a changed robot mesh or texture image
    changes the data as much as a changed object mesh), both keyed by :func:`asset_key` (for
    provenance).

    Raises :class:`AssetPathError` for a file outside ``base_dir`` without ``allow_outside``,
    :class:`OSError` for one that cannot be read, and
    :class:`~actionbank.runtime.model_file.ModelFileError` for a robot model file that is not
    MJCF or URDF (``lint`` reports all three first).
    """
    hashes: dict[str, str] = {}
    for _pointer, fpath in config_assets(config):
        if fpath not in hashes:
            hashes[fpath] = _sha256(resolve_asset(fpath, base_dir, allow_outside=allow_outside))
    for _pointer, texture in config_textures(config):
        for _name, image in texture_images(texture, base_dir, allow_outside=allow_outside):
            key = asset_key(image, base_dir)
            if key not in hashes:
                hashes[key] = _sha256(image)
    if config.robot.fpath is None:
        return hashes
    model = resolve_asset(config.robot.fpath, base_dir, allow_outside=allow_outside)
    for file in referenced_files(model, within=None if allow_outside else base_dir):
        path = file.path
        if not allow_outside and lies_outside(path, base_dir):
            raise AssetPathError(
                file.written,
                f"(a {file.kind} file of robot model file {config.robot.fpath!r}) leads out of the gym config's "
                f"folder ({path.resolve()})",
            )
        key = asset_key(path, base_dir)
        if key not in hashes:
            hashes[key] = _sha256(path)
    return hashes
