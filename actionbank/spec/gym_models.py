"""The gym config as written: typed, frozen pydantic models of a simulation scene.

The keys follow EmbodiChain's gym config (``id``, ``env.events``, ``robot``, ``sensor``,
``light``, ``background``, ``rigid_object``), plus our own ``physics``, ``render``,
``particles`` and Compound shapes (``shape.parts``). Unknown keys are errors everywhere
except inside free ``params`` objects and the metadata objects of the LeRobot dataset
(``robot_meta`` and ``instruction``, where they are warnings, and ``extra``, which is recorded
as written). A key these models accept that the MuJoCo backend cannot apply as written is
reported where it is written (:mod:`actionbank.spec.gym_unsupported`,
:mod:`actionbank.spec.gym_unapplied`): nothing in a gym config is silently ignored.

``schemas/gym_config.schema.json`` is generated from these models
(:func:`actionbank.spec.gym_config.gym_config_schema`), so the two cannot drift.
Rules a schema cannot say (unique uids, files that exist, names the simulation knows)
are checked afterwards by :mod:`actionbank.spec.gym_checks`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Strict, StringConstraints, Tag

from actionbank.capacity import MAX_WORKERS

__all__ = [
    "EXTRA_KEYS",
    "AllOf",
    "AnyOf",
    "Attached",
    "Camera",
    "Dataset",
    "Drive",
    "EnvSection",
    "Event",
    "GripperCfg",
    "GroupMember",
    "GymConfig",
    "Instruction",
    "LeRobotDatasetConfig",
    "LeRobotParams",
    "Light",
    "Lights",
    "LookAt",
    "NotOf",
    "ObjectAttrs",
    "ObservationTerm",
    "Particles",
    "Physics",
    "RenderSettings",
    "RigidObject",
    "RigidObjectGroup",
    "Robot",
    "RobotMeta",
    "Shape",
    "ShapePart",
    "SolverCfg",
    "SuccessCheck",
    "SuccessFunction",
    "success_functions",
]

#: The smallest half extent, radius or height of a primitive as written [m].
MIN_EXTENT = 0.001
#: Half extent [m] of a Cube that gives no size.
CUBE_HALF_EXTENT = 0.02

Name = Annotated[str, StringConstraints(min_length=1)]
JsonObject = dict[str, Any]
NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Unit = Annotated[float, Field(ge=0, le=1)]
#: A coordinate [m] (or a direction's component): bounded, so that MuJoCo's arithmetic stays finite.
Coordinate = Annotated[float, Field(ge=-1000, le=1000)]
#: A half extent, radius or height [m]: from 1 mm (MuJoCo needs some inertia) to 100 m.
Length = Annotated[float, Field(ge=MIN_EXTENT, le=100)]
#: A scale factor of an object's geometry.
Scale = Annotated[float, Field(ge=0.01, le=100)]
#: A mass [kg]: from 1 mg (MuJoCo needs some inertia) to 10 t.
Mass = Annotated[float, Field(ge=1e-6, le=1e4)]
#: A friction coefficient.
Friction = Annotated[float, Field(ge=0, le=10)]
#: A rolling or torsional friction [m].
FrictionLength = Annotated[float, Field(ge=0, le=1)]
#: A focal length [px].
Focal = Annotated[float, Field(ge=1, le=1e6)]
#: An image side [px]: at most the offscreen buffer MuJoCo renders into.
ImageSide = Annotated[int, Field(ge=1, le=4096)]
# Tuples are lax (a JSON list is accepted), their items stay strict.
Vec3 = Annotated[tuple[Coordinate, Coordinate, Coordinate], Strict(False)]
ScaleVec3 = Annotated[tuple[Scale, Scale, Scale], Strict(False)]
Quaternion = Annotated[tuple[Coordinate, Coordinate, Coordinate, Coordinate], Strict(False)]
RGB = Annotated[tuple[Unit, Unit, Unit], Strict(False)]
RGBA = Annotated[tuple[Unit, Unit, Unit, Unit], Strict(False)]
Intrinsics = Annotated[tuple[Focal, Focal, float, float], Strict(False)]
#: Most particles in one set. Each is a free body; MuJoCo's default memory for a scene grows
#: with the square of its bodies (1000 particles: about 1.8 GB of address space per
#: environment, 5000: more than it can allocate).
MAX_PARTICLES = 1000

_ZERO = (0.0, 0.0, 0.0)


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class _Open(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow", strict=True)


# -- simulation settings ---------------------------------------------------------------


class Physics(_Spec):
    timestep: Annotated[float, Field(ge=1e-6, le=0.1)] = Field(
        0.002, description="Physics step [s] (MuJoCo opt.timestep); it must divide the control period 1/control_freq."
    )
    integrator: Literal["Euler", "implicitfast", "implicit", "RK4"] = Field(
        "implicitfast", description="MuJoCo's numerical integrator."
    )
    gravity: Vec3 = Field((0.0, 0.0, -9.81), description="Gravity [m/s²], world frame.")


class RenderSettings(_Spec):
    shadow_size: Annotated[int, Field(ge=0, le=8192)] = Field(
        0, description="Shadow map size [px] (MuJoCo vis.quality.shadowsize); 0 turns shadows off, the fast default."
    )
    multisamples: Annotated[int, Field(ge=0, le=16)] = Field(
        0, description="Multisample anti-aliasing samples (MuJoCo vis.quality.offsamples); 0 is the fast default."
    )


# -- env: events, observations, dataset, task ----------------------------------------------


class Event(_Spec):
    func: Name = Field(description="The event function (a name the simulation registers).")
    mode: Literal["prestartup", "startup", "reset", "interval"] = Field(
        description="'startup': once, when the scene is built (at the first reset); 'prestartup' (EmbodiChain: "
        "before the simulation starts) runs as 'startup' here (AB755); 'reset': at each reset; "
        "'interval': every interval_step control steps."
    )
    interval_step: Annotated[int, Field(ge=1)] = Field(
        1, description="Period of an 'interval' event [steps]; other modes do not use it (AB767 where written)."
    )
    params: JsonObject = Field(
        default_factory=dict,
        description="Arguments of the event function, checked against its declared params model.",
    )


class ObservationTerm(_Spec):
    func: Name = Field(description="The observation function (a name the simulation registers).")
    mode: str = Field(
        "add", description="'add': a new observation, recorded in observation.environment_state; 'modify': changes one."
    )
    name: str | None = Field(
        None, description="The observation's name, which prefixes its components (none: the term's label)."
    )
    params: JsonObject = Field(
        default_factory=dict, description="Arguments of the observation function, checked against its params model."
    )


#: The keys of ``dataset.lerobot.params.extra`` that mean something: ``scene_type`` and
#: ``task_description`` name the dataset folder, ``data_type`` is EmbodiChain's third one.
EXTRA_KEYS = ("scene_type", "task_description", "data_type")


class RobotMeta(_Open):
    """Robot metadata for the dataset: its ``robot_type``. Further keys are accepted (EmbodiChain's
    configs carry some) but nothing reads them: each is a warning (AB766)."""

    robot_type: Name = Field(description="The robot type recorded in the dataset, e.g. 'aloha'.")


class Instruction(_Open):
    """The task instruction written into the dataset: ``lang``. Further keys are accepted but
    nothing reads them: each is a warning (AB766)."""

    lang: Name | Annotated[list[Name], Field(min_length=1)] = Field(
        description="The natural-language instruction of the episode, or a list of paraphrases: each episode's "
        "task is drawn from it with the episode seed, the others are recorded as its task_aug rows."
    )

    @property
    def phrasings(self) -> tuple[str, ...]:
        """Every phrasing of the instruction, the first being the canonical one."""
        return (self.lang,) if isinstance(self.lang, str) else tuple(self.lang)


class LeRobotParams(_Spec):
    robot_meta: RobotMeta = Field(description="Robot metadata: robot_type, and any further keys.")
    instruction: Instruction = Field(description="The task instruction: lang, and any further keys.")
    extra: JsonObject = Field(
        default_factory=dict,
        description="Further metadata, recorded as written in the dataset's meta/actionbank/dataset.json: "
        "scene_type and task_description also name the dataset folder; data_type, or any key of your own. "
        "A key that looks like a misspelling of one of those three is a warning (AB766).",
    )
    use_videos: bool = Field(True, description="Store camera images as videos (true) or as images (false).")
    vcodec: Literal["libsvtav1", "av1", "h264", "hevc"] = Field(
        "libsvtav1",
        description=(
            "Video codec, with LeRobot's settings for it: libsvtav1 (alias av1; LeRobot's default, smallest "
            "files) or h264 / hevc (faster to encode on a CPU, larger files)."
        ),
    )


class LeRobotDatasetConfig(_Spec):
    func: Literal["LeRobotRecorder"] = Field(
        "LeRobotRecorder",
        description="The recorder (EmbodiChain's functor name): LeRobotRecorder, the only one here, writes "
        "episodes as a LeRobot dataset.",
    )
    mode: Literal["save"] = Field(
        "save", description="What the recorder does (EmbodiChain's functor mode): save, the only mode here."
    )
    save_failed_episodes: bool = Field(
        False,
        description="EmbodiChain: keep failed episodes too. Failed attempts are then recorded in a second "
        "LeRobot dataset next to the main one ('<dataset folder>_failed'), each with its failure in the "
        "episode's provenance.",
    )
    params: LeRobotParams = Field(description="Recorder settings.")


class Dataset(_Spec):
    save_path: Name | None = Field(
        None,
        description="EmbodiChain: the folder datasets are saved under. Mapped to generate's default output: "
        "a new numbered dataset folder is made in it (--output overrides it).",
    )
    lerobot: LeRobotDatasetConfig = Field(description="Record episodes as a LeRobot dataset.")


class SuccessFunction(_Spec):
    """One success check the simulation registers (a task check or a predicate), with its params."""

    func: Name = Field(description="The success function (a name the simulation registers).")
    params: JsonObject = Field(
        default_factory=dict,
        description="Arguments of the success function, checked against its declared params model.",
    )


class AllOf(_Spec):
    """Success when every check in the list succeeds."""

    all: list[SuccessCheck] = Field(min_length=1, description="Checks that must all succeed.")


class AnyOf(_Spec):
    """Success when at least one check in the list succeeds."""

    any: list[SuccessCheck] = Field(min_length=1, description="Checks of which one must succeed.")


class NotOf(_Spec):
    """Success when the check fails."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    not_: SuccessCheck = Field(alias="not", description="The check that must fail.")


