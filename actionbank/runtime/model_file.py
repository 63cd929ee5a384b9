"""The names a robot model file declares, read with :mod:`xml.etree` (no MuJoCo).

``lint`` checks a gym config's robot declaration (``robot.fpath``, ``control_parts``,
``solver_cfg``, ``grippers``) against these names: joints, bodies (URDF links), geoms, meshes,
sites and actuators with what they drive. MJCF ``<include>`` files are followed. Values that
MuJoCo would take from default classes (a joint range set in ``<default>``) are not resolved:
:class:`ModelNames` holds what the file states on the element itself.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Literal, NamedTuple

from actionbank.errors import ActionbankError

__all__ = ["Actuator", "ModelFileError", "ModelNames", "read_model_names"]

#: MJCF actuator elements and whether they turn a joint into a position servo.
_ACTUATORS = ("motor", "position", "velocity", "general", "intvelocity", "damper", "cylinder", "muscle", "adhesion")


class ModelFileError(ActionbankError):
    """A robot model file cannot be read (missing, not XML, neither MJCF nor URDF)."""

    exit_code = 2


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


def _parse(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except FileNotFoundError:
        raise ModelFileError(f"robot model file {str(path)!r} does not exist") from None
    except (ET.ParseError, OSError) as error:
        raise ModelFileError(f"robot model file {str(path)!r} is not readable XML: {error}") from None


def _expand_includes(root: ET.Element, folder: Path, depth: int = 0) -> None:
    """Replace each MJCF ``<include file=…>`` by the included file's children, in place."""
    if depth > 8:
        raise ModelFileError("MJCF includes nest deeper than 8 files")
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "include" and child.get("file"):
                included = _parse(folder / str(child.get("file")))
                _expand_includes(included, folder, depth + 1)
                parent.remove(child)
                for offset, grandchild in enumerate(list(included)):
                    parent.insert(index + offset, grandchild)


def _mjcf(root: ET.Element, folder: Path) -> ModelNames:
    _expand_includes(root, folder)
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


def read_model_names(path: Path) -> ModelNames:
    """The names an MJCF (``<mujoco>``) or URDF (``<robot>``) file declares."""
    root = _parse(path)
    if root.tag == "mujoco":
        return _mjcf(root, path.parent)
    if root.tag == "robot":
        return _urdf(root)
    raise ModelFileError(f"robot model file {str(path)!r} is neither MJCF (<mujoco>) nor URDF (<robot>)")
