"""The names a robot model file declares and the files it refers to, read with
:mod:`xml.etree` (no MuJoCo).

``lint`` checks a gym config's robot declaration (``robot.fpath``, ``control_parts``,
``solver_cfg``, ``grippers``) against these names: joints, bodies (URDF links), geoms, meshes,
sites and actuators with what they drive. MJCF ``<include>`` files are followed, but only
within the folder the caller names (``within``): a model cannot make us read a file outside
it. Values that MuJoCo would take from default classes (a joint range set in ``<default>``)
are not resolved: :class:`ModelNames` holds what the file states on the element itself.

:func:`referenced_files` lists every file the model makes MuJoCo read (includes, meshes,
height fields, skins, textures), each where MuJoCo looks for it; the comment above it states
the rules and how they were checked.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal, NamedTuple

from actionbank.errors import ActionbankError

__all__ = ["Actuator", "ModelFile", "ModelFileError", "ModelNames", "read_model_names", "referenced_files"]

#: MJCF actuator elements and whether they turn a joint into a position servo.
_ACTUATORS = ("motor", "position", "velocity", "general", "intvelocity", "damper", "cylinder", "muscle", "adhesion")


class ModelFileError(ActionbankError):
    """A robot model file cannot be read (missing, not XML, neither MJCF nor URDF, an include
    that cannot be read); ``reason`` says why without naming the model file, for callers that
    name it themselves."""

    exit_code = 2

    def __init__(self, reason: str, model: Path | None = None) -> None:
        super().__init__(reason if model is None else f"robot model file {str(model)!r}: {reason}")
        self.reason = reason


class ModelFile(NamedTuple):
    """A file a model refers to: its ``kind`` (``include``, ``mesh``, ``collision mesh``,
    ``texture`` …), the name as ``written`` in the model, the absolute paths MuJoCo tries in
    order (``candidates``) and how the first was made (``rule``, for messages)."""

    kind: str
    written: str
    candidates: tuple[Path, ...]
    rule: str

    @property
    def path(self) -> Path:
        """The file MuJoCo reads: the first candidate that exists, else the first."""
        return next((c for c in self.candidates if c.is_file()), self.candidates[0])

    @property
    def is_mesh(self) -> bool:
        """Whether MuJoCo decodes it as a mesh (so its format can be checked)."""
        return self.kind in ("mesh", "collision mesh", "visual mesh")


class Actuator(NamedTuple):
    """An MJCF actuator: its element (``motor``, ``position``, ``general``, …), what it drives
    (a joint or a tendon, by name) and its ``ctrlrange`` as written (``None``: not stated)."""

    name: str
    kind: str
    target: str
    target_kind: Literal["joint", "tendon", "other"]
    ctrlrange: tuple[float, float] | None


class Mimic(NamedTuple):
    """A URDF joint that follows another: ``joint = multiplier * followed + offset``."""

    followed: str
    multiplier: float
    offset: float


class ModelNames(NamedTuple):
    """What a model file names, each in document order.

    ``joint_ranges`` [rad or m] holds the ranges stated on the joints themselves; ``parents``
    maps each body to its parent body (``world`` for top-level bodies); ``joint_bodies`` maps
    each joint to the body it moves; ``tendons`` maps each fixed tendon to its joints.
    """

    format: Literal["mjcf", "urdf"]
    joints: tuple[str, ...]
    bodies: tuple[str, ...]
    geoms: tuple[str, ...]
    meshes: tuple[str, ...]
    sites: tuple[str, ...]
    actuators: tuple[Actuator, ...]
    joint_ranges: dict[str, tuple[float, float]]
    joint_bodies: dict[str, str]
    parents: dict[str, str]
    tendons: dict[str, tuple[str, ...]]
    mimics: dict[str, Mimic]

    def actuator_of_joint(self, joint: str) -> Actuator | None:
        """The first actuator whose transmission is ``joint``."""
        return next((a for a in self.actuators if a.target_kind == "joint" and a.target == joint), None)

    def actuators_of_joints(self, joints: tuple[str, ...]) -> list[Actuator]:
        """Actuators driving any of ``joints``, directly or through a fixed tendon."""
        wanted = set(joints)
        found = []
        for actuator in self.actuators:
            if (actuator.target_kind == "joint" and actuator.target in wanted) or (
                actuator.target_kind == "tendon" and wanted & set(self.tendons.get(actuator.target, ()))
            ):
                found.append(actuator)
        return found


def _floats(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    values = text.split()
    if len(values) != 2:
        return None
    try:
        return float(values[0]), float(values[1])
    except ValueError:
        return None


def _parse(path: Path, model: Path, written: str | None = None) -> ET.Element:
    """The root element of ``path``: the model file itself, or the include ``written`` in it."""
    subject = "the file" if written is None else f"its include {written!r}"
    try:
        return ET.parse(path).getroot()
    except FileNotFoundError:
        raise ModelFileError(f"{subject} does not exist", model) from None
    except (ET.ParseError, OSError) as error:
        raise ModelFileError(f"{subject} is not readable XML: {error}", model) from None


def _inside(path: Path, within: Path | None) -> bool:
    """Whether ``path`` (symbolic links followed) lies in ``within`` (``None``: no limit)."""
    return within is None or path.resolve().is_relative_to(within.resolve())


class _Document(NamedTuple):
    """A model file's XML with its MJCF includes spliced in: ``folder`` is the model file's
    folder, ``written_in`` maps each element that came from an included file to that file, and
    ``includes`` lists every include, followed or not."""

    root: ET.Element
    folder: Path
    written_in: dict[ET.Element, Path]
    includes: list[ModelFile]


def _load(path: Path, within: Path | None, *, strict: bool) -> _Document:
    """Parse ``path`` and splice in its includes; with ``strict``, an include that is missing or
    outside ``within`` raises :class:`ModelFileError`, otherwise it is listed and skipped."""
    path = path.absolute()
    root = _parse(path, path)
    if root.tag not in ("mujoco", "robot"):
        raise ModelFileError("it is neither MJCF (<mujoco>) nor URDF (<robot>)", path)
    document = _Document(root, path.parent, {}, [])
    if root.tag == "mujoco":
        _expand_includes(document, root, path, path, within, strict)
    return document


def _include(written: str, folder: Path, including: Path) -> ModelFile:
    """Where MuJoCo looks for ``<include file=written>`` found in the file ``including``: the
    main model file's ``folder`` first, then the including file's own folder."""
    if Path(written).is_absolute():
        return ModelFile("include", written, (Path(written),), "an absolute path, used as written")
    if including.parent == folder:
        return ModelFile("include", written, (folder / written,), "relative to the model file's folder")
    return ModelFile(
        "include",
        written,
        (folder / written, including.parent / written),
        "relative to the model file's folder, then to the folder of the file that includes it",
    )


def _expand_includes(
    document: _Document, root: ET.Element, model: Path, file: Path, within: Path | None, strict: bool, depth: int = 0
) -> None:
    """Replace each MJCF ``<include file=…>`` in ``root`` (the XML of ``file``) by the included
    file's children, in place; an include outside ``within`` is never opened."""
    if depth > 8:
        raise ModelFileError("its includes nest deeper than 8 files", model)
    for parent in list(root.iter()):
        for child in list(parent):
            written = child.get("file")
            if child.tag != "include" or not written:
                continue
            include = _include(written, document.folder, file)
            document.includes.append(include)
            index = list(parent).index(child)
            parent.remove(child)
            target = include.path
            problem = None
            if not _inside(target, within):
                problem = f"leads out of the folder it must stay in ({target.resolve()}), so it was not read"
            elif not target.is_file():
                problem = f"does not exist ({include.rule}: {', '.join(map(str, include.candidates))})"
            if problem is not None:
                if strict:
                    raise ModelFileError(f"its include {written!r} {problem}", model)
                continue
            included = _parse(target, model, written)
            _expand_includes(document, included, model, target, within, strict, depth + 1)
            for element in included.iter():
                document.written_in.setdefault(element, target)
            for offset, grandchild in enumerate(list(included)):
                parent.insert(index + offset, grandchild)