def _success_kind(value: Any) -> str | None:
    """Tell a success check's forms apart by their keys: ``all``, ``any``, ``not`` or a function."""
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", NotOf: "not"}.get(type(value), "func")
    if isinstance(value, dict):
        return next((key for key in ("all", "any", "not") if key in value), "func")
    return None


#: A success check: a function with params, or ``all``/``any``/``not`` of success checks.
SuccessCheck = Annotated[
    Annotated[SuccessFunction, Tag("func")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(_success_kind),
]


def success_functions(
    check: SuccessCheck, path: tuple[str | int, ...] = ("env", "success")
) -> Iterator[tuple[SuccessFunction, tuple[str | int, ...]]]:
    """Every function of a success check, depth first in declared order, with its path."""
    if isinstance(check, SuccessFunction):
        yield check, path
    elif isinstance(check, AllOf):
        for index, item in enumerate(check.all):
            yield from success_functions(item, (*path, "all", index))
    elif isinstance(check, AnyOf):
        for index, item in enumerate(check.any):
            yield from success_functions(item, (*path, "any", index))
    else:
        yield from success_functions(check.not_, (*path, "not"))


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


class EnvSection(_Spec):
    events: dict[Name, Event] = Field(default_factory=dict, description="Events, keyed by a label.")
    observations: dict[Name, ObservationTerm] = Field(
        default_factory=dict, description="Observation terms, keyed by a label."
    )
    dataset: Dataset | None = Field(None, description="How episodes are recorded (none: not recorded).")
    control_parts: list[Name] = Field(
        min_length=1,
        description="The robot's parts the actions drive, in action order, e.g. [left_arm, left_eef]; each once.",
    )
    affordances: JsonObject = Field(
        default_factory=dict,
        description="Task constants provided to the action bank as affordance keys: numbers or rectangular "
        "arrays of numbers, e.g. a 4x4 grasp pose [m].",
    )
    success: SuccessCheck | None = Field(
        None,
        description="The episode's success check: {func, params}, or {all: [...]}, {any: [...]}, {not: ...} "
        "of success checks (none: an episode in which nothing failed is valid).",
    )


# -- robot, sensors, lights ----------------------------------------------------------------


Matrix4 = Annotated[
    tuple[
        Annotated[tuple[float, float, float, float], Strict(False)],
        Annotated[tuple[float, float, float, float], Strict(False)],
        Annotated[tuple[float, float, float, float], Strict(False)],
        Annotated[tuple[float, float, float, float], Strict(False)],
    ],
    Strict(False),
]
_IDENTITY4 = ((1.0, 0.0, 0.0, 0.0), (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 1.0, 0.0), (0.0, 0.0, 0.0, 1.0))


class SolverCfg(_Spec):
    """An arm's tool frame for inverse kinematics (EmbodiChain's ``solver_cfg`` entry)."""

    end_link_name: Name = Field(description="The link (MJCF body, URDF link) the tool frame is fixed to.")
    tcp: Matrix4 = Field(_IDENTITY4, description="The tool frame in the end link's frame: a 4x4 pose, translation [m].")


class GripperCfg(_Spec):
    """How an end effector's normalised command (0 = closed, 1 = open) maps onto its actuator."""

    actuator: Name | None = Field(
        None, description="The actuator that drives the fingers (none: the one driving the part's joints)."
    )
    closed: float | None = Field(
        None, description="The actuator's control value when closed (none: the low end of its ctrlrange/joint range)."
    )
    open: float | None = Field(
        None, description="The actuator's control value when open (none: the high end of its ctrlrange/joint range)."
    )


class Drive(_Spec):
    """Gains of the position servos that replace torque (``motor``) actuators on arm joints
    (and that drive a URDF's joints, which state no actuators), and whether gravity is cancelled on the bodies the arms move (as an arm's controller does)."""

    stiffness: Positive = Field(400.0, description="Servo stiffness kp [N·m/rad or N/m].")
    damping: NonNegative = Field(40.0, description="Servo damping kv [N·m·s/rad or N·s/m].")
    gravity_compensation: bool = Field(
        True, description="Cancel gravity on the bodies the arms move (MuJoCo's gravcomp), as an arm's controller does."
    )


class Robot(_Spec):
    """The robot: a registered type by name (``robot_type``), or a model file declared here
    (``fpath`` with ``control_parts``; EmbodiChain's spelling). Exactly one of the two."""

    uid: Name = Field(description="The robot's name in the scene.")
    robot_type: Name | None = Field(
        None, description="A robot type the simulation provides, e.g. 'aloha' (or give fpath instead)."
    )
    fpath: Name | None = Field(
        None,
        description="A robot model file, MJCF or URDF, relative to the gym config (or give robot_type instead). "
        "The dataset's robot type is dataset.lerobot.params.robot_meta.robot_type, else uid.",
    )
    control_parts: dict[Name, list[Name]] | None = Field(
        None,
        description="With fpath: each control part's joints, as names or regular expressions (full match), in order. "
        "A part with a solver_cfg entry is an arm; any other part is an end effector (one gripper value).",
    )
    solver_cfg: dict[Name, SolverCfg] = Field(
        default_factory=dict, description="With fpath: each arm's tool frame for inverse kinematics."
    )
    grippers: dict[Name, GripperCfg] = Field(
        default_factory=dict,
        description="With fpath: how each end effector's actuator maps 0 (closed) .. 1 (open); inferred when omitted.",
    )
    drive: Drive = Field(
        default_factory=Drive,
        description="With fpath: gains of the position servos made of torque actuators on arm joints, "
        "and of those driving a URDF's joints.",
    )
    collision_geoms: list[Name] = Field(
        default_factory=list,
        description="With fpath: geoms of the model file to switch on for contacts (contype and conaffinity 1), "
        "e.g. fingertip pads a model ships inert.",
    )
    init_pos: Vec3 = Field(_ZERO, description="Base position [m], world frame.")
    init_rot: Vec3 = Field(_ZERO, description="Base orientation [deg], xyz Euler angles.")
    init_qpos: list[float] | None = Field(
        None,
        description="Values at reset, one per value of env.control_parts in order: arm joints [rad], "
        "grippers 0 (closed) to 1 (open) (none: the robot's home pose).",
    )


class LookAt(_Spec):
    """A camera fixed in the world, looking from ``eye`` at ``target``."""

    eye: Vec3 = Field(description="Camera position [m], world frame.")
    target: Vec3 = Field(description="The point looked at [m], world frame.")
    up: Vec3 = Field(
        (0.0, 0.0, 1.0),
        description="The image's up direction, world frame; not parallel to eye -> target (that leaves the "
        "image's roll undefined, an error).",
    )


class Attached(_Spec):
    """A camera mounted on a robot link."""

    parent: Name = Field(description="The robot link the camera is fixed to.")
    pos: Vec3 = Field(_ZERO, description="Position in the link's frame [m].")
    quat: Quaternion = Field(
        (1.0, 0.0, 0.0, 0.0),
        description="Orientation in the link's frame, quaternion wxyz; MuJoCo normalises it (a length far from 1 "
        "is a warning, zero an error).",
    )


def _extrinsics_kind(value: Any) -> str | None:
    """Tell the two extrinsics apart by their keys: ``parent`` means attached to a link."""
    if isinstance(value, BaseModel):
        return "attached" if isinstance(value, Attached) else "look_at"
    if isinstance(value, dict):
        return "attached" if "parent" in value else "look_at"
    return None


Extrinsics = Annotated[
    Annotated[LookAt, Tag("look_at")] | Annotated[Attached, Tag("attached")],
    Discriminator(_extrinsics_kind),
]


class Camera(_Spec):
    sensor_type: Literal["Camera"] = Field("Camera", description="The sensor kind (only cameras).")
    uid: Name = Field(
        description="The camera's name; also its image key in the dataset, so only letters, digits, '_' and '-'."
    )
    width: ImageSide = Field(description="Image width [px].")
    height: ImageSide = Field(description="Image height [px].")
    intrinsics: Intrinsics = Field(description="Pinhole intrinsics [fx, fy, cx, cy] [px].")
    extrinsics: Extrinsics = Field(
        description="Where the camera is: {eye, target, up} in the world, or {parent, pos, quat} on a robot link."
    )
    enable_depth: bool = Field(
        False, description="Also record the camera's depth [m] (LeRobot's depth video feature observation.depth.<uid>)."
    )
    enable_mask: bool = Field(
        False,
        description="Also record the camera's segmentation: per pixel the id of the object, robot link or "
        "background (0) seen there (lossless image feature observation.segmentation.<uid>).",
    )

    def resized(self, width: int, height: int) -> Camera:
        """This camera with ``width`` x ``height`` [px] images and the same field of view (focal
        lengths scaled with the image, principal point at the image centre)."""
        fx, fy, _, _ = self.intrinsics
        intrinsics = (fx * width / self.width, fy * height / self.height, width / 2, height / 2)
        return self.model_copy(update={"width": width, "height": height, "intrinsics": intrinsics})


class Light(_Spec):
    uid: Name = Field(description="The light's name.")
    light_type: Literal["point", "directional", "spot"] = Field("point", description="The kind of light.")
    color: RGB = Field((1.0, 1.0, 1.0), description="Colour, RGB in [0, 1].")
    intensity: NonNegative = Field(
        1.0,
        description="Brightness, relative: the light's diffuse colour is color x intensity, at most 1 (full "
        "colour); a value above 1 renders as 1 (a warning, AB765).",
    )
    init_pos: Vec3 = Field(description="Position [m], world frame.")
    direction: Vec3 = Field((0.0, 0.0, -1.0), description="Direction of directional and spot lights, world frame.")
    radius: Positive | None = Field(
        None,
        description="EmbodiChain: the range of a point light [m]. MuJoCo's OpenGL renderer lights without a "
        "range, so it is ignored (a warning, AB763).",
    )


class Lights(_Spec):
    direct: list[Light] = Field(default_factory=list, description="Direct lights.")


# -- objects -------------------------------------------------------------------------------


class ShapePart(_Spec):
    """One primitive of a Compound shape (our extension): a named geom fixed in the object's frame."""

    name: Name = Field(
        description="The part's name, unique within its object; MuJoCo's geom is '<uid>/<name>', and success "
        "predicates can name the part (e.g. object_touches' other_part)."
    )
    shape_type: Literal["Cube", "Box", "Sphere", "Cylinder", "Capsule"] = Field(description="Geometry kind.")
    size: list[Length] | None = Field(
        None, description="Half extents [m] of a Box or Cube: [x, y, z] (a Box needs it; a Cube's default is 0.02)."
    )
    radius: Length | None = Field(None, description="Radius [m] of a Sphere, Cylinder or Capsule.")
    height: Length | None = Field(None, description="Full height [m] of a Cylinder or Capsule.")
    pos: Vec3 = Field(_ZERO, description="The part's centre in the object's frame [m].")
    rot: Vec3 = Field(_ZERO, description="The part's orientation in the object's frame [deg], xyz Euler angles.")
    rgba: RGBA | None = Field(None, description="Colour, RGBA in [0, 1] (none: the object's rgba).")


class Shape(_Spec):
    shape_type: Literal["Cube", "Box", "Sphere", "Cylinder", "Capsule", "Mesh", "Compound"] = Field(
        description="Geometry kind; 'Compound': several primitives (parts) rigidly joined in one body."
    )
    size: list[Length] | None = Field(
        None,
        description="Half extents [m] of a Box or Cube: [x, y, z] (a Box needs it; a Cube's default is 0.02 each).",
    )
    radius: Length | None = Field(None, description="Radius [m] of a Sphere, Cylinder or Capsule.")
    height: Length | None = Field(None, description="Full height [m] of a Cylinder or Capsule.")
    fpath: Name | None = Field(
        None, description="Mesh file of a Mesh, relative to the gym config's folder (or absolute)."
    )
    compute_uv: bool = Field(
        False,
        description="EmbodiChain: compute texture coordinates for a mesh that has none. MuJoCo does that for any "
        "mesh without its own that a material event textures, so true is what happens and an explicit false is "
        "ignored (AB763); a primitive's coordinates are MuJoCo's own (AB767).",
    )
    hollow: bool = Field(
        False, description="A Cylinder built as an open-top container (base and walls), e.g. a cup or a bottle."
    )
    parts: list[ShapePart] | None = Field(
        None,
        min_length=1,
        description="The primitives of a Compound shape, in the object's frame (a Compound needs them). The "
        "object's mass is shared among them in proportion to their volumes; body_scale scales their positions "
        "(object axes) and sizes (as a single primitive's).",
    )


class ObjectAttrs(_Spec):
    """Physical attributes. The PhysX tuning keys are accepted and ignored by the MuJoCo backend.

    MuJoCo has one sliding friction coefficient, which bounds the tangential contact force
    whether the surfaces stick or slide: it is ``static_friction`` (what decides whether a
    grasped object holds), else ``dynamic_friction`` (:attr:`sliding_friction`). Its contacts
    are critically damped: nothing bounces."""

    mass: Mass | None = Field(None, description="Mass [kg] (none: from density).")
    static_friction: Friction | None = Field(
        None,
        description="Static friction coefficient: MuJoCo's sliding friction, for sticking and sliding alike "
        "(none: dynamic_friction, else 1).",
    )
    dynamic_friction: Friction | None = Field(
        None,
        description="Kinetic friction coefficient (PhysX). MuJoCo has one sliding coefficient: this one when "
        "static_friction is not given; beside a different static_friction it is ignored (a note, AB764).",
    )
    restitution: NonNegative | None = Field(
        None,
        description="Bounciness (PhysX), 0 for none. MuJoCo's contacts here are critically damped and do not "
        "bounce: 0 is what happens, more is ignored (a note, AB764).",
    )
    rolling_friction: FrictionLength | None = Field(None, description="Rolling friction [m].")
    torsional_friction: FrictionLength | None = Field(None, description="Torsional friction [m].")
    contact_offset: float | None = Field(None, description="PhysX contact offset [m]; ignored by MuJoCo.")
    rest_offset: float | None = Field(None, description="PhysX rest offset [m]; ignored by MuJoCo.")
    max_depenetration_velocity: NonNegative | None = Field(
        None, description="PhysX depenetration speed limit [m/s]; ignored by MuJoCo."
    )
    min_position_iters: Annotated[int, Field(ge=0)] | None = Field(
        None, description="PhysX position solver iterations; ignored by MuJoCo."
    )
    min_velocity_iters: Annotated[int, Field(ge=0)] | None = Field(
        None, description="PhysX velocity solver iterations; ignored by MuJoCo."
    )

    @property
    def sliding_friction(self) -> float | None:
        """MuJoCo's sliding friction coefficient: ``static_friction``, else ``dynamic_friction``
        (none: the backend's default)."""
        return self.static_friction if self.static_friction is not None else self.dynamic_friction


class RigidObject(_Spec):
    uid: Name = Field(description="The object's name; '<uid>_pose' is an affordance key.")
    shape: Shape = Field(description="The object's geometry.")
    attrs: ObjectAttrs = Field(default_factory=ObjectAttrs, description="Physical attributes.")
    init_pos: Vec3 = Field(_ZERO, description="Position at reset [m], world frame.")
    init_rot: Vec3 = Field(_ZERO, description="Orientation at reset [deg], xyz Euler angles, e.g. [0, 90, 0].")
    body_scale: ScaleVec3 = Field(
        (1.0, 1.0, 1.0), description="Scale of the geometry per axis; scaled, a primitive stays at least 1 mm."
    )
    body_type: Literal["dynamic", "kinematic", "static"] = Field(
        "dynamic", description="'dynamic': moved by physics; 'kinematic': moved only by code; 'static': fixed."
    )
    rgba: RGBA | None = Field(None, description="Colour, RGBA in [0, 1] (none: the backend's default).")
    max_convex_hull_num: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="EmbodiChain: the most convex parts a mesh's collision shape is decomposed into. MuJoCo "
        "collides a mesh as its one convex hull: 1 is what happens, more is ignored (a warning, AB763); a "
        "primitive is its own collision shape (AB767).",
    )


