"""MJCF default classes, resolved as MuJoCo resolves them, read with :mod:`xml.etree` (no MuJoCo).

:class:`DefaultClasses` reads a model's ``<default>`` sections once; :meth:`~DefaultClasses.attributes`
then gives an element's attributes with its class filled in, which is what MuJoCo compiles. The
rules, from MuJoCo's modelling guide ("Default settings", "Actuator shortcuts") and XML reference
(``default``, ``body/childclass``, ``frame/childclass``), checked against MuJoCo 3.8.1 by
tests/runtime/test_model_file_defaults.py:

- Each ``<default>`` that is a child of ``<mujoco>`` (includes spliced in) is the top-level class
  ``main``, which cannot be renamed; several of them add to that one class, in document order.
- A nested ``<default class="c">`` starts as a copy of its parent class once the parent's own
  elements are read (they count wherever they stand among the nested classes), and then sets
  what it states. The copy is made there and then: a class nested in an earlier top-level
  ``<default>`` does not see what a later one adds to ``main``.
- Within a class, an element sets the attributes it states over those set before. All actuator
  elements (``motor``, ``position``, ``general`` …) set the class's one actuator, and both
  tendon kinds (``fixed``, ``spatial``) its one ``<tendon>``. A shortcut (``position`` …) also
  sets the gain, bias and dynamics of ``<general>`` (:mod:`actionbank.runtime.actuator_drive`).
- An element uses the class it names (``class=``); else the ``childclass`` of the nearest
  enclosing ``<body>`` or ``<frame>`` that has one; else ``main``. ``<default>`` has no
  ``childclass``, and elements outside the body tree (actuators, tendons) use ``class=`` or
  ``main``. An attribute stated on the element wins over its class.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from actionbank.runtime.actuator_drive import implied_attributes

__all__ = ["ACTUATORS", "MAIN", "DefaultClasses"]

#: The top-level class.
MAIN = "main"
#: MJCF actuator elements (in ``<actuator>`` and in ``<default>``).
ACTUATORS = (
    "motor",
    "position",
    "velocity",
    "general",
    "intvelocity",
    "damper",
    "cylinder",
    "muscle",
    "adhesion",
    "dcmotor",
)
#: The kind of default an element takes, where its tag is not that kind.
_KIND = {**{tag: "actuator" for tag in ACTUATORS}, "fixed": "tendon", "spatial": "tendon"}

#: A class: for each kind of element, the attributes it sets.
_Class = dict[str, dict[str, str]]


def _kind(tag: str) -> str:
    return _KIND.get(tag, tag)


class DefaultClasses:
    """The default classes of an MJCF document (its root ``<mujoco>`` with includes spliced in)."""

    def __init__(self, root: ET.Element) -> None:
        self._classes: dict[str, _Class] = {MAIN: {}}
        for section in root.findall("default"):
            self._read(section, self._classes[MAIN])

    def _read(self, section: ET.Element, into: _Class) -> None:
        """Apply ``section``'s own elements to the class ``into``, then read its nested classes,
        each a copy of ``into`` as it then stands."""
        nested = []
        for element in section:
            if element.tag == "default":
                nested.append(element)
            else:
                attributes = into.setdefault(_kind(element.tag), {})
                if element.tag in ACTUATORS:  # a shortcut sets <general>'s fields for its class
                    attributes.update(implied_attributes(element.tag, {**attributes, **element.attrib}))
                attributes.update(element.attrib)
        for element in nested:
            child = {kind: dict(attributes) for kind, attributes in into.items()}
            self._classes.setdefault(element.get("class", ""), child)
            self._read(element, child)

    def undefined(self, root: ET.Element) -> tuple[str, str, str] | None:
        """``(tag, attribute, class)`` of the first element outside ``<default>`` whose ``class``
        or ``childclass`` names a class the model does not define: MuJoCo refuses the model."""
        sections = {id(element) for section in root.iter("default") for element in section.iter()}
        for element in root.iter():
            if id(element) in sections:
                continue
            for attribute in ("class", "childclass"):
                name = element.get(attribute)
                if name is not None and name not in self._classes:
                    return element.tag, attribute, name
        return None

    def names(self) -> list[str]:
        """The classes the model defines, ``main`` first."""
        return [MAIN, *sorted(name for name in self._classes if name != MAIN)]

    def attributes(self, element: ET.Element, childclass: str | None = None) -> dict[str, str]:
        """``element``'s attributes over those its class sets for its kind. Its class: the one it
        names, else ``childclass`` (that of the nearest enclosing body or frame that has one),
        else ``main``; a class the model does not define (which MuJoCo refuses) counts as ``main``."""
        name = element.get("class") or childclass or MAIN
        stated = self._classes.get(name, self._classes[MAIN]).get(_kind(element.tag))
        return {**stated, **element.attrib} if stated else dict(element.attrib)