def _mjcf(root: ET.Element) -> ModelNames:
    compiler = root.find("compiler")
    degrees = compiler is None or compiler.get("angle", "degree") != "radian"
    joints: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    joint_bodies: dict[str, str] = {}
    bodies: list[str] = []
    parents: dict[str, str] = {}
    geoms: list[str] = []
    sites: list[str] = []

    def walk(element: ET.Element, body: str) -> None:
        for child in element:
            name = child.get("name")
            if child.tag == "body":
                child_name = name or f"#body{len(bodies)}"
                bodies.append(child_name)
                parents[child_name] = body
                walk(child, child_name)
            elif child.tag == "joint" and name:
                joints.append(name)
                joint_bodies[name] = body
                stated = _floats(child.get("range"))
                if stated is not None:
                    hinge = child.get("type", "hinge") == "hinge"
                    ranges[name] = tuple(math.radians(v) for v in stated) if hinge and degrees else stated  # type: ignore[assignment]
            elif child.tag == "geom" and name:
                geoms.append(name)
            elif child.tag == "site" and name:
                sites.append(name)

    for worldbody in root.iter("worldbody"):
        walk(worldbody, "world")
    meshes = [
        m.get("name") or Path(m.get("file", "")).stem for m in root.iter("mesh") if m.get("name") or m.get("file")
    ]
    tendons = {
        str(t.get("name")): tuple(str(j.get("joint")) for j in t.iter("joint"))
        for section in root.iter("tendon")
        for t in section.iter("fixed")
        if t.get("name")
    }
    actuators: list[Actuator] = []
    for section in root.iter("actuator"):
        for element in section:
            if element.tag not in _ACTUATORS:
                continue
            target_kind: Literal["joint", "tendon", "other"] = "other"
            target = ""
            for key in ("joint", "tendon"):
                if element.get(key):
                    target_kind, target = key, str(element.get(key))
            name = element.get("name") or f"#actuator{len(actuators)}"
            actuators.append(Actuator(name, element.tag, target, target_kind, _floats(element.get("ctrlrange"))))
    return ModelNames(
        "mjcf",
        tuple(joints),
        tuple(bodies),
        tuple(geoms),
        tuple(meshes),
        tuple(sites),
        tuple(actuators),
        ranges,
        joint_bodies,
        parents,
        tendons,
        {},
    )


