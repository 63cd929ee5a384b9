"""The names a robot model file declares and the files it refers to, read with
:mod:`xml.etree` (no MuJoCo).

``lint`` checks a gym config's robot declaration (``robot.fpath``, ``control_parts``,
``solver_cfg``, ``grippers``) against these names: joints, bodies (URDF links), geoms, meshes,
sites and actuators with what they drive. MJCF ``<include>`` files are followed, but only
within the folder the caller names (``within``): a model cannot make us read a file outside
it. The values read (joint ranges and types, actuator control ranges) are those MuJoCo
compiles: default classes filled in (:mod:`actionbank.runtime.mjcf_defaults`), ``limited`` /
``ctrllimited`` and ``autolimits`` applied, hinge and ball ranges in radians.

MuJoCo's model composition is followed as MuJoCo 3.8.1 compiles it (checked by
tests/runtime/test_model_file_attach.py): ``<attach model body prefix>`` brings the named body's
subtree of an ``<asset><model file>`` (the world body's contents without ``body``), read with that
model's own defaults and ``<compiler>``, with the model's meshes and the tendons and actuators
whose every reference came along, all named ``prefix + name``; ``<replicate count sep>`` repeats
its children, each name followed by ``sep`` and the copy's index padded to the digits of
``count`` (an inner replicate's suffix first), and repeats the model's own tendons and actuators
that name only elements of one outermost replicate. Other uses of replicated names are refused
with a :class:`ModelFileError`, not guessed.

:mod:`actionbank.runtime.model_references` lists the files a model makes MuJoCo read, from the
same parse (:func:`load_model`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Literal, NamedTuple

from actionbank.errors import ActionbankError
from actionbank.runtime.actuator_drive import Drive

__all__ = [
    "Actuator",
    "ModelDocument",
    "ModelFile",
    "ModelFileError",
    "ModelNames",
    "inside",
    "load_model",
    "read_model_names",
    "unnamed_actuator",
]


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
    order (``candidates``) and how the first was made (``rule``, for messages); ``flat_ok``: a
    mesh MuJoCo compiles even when flat (a shell inertia, and no colliding geom of type mesh
    uses it); ``named_in``: the file of a model attached through ``<model>`` that names it
    (``None``: the model file or one it includes)."""

    kind: str
    written: str
    candidates: tuple[Path, ...]
    rule: str
    flat_ok: bool = False
    named_in: str | None = None

    @property
    def path(self) -> Path:
        """The file MuJoCo reads: the first candidate that exists, else the first."""
        return next((c for c in self.candidates if c.is_file()), self.candidates[0])

    @property
    def is_mesh(self) -> bool:
        """Whether MuJoCo decodes it as a mesh (so its format can be checked)."""
        return self.kind in ("mesh", "collision mesh", "visual mesh")


class Actuator(NamedTuple):
    """An MJCF actuator: its element (``motor``, ``position``, ``general``, ``plugin`` …), what it
    drives (a joint or a tendon, by name), the ``ctrlrange`` MuJoCo clamps its control to, from
    the element, its default class or ``inheritrange`` (``None``: the control is not limited),
    and what its control means (:func:`~actionbank.runtime.actuator_drive.actuator_drive`)."""

    name: str
    kind: str
    target: str
    target_kind: Literal["joint", "tendon", "other"]
    ctrlrange: tuple[float, float] | None
    drive: Drive
    gear: float = 1.0  # a joint or tendon transmission's ratio: the actuator's length is gear × the joint's


def unnamed_actuator(index: int) -> str:
    """The name an actuator the model leaves unnamed goes by, in the model reader and in the
    scene alike: ``#actuator<index>``, its place among the model's actuators."""
    return f"#actuator{index}"


class Mimic(NamedTuple):
    """A URDF joint that follows another: ``joint = multiplier * followed + offset``."""

    followed: str
    multiplier: float
    offset: float