class GroupMember(RigidObject):
    """A member of a ``rigid_object_group``: a rigid object keyed by its uid in ``rigid_objects``."""

    uid: Name | None = Field(  # type: ignore[assignment]
        None, description="The member's uid: its key in rigid_objects (may be left out; if given, the same)."
    )
    body_type: Literal["dynamic", "kinematic"] = Field(
        "dynamic", description="'dynamic' or 'kinematic' (events move members); default: the group's body_type."
    )


class RigidObjectGroup(_Spec):
    """EmbodiChain's ``rigid_object_group``: objects created together, e.g. distractors an event
    draws from (``place_rigid_object_group``). Each member is an object of the scene with its
    own uid (its key), which events and success checks may name like any rigid object."""

    uid: Name = Field(description="The group's name (events name it in entity_cfg.uid).")
    rigid_objects: dict[Name, GroupMember] = Field(
        min_length=1, description="The members, keyed by their uid: rigid objects (dynamic or kinematic)."
    )
    body_type: Literal["dynamic", "kinematic"] = Field(
        "dynamic", description="The members' body_type, unless a member sets its own."
    )
    init_pos: Vec3 = Field(_ZERO, description="Offset [m] added to every member's init_pos (world frame).")

    def members(self) -> list[RigidObject]:
        """The members as rigid objects (uid from the key, group offset and body_type applied), in declared order."""
        result = []
        for key, member in self.rigid_objects.items():
            values = {name: getattr(member, name) for name in RigidObject.model_fields}
            values["uid"] = key
            values["init_pos"] = tuple(a + b for a, b in zip(member.init_pos, self.init_pos, strict=True))
            if "body_type" not in member.model_fields_set:
                values["body_type"] = self.body_type
            result.append(RigidObject.model_construct(**values))
        return result