def _urdf(root: ET.Element) -> ModelNames:
    links = tuple(str(link.get("name")) for link in root.iter("link") if link.get("name"))
    joints: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    joint_bodies: dict[str, str] = {}
    parents: dict[str, str] = {}
    mimics: dict[str, Mimic] = {}
    for joint in root.iter("joint"):
        name, child, parent = joint.get("name"), joint.find("child"), joint.find("parent")
        if not name or child is None or parent is None:
            continue
        parents[str(child.get("link"))] = str(parent.get("link"))
        if joint.get("type") == "fixed":
            continue
        joints.append(name)
        joint_bodies[name] = str(child.get("link"))
        limit = joint.find("limit")
        if limit is not None and limit.get("lower") is not None and limit.get("upper") is not None:
            ranges[name] = (_number(limit, "lower"), _number(limit, "upper"))
        mimic = joint.find("mimic")
        if mimic is not None and mimic.get("joint"):
            mimics[name] = Mimic(str(mimic.get("joint")), _number(mimic, "multiplier", 1.0), _number(mimic, "offset"))
    for link in links:
        parents.setdefault(link, "world")
    return ModelNames("urdf", tuple(joints), links, (), (), (), (), ranges, joint_bodies, parents, {}, mimics)


def _number(element: ET.Element, key: str, default: float = 0.0) -> float:
    text = element.get(key)
    if text is None:
        return default
    try:
        return float(text)
    except ValueError:
        raise ModelFileError(f"<{element.tag} {key}={text!r}> is not a number") from None


def read_model_names(path: Path, *, within: Path | None = None) -> ModelNames:
    """The names an MJCF (``<mujoco>``) or URDF (``<robot>``) file declares.

    ``within``: a folder the MJCF includes must stay in (``None``: no limit); an include outside
    it is never opened. Raises :class:`ModelFileError` when the file or an include is missing,
    outside ``within``, not XML, or the file is neither MJCF nor URDF.
    """
    document = _load(path, within, strict=True)
    return _mjcf(document.root) if document.root.tag == "mujoco" else _urdf(document.root)


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
#   to the including file's folder. <model file> is read relative to the main model file's folder.
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


def _mjcf_files(document: _Document) -> list[ModelFile]:
    root, folder = document.root, document.folder
    compiler = _compiler(list(root.iter("compiler")), strippath=False, discardvisual=False)
    found: list[ModelFile] = []

    def add(kind: str, element: ET.Element, attribute: str, dir_key: str) -> None:
        written = element.get(attribute)
        if written:
            found.append(_asset(kind, written, dir_key, compiler, folder, document.written_in.get(element)))

    for element in root.iter():
        if element.tag in _MESHDIR_FILES:
            for child in element:
                if child.tag in _MESHDIR_FILES[element.tag]:
                    add(child.tag, child, "file", "meshdir")
                elif element.tag == "asset" and child.tag == "texture" and not compiler.discardvisual:
                    for attribute in _TEXTURE_ATTRIBUTES:
                        add("texture", child, attribute, "texturedir")
                elif element.tag == "asset" and child.tag == "model" and child.get("file"):
                    written = str(child.get("file"))
                    found.append(
                        ModelFile("model", written, (folder / written,), "relative to the model file's folder")
                    )
        elif element.tag == "flexcomp":
            add("flexcomp", element, "file", "meshdir")
    return found


def _urdf_files(document: _Document) -> list[ModelFile]:
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
    document = _load(path, within, strict=False)
    named = _mjcf_files(document) if document.root.tag == "mujoco" else _urdf_files(document)
    return (*document.includes, *named)
