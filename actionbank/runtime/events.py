"""Event declarations: the randomisation events a gym config may name, with typed params.

Names and parameters follow EmbodiChain's gym configs (``randomize_rigid_object_pose``,
``randomize_robot_qpos``, ``randomize_camera_extrinsics``, ``randomize_camera_intrinsics``,
``randomize_light``, ``set_rigid_object_visual_material``, ``randomize_visual_material``,
``randomize_rigid_object_mass``, ``randomize_rigid_object_scale``) plus
``randomize_rigid_object_friction`` and ``place_rigid_object_group`` (distractors drawn from a
``rigid_object_group`` and placed without overlaps), which EmbodiChain does not have. The simulation implements
each one (``sim/events.py``) taking the validated params model.

Two older spellings of ours are still accepted with a warning (AB750) and are not canonical:
``yaw_range`` (write ``rotation_range: [[0, 0, low], [0, 0, high]]`` with
``relative_rotation: true``) and ``noise_range`` (write ``qpos_range: [[low], [high]]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field, Strict

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime.params import (
    Bounded,
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
    "PROCEDURAL_TEXTURES",
    "MaterialCfg",
    "MaterialRequest",
    "PlaceRigidObjectGroupParams",
    "RandomizeCameraExtrinsicsParams",
    "RandomizeCameraIntrinsicsParams",
    "RandomizeLightParams",
    "RandomizeRigidObjectFrictionParams",
    "RandomizeRigidObjectMassParams",
    "RandomizeRigidObjectPoseParams",
    "RandomizeRigidObjectScaleParams",
    "RandomizeRobotQposParams",
    "RandomizeVisualMaterialParams",
    "RobotEntityCfg",
    "SetRigidObjectVisualMaterialParams",
]

_NonNegative = Annotated[float, Field(ge=0, le=1e6)]
NonNegativeInterval = Annotated[tuple[_NonNegative, _NonNegative], Strict(False)]
_Angle = Annotated[float, Field(ge=-360, le=360)]
_Angles3 = Annotated[tuple[_Angle, _Angle, _Angle], Strict(False)]
#: ``[[rx, ry, rz] low, [rx, ry, rz] high]`` [deg], extrinsic x-y-z Euler angles.
AngleRange3 = Annotated[tuple[_Angles3, _Angles3], Strict(False)]
_Factor = Annotated[float, Field(gt=0, le=100)]
_Factors = Annotated[list[_Factor], Field(min_length=1, max_length=3)]
#: ``[[s] low, [s] high]`` or ``[[sx, sy, sz] low, [sx, sy, sz] high]`` (scale factors).
ScaleRange = Annotated[tuple[_Factors, _Factors], Strict(False)]
_Values = Annotated[list[Bounded], Field(min_length=1)]
#: ``[[q0, q1, …] low, [q0, q1, …] high]`` [rad] (one value: every joint).
QposRange = Annotated[tuple[_Values, _Values], Strict(False)]


#: MuJoCo's procedural (builtin) textures a material event may draw.
PROCEDURAL_TEXTURES = ("checker", "gradient", "flat")


class MaterialRequest(NamedTuple):
    """What a material event needs in the scene before it is compiled: materials for the geoms
    of object ``uid``, textured by MuJoCo's ``procedural`` textures and by the images at
    ``images`` (paths relative to the gym config's folder: PNG files, or folders of them)."""

    uid: str
    procedural: tuple[str, ...]
    images: tuple[str, ...]
    #: JSON pointer (relative to the params object) of each entry of ``images``.
    image_pointers: tuple[str, ...]


def _deprecated(where: str, name: str, instead: str) -> Diagnostic:
    return Diagnostic.make(
        "AB750", f"/{name}", where=f"{where}.{name}", instead=instead, hint=f"write {instead} (EmbodiChain's name)"
    )


def _ranges(where: str, params: Params, *names: str) -> Iterator[Diagnostic]:
    """AB613 for each named range field that is set and inverted."""
    for name in names:
        value: Any = getattr(params, name)
        if value is not None:
            yield from interval_problems(where, f"/{name}", *value)


class RandomizeRigidObjectPoseParams(Params):
    entity_cfg: EntityCfg = Field(description="The object to move (dynamic or kinematic).")
    position_range: Range3 | None = Field(
        None, description="[[x, y, z] low, high] [m] of the offset or position drawn (none: keep the position)."
    )
    rotation_range: AngleRange3 | None = Field(
        None, description="[[rx, ry, rz] low, high] [deg] of the extrinsic x-y-z Euler angles drawn (none: no turn)."
    )
    relative_position: bool = Field(
        True, description="true: move the object by the drawn offset; false: to the drawn position (world frame)."
    )
    relative_rotation: bool = Field(
        False, description="true: turn the object by the drawn rotation; false: set its orientation to it."
    )
    yaw_range: Interval | None = Field(
        None,
        description="Deprecated (AB750): [low, high] [deg] of a turn about z; rotation_range is canonical.",
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "movable object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "position_range", "rotation_range", "yaw_range")
        if self.yaw_range is not None:
            if self.rotation_range is not None:
                yield Diagnostic.make(
                    "AB751",
                    "/yaw_range",
                    where=where,
                    first="yaw_range",
                    second="rotation_range",
                    hint="keep rotation_range only",
                )
            else:
                yield _deprecated(
                    where, "yaw_range", "rotation_range: [[0, 0, low], [0, 0, high]] and relative_rotation: true"
                )


class RobotEntityCfg(Params):
    uid: Name = Field(description="The robot's uid.")
    control_parts: list[Name] | None = Field(
        None, description="The control parts whose joints move (none: every arm among env.control_parts)."
    )


class RandomizeRobotQposParams(Params):
    entity_cfg: RobotEntityCfg = Field(description="The robot and the control parts to perturb.")
    qpos_range: QposRange | None = Field(
        None,
        description="[[q...] low, [q...] high] [rad] drawn per joint: one value for every joint, or one per joint "
        "of joint_ids (or of the control parts' joints).",
    )
    relative_qpos: bool = Field(True, description="true: add the drawn values to the joints; false: set them.")
    joint_ids: list[Annotated[int, Field(ge=0)]] | None = Field(
        None,
        description="Indices into the joints of entity_cfg.control_parts, concatenated in order (none: all of them).",
    )
    noise_range: Interval | None = Field(
        None, description="Deprecated (AB750): [low, high] [rad] added to every joint; qpos_range is canonical."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "robot", self.entity_cfg.uid)
        for index, part in enumerate(self.entity_cfg.control_parts or ()):
            yield Reference(f"/entity_cfg/control_parts/{index}", "control part", part)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        if self.qpos_range is not None:
            low, high = self.qpos_range
            if len(low) != len(high):
                yield Diagnostic.make(
                    "AB752",
                    "/qpos_range",
                    where=f"{where}.qpos_range",
                    reason=f"low has {len(low)} values, high {len(high)}",
                )
            else:
                yield from interval_problems(where, "/qpos_range", low, high)
            if self.joint_ids is not None and len(low) not in (1, len(self.joint_ids)):
                yield Diagnostic.make(
                    "AB752",
                    "/qpos_range",
                    where=f"{where}.qpos_range",
                    reason=f"{len(low)} values for {len(self.joint_ids)} joint_ids (give 1 or {len(self.joint_ids)})",
                )
        if self.noise_range is not None:
            yield from interval_problems(where, "/noise_range", *self.noise_range)
            if self.qpos_range is not None:
                yield Diagnostic.make(
                    "AB751",
                    "/noise_range",
                    where=where,
                    first="noise_range",
                    second="qpos_range",
                    hint="keep qpos_range only",
                )
            else:
                yield _deprecated(where, "noise_range", "qpos_range: [[low], [high]]")


class CameraEntityCfg(Params):
    uid: Name = Field(description="The camera's uid (a sensor).")


class RandomizeCameraExtrinsicsParams(Params):
    entity_cfg: CameraEntityCfg = Field(description="The camera.")
    pos_range: Range3 | None = Field(
        None, description="[[x, y, z] low, high] [m] added to the position of a camera on a link (parent mode)."
    )
    euler_range: AngleRange3 | None = Field(
        None, description="[[rx, ry, rz] low, high] [deg] turning a camera on a link (parent mode)."
    )
    eye_range: Range3 | None = Field(None, description="[[x, y, z] low, high] [m] added to eye (look-at mode).")
    target_range: Range3 | None = Field(None, description="[[x, y, z] low, high] [m] added to target (look-at mode).")
    up_range: Range3 | None = Field(None, description="[[x, y, z] low, high] added to up (look-at mode).")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "camera", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "pos_range", "euler_range", "eye_range", "target_range", "up_range")


class RandomizeCameraIntrinsicsParams(Params):
    entity_cfg: CameraEntityCfg = Field(description="The camera.")
    focal_x_range: Interval | None = Field(None, description="[low, high] [px] added to fx.")
    focal_y_range: Interval | None = Field(None, description="[low, high] [px] added to fy.")
    cx_range: Interval | None = Field(None, description="[low, high] [px] added to cx.")
    cy_range: Interval | None = Field(None, description="[low, high] [px] added to cy.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "camera", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "focal_x_range", "focal_y_range", "cx_range", "cy_range")


class RandomizeLightParams(Params):
    entity_cfg: EntityCfg = Field(description="The light.")
    position_range: Range3 | None = Field(None, description="[[x, y, z] low, high] [m] added to the light's init_pos.")
    color_range: ColorRange | None = Field(None, description="[[r, g, b] low, high] of its colour drawn, in [0, 1].")
    intensity_range: Interval | None = Field(
        None,
        description="[low, high] added to its intensity (diffuse = colour x intensity, clipped to [0, 1]).",
    )
    direction_range: Range3 | None = Field(
        None, description="[[x, y, z] low, high] added to the direction of a directional or spot light."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "light", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "position_range", "color_range", "intensity_range", "direction_range")


class MaterialCfg(Params):
    """EmbodiChain's ``mat_cfg`` (the parts this backend draws)."""

    uid: Name | None = Field(None, description="The material's name (accepted; the geoms are recoloured in place).")
    base_color: Annotated[list[Unit], Field(min_length=3, max_length=4)] = Field(
        [1.0, 1.0, 1.0, 1.0], description="[r, g, b] or [r, g, b, a], in [0, 1]."
    )
    base_color_texture: Name | None = Field(
        None, description="A PNG image, relative to the gym config's folder, wrapped onto the object."
    )


class SetRigidObjectVisualMaterialParams(Params):
    entity_cfg: EntityCfg = Field(description="The object whose geoms get the material.")
    mat_cfg: MaterialCfg = Field(description="The material.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "object", self.entity_cfg.uid)

    def materials(self) -> MaterialRequest:
        """The materials this event needs: a plain one, and one for its image when it names one."""
        path = self.mat_cfg.base_color_texture
        images = (path,) if path else ()
        return MaterialRequest(self.entity_cfg.uid, (), images, ("/mat_cfg/base_color_texture",) * len(images))


class RandomizeVisualMaterialParams(Params):
    entity_cfg: EntityCfg = Field(description="The object whose geoms are recoloured.")
    base_color_range: ColorRange = Field(
        ((0.2, 0.2, 0.2), (1.0, 1.0, 1.0)), description="[[r, g, b] low, high] of the colour drawn, in [0, 1]."
    )
    random_texture_prob: Unit = Field(
        0.0,
        description="Chance [0, 1] that the object gets a texture (procedural or from texture_path) tinted by the colour.",
    )
    texture_path: Name | None = Field(
        None, description="A folder of PNG images (relative to the gym config's folder) the textures are drawn from."
    )
    procedural_textures: Annotated[list[Literal["checker", "gradient", "flat"]], Field(min_length=1)] = Field(
        ["checker", "gradient"],
        description="MuJoCo's procedural textures drawn from when there is no texture_path: checker, gradient, flat.",
    )
    metallic_range: Annotated[tuple[Unit, Unit], Strict(False)] | None = Field(
        None, description="[low, high] in [0, 1] of the reflectance drawn (MuJoCo's material reflectance)."
    )
    roughness_range: Annotated[tuple[Unit, Unit], Strict(False)] | None = Field(
        None, description="[low, high] in [0, 1] of the roughness drawn (1 - MuJoCo's shininess)."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "base_color_range", "metallic_range", "roughness_range")

    def materials(self) -> MaterialRequest:
        """The materials this event draws from: a plain one, and, when it may draw textures, one
        per image of ``texture_path`` (else one per procedural texture)."""
        if self.random_texture_prob <= 0:
            return MaterialRequest(self.entity_cfg.uid, (), (), ())
        if self.texture_path:
            return MaterialRequest(self.entity_cfg.uid, (), (self.texture_path,), ("/texture_path",))
        return MaterialRequest(self.entity_cfg.uid, tuple(self.procedural_textures), (), ())


class RandomizeRigidObjectMassParams(Params):
    entity_cfg: EntityCfg = Field(description="The object (dynamic).")
    mass_range: NonNegativeInterval = Field(description="[low, high] [kg] of the mass drawn (or added, relative).")
    relative: bool = Field(False, description="true: add the drawn value to the configured mass.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "movable object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "mass_range")


class RandomizeRigidObjectFrictionParams(Params):
    entity_cfg: EntityCfg = Field(description="The object whose geoms get the friction.")
    friction_range: NonNegativeInterval = Field(description="[low, high] of the sliding friction coefficient drawn.")
    relative: bool = Field(False, description="true: multiply the configured friction by the drawn factor.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "friction_range")


class RandomizeRigidObjectScaleParams(Params):
    entity_cfg: EntityCfg = Field(description="The object (made of primitives: meshes cannot be rescaled).")
    scale_factor_range: ScaleRange = Field(
        description="[[s] low, [s] high] (same_scale_all_axes) or [[sx, sy, sz] low, high] of the factors drawn."
    )
    same_scale_all_axes: bool = Field(True, description="true: one factor for x, y and z (the first component).")

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "movable object", self.entity_cfg.uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        low, high = self.scale_factor_range
        wanted = 1 if self.same_scale_all_axes else 3
        if len(low) < wanted or len(high) < wanted:
            yield Diagnostic.make(
                "AB752",
                "/scale_factor_range",
                where=f"{where}.scale_factor_range",
                reason=f"needs {wanted} value(s) per bound when same_scale_all_axes is {self.same_scale_all_axes}",
            )
            return
        yield from interval_problems(where, "/scale_factor_range", low[:wanted], high[:wanted])


_Count = Annotated[int, Field(ge=0, le=10_000)]


class PlaceRigidObjectGroupParams(Params):
    entity_cfg: EntityCfg = Field(description="The rigid_object_group whose members are drawn.")
    num_objects: Annotated[tuple[_Count, _Count], Strict(False)] | None = Field(
        None, description="[min, max] members drawn per episode, both included (none: every member)."
    )
    position_range: Range3 = Field(
        description="[[x, y, z] low, high] [m] of each drawn member's offset from its init_pos (relative_position) "
        "or of its position (world frame)."
    )
    relative_position: bool = Field(True, description="true: offsets from init_pos; false: world positions.")
    rotation_range: AngleRange3 | None = Field(
        None, description="[[rx, ry, rz] low, high] [deg] turning each drawn member from its init_rot (none: no turn)."
    )
    avoid: list[Name] | None = Field(
        None,
        description="Objects whose footprints the members keep clear of (none: every rigid_object). Members "
        "also keep clear of each other.",
    )
    clearance: Annotated[float, Field(ge=0, le=10)] = Field(
        0.01, description="Gap [m] kept between footprints (discs of each body's bounding radius in x-y)."
    )
    max_tries: Annotated[int, Field(ge=1, le=10_000)] = Field(
        50, description="Positions drawn per member before it is left out (parked) for the episode."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/entity_cfg/uid", "group", self.entity_cfg.uid)
        if self.num_objects is not None:
            yield Reference("/num_objects/1", "group", self.entity_cfg.uid, asked=self.num_objects[1])
        for index, uid in enumerate(self.avoid or ()):
            yield Reference(f"/avoid/{index}", "object", uid)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from _ranges(where, self, "position_range", "rotation_range", "num_objects")


#: Every event this package declares, by name.
EVENTS: Mapping[str, Declaration] = {
    event.name: event
    for event in (
        Declaration(
            "randomize_rigid_object_pose",
            RandomizeRigidObjectPoseParams,
            "Move an object by (or to) a drawn position, and turn it by (or to) drawn Euler angles.",
        ),
        Declaration(
            "randomize_robot_qpos", RandomizeRobotQposParams, "Add drawn values to (or set) joints of control parts."
        ),
        Declaration(
            "randomize_camera_extrinsics", RandomizeCameraExtrinsicsParams, "Move and turn a camera by drawn offsets."
        ),
        Declaration(
            "randomize_camera_intrinsics",
            RandomizeCameraIntrinsicsParams,
            "Add drawn offsets to a camera's focal lengths and principal point.",
        ),
        Declaration("randomize_light", RandomizeLightParams, "Draw a light's position, colour, intensity, direction."),
        Declaration(
            "set_rigid_object_visual_material",
            SetRigidObjectVisualMaterialParams,
            "Give an object a fixed colour and, optionally, an image texture.",
        ),
        Declaration(
            "randomize_visual_material",
            RandomizeVisualMaterialParams,
            "Draw the colour, texture, reflectance and roughness of an object's geoms.",
        ),
        Declaration("randomize_rigid_object_mass", RandomizeRigidObjectMassParams, "Draw an object's mass."),
        Declaration(
            "randomize_rigid_object_friction",
            RandomizeRigidObjectFrictionParams,
            "Draw the sliding friction of an object's geoms.",
        ),
        Declaration(
            "randomize_rigid_object_scale",
            RandomizeRigidObjectScaleParams,
            "Draw scale factors of an object's primitive geoms (size, placement, mass follow).",
        ),
        Declaration(
            "place_rigid_object_group",
            PlaceRigidObjectGroupParams,
            "Draw which members of a rigid_object_group appear and place them without overlaps; park the others.",
        ),
    )
}
