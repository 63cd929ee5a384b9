"""The registry of diagnostic codes: stable, one place, with their default severity.

Ranges: ``AB1xx`` input, syntax and schema; ``AB2xx`` names, functions and references;
``AB3xx`` graph and dataflow; ``AB4xx`` sync and schedule; ``AB5xx`` values;
``AB6xx`` gym config (shape, uids, files, names the simulation provides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["CODES", "DiagnosticCode"]


@dataclass(frozen=True, slots=True)
class DiagnosticCode:
    code: str
    name: str
    severity: Literal["error", "warning", "info"]
    template: str


_ALL = (
    # -- AB1xx: reading and schema ------------------------------------------------------
    DiagnosticCode("AB101", "UnreadableFile", "error", "cannot read {path}: {reason}"),
    DiagnosticCode("AB102", "EmptyDocument", "error", "the document is empty"),
    DiagnosticCode("AB103", "BinaryFile", "error", "this is a binary file, not {expected}"),
    DiagnosticCode("AB104", "NotUtf8", "error", "the file is not valid UTF-8: {reason}"),
    DiagnosticCode("AB105", "SyntaxError", "error", "{language} syntax error: {reason}"),
    DiagnosticCode("AB106", "DuplicateKey", "error", "duplicate key {key!r}"),
    DiagnosticCode("AB107", "DocumentTooLarge", "error", "the document is too large: {reason}"),
    DiagnosticCode("AB108", "NestedTooDeep", "error", "the document is nested deeper than {limit} levels"),
    DiagnosticCode("AB109", "UnsupportedValue", "error", "unsupported YAML value of type {kind}: {reason}"),
    DiagnosticCode("AB110", "MissingKey", "error", "missing required key {key!r} in {where}"),
    DiagnosticCode("AB111", "UnknownKey", "error", "unknown key {key!r} in {where}"),
    DiagnosticCode("AB112", "WrongType", "error", "{where} must be {expected}, not {actual}"),
    DiagnosticCode("AB113", "ValueNotAllowed", "error", "{where}: {reason}"),
    DiagnosticCode(
        "AB114", "NotOneKeyObject", "error", "{where} must be an object with exactly one key (its label), found {count}"
    ),
    DiagnosticCode("AB115", "SchemaViolation", "error", "{where}: {reason}"),
    DiagnosticCode("AB116", "PluginFailed", "error", "{reason}"),
    DiagnosticCode(
        "AB117",
        "PluginLoadsSimulation",
        "warning",
        "the plugin {plugin} imports MuJoCo or the simulation as it is loaded, so lint does too",
    ),
    DiagnosticCode("AB120", "UnknownMiscKey", "warning", "unknown key {key!r} in misc; it is ignored"),
    # -- AB2xx: names, functions, references ---------------------------------------------
    DiagnosticCode(
        "AB201", "DuplicateNodeLabel", "error", "node label {label!r} is already used in scope {other_scope!r}"
    ),
    DiagnosticCode(
        "AB202", "DuplicateEdgeLabel", "error", "edge label {label!r} is already used in scope {other_scope!r}"
    ),
    DiagnosticCode(
        "AB203", "UnknownScope", "error", "{section} names scope {scope!r}, which is not declared in 'scope'"
    ),
    DiagnosticCode(
        "AB204",
        "UnresolvedEndpoint",
        "error",
        "edge {edge!r}: {role} {name!r} is neither a node label nor an affordance key",
    ),
    DiagnosticCode(
        "AB205",
        "UnresolvedEdgeRead",
        "error",
        "edge {edge!r}: reads {name!r}, which is neither a node label nor an affordance key",
    ),
    DiagnosticCode("AB206", "UnknownFunction", "error", "unknown {kind} function {name!r}"),
    DiagnosticCode(
        "AB207", "WrongFunctionKind", "error", "{name!r} is a {actual} function, used here as a {expected} function"
    ),
    DiagnosticCode("AB208", "BadReference", "error", "{text!r} is not a valid reference: {reason}"),
    DiagnosticCode("AB209", "BadFunctionArguments", "error", "{kind} function {name!r}: {reason}"),
    # -- AB3xx: graph and dataflow -------------------------------------------------------
    DiagnosticCode(
        "AB301",
        "UnprovidedKey",
        "error",
        "node {node!r} reads {key!r}, which no node produces and the environment does not provide",
    ),
    DiagnosticCode("AB302", "DataflowCycle", "error", "affordance dataflow cycle: {cycle}"),
    DiagnosticCode(
        "AB303",
        "KeyWrittenTwice",
        "warning",
        "key {key!r} is written by node {node!r} and also by node {other!r}; the later one in generation order wins",
    ),
    DiagnosticCode(
        "AB304",
        "BrokenWalk",
        "warning",
        "edge {edge!r} starts at {src!r} but the previous edge {previous!r} in scope {scope!r} ends at {sink!r}",
    ),
    DiagnosticCode(
        "AB305",
        "WalkNotFromInit",
        "warning",
        "the first edge {edge!r} of scope {scope!r} starts at {src!r}, not at the scope's init node {init!r}",
    ),
    DiagnosticCode(
        "AB306",
        "ScopeWithoutEdges",
        "warning",
        "scope {scope!r} has nodes but no edges; it holds its initial value for the whole episode",
    ),
    DiagnosticCode(
        "AB307",
        "RepeatedEdgePair",
        "info",
        "edge {edge!r} repeats the {src!r} → {sink!r} pair of edge {other!r}; each keeps its own function and kwargs (EmbodiChain would run the last one's for both)",
    ),
    DiagnosticCode(
        "AB308",
        "SelfReadWithoutSource",
        "error",
        "node {node!r} reads {key!r}, which it writes itself, but nothing provides it before",
    ),
    # -- AB4xx: sync and schedule --------------------------------------------------------
    DiagnosticCode("AB401", "SyncUnknownEdge", "error", "sync entry {edge!r} is not an edge label"),
    DiagnosticCode(
        "AB402", "SyncUnknownDependency", "error", "edge {edge!r} depends on {dependency!r}, which is not an edge label"
    ),
    DiagnosticCode("AB403", "SyncSelfDependency", "error", "edge {edge!r} depends on itself"),
    DiagnosticCode("AB404", "Deadlock", "error", "deadlock: {cycle}"),
    DiagnosticCode("AB405", "DuplicateDependency", "warning", "edge {edge!r} lists {dependency!r} more than once"),
    DiagnosticCode(
        "AB406",
        "MakespanTooLong",
        "error",
        "the schedule takes {makespan} steps, more than max_episode_steps = {limit}",
    ),
    # -- AB5xx: values -------------------------------------------------------------------
    DiagnosticCode(
        "AB501",
        "InitLengthMismatch",
        "error",
        "scope {scope!r}: given_qpos has {actual} values but the scope's dim is {expected}",
    ),
    DiagnosticCode(
        "AB502", "InitMissingQpos", "error", "scope {scope!r}: init method 'given_qpos' needs kwargs.given_qpos"
    ),
    DiagnosticCode(
        "AB503",
        "InitNodeMissing",
        "warning",
        "scope {scope!r}: init method 'current_qpos' without an init_node_name registers no key for the start pose",
    ),
    DiagnosticCode(
        "AB505",
        "ScopeNotControlPart",
        "error",
        "scope {scope!r} is not one of the gym config's control parts ({parts}): its actions would reach no actuator",
    ),
    DiagnosticCode(
        "AB506",
        "ScopeSizeMismatch",
        "error",
        "scope {scope!r} has {actual} values per step, but control part {scope!r} of the robot has {expected}",
    ),
    DiagnosticCode(
        "AB508",
        "ConstantSizeMismatch",
        "error",
        "edge {edge!r} moves scope {scope!r} ({size} values per step) through {key!r}, which env.affordances "
        "gives {actual} values",
    ),
    DiagnosticCode(
        "AB507",
        "ControlPartWithoutScope",
        "info",
        "control part {part!r} has no scope in the action config: it holds its position at reset",
    ),
    DiagnosticCode(
        "AB504",
        "FillTypeIgnored",
        "warning",
        "edge {edge!r}: fill_type 'scalable' is ignored for {function!r}, which always holds still",
    ),
    # -- AB6xx: gym config ----------------------------------------------------------------
    DiagnosticCode("AB601", "GymConfigShape", "error", "gym config {where}: {reason}"),
    DiagnosticCode("AB602", "DuplicateUid", "error", "uid {uid!r} is already used by {other}"),
    DiagnosticCode(
        "AB603", "UnknownContainer", "error", "particles {uid!r}: container {container!r} is not a rigid_object uid"
    ),
    DiagnosticCode("AB604", "ShapeFieldMissing", "error", "{where}: a {shape} shape needs {field!r}"),
    DiagnosticCode(
        "AB605", "ShapeSizeLength", "error", "{where}: a {shape} shape's size needs {expected} values, not {actual}"
    ),
    DiagnosticCode("AB606", "MeshNotFound", "error", "mesh file {path!r} does not exist"),
    DiagnosticCode(
        "AB607", "UnknownRobotType", "error", "robot type {name!r} is not available; available: {available}"
    ),
    DiagnosticCode(
        "AB608",
        "UnknownControlPart",
        "error",
        "control part {part!r} is not a part of robot type {robot!r}; its parts: {available}",
    ),
    DiagnosticCode("AB609", "DuplicateControlPart", "error", "control part {part!r} is listed more than once"),
    DiagnosticCode("AB610", "UnknownEventFunction", "error", "event {event!r}: function {name!r} is not available"),
    DiagnosticCode("AB611", "UnknownSuccessFunction", "error", "success function {name!r} is not available"),
    DiagnosticCode(
        "AB612", "UnknownLink", "error", "camera {camera!r}: parent link {link!r} is not a link of the robot"
    ),
    DiagnosticCode("AB613", "RangeInverted", "error", "{where}: low {low} is above high {high}"),
    DiagnosticCode("AB614", "UnknownEntity", "error", "{where}: there is no {kind} {name!r}"),
    DiagnosticCode("AB615", "UnsupportedParam", "warning", "{where} is accepted but not supported: {reason}"),
    DiagnosticCode(
        "AB616", "AssetOutsideFolder", "error", "mesh file {path!r} is outside the gym config's folder: {reason}"
    ),
    DiagnosticCode("AB617", "MeshUnreadable", "error", "mesh file {path!r} is not one MuJoCo can read: {reason}"),
    DiagnosticCode(
        "AB618", "AffordanceNotArray", "error", "affordance {key!r} is not a rectangular array of numbers: {reason}"
    ),
    DiagnosticCode(
        "AB619",
        "InitQposLength",
        "error",
        "robot.init_qpos has {actual} values, but the control parts {parts} take {expected}",
    ),
    DiagnosticCode(
        "AB634", "InitQposOutOfRange", "error", "robot.init_qpos[{index}] ({name}) is {value:g}, outside {allowed}"
    ),
    DiagnosticCode(
        "AB620",
        "TimestepNotDivisor",
        "error",
        "physics.timestep {timestep:g} s does not divide the control period 1/{freq:g} Hz = {period:.6g} s "
        "({steps:.6g} physics steps per control step)",
    ),
    DiagnosticCode(
        "AB621",
        "ControlFreqNotInteger",
        "error",
        "control_freq {freq:g} Hz is not a whole number; the dataset records an integer fps",
    ),
    DiagnosticCode(
        "AB622",
        "ContainerNotHollowCylinder",
        "error",
        "particles {uid!r}: container {container!r} is {shape}, not a hollow Cylinder",
    ),
    DiagnosticCode(
        "AB623",
        "UnsafeCameraUid",
        "error",
        "camera uid {uid!r} may hold only letters, digits, '_' and '-'",
    ),
    DiagnosticCode("AB624", "CameraEyeAtTarget", "error", "camera {camera!r}: eye and target are the same point"),
    DiagnosticCode(
        "AB625",
        "CameraUpAlongView",
        "error",
        "camera {camera!r}: up {up} is zero or parallel to the view direction, so the image has no defined up",
    ),
    DiagnosticCode("AB626", "ZeroQuaternion", "error", "camera {camera!r}: quat has zero length"),
    DiagnosticCode(
        "AB627",
        "QuaternionNotUnit",
        "warning",
        "camera {camera!r}: quat has length {norm:.6g}, not 1; MuJoCo normalises it",
    ),
    DiagnosticCode("AB628", "ZeroLightDirection", "error", "{kind} light {light!r}: direction is a zero vector"),
    DiagnosticCode(
        "AB629",
        "NameClash",
        "error",
        "{where} (uid {uid!r}) gives MuJoCo {kind} name {name!r}, which {other} already uses",
    ),
    DiagnosticCode(
        "AB630",
        "RobotPlacementIgnored",
        "warning",
        "robot.{field} is not applied by this backend: the robot stands where its model places it",
    ),
    DiagnosticCode(
        "AB631",
        "IntrinsicsNotRendered",
        "warning",
        "camera {camera!r}: intrinsics are not rendered as given: {reason}",
    ),
    DiagnosticCode(
        "AB632",
        "ObjectTooSmall",
        "error",
        "{where} ({uid!r}): scaled by body_scale, its smallest half extent is {size:.3g} m, below {minimum} m",
    ),
    DiagnosticCode(
        "AB633", "GroupTooSmall", "error", "{where}: asks for up to {count} members, but group {group!r} has {members}"
    ),
    DiagnosticCode(
        "AB635", "WrongConfigKind", "error", "{role} {path} is {actual} (top-level {keys}), not {expected}{more}"
    ),
    DiagnosticCode(
        "AB636",
        "DepthWithoutVideos",
        "error",
        "camera {camera!r}: enable_depth needs use_videos (depth is LeRobot's depth video feature), which is false",
    ),
    DiagnosticCode(
        "AB637", "AffordanceNotPose", "error", "affordance {key!r} is named as a pose but is {shape}, not a 4x4 matrix"
    ),
    DiagnosticCode(
        "AB638",
        "FocalNotPositive",
        "error",
        "{where}: {axis} {focal:g} px plus {low:g} px gives a focal length of {result:g} px; it must stay above 0",
    ),
    DiagnosticCode("AB639", "QposRangeOutsideJoint", "error", "{where}: draws {value:g} for {name}, outside {allowed}"),
    DiagnosticCode("AB640", "PoseNotRigid", "error", "{what} is not a rigid transform: {reason}"),
    # -- AB7xx: a robot declared from a model file (robot.fpath) -------------------------------
    DiagnosticCode("AB700", "UnknownRobotLink", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB701", "UnknownRobotJoint", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB702", "BadJointPattern", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB703", "JointInTwoParts", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB704", "UnknownActuator", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB705", "ActuatorMissing", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB706", "GripperRangeUnknown", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB707", "UndeclaredRobotPart", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB708", "RobotTypeOrFpath", "error", "robot: give exactly one of robot_type and fpath ({reason})"),
    DiagnosticCode("AB709", "RobotModelUnreadable", "error", "robot model file {path!r}: {reason}"),
    DiagnosticCode(
        "AB710",
        "ModelKeyWithoutFpath",
        "error",
        "robot.{key} only applies to a robot declared from a model file (robot.fpath), and there is none",
    ),
    DiagnosticCode(
        "AB711", "ControlPartsMissing", "error", "robot.fpath {path!r}: a model file needs robot.control_parts"
    ),
    DiagnosticCode("AB712", "RobotModelAsset", "error", "robot model file {model!r}: {kind} file {file!r} {reason}"),
    DiagnosticCode("AB713", "ArmJointMovesNotItsLink", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB714", "RobotJointKind", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB715", "GripperValueOutsideControl", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB716", "UnknownRobotGeom", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB717", "ToolSiteTaken", "error", "robot.{where}: {message}"),
    DiagnosticCode("AB718", "RadiansReadAsDegrees", "warning", "robot model file {model!r}: {message}"),
    DiagnosticCode("AB719", "ActuatorInNoPart", "info", "robot.control_parts: {message}"),
    # -- AB72x: Compound shapes (rigid objects made of several primitives) -----------------------
    DiagnosticCode("AB720", "PartsWithoutCompound", "warning", "{where}: a {shape} shape does not use 'parts'"),
    DiagnosticCode("AB721", "ShapeFieldUnused", "warning", "{where}: a {shape} {what} does not use {field!r}"),
    DiagnosticCode(
        "AB722", "DuplicatePartName", "error", "{where}: part name {name!r} is already used by part {other}"
    ),
    # -- AB74x: observation terms (env.observations) ------------------------------------------
    DiagnosticCode(
        "AB740", "UnknownObservationFunction", "error", "observation {term!r}: function {name!r} is not available"
    ),
    DiagnosticCode(
        "AB741",
        "ObservationModeUnsupported",
        "error",
        "observation {term!r}: {name!r} does not support mode {mode!r}; it supports {modes}",
    ),
    DiagnosticCode(
        "AB742",
        "DuplicateObservationComponent",
        "error",
        "observation {term!r}: component {component!r} is already recorded by observation {other!r}",
    ),
    # -- AB75x: randomisation events -------------------------------------------------------------
    DiagnosticCode("AB750", "DeprecatedParam", "warning", "{where} is an older spelling of ours; write {instead}"),
    DiagnosticCode("AB751", "TwoSpellings", "error", "{where}: {first} and {second} both set the same thing"),
    DiagnosticCode("AB752", "RangeShape", "error", "{where}: {reason}"),
    DiagnosticCode("AB753", "TextureFile", "error", "{where}: texture {path!r} {reason}"),
    DiagnosticCode(
        "AB754",
        "GroupMemberUid",
        "error",
        "rigid_object_group {group!r}: member {key!r} gives uid {uid!r}; a member's uid is its key in rigid_objects",
    ),
    DiagnosticCode(
        "AB755",
        "PrestartupIsStartup",
        "info",
        "event {label!r}: mode 'prestartup' runs as 'startup' here (once, at the first reset): the scene is "
        "compiled before any event runs and every event changes the compiled model, so nothing needs a rebuild",
    ),
    # -- AB76x: dataset saving keys of EmbodiChain's gym configs --------------------------------
    DiagnosticCode(
        "AB760",
        "FailedEpisodesKept",
        "info",
        "env.dataset.lerobot.save_failed_episodes: failed attempts are recorded too, in a second dataset "
        "'<dataset folder>_failed' next to the main one, each episode with its failure in its provenance",
    ),
    DiagnosticCode(
        "AB761",
        "SavePathIsDefaultOutput",
        "info",
        "env.dataset.save_path {path!r}: datasets go into a new numbered folder in it unless --output is given",
    ),
    # -- AB762-AB764: keys of EmbodiChain's gym configs for its own simulator ------------------
    DiagnosticCode("AB762", "UnsupportedKey", "error", "{where}: {what} is not supported by actionbank"),
    DiagnosticCode("AB763", "IgnoredKey", "warning", "{where}: {what} is not supported by actionbank and is ignored"),
    DiagnosticCode(
        "AB764",
        "PhysXSettingIgnored",
        "info",
        "{where}: PhysX settings with no MuJoCo counterpart are ignored: {keys}",
    ),
    # -- AB765-AB767: keys the models accept whose value this backend cannot apply as written --
    DiagnosticCode(
        "AB765",
        "LightIntensityCapped",
        "warning",
        "{where}: light {light!r} has intensity {value:g}; this renderer lights with colour x intensity up to 1, "
        "so it renders as 1",
    ),
    DiagnosticCode("AB766", "UnreadMetadataKey", "warning", "unknown key {key!r} in {where}: {fate}"),
    DiagnosticCode("AB767", "KeyWithoutEffect", "warning", "{where} has no effect: {reason}"),
)

CODES: Mapping[str, DiagnosticCode] = {c.code: c for c in _ALL}
