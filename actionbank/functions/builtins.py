"""Declarations of the built-in functions: names, parameters and dataflow.

These are what the compiler checks configs against; the implementations live in ``sim``
and bind to these names. The names and kwargs are EmbodiChain's, so its configs read as
they are.
"""

from __future__ import annotations

from actionbank.functions.spec import Call, FunctionSpec, Parameter, ValueType

__all__ = ["BUILTINS"]

_ANGLE_OR_REF: tuple[ValueType, ...] = ("number", "reference")
_ARRAY_OR_REF: tuple[ValueType, ...] = ("array", "reference")
_ANY_VALUE: tuple[ValueType, ...] = ("number", "array", "reference")
_AXES = ("x", "y", "z")
_FRAME_MODES = ("intrinsic", "extrinsic")

_control_part = Parameter("control_part", ("string",), True, doc="Control part, e.g. 'right_arm'.")
_ik_func = Parameter(
    "ik_func", ("reference",), doc="EmbodiChain's IK handle (env.robot.compute_ik); accepted, not needed."
)
_fk_func = Parameter(
    "fk_func", ("reference",), doc="EmbodiChain's FK handle (env.robot.compute_fk); accepted, not needed."
)
_qpos_seed = Parameter("qpos_seed", _ARRAY_OR_REF, doc="IK seed joint positions [rad].")
_robot = Parameter("robot", ("reference",), doc="EmbodiChain's robot handle (env.robot); accepted, not needed.")
_frame_mode = Parameter(
    "mode", ("string",), choices=_FRAME_MODES, doc="Apply in the pose's own frame or the world frame."
)
_degrees = Parameter("degrees", ("boolean",), doc="Angles are in degrees (default: radians).")

_AFFORDANCE_ENTRY = "affordance_infos/*/valid_funcs_name_kwargs_proc/*"

