"""Event declarations: the randomisation events a gym config may name, with typed params.

Names and parameters follow EmbodiChain's gym configs (``randomize_rigid_object_pose``,
``randomize_light``, ``randomize_visual_material``) plus ``randomize_robot_qpos``. The
simulation implements each one (``sim/events.py``) taking the validated params model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import Field, Strict

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime.params import (
    ColorRange,
    Declaration,
    EntityCfg,
    Interval,
    Name,
    Params,
    Range3,
    Reference,
    Unit,
    interval_problems,
)

__all__ = [
    "EVENTS",
    "RandomizeLightParams",
    "RandomizeRigidObjectPoseParams",
    "RandomizeRobotQposParams",
    "RandomizeVisualMaterialParams",
    "RobotEntityCfg",
]

_NonNegative = Annotated[float, Field(ge=0, le=1e6)]
NonNegativeInterval = Annotated[tuple[_NonNegative, _NonNegative], Strict(False)]


class RandomizeRigidObjectPoseParams(Params):
    entity_cfg: EntityCfg = Field(description="The object to move (dynamic or kinematic).")
    position_range: Range3 = Field(
        ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)), description="[[x, y, z] low, high] [m] of the offset or position drawn."
    )
    yaw_range: Interval | None = Field(None, description="[low, high] [deg] of the turn about z drawn (none: no turn).")
    relative_position: bool = Field(
        True, description="true: move the object by the drawn offset; false: to the drawn position (world frame)."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "movable object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from interval_problems(where, "/position_range", *self.position_range)
        if self.yaw_range is not None:
            yield from interval_problems(where, "/yaw_range", *self.yaw_range)


class RobotEntityCfg(Params):
    uid: Name = Field(description="The robot's uid.")
    control_parts: list[Name] | None = Field(
        None, description="The control parts whose joints get noise (none: every arm among env.control_parts)."
    )


class RandomizeRobotQposParams(Params):
    entity_cfg: RobotEntityCfg = Field(description="The robot and the control parts to perturb.")
    noise_range: Interval = Field((-0.02, 0.02), description="[low, high] [rad] of the noise added to each joint.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "robot", self.entity_cfg.uid)
        for index, part in enumerate(self.entity_cfg.control_parts or ()):
            yield Reference(f"/entity_cfg/control_parts/{index}", "control part", part)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from interval_problems(where, "/noise_range", *self.noise_range)


class RandomizeLightParams(Params):
    entity_cfg: EntityCfg = Field(description="The light.")
    position_range: Range3 | None = Field(None, description="[[x, y, z] low, high] [m] of its position drawn.")
    color_range: ColorRange | None = Field(None, description="[[r, g, b] low, high] of its colour drawn, in [0, 1].")
    intensity_range: NonNegativeInterval | None = Field(
        None, description="[low, high] of its intensity drawn (diffuse = colour x intensity, clipped to 1)."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "light", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        for name in ("position_range", "color_range", "intensity_range"):
            value: Any = getattr(self, name)
            if value is not None:
                yield from interval_problems(where, f"/{name}", *value)


class RandomizeVisualMaterialParams(Params):
    entity_cfg: EntityCfg = Field(description="The object whose geoms are recoloured.")
    base_color_range: ColorRange = Field(
        ((0.2, 0.2, 0.2), (1.0, 1.0, 1.0)), description="[[r, g, b] low, high] of the colour drawn, in [0, 1]."
    )
    random_texture_prob: Unit | None = Field(
        None, description="EmbodiChain's chance of a random texture; accepted, but this backend draws no textures."
    )
    texture_path: Name | None = Field(
        None, description="EmbodiChain's folder of textures; accepted, but this backend draws no textures."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from interval_problems(where, "/base_color_range", *self.base_color_range)
        for name in ("random_texture_prob", "texture_path"):
            if getattr(self, name):
                yield Diagnostic.make(
                    "AB615",
                    f"/{name}",
                    where=f"{where}.{name}",
                    reason="this backend has no textures; only base_color_range is drawn",
                    hint=f"remove {name} to silence this warning",
                )


#: Every event this package declares, by name.
EVENTS: Mapping[str, Declaration] = {
    event.name: event
    for event in (
        Declaration(
            "randomize_rigid_object_pose",
            RandomizeRigidObjectPoseParams,
            "Move an object by (or to) a drawn position, and turn it by a drawn yaw.",
        ),
        Declaration(
            "randomize_robot_qpos", RandomizeRobotQposParams, "Add drawn noise to the joints of control parts."
        ),
        Declaration("randomize_light", RandomizeLightParams, "Draw a light's position, colour and intensity."),
        Declaration(
            "randomize_visual_material", RandomizeVisualMaterialParams, "Draw the colour of an object's geoms."
        ),
    )
}
