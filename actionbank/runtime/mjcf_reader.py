"""MJCF models read as MuJoCo compiles them, with :mod:`xml.etree` (no MuJoCo): default classes
(:mod:`actionbank.runtime.mjcf_defaults`), ``limited`` / ``ctrllimited`` and ``autolimits``,
hinge and ball ranges in radians, and MuJoCo's model composition (``<attach>``,
``<replicate>``) as described in :mod:`actionbank.runtime.model_file`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

from actionbank.runtime.actuator_drive import actuator_drive
from actionbank.runtime.mjcf_defaults import ACTUATORS, DefaultClasses
from actionbank.runtime.model_file import (
    Actuator,
    ModelDocument,
    ModelFile,
    ModelFileError,
    ModelNames,
    inside,
    load_model,
    unnamed_actuator,
)

__all__ = ["MAX_MODEL_DEPTH", "model_file", "read_mjcf"]


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


class _Limits(NamedTuple):
    """What ``<compiler>`` says about limits: whether hinge and ball ranges are in degrees
    (``angle``, default ``degree``) and whether a stated range limits (``autolimits``, default
    true). Of several ``<compiler>`` elements, the last to set one wins: MuJoCo applies both when
    it compiles, after reading every element."""

    degrees: bool
    autolimits: bool
    angle_stated: bool  # some <compiler> writes angle (else degrees is MuJoCo's default)


def _limits(root: ET.Element) -> _Limits:
    degrees, autolimits, stated = True, True, False
    for compiler in root.findall("compiler"):
        if compiler.get("angle") is not None:
            degrees, stated = compiler.get("angle") != "radian", True
        if compiler.get("autolimits") is not None:
            autolimits = compiler.get("autolimits") == "true"
    return _Limits(degrees, autolimits, stated)


#: A hinge range within this many units of 0 [as written] looks like radians (2π, and a little).
_RADIAN_LIKE = 6.3


def _limit(span: tuple[float, float] | None, limited: str, autolimits: bool, what: str) -> tuple[float, float] | None:
    """``span`` (a stated range) when it limits: ``limited`` (the element's ``limited`` or
    ``ctrllimited``) is ``true``, or ``auto`` with ``autolimits`` on and a low end below the
    high end (MuJoCo leaves an empty or reversed range unlimited); else ``None``. A range that
    ``limited="true"`` asks for and that is missing, empty or reversed is refused, as MuJoCo
    refuses it; ``what`` names it in the message."""
    if limited == "true" and (span is None or not span[0] < span[1]):
        stated = "none" if span is None else f"{span[0]:g} {span[1]:g}"
        raise ModelFileError(
            f'{what} is limited ("true") but its range is {stated}: MuJoCo needs a low end below the high end'
        )
    if span is None or limited == "false" or (limited == "auto" and not autolimits):
        return None
    return span if span[0] < span[1] else None


def _inherited(attributes: dict[str, str], tag: str, target: tuple[float, float] | None) -> tuple[float, float] | None:
    """A ``position`` or ``general`` actuator's ``inheritrange`` applied to its target's range
    (as compiled): the range scaled about its middle; ``None`` without one or the other."""
    try:
        scale = float(attributes.get("inheritrange", "0")) if tag in ("position", "general") else 0.0
    except ValueError:
        return None
    if scale <= 0 or target is None:
        return None
    middle, half = (target[0] + target[1]) / 2, (target[1] - target[0]) / 2
    return middle - scale * half, middle + scale * half


#: Actuator attributes that name another element, with that element's kind.
_ACTUATOR_REFERENCES = {
    "joint": "joint",
    "jointinparent": "joint",
    "tendon": "tendon",
    "site": "site",
    "refsite": "site",
    "cranksite": "site",
    "slidersite": "site",
    "body": "body",
}
#: How deep ``<model>`` files may attach one another.
MAX_MODEL_DEPTH = 8

_Ref = tuple[str, str]  # (kind, name): what a tendon or an actuator names


class _Tendon(NamedTuple):
    name: str
    joints: tuple[str, ...] | None  # a fixed tendon's joints; None for a spatial one
    refs: tuple[_Ref, ...]
    span: tuple[float, float] | None


class _Actuator(NamedTuple):
    actuator: Actuator
    refs: tuple[_Ref, ...]


class _Parts:
    """What one MJCF model compiles to, as it is read: the body tree's elements in document order,
    and the tendons and actuators (the model's own, then those attachments and replicates add)."""

    def __init__(self) -> None:
        self.joints: list[str] = []
        self.ranges: dict[str, tuple[float, float]] = {}
        self.spans: dict[str, tuple[float, float]] = {}  # every stated joint range, as compiled
        self.joint_bodies: dict[str, str] = {}
        self.joint_kinds: dict[str, str] = {}  # hinge, slide, ball or free
        self.bodies: list[str] = []
        self.parents: dict[str, str] = {}
        self.geoms: dict[str, str] = {}  # geom -> its body
        self.sites: dict[str, str] = {}  # site -> its body
        self.lights: list[str] = []
        self.meshes: list[str] = []
        self.tendons: list[_Tendon] = []
        self.actuators: list[_Actuator] = []
        # Where hinge ranges are read in degrees but look like radians: "" for this model's file,
        # else the chain of <model> files; with an example hinge and its range as written.
        self.degrees_doubted: list[tuple[str, str, tuple[float, float]]] = []
        self.hinge_spans: dict[str, tuple[float, float]] = {}  # limited hinges' ranges as written


def model_file(element: ET.Element, folder: Path) -> ModelFile:
    """Where MuJoCo reads ``<model file=…>`` named in the model whose main file is in ``folder``:
    relative to that folder (a sub-model's own, for the models it names), never stripped."""
    written = str(element.get("file"))
    if Path(written).is_absolute():
        return ModelFile("model", written, (Path(written),), "an absolute path, used as written")
    return ModelFile("model", written, (folder / written,), "relative to the folder of the model file that names it")


def _refuse(what: str, instead: str) -> ModelFileError:
    return ModelFileError(f"{what} is not read by actionbank's model reader: {instead}")


def _count(replicate: ET.Element) -> int:
    text = replicate.get("count")
    try:
        count = int(text or "")
    except ValueError:
        count = 0
    if count < 1:
        raise ModelFileError(f"<replicate count={text!r}> is not a positive whole number")
    return count


#: Sections whose children all share one of MuJoCo's namespaces (a name may be used once in each).
_SECTION_KINDS = {
    "actuator": "actuator",
    "sensor": "sensor",
    "tendon": "tendon",
    "equality": "equality",
    "keyframe": "key",
}
#: Sections whose children each have the namespace of their tag (two meshes, a mesh and a texture).
_TAG_SECTIONS = ("asset", "contact", "custom", "deformable")
#: Elements of the body tree, by namespace.
_BODY_KINDS = {
    "body": "body",
    "frame": "frame",
    "joint": "joint",
    "freejoint": "joint",
    "geom": "geom",
    "site": "site",
    "camera": "camera",
    "light": "light",
}


def _repeated_name(document: ModelDocument) -> str | None:
    """Why MuJoCo refuses the model for a repeated name, if it does: two elements of one kind (two
    meshes, two joints) named alike, outside ``<default>`` and ``<replicate>`` (whose copies
    are renamed), includes spliced in. Each ``<model>`` it attaches is read on its own."""
    seen: dict[tuple[str, str], ET.Element] = {}

    def repeated(kind: str, element: ET.Element) -> str | None:
        name = element.get("name")
        if not name:
            return None
        first = seen.setdefault((kind, name), element)
        if first is element:
            return None
        files = [document.written_in.get(e) for e in (first, element)]
        included = sorted({f.name for f in files if f is not None})
        where = f" (in {' and '.join(included)})" if included else ""
        if None in files and included:  # one in the model file itself
            where = f" (one of them in {included[0]})"
        return f"two {kind} elements are named {name!r}{where}; MuJoCo refuses a repeated name"

    def body_tree(element: ET.Element) -> str | None:
        for child in element:
            if child.tag == "replicate":
                continue
            kind = _BODY_KINDS.get(child.tag)
            found = (repeated(kind, child) if kind else None) or body_tree(child)
            if found:
                return found
        return None

    for section in document.root:
        if section.tag == "worldbody":
            found = body_tree(section)
        else:
            kinds = (
                ((_SECTION_KINDS[section.tag], c) for c in section)
                if section.tag in _SECTION_KINDS
                else ((c.tag, c) for c in section)
                if section.tag in _TAG_SECTIONS
                else ()
            )
            found = next((text for kind, child in kinds if (text := repeated(kind, child))), None)
        if found:
            return found
    return None


class _Reader:
    """Reads one MJCF model (its ``<model>`` sub-models read by their own readers) into :class:`_Parts`."""

    def __init__(self, document: ModelDocument, within: Path | None, depth: int) -> None:
        self.root, self.folder, self.within, self.depth = document.root, document.folder, within, depth
        self.limits = _limits(self.root)
        self.defaults = DefaultClasses(self.root)
        undefined = self.defaults.undefined(self.root)
        if undefined is not None:
            tag, attribute, name = undefined
            raise ModelFileError(
                f"<{tag} {attribute}={name!r}> names a default class the model does not define, which MuJoCo "
                f"refuses; its classes: {', '.join(self.defaults.names())}"
            )
        repeated = _repeated_name(document)
        if repeated is not None:
            raise ModelFileError(repeated)
        self.parts = _Parts()
        self.models = {str(m.get("name")): m for m in self.root.findall("asset/model") if m.get("file")}
        self.read_models: dict[str, _Parts] = {}
        # Where the tendons and actuators of attachments and replicate copies go, in walk order:
        # a list of them (an attachment's), or (replicate, suffix) for the model's own that name
        # elements of that replicate.
        self.slots: list[list[_Tendon | _Actuator] | tuple[ET.Element, str]] = []
        self.replicated: dict[_Ref, tuple[ET.Element, ...]] = {}  # own element -> its replicates
        self.attached_replicated: set[_Ref] = set()  # what an attachment in a replicate brought

    # -- the body tree --------------------------------------------------------------------------

    def joint(self, element: ET.Element, name: str, childclass: str | None) -> None:
        attributes = self.defaults.attributes(element, childclass)
        self.parts.joint_kinds[name] = attributes.get("type", "hinge")
        stated = _floats(attributes.get("range"))
        span = _limit(stated, attributes.get("limited", "auto"), self.limits.autolimits, f"<joint name={name!r}>")
        if span is not None:
            if attributes.get("type", "hinge") == "hinge":
                self.parts.hinge_spans[name] = span
            if self.limits.degrees and attributes.get("type", "hinge") in ("hinge", "ball"):
                span = (math.radians(span[0]), math.radians(span[1]))
            self.parts.ranges[name] = span
        # MuJoCo converts to radians only the range of a joint it limits; inheritrange takes either.
        if stated is not None:
            self.parts.spans[name] = span or stated

    def walk(
        self, element: ET.Element, body: str, childclass: str | None, suffix: str, replicates: tuple[ET.Element, ...]
    ) -> None:
        parts = self.parts
        # MuJoCo numbers a body's joints before those of the bodies below it, wherever they stand.
        children = sorted(element, key=lambda c: c.tag in ("body", "replicate", "attach"))
        for child in children:
            raw = child.get("name")
            name = None if raw is None else raw + suffix
            kind = {"freejoint": "joint"}.get(child.tag, child.tag)
            if raw and replicates and kind in ("body", "joint", "geom", "site"):
                self.replicated.setdefault((kind, raw), replicates)
            if child.tag in ("body", "frame"):
                inner = child.get("childclass") or childclass
                if child.tag == "frame":  # places its children; they belong to the body around it
                    self.walk(child, body, inner, suffix, replicates)
                    continue
                child_name = name or f"#body{len(parts.bodies)}"
                parts.bodies.append(child_name)
                parts.parents[child_name] = body
                self.walk(child, child_name, inner, suffix, replicates)
            elif child.tag == "replicate":
                count, sep = _count(child), child.get("sep", "")
                for index in range(count):
                    copy = f"{sep}{index:0{len(str(count))}d}{suffix}"
                    self.walk(child, body, childclass, copy, (*replicates, child))
                    self.slots.append((child, copy))
            elif child.tag == "attach":
                self.attach(child, body, suffix, replicates)
            elif child.tag in ("joint", "freejoint") and name:
                parts.joints.append(name)
                parts.joint_bodies[name] = body
                if child.tag == "joint":
                    self.joint(child, name, childclass)
                else:
                    parts.joint_kinds[name] = "free"
            elif child.tag == "geom" and name:
                parts.geoms[name] = body
            elif child.tag == "site" and name:
                parts.sites[name] = body
            elif child.tag == "light" and name:
                parts.lights.append(name)

    def submodel(self, name: str) -> _Parts:
        """The model ``<model name=name>`` names, read once with its own defaults and compiler."""
        if name not in self.read_models:
            element = self.models.get(name)
            if element is None:
                choices = ", ".join(repr(m) for m in self.models) or "none"
                raise ModelFileError(f"<attach model={name!r}> names no <asset><model>; the models: {choices}")
            if self.depth >= MAX_MODEL_DEPTH:
                raise ModelFileError(f"its <model> files attach one another deeper than {MAX_MODEL_DEPTH} files")
            file = model_file(element, self.folder)
            target, written = file.path, file.written
            if not inside(target, self.within):
                problem = f"leads out of the folder it must stay in ({target.resolve()}), so it was not read"
                raise ModelFileError(f"its <model name={name!r} file={written!r}> {problem}")
            if not target.is_file():
                raise ModelFileError(f"its <model name={name!r} file={written!r}> does not exist ({target})")
            try:
                document = load_model(target, self.within, strict=True)
                if document.root.tag != "mujoco":
                    raise ModelFileError("it is not MJCF (<mujoco>)")
                sub = self.read_models[name] = _Reader(document, self.within, self.depth + 1).read()
            except ModelFileError as error:  # said of the file it is in, through each <model> on the way
                raise ModelFileError(f"its <model name={name!r} file={written!r}>: {error.reason}") from None
            where = f"its <model name={name!r} file={written!r}>"
            sub.degrees_doubted = [(f"{where}: {at}" if at else where, j, v) for at, j, v in sub.degrees_doubted]
        return self.read_models[name]

    def attach(self, element: ET.Element, body: str, suffix: str, replicates: tuple[ET.Element, ...]) -> None:
        """Splice in what ``<attach model body prefix>`` brings, as MuJoCo does: the named body's
        subtree (the whole world body's contents without ``body``), the sub-model's meshes, and
        the tendons and actuators whose every reference lies in what came, names prefixed."""
        model, prefix = str(element.get("model")), element.get("prefix")
        if prefix is None:
            raise ModelFileError(f"<attach model={model!r}> has no prefix, which MuJoCo requires")
        sub, parts = self.submodel(model), self.parts
        top = element.get("body")
        if top is not None and top not in sub.bodies:
            raise ModelFileError(f"<attach model={model!r} body={top!r}>: the model has no such body")

        def rename(name: str) -> str:
            return f"{prefix}{name}{suffix}"

        kept = {"world"} if top is None else {top}
        for name in sub.bodies:  # a body comes after its parent
            if sub.parents[name] in kept or name in kept:
                kept.add(name)
                parts.bodies.append(rename(name))
                parent = sub.parents[name]
                parts.parents[rename(name)] = body if name == top or parent == "world" else rename(parent)
        came: set[_Ref] = {("body", b) for b in kept}

        def owner(of: str) -> str:
            return body if of == "world" else rename(of)

        for joint in sub.joints:
            if sub.joint_bodies[joint] in kept:
                came.add(("joint", joint))
                parts.joints.append(rename(joint))
                parts.joint_bodies[rename(joint)] = owner(sub.joint_bodies[joint])
                parts.joint_kinds[rename(joint)] = sub.joint_kinds[joint]
                for spans, into in ((sub.ranges, parts.ranges), (sub.spans, parts.spans)):
                    if joint in spans:
                        into[rename(joint)] = spans[joint]
        for kind, owners, onto in (("geom", sub.geoms, parts.geoms), ("site", sub.sites, parts.sites)):
            for name, of in owners.items():
                if of in kept:
                    came.add((kind, name))
                    onto[rename(name)] = owner(of)
        parts.degrees_doubted.extend(d for d in sub.degrees_doubted if d not in parts.degrees_doubted)
        # Assets come once, prefixed: a replicate does not repeat them (MuJoCo 3.8.1).
        parts.meshes.extend(m for m in (f"{prefix}{mesh}" for mesh in sub.meshes) if m not in parts.meshes)
        if replicates:  # the model's own tendons and actuators may not name these unrepeated
            self.attached_replicated.update((kind, f"{prefix}{name}") for kind, name in came)
        brought: list[_Tendon | _Actuator] = []
        for tendon in sub.tendons:
            if all(ref in came for ref in tendon.refs):
                came.add(("tendon", tendon.name))
                joints = None if tendon.joints is None else tuple(map(rename, tendon.joints))
                brought.append(_Tendon(rename(tendon.name), joints, _renamed(tendon.refs, rename), tendon.span))
        for actuator in sub.actuators:
            if all(ref in came for ref in actuator.refs):
                a = actuator.actuator
                renamed = a._replace(name=rename(a.name), target=rename(a.target) if a.target else a.target)
                brought.append(_Actuator(renamed, _renamed(actuator.refs, rename)))
        self.slots.append(brought)

    # -- tendons and actuators ------------------------------------------------------------------

    def tendon(self, element: ET.Element, rename: Callable[[str], str]) -> _Tendon:
        refs: list[_Ref] = []
        for child in element.iter():
            for key, kind in (("joint", "joint"), ("site", "site"), ("geom", "geom"), ("sidesite", "site")):
                if child is not element and child.get(key):
                    refs.append((kind, rename(str(child.get(key)))))
        joints = tuple(rename(str(j.get("joint"))) for j in element.iter("joint")) if element.tag == "fixed" else None
        span = _floats(self.defaults.attributes(element).get("range"))
        return _Tendon(rename(str(element.get("name"))), joints, tuple(refs), span)

    def actuator(
        self, element: ET.Element, rename: Callable[[str], str], tendon_spans: dict[str, tuple[float, float]]
    ) -> _Actuator:
        target_kind: Literal["joint", "tendon", "other"] = "other"
        target = ""
        transmissions: tuple[tuple[str, Literal["joint", "tendon"]], ...] = (
            ("joint", "joint"),
            ("jointinparent", "joint"),
            ("tendon", "tendon"),
        )
        for key, kind in transmissions:
            if element.get(key):
                target_kind, target = kind, rename(str(element.get(key)))
        refs = tuple(
            (kind, rename(str(element.get(key)))) for key, kind in _ACTUATOR_REFERENCES.items() if element.get(key)
        )
        raw = element.get("name")
        name = rename(raw) if raw else unnamed_actuator(len(self.parts.actuators))
        attributes = self.defaults.attributes(element)
        spans = self.parts.spans if target_kind == "joint" else tendon_spans
        span = _inherited(attributes, element.tag, spans.get(target))
        span = span or _floats(attributes.get("ctrlrange"))
        what = f"the control of <{element.tag} name={name!r}>"
        ctrlrange = _limit(span, attributes.get("ctrllimited", "auto"), self.limits.autolimits, what)
        drive = actuator_drive(element.tag, attributes)
        gear = (attributes.get("gear") or "1").split()
        try:
            ratio = float(gear[0])
        except ValueError:
            ratio = 1.0
        return _Actuator(Actuator(name, element.tag, target, target_kind, ctrlrange, drive, ratio), refs)

    def replicate_of(self, element: ET.Element, refs: list[_Ref], what: str) -> ET.Element | None:
        """The ``<replicate>`` whose copies ``element`` (an own tendon or actuator naming ``refs``)
        is repeated for: ``None`` when it names no replicated element; refused when MuJoCo's
        handling is not one this reader has checked (mixed, nested or several replicates)."""
        if any(ref in self.attached_replicated for ref in refs):
            raise _refuse(
                f"<{element.tag} name={element.get('name')!r}>, a {what} naming an element that an <attach> "
                "inside a <replicate> brings,",
                "name the replicated copies themselves (with their index suffix), or move the "
                f"{what} into the attached model",
            )
        found = {self.replicated[ref] for ref in refs if ref in self.replicated}
        if not found:
            return None
        nested = next(iter(found))
        if len(found) > 1 or len(nested) > 1 or (len(found) == 1 and any(ref not in self.replicated for ref in refs)):
            raise _refuse(
                f"<{element.tag} name={element.get('name')!r}>, a {what} naming elements of a <replicate> "
                "together with other elements, or of nested or several <replicate>s,",
                "name the replicated copies themselves (with their index suffix, e.g. 'joint0'), or write the "
                "copies out without <replicate>",
            )
        return nested[0]

    def read(self) -> _Parts:
        parts = self.parts
        for worldbody in self.root.findall("worldbody"):
            self.walk(worldbody, "world", None, "", ())
        own = parts.hinge_spans
        if own and not self.limits.angle_stated and all(max(map(abs, v)) <= _RADIAN_LIKE for v in own.values()):
            joint, span = next(iter(own.items()))  # every hinge range looks like radians, read as degrees
            parts.degrees_doubted.insert(0, ("", joint, span))
        parts.meshes[:0] = [
            m.get("name") or Path(m.get("file", "")).stem
            for m in self.root.iter("mesh")
            if m.get("name") or m.get("file")
        ]
        deferred: dict[ET.Element, list[tuple[str, ET.Element]]] = {}
        replicated_tendons: set[str] = set()
        tendon_spans: dict[str, tuple[float, float]] = {}
        for section in self.root.findall("tendon"):
            for element in section:
                if element.tag not in ("fixed", "spatial") or not element.get("name"):
                    continue
                tendon = self.tendon(element, str)
                replicate = self.replicate_of(element, list(tendon.refs), "tendon")
                if replicate is not None:
                    deferred.setdefault(replicate, []).append(("tendon", element))
                    replicated_tendons.add(tendon.name)
                    continue
                parts.tendons.append(tendon)
                if tendon.span is not None:
                    tendon_spans[tendon.name] = tendon.span
        for slot in self.slots:  # tendons that came first: an own actuator may drive one
            for item in slot if isinstance(slot, list) else ():
                if isinstance(item, _Tendon) and item.span is not None:
                    tendon_spans[item.name] = item.span
        own_actuators: list[tuple[ET.Element, ET.Element | None]] = []
        for section in self.root.findall("actuator"):
            for element in section:
                if element.tag not in ACTUATORS and element.tag != "plugin":  # a plugin's actuator counts too
                    continue
                refs = [(kind, str(element.get(key))) for key, kind in _ACTUATOR_REFERENCES.items() if element.get(key)]
                if any(ref == ("tendon", name) for ref in refs for name in replicated_tendons):
                    raise _refuse(
                        f"<{element.tag} name={element.get('name')!r}>, an actuator driving a tendon that a "
                        "<replicate> repeats,",
                        "name the replicated tendon copies themselves, or write the copies out without <replicate>",
                    )
                own_actuators.append((element, self.replicate_of(element, refs, "actuator")))
        for element, replicate in own_actuators:
            if replicate is None:
                parts.actuators.append(self.actuator(element, str, tendon_spans))
            else:
                deferred.setdefault(replicate, []).append(("actuator", element))
        for slot in self.slots:
            if isinstance(slot, list):
                for item in slot:
                    if isinstance(item, _Tendon):
                        parts.tendons.append(item)
                    else:
                        parts.actuators.append(item)
                continue
            replicate, copy = slot
            for kind, element in deferred.get(replicate, []):
                # only elements of this replicate are renamed: replicate_of refused any other
                def rename(name: str, copy: str = copy) -> str:
                    return name + copy

                if kind == "tendon":
                    tendon = self.tendon(element, rename)
                    parts.tendons.append(tendon)
                    if tendon.span is not None:
                        tendon_spans[tendon.name] = tendon.span
                else:
                    parts.actuators.append(self.actuator(element, rename, tendon_spans))
        return parts


def _renamed(refs: tuple[_Ref, ...], rename: Callable[[str], str]) -> tuple[_Ref, ...]:
    return tuple((kind, rename(name)) for kind, name in refs)


def read_mjcf(document: ModelDocument, within: Path | None) -> ModelNames:
    """The names the MJCF ``document`` declares, its attached models' included (see the module's docstring)."""
    parts = _Reader(document, within, 0).read()
    return ModelNames(
        "mjcf",
        tuple(parts.joints),
        tuple(parts.bodies),
        tuple(parts.geoms),
        tuple(parts.meshes),
        tuple(parts.sites),
        tuple(a.actuator for a in parts.actuators),
        parts.ranges,
        parts.joint_bodies,
        parts.parents,
        {t.name: t.joints for t in parts.tendons if t.joints is not None},
        {},
        parts.joint_kinds,
        tuple(parts.lights),
        tuple(
            f"{where or 'the model file'}: its hinge ranges look like radians but are read in "
            f"degrees, MuJoCo's default, as its <compiler> states no angle: joint {joint!r}, {span[0]:g} to "
            f"{span[1]:g}, is read as {span[0]:g}° to {span[1]:g}°"
            for where, joint, span in parts.degrees_doubted
        ),
    )
