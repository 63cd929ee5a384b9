"""The pour-water task's functions, declared (named as in EmbodiChain's pour-water config).

The simulation implements them (``sim/tasks/pour_water.py``) and binds the implementations by
name (:func:`sim.functions.runtime_registry`); the success check ``pour_water_success`` is
declared in :mod:`actionbank.runtime.success`.

- ``generate_right_arm_aim_qpos`` / ``generate_left_arm_aim_qpos`` (node): the arm's start
  pose with the waist turned towards the bottle / the cup.
- ``compute_unoffset_for_exp`` (node): applies a list of pose changes to each named pose.
- ``left_arm_go_back`` (edge): the left arm's smooth return to its edge's sink.
"""

from __future__ import annotations

from actionbank.functions.spec import FunctionSpec, Parameter

__all__ = ["FUNCTIONS"]

_ORIGIN = "actionbank.runtime.tasks.pour_water"


def _aim_parameters(part: str, target: str) -> tuple[Parameter, ...]:
    return (
        Parameter("control_part", ("string",), doc=f"The arm (default {part!r})."),
        Parameter("target_key", ("string",), doc=f"Pose to aim at (default {target!r})."),
    )


#: The task's function declarations (an ``actionbank.functions`` entry point names this tuple).
FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="generate_right_arm_aim_qpos",
        kinds=("node",),
        summary="The right arm's start pose with its waist turned towards the bottle [rad].",
        reads=("=right_arm_init_qpos", "=right_arm_base_pose", "target_key=bottle_pose"),
        parameters=_aim_parameters("right_arm", "bottle_pose"),
        origin=_ORIGIN,
    ),
    FunctionSpec(
        name="generate_left_arm_aim_qpos",
        kinds=("node",),
        summary="The left arm's start pose with its waist turned towards the cup [rad].",
        reads=("=left_arm_init_qpos", "=left_arm_base_pose", "target_key=cup_pose"),
        parameters=_aim_parameters("left_arm", "cup_pose"),
        origin=_ORIGIN,
    ),
    FunctionSpec(
        name="compute_unoffset_for_exp",
        kinds=("node",),
        summary="For each input pose: apply its pose_changes in order and write the result to output_pose_name.",
        reads=("pose_input_output_names_changes/@keys",),
        writes=("pose_input_output_names_changes/*/output_pose_name",),
        parameters=(Parameter("pose_input_output_names_changes", ("object",), True),),
        origin=_ORIGIN,
    ),
    FunctionSpec(
        name="left_arm_go_back",
        kinds=("edge",),
        summary="Smooth joint-space return from where the scope is to the edge's sink.",
        parameters=(Parameter("agent_uid", ("string",)),),
        origin=_ORIGIN,
    ),
)