BUILTINS: tuple[FunctionSpec, ...] = (
    # -- node generators --------------------------------------------------------------
    FunctionSpec(
        "generate_affordances_from_src",
        ("node",),
        "For each affordance info: read src_key, run validators and their processes, write dst_key.",
        reads=("affordance_infos/*/src_key",),
        writes=("affordance_infos/*/dst_key",),
        calls=(
            Call("validator", _AFFORDANCE_ENTRY),
            Call("process", _AFFORDANCE_ENTRY + "/pass_processes/*"),
            Call("process", _AFFORDANCE_ENTRY + "/rejected_processes/*"),
        ),
        steps="affordance_infos/*",
        parameters=(Parameter("affordance_infos", ("array",), True),),
    ),
    # -- validators -------------------------------------------------------------------
    FunctionSpec("no_validation", ("validator",), "Always passes.", parameters=()),
    FunctionSpec(
        "get_ik_ret",
        ("validator",),
        "Passes when IK for the pose succeeds.",
        parameters=(_control_part, _ik_func, _qpos_seed),
        validates_ik=True,
    ),
    FunctionSpec(
        "is_qpos_exceed",
        ("validator",),
        "Passes when the joint positions are within limits.",
        parameters=(_control_part, _robot),
    ),
    FunctionSpec(
        "is_qpos_flip",
        ("validator",),
        "Compares joints qpos_ids with qpos_ref; passes when they do not flip (return_inverse).",
        parameters=(
            Parameter("qpos_ref", _ARRAY_OR_REF, True),
            Parameter("qpos_ids", ("array",), True),
            Parameter("threshold", ("number",), True, doc="[rad]"),
            Parameter("mode", ("string",), choices=("delta", "sum")),
            Parameter("return_inverse", ("boolean",)),
        ),
    ),
    FunctionSpec(
        "is_pose_axis_align",
        ("validator",),
        "Passes when an axis of the pose is within threshold of a direction.",
        parameters=(
            Parameter("axis", ("string",), True, _AXES),
            Parameter("direction", _ARRAY_OR_REF, True),
            Parameter("threshold", ("number",), doc="[rad]"),
            Parameter("return_inverse", ("boolean",)),
        ),
    ),
    # -- processes --------------------------------------------------------------------
    FunctionSpec(
        "get_ik_qpos",
        ("process",),
        "Pose → joint positions by IK.",
        parameters=(_control_part, _ik_func, _qpos_seed),
    ),
    FunctionSpec(
        "get_fk_xpos",
        ("process",),
        "Joint positions → pose by FK.",
        parameters=(_control_part, _fk_func),
    ),
    FunctionSpec(
        "get_offset_pose",
        ("process",),
        "Translate the pose along an axis [m].",
        parameters=(
            Parameter("offset_value", _ANGLE_OR_REF, True, doc="[m]"),
            Parameter("direction", ("string",), True, _AXES),
            _frame_mode,
        ),
    ),
    FunctionSpec(
        "get_replaced_pose",
        ("process",),
        "Replace position components (e.g. 'xy') of the pose.",
        parameters=(
            Parameter("pose_replace_value", _ANY_VALUE, True, doc="[m]"),
            Parameter("axis_str_replace", ("string",), True),
        ),
    ),
    FunctionSpec(
        "get_rotated_pose",
        ("process",),
        "Rotate the pose about an axis.",
        parameters=(
            Parameter("rotation_value", _ANGLE_OR_REF, True),
            Parameter("rot_axis", ("string",), True, _AXES),
            _frame_mode,
            _degrees,
        ),
    ),
    FunctionSpec(
        "get_rotation_replaced_pose",
        ("process",),
        "Replace the pose's rotation by one about an axis.",
        parameters=(
            Parameter("rotation_value", _ANGLE_OR_REF, True),
            Parameter("rot_axis", ("string",), True, _AXES),
            _frame_mode,
            _degrees,
        ),
    ),
    FunctionSpec(
        "get_nearest_symmetric_pose",
        ("process",),
        "Turn the pose about its own axis by the multiple of 360°/symmetry nearest a reference angle, pose or bearing.",
        parameters=(
            Parameter(
                "symmetry", ("integer",), True, doc="How many equal turns map the object onto itself (a cube: 4)."
            ),
            Parameter(
                "reference_value",
                _ANY_VALUE,
                doc="The angle to come nearest (radians, or degrees with degrees), or a 4x4 pose whose angle is read "
                "(default 0).",
            ),
            Parameter(
                "reference_point",
                _ARRAY_OR_REF,
                doc="[x, y] or [x, y, z] [m], world frame: add the bearing from here to the pose (rot_axis z).",
            ),
            Parameter("rot_axis", ("string",), choices=_AXES),
            _degrees,
            Parameter("level", ("boolean",), doc="Keep the yaw alone, dropping any tilt (rot_axis z)."),
        ),
    ),
    FunctionSpec(
        "get_frame_changed_pose",
        ("process",),
        "Express the pose in another frame (or its inverse).",
        parameters=(
            Parameter("frame_change_matrix", _ARRAY_OR_REF, True),
            _frame_mode,
            Parameter("inverse", ("boolean",)),
        ),
    ),
    FunctionSpec(
        "get_offset_qpos",
        ("process",),
        "Add an offset to some joints.",
        parameters=(
            Parameter("offset_value", _ANY_VALUE, True),
            Parameter("joint_list_offset", ("array",), True),
            _degrees,
        ),
    ),
    FunctionSpec(
        "get_replaced_qpos",
        ("process",),
        "Replace some joints by given values [rad].",
        parameters=(
            Parameter("replace_value", _ANY_VALUE, True),
            Parameter("joint_list_replace", ("array",), True),
        ),
    ),
    # -- edges (and the gripper states, which are also node generators) ---------------
    FunctionSpec(
        "plan_trajectory",
        ("edge",),
        "Joint-space motion through keypose_names, zero velocity at both ends, exactly duration steps.",
        reads=("keypose_names/*",),
        parameters=(
            Parameter("agent_uid", ("string",), doc="The scope it moves; defaults to the edge's scope."),
            Parameter("keypose_names", ("array",), True),
        ),
        reads_scope_values=True,
    ),
    FunctionSpec(
        "execute_open",
        ("edge", "node"),
        "Gripper ramp to open (1 = open); as a node, the open gripper value.",
        parameters=(Parameter("return_action", ("boolean",)), Parameter("expand", ("boolean",))),
        always_still=True,
    ),
    FunctionSpec(
        "execute_close",
        ("edge", "node"),
        "Gripper ramp to closed (0 = closed); as a node, the closed gripper value.",
        parameters=(Parameter("return_action", ("boolean",)), Parameter("expand", ("boolean",))),
        always_still=True,
    ),
    FunctionSpec(
        "stand_still",
        ("edge",),
        "Hold the scope's current value.",
        parameters=(Parameter("agent_uid", ("string",)),),
    ),
)
