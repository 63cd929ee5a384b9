"""What an MJCF actuator's control value means, read from its element (no MuJoCo).

actionbank commands joint positions, so an arm joint's actuator must take one, or be a torque
actuator the scene can turn into a position servo:

- ``servo``: the control is a position. A fixed gain and an affine bias that pulls the joint
  back toward the control (``biasprm[1] < 0``), with no dynamics or a filter on the control:
  what ``<position>`` compiles to, or a ``<general>`` written so.
- ``torque``: the control is a force. A fixed gain, no bias and no dynamics: ``<motor>``, or a
  ``<general>`` with its defaults.
- ``other``: anything else: a velocity (``<velocity>``, ``<intvelocity>``), a damper, a cylinder,
  a muscle, adhesion, a DC motor, or a plugin's input (``<plugin>``, such as ``mujoco.pid``).

MuJoCo compiles every actuator element to the fields of ``<general>``: the kinds of gain, bias
and dynamics, and their parameters. A shortcut element (``position``, ``motor`` …) sets those
fields its own way wherever it stands, and in a ``<default>`` class it sets them for the
``<general>`` elements of that class too (a ``<general class="c">`` whose class was written as
``<position kp="30"/>`` is a servo). :func:`implied_attributes` gives what a shortcut sets, as
``<general>`` attributes, for as much as the drive depends on; tests/runtime/test_actuator_drive.py
holds :func:`actuator_drive` to the fields MuJoCo compiles.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Drive", "actuator_drive", "control_meaning", "implied_attributes"]

Drive = Literal["servo", "torque", "other"]

#: ``<general>``'s gain, bias and dynamics kinds as each shortcut sets them.
_KINDS: dict[str, tuple[str, str, str]] = {
    "motor": ("fixed", "none", "none"),
    "position": ("fixed", "affine", "none"),
    "velocity": ("fixed", "affine", "none"),
    "intvelocity": ("fixed", "affine", "integrator"),
    "damper": ("affine", "none", "none"),
    "cylinder": ("fixed", "affine", "filter"),
    "muscle": ("muscle", "muscle", "muscle"),
    "adhesion": ("fixed", "none", "none"),
    "dcmotor": ("dcmotor", "dcmotor", "dcmotor"),
}
#: Dynamics that leave the control a position: none, or a filter on it (``<position timeconst>``).
_POSITION_DYNAMICS = ("none", "filter", "filterexact")
#: What the control of each shortcut element (and ``<plugin>``) means, where it is not a position.
_CONTROLS = {
    "motor": "a force",
    "velocity": "a velocity",
    "intvelocity": "a velocity (integrated into its target)",
    "damper": "a damping gain",
    "cylinder": "a pressure",
    "muscle": "a muscle activation",
    "adhesion": "an adhesion force",
    "dcmotor": "a voltage",
    "plugin": "its plugin's input",
}


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _pulls_back(shortcut: str, attributes: dict[str, str]) -> bool:
    """Whether the bias a shortcut sets pulls toward the control (``biasprm[1] = -kp < 0``)."""
    return shortcut in ("position", "intvelocity") and _number(attributes.get("kp"), 1.0) > 0


def implied_attributes(tag: str, attributes: dict[str, str]) -> dict[str, str]:
    """The ``<general>`` attributes a shortcut element ``tag`` with ``attributes`` sets (its
    class's already merged in): the gain, bias and dynamics kinds, and ``biasprm``'s sign where
    it sets one (``<motor>`` leaves ``biasprm`` as it was). Nothing for ``general`` itself."""
    kinds = _KINDS.get(tag)
    if kinds is None:
        return {}
    gain, bias, dynamics = kinds
    if tag == "position" and _number(attributes.get("timeconst"), 0.0) > 0:
        dynamics = "filterexact"
    implied = {"gaintype": gain, "biastype": bias, "dyntype": dynamics}
    if tag != "motor":
        implied["biasprm"] = "0 -1 0" if _pulls_back(tag, attributes) else "0 0 0"
    return implied


def actuator_drive(tag: str, attributes: dict[str, str]) -> Drive:
    """What the control of the actuator element ``tag`` means, given its ``attributes`` with
    its class's (and what the class's shortcuts implied) merged in."""
    if tag != "general":
        if tag == "position":
            return "servo" if _pulls_back(tag, attributes) else "other"
        return "torque" if tag == "motor" else "other"
    gain = attributes.get("gaintype", "fixed")
    bias = attributes.get("biastype", "none")
    dynamics = attributes.get("dyntype", "none")
    if gain != "fixed":
        return "other"
    if bias == "none":
        return "torque" if dynamics == "none" else "other"
    values = (attributes.get("biasprm") or "").split()
    pulls = len(values) > 1 and _number(values[1], 0.0) < 0
    return "servo" if bias == "affine" and dynamics in _POSITION_DYNAMICS and pulls else "other"


def control_meaning(tag: str, drive: Drive) -> str:
    """What the control of an actuator element ``tag`` whose drive is ``drive`` means, in words,
    for one that is not a servo: ``"a velocity"`` for ``<velocity>``."""
    if tag in _CONTROLS:
        return _CONTROLS[tag]
    if drive == "torque":
        return "a force (no bias)"
    return "no position: its gain, bias (biasprm) or dynamics do not pull toward the control"