class Particles(_Spec):
    """Small spheres poured as a liquid (our extension), spawned inside a container."""

    uid: Name = Field(description="The particle set's name.")
    container: Name = Field(description="The rigid_object uid the particles start in: a hollow Cylinder.")
    count: Annotated[int, Field(ge=1, le=MAX_PARTICLES)] = Field(description="Number of particles.")
    radius: Length = Field(description="Particle radius [m].")
    mass: Mass = Field(description="Mass of one particle [kg].")
    rgba: RGBA | None = Field(None, description="Colour, RGBA in [0, 1] (none: the backend's default).")


# -- the document --------------------------------------------------------------------------


class GymConfig(_Spec):
    """A simulation scene: settings, task environment, robot, sensors, lights and objects."""

    id: Name = Field(description="The environment id, e.g. 'PourWater-ALOHA-v0'.")
    max_episodes: Annotated[int, Field(ge=1)] = Field(1, description="Episodes to run.")
    max_episode_steps: Annotated[int, Field(ge=1)] = Field(description="Episode length limit [control steps].")
    num_envs: Annotated[int, Field(ge=1, le=MAX_WORKERS)] = Field(
        1,
        description="Parallel environments: the default of generate's --num-envs (worker processes, each with "
        "its own scene); an explicit --num-envs wins. Not part of what a dataset is made from: a run with "
        "another num_envs resumes and merges.",
    )
    control_freq: Annotated[float, Field(ge=1, le=1000)] = Field(
        50.0, description="Control (action) rate [Hz]: a whole number, the dataset's fps."
    )
    physics: Physics = Field(default_factory=Physics, description="Physics settings.")
    render: RenderSettings = Field(default_factory=RenderSettings, description="Rendering quality.")
    env: EnvSection = Field(description="Task environment: events, observations, dataset, control parts.")
    robot: Robot = Field(description="The robot.")
    sensor: list[Camera] = Field(default_factory=list, description="Cameras.")
    light: Lights | None = Field(None, description="Lights (none: the backend's default lighting).")
    background: list[RigidObject] = Field(default_factory=list, description="Scenery such as tables and floors.")
    rigid_object: list[RigidObject] = Field(default_factory=list, description="Objects the task manipulates.")
    rigid_object_group: list[RigidObjectGroup] = Field(
        default_factory=list,
        description="Groups of objects (EmbodiChain's), e.g. distractors place_rigid_object_group draws from.",
    )
    particles: list[Particles] = Field(default_factory=list, description="Particle sets, e.g. water in a bottle.")