class ModelNames(NamedTuple):
    """What a model file names, each in document order.

    ``joint_ranges`` [rad or m] holds the range of each joint MuJoCo limits (an MJCF joint's
    own or its default class's; a URDF joint's ``<limit lower upper>``); ``parents``
    maps each body to its parent body (``world`` for top-level bodies); ``joint_bodies`` maps
    each joint to the body it moves; ``tendons`` maps each fixed tendon to its joints;
    ``joint_kinds`` each joint to its type as MuJoCo compiles it (``hinge``, ``slide``, ``ball``
    or ``free``).
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
    joint_kinds: dict[str, str]
    lights: tuple[str, ...] = ()  # the model's named lights (the scene keeps them)
    #: Files whose hinge ranges MuJoCo reads in degrees (no <compiler angle>) though every one
    #: looks like radians (within ±2π as written), each said in one line.
    degrees_doubted: tuple[str, ...] = ()

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


def _parse(path: Path, model: Path, written: str | None = None) -> ET.Element:
    """The root element of ``path``: the model file itself, or the include ``written`` in it."""
    subject = "the file" if written is None else f"its include {written!r}"
    try:
        return ET.parse(path).getroot()
    except FileNotFoundError:
        raise ModelFileError(f"{subject} does not exist", model) from None
    except (ET.ParseError, OSError) as error:
        raise ModelFileError(f"{subject} is not readable XML: {error}", model) from None


def inside(path: Path, within: Path | None) -> bool:
    """Whether ``path`` (symbolic links followed) lies in ``within`` (``None``: no limit)."""
    return within is None or path.resolve().is_relative_to(within.resolve())


class ModelDocument(NamedTuple):
    """A model file's XML with its MJCF includes spliced in: ``folder`` is the model file's
    folder, ``written_in`` maps each element that came from an included file to that file, and
    ``includes`` lists every include, followed or not."""

    root: ET.Element
    folder: Path
    written_in: dict[ET.Element, Path]
    includes: list[ModelFile]


def load_model(path: Path, within: Path | None, *, strict: bool) -> ModelDocument:
    """Parse ``path`` and splice in its includes; with ``strict``, an include that is missing or
    outside ``within`` raises :class:`ModelFileError`, otherwise it is listed and skipped."""
    path = path.absolute()
    root = _parse(path, path)
    if root.tag not in ("mujoco", "robot"):
        raise ModelFileError("it is neither MJCF (<mujoco>) nor URDF (<robot>)", path)
    document = ModelDocument(root, path.parent, {}, [])
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
    document: ModelDocument,
    root: ET.Element,
    model: Path,
    file: Path,
    within: Path | None,
    strict: bool,
    depth: int = 0,
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
            if not inside(target, within):
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


#: The joints MuJoCo makes of a URDF ``planar`` joint, by the suffixes it gives its name
#: (whatever the joint's axis).
_PLANAR = ("_TX", "_TY", "_RZ")
#: The MuJoCo joint type of each URDF joint type (``fixed`` makes none, ``planar`` three).
_URDF_KINDS = {"revolute": "hinge", "continuous": "hinge", "prismatic": "slide", "floating": "free"}


def _urdf(root: ET.Element) -> ModelNames:
    links = tuple(str(link.get("name")) for link in root.iter("link") if link.get("name"))
    joints: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    joint_bodies: dict[str, str] = {}
    joint_kinds: dict[str, str] = {}
    parents: dict[str, str] = {}
    mimics: dict[str, Mimic] = {}
    for joint in root.iter("joint"):
        name, child, parent = joint.get("name"), joint.find("child"), joint.find("parent")
        if not name or child is None or parent is None:
            continue
        parents[str(child.get("link"))] = str(parent.get("link"))
        if joint.get("type") == "fixed":
            continue
        if joint.get("type") == "planar":  # MuJoCo makes it two slides and a hinge, never limited
            for part in _PLANAR:
                joints.append(name + part)
                joint_bodies[name + part] = str(child.get("link"))
                joint_kinds[name + part] = "hinge" if part == "_RZ" else "slide"
            continue
        joints.append(name)
        joint_bodies[name] = str(child.get("link"))
        joint_kinds[name] = _URDF_KINDS.get(str(joint.get("type")), "hinge")
        limit = joint.find("limit")
        if limit is not None and limit.get("lower") is not None and limit.get("upper") is not None:
            ranges[name] = (_number(limit, "lower"), _number(limit, "upper"))
        mimic = joint.find("mimic")
        if mimic is not None and mimic.get("joint"):
            mimics[name] = Mimic(str(mimic.get("joint")), _number(mimic, "multiplier", 1.0), _number(mimic, "offset"))
    for link in links:
        parents.setdefault(link, "world")
    return ModelNames(
        "urdf", tuple(joints), links, (), (), (), (), ranges, joint_bodies, parents, {}, mimics, joint_kinds
    )


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
    from actionbank.runtime.mjcf_reader import read_mjcf  # it reads this module's types

    document = load_model(path, within, strict=True)
    return read_mjcf(document, within) if document.root.tag == "mujoco" else _urdf(document.root)
