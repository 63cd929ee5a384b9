"""Every file a robot model makes MuJoCo read (includes, meshes, height fields, skins,
textures), each where MuJoCo looks for it, read with :mod:`xml.etree` (no MuJoCo).

The comment below states MuJoCo's rules and how they were checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NamedTuple

from actionbank.runtime.mjcf_defaults import DefaultClasses
from actionbank.runtime.mjcf_reader import MAX_MODEL_DEPTH, model_file
from actionbank.runtime.model_file import ModelDocument, ModelFile, inside, load_model

__all__ = ["referenced_files"]


# How MuJoCo finds the files a model names, as implemented below. From MuJoCo's XML reference
# (compiler/meshdir, texturedir, assetdir, strippath, discardvisual; include/file) and its
# changelog (3.7.0: URDF strippath), and checked by loading small models with MuJoCo 3.8.1
# (the pinned version) and 3.6.0 (a scratch install) and reading which path each error names;
# tests/runtime/test_model_file_references.py checks the listing against MjSpec.from_file.
# - strippath, when true, keeps only a file's base name; it is applied first, and not to includes.
# - An absolute name is used as written; else it is read from meshdir (meshes, height fields,
#   skins, flexcomp files) or texturedir (textures, cube faces included), which is absolute or
#   relative to the main model file's folder; without one, from that folder itself.
# - assetdir sets both dirs; meshdir / texturedir written on the same <compiler> win over it. Of
#   several <compiler> elements (includes included), the last to set an attribute wins, wherever
#   it stands in the file.
# - A file named in an included file that is not where the rules above say is then looked for
#   beside that included file (its name only, no meshdir): MuJoCo's fallback, seen in both versions.
# - <include file> is read relative to the main model file's folder, then (for nested includes)
#   to the including file's folder. <model file> is read relative to the folder of the model file
#   that names it (no fallback, no strippath, parent's meshdir not used), or as written when absolute.
# - A <model> file is a model of its own: the files it names (its includes too) are read from its
#   own folder with its own <compiler> settings; the naming model's meshdir, assetdir and strippath
#   do not apply to it (checked with MuJoCo 3.8.1 in tests/runtime/test_model_file_attach.py).
# - MJCF discardvisual="true" drops textures unread (default false). URDF: <collision> meshes are
#   always read, <visual> meshes only with <mujoco><compiler discardvisual="false"/> (its default
#   is true); meshdir / assetdir / strippath come from that same <mujoco><compiler>; a bare
#   <compiler> under <robot> is ignored.
# - URDF strippath, when not set, is true before MuJoCo 3.7.0 and false from 3.7.0 on (3.6.0
#   looks for 'm/col.stl' as 'col.stl', 3.8.1 as 'm/col.stl').

#: MJCF elements that name files read through meshdir, by the section they are in.
_MESHDIR_FILES = {"asset": ("mesh", "hfield"), "deformable": ("skin",)}
#: A texture's attributes that name files: one image, or the six faces of a cube.
_TEXTURE_ATTRIBUTES = ("file", "fileright", "fileleft", "fileup", "filedown", "filefront", "fileback")


class _Compiler(NamedTuple):
    """The compiler settings that place files: each dir with the attribute it came from."""

    dirs: dict[str, tuple[str, str]]
    strippath: bool
    discardvisual: bool


def _compiler(elements: list[ET.Element], strippath: bool, discardvisual: bool) -> _Compiler:
    """The settings of ``elements`` (``<compiler>``, in document order) over the defaults."""
    dirs: dict[str, tuple[str, str]] = {}
    for element in elements:
        assetdir = element.get("assetdir")
        if assetdir is not None:
            dirs["meshdir"] = dirs["texturedir"] = (assetdir, "assetdir")
        for key in ("meshdir", "texturedir"):
            value = element.get(key)
            if value is not None:
                dirs[key] = (value, key)
        if element.get("strippath") is not None:
            strippath = element.get("strippath") == "true"
        if element.get("discardvisual") is not None:
            discardvisual = element.get("discardvisual") == "true"
    return _Compiler(dirs, strippath, discardvisual)


def _urdf_strippath_default() -> bool:
    """MuJoCo's strippath for a URDF that does not set it: true before MuJoCo 3.7.0, false from
    3.7.0 on. Read from the installed distribution's version, without importing MuJoCo."""
    try:
        installed = version("mujoco")
    except PackageNotFoundError:
        return False
    found = re.match(r"(\d+)\.(\d+)", installed)
    return found is not None and (int(found[1]), int(found[2])) < (3, 7)


def _asset(
    kind: str, written: str, dir_key: str, compiler: _Compiler, folder: Path, written_in: Path | None
) -> ModelFile:
    """Where MuJoCo looks for the ``kind`` file ``written`` (in the file ``written_in``, when that
    is an included file), given the ``compiler`` settings and the main model file's ``folder``."""
    name = re.split(r"[/\\]", written)[-1] if compiler.strippath else written
    stripped = "strippath keeps only its name, " if name != written else ""
    if Path(name).is_absolute():
        candidates: tuple[Path, ...] = (Path(name),)
        rule = "an absolute path, used as written"
    elif dir_key in compiler.dirs:
        directory, attribute = compiler.dirs[dir_key]
        base = Path(directory)
        where = "" if base.is_absolute() else ", relative to the model file's folder"
        candidates = ((base if base.is_absolute() else folder / base) / name,)
        rule = f"{stripped}in <compiler {attribute}={directory!r}>{where}"
    else:
        candidates = (folder / name,)
        rule = f"{stripped}in the model file's folder: no <compiler {dir_key}> or assetdir"
    if written_in is not None and written_in.parent != folder and not Path(name).is_absolute():
        candidates = (*candidates, written_in.parent / name)
        rule += f", then beside {written_in.name}, the included file that names it"
    return ModelFile(kind, written, candidates, rule)


def _mesh_name(mesh: ET.Element) -> str:
    """A ``<mesh>``'s name: as written, else its file's name without folder and extension."""
    return mesh.get("name") or Path(re.split(r"[/\\]", mesh.get("file", ""))[-1]).stem


def _flat_ok_meshes(root: ET.Element) -> set[str]:
    """The meshes MuJoCo compiles even when flat: a shell inertia (no volume needed for it), and
    no geom of type mesh that collides (``contype`` or ``conaffinity`` not 0) uses them (no
    convex hull). Classes and childclasses count, as MuJoCo applies them."""
    defaults = DefaultClasses(root)
    shells = {
        _mesh_name(mesh)
        for asset in root.iter("asset")
        for mesh in asset.findall("mesh")
        if defaults.attributes(mesh).get("inertia") == "shell"
    }
    if not shells:
        return shells
    hulls: set[str] = set()

    def walk(element: ET.Element, childclass: str | None) -> None:
        for child in element:
            if child.tag == "geom":
                geom = defaults.attributes(child, childclass)
                collides = any(_integer(geom.get(key, "1")) != 0 for key in ("contype", "conaffinity"))
                if geom.get("type") == "mesh" and collides:
                    hulls.add(geom.get("mesh", ""))
            elif child.tag in ("body", "frame", "replicate"):
                walk(child, child.get("childclass") or childclass)

    for world in root.iter("worldbody"):
        walk(world, None)
    return shells - hulls


def _integer(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _mjcf_files(document: ModelDocument, within: Path | None, depth: int = 0) -> list[ModelFile]:
    root, folder = document.root, document.folder
    compiler = _compiler(list(root.iter("compiler")), strippath=False, discardvisual=False)
    found: list[ModelFile] = []
    flat_ok = _flat_ok_meshes(root)

    def add(kind: str, element: ET.Element, attribute: str, dir_key: str) -> None:
        written = element.get(attribute)
        if written:
            file = _asset(kind, written, dir_key, compiler, folder, document.written_in.get(element))
            found.append(file._replace(flat_ok=kind == "mesh" and _mesh_name(element) in flat_ok))

    for element in root.iter():
        if element.tag in _MESHDIR_FILES:
            for child in element:
                if child.tag in _MESHDIR_FILES[element.tag]:
                    add(child.tag, child, "file", "meshdir")
                elif element.tag == "asset" and child.tag == "texture" and not compiler.discardvisual:
                    for attribute in _TEXTURE_ATTRIBUTES:
                        add("texture", child, attribute, "texturedir")
                elif element.tag == "asset" and child.tag == "model" and child.get("file"):
                    found.extend(_submodel_files(model_file(child, folder), within, depth))
        elif element.tag == "flexcomp":
            add("flexcomp", element, "file", "meshdir")
    return found


def _submodel_files(file: ModelFile, within: Path | None, depth: int) -> list[ModelFile]:
    """A ``<model file>`` and, when it can be read (inside ``within``), the files it makes MuJoCo
    read: its includes and the files it names, from its own folder and ``<compiler>``."""
    target = file.path
    if depth >= MAX_MODEL_DEPTH or not inside(target, within) or not target.is_file():
        return [file]
    document = load_model(target, within, strict=False)
    if document.root.tag != "mujoco":
        return [file]
    named = [*document.includes, *_mjcf_files(document, within, depth + 1)]
    return [file, *(f if f.named_in else f._replace(named_in=file.written) for f in named)]


def _urdf_files(document: ModelDocument) -> list[ModelFile]:
    settings = document.root.find("mujoco/compiler")
    compiler = _compiler(
        [settings] if settings is not None else [], strippath=_urdf_strippath_default(), discardvisual=True
    )
    sections = ("collision",) if compiler.discardvisual else ("collision", "visual")
    found: list[ModelFile] = []
    for link in document.root.iter("link"):
        for section in sections:
            for element in link.findall(section):
                mesh = element.find("geometry/mesh")
                written = mesh.get("filename") if mesh is not None else None
                if written:
                    found.append(_asset(f"{section} mesh", written, "meshdir", compiler, document.folder, None))
    return found


def referenced_files(path: Path, *, within: Path | None = None) -> tuple[ModelFile, ...]:
    """Every file the model at ``path`` makes MuJoCo read, each with where MuJoCo looks for it
    (the rules are in the comment above): its includes in the order met, then the files the
    model names in document order. An include that is missing or outside ``within`` is listed
    but not opened, so what it would name is not listed. Raises :class:`ModelFileError` when
    ``path`` or an include it reads is not XML, or ``path`` is neither MJCF nor URDF.
    """
    document = load_model(path, within, strict=False)
    named = _mjcf_files(document, within) if document.root.tag == "mujoco" else _urdf_files(document)
    return (*document.includes, *named)
