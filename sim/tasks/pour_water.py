"""The pour-water task: its functions (named as in EmbodiChain's pour-water config) and its
success check.

The functions are declared in :mod:`actionbank.runtime.tasks.pour_water` (what ``lint``
reads, through the ``actionbank.functions`` entry point, without importing ``sim``);
:data:`IMPLEMENTATIONS` binds them here by name.

- ``generate_right_arm_aim_qpos`` / ``generate_left_arm_aim_qpos`` (node): the arm's start
  pose with the waist turned towards the bottle / the cup.
- ``compute_unoffset_for_exp`` (node): applies a list of pose changes to each named pose.
- ``left_arm_go_back`` (edge): the left arm's smooth return to its edge's sink.
- ``pour_water_success`` (check): enough particles in the cup, bottle upright on the table;
  its params are declared in :mod:`actionbank.runtime.success`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from actionbank.runtime.success import PourWaterSuccessParams
from sim.functions.context import Array, EdgeContext, NodeContext, NodeFailure
from sim.functions.edges import min_jerk
from sim.functions.poses import as_pose, axis_rotation, compose, invert, translation
from sim.tasks.aiming import aim_qpos

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = [
    "IMPLEMENTATIONS",
    "apply_pose_change",
    "compute_unoffset_for_exp",
    "generate_left_arm_aim_qpos",
    "generate_right_arm_aim_qpos",
    "left_arm_go_back",
    "pour_water_success",
]


def generate_right_arm_aim_qpos(
    ctx: NodeContext, control_part: str = "right_arm", target_key: str = "bottle_pose", **_: Any
) -> dict[str, Any]:
    """The right arm's start pose with its waist turned towards the bottle [rad]."""
    return _aim(ctx, control_part, target_key)


def generate_left_arm_aim_qpos(
    ctx: NodeContext, control_part: str = "left_arm", target_key: str = "cup_pose", **_: Any
) -> dict[str, Any]:
    """The left arm's start pose with its waist turned towards the cup [rad]."""
    return _aim(ctx, control_part, target_key)


def _aim(ctx: NodeContext, part: str, target_key: str) -> dict[str, Any]:
    needed = [f"{part}_init_qpos", f"{part}_base_pose", target_key]
    missing = [key for key in needed if key not in ctx.store]
    if missing:
        raise NodeFailure(f"affordance {missing[0]!r} is not available")
    qpos = aim_qpos(ctx, part, ctx.store[needed[0]], ctx.store[needed[1]], ctx.store[target_key])
    return {ctx.label: qpos}


#: ``framechange_<mode>[_inverse]``, ``rotation_<axis>_<mode>[_degrees]``, ``offset_[-]<axis>_<mode>``.
_CHANGE = re.compile(
    r"^(?:framechange_(?P<fmode>intrinsic|extrinsic)(?P<inverse>_inverse)?"
    r"|rotation_(?P<raxis>[xyz])_(?P<rmode>intrinsic|extrinsic)(?P<degrees>_degrees)?"
    r"|offset_(?P<sign>-?)(?P<oaxis>[xyz])_(?P<omode>intrinsic|extrinsic))$"
)


def _mode(text: str) -> Literal["intrinsic", "extrinsic"]:
    """A mode group of :data:`_CHANGE` (which only matches these two words)."""
    return "extrinsic" if text == "extrinsic" else "intrinsic"


def apply_pose_change(pose: Any, operation: str, value: Any) -> Array:
    """One step of ``compute_unoffset_for_exp``'s ``pose_changes`` (see :data:`_CHANGE`)."""
    match = _CHANGE.match(operation)
    if match is None:
        raise NodeFailure(
            f"unknown pose change {operation!r}; expected framechange_<intrinsic|extrinsic>[_inverse], "
            "rotation_<x|y|z>_<intrinsic|extrinsic>[_degrees] or offset_[-]<x|y|z>_<intrinsic|extrinsic>"
        )
    pose = as_pose(pose)
    if match["fmode"]:
        change = as_pose(value)
        return compose(pose, invert(change) if match["inverse"] else change, _mode(match["fmode"]))
    if match["raxis"]:
        angle = math.radians(float(value)) if match["degrees"] else float(value)
        return compose(pose, axis_rotation(match["raxis"], angle), _mode(match["rmode"]))
    distance = -float(value) if match["sign"] else float(value)
    return compose(pose, translation(match["oaxis"], distance), _mode(match["omode"]))


def compute_unoffset_for_exp(
    ctx: NodeContext, pose_input_output_names_changes: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """For each input pose: apply its ``pose_changes`` ([operation, value] pairs) in order and
    write the result to ``output_pose_name``."""
    written: dict[str, Any] = {}
    for source, change in pose_input_output_names_changes.items():
        if source not in ctx.store:
            raise NodeFailure(f"affordance {source!r} is not available")
        pose = as_pose(ctx.store[source])
        for operation, value in change.get("pose_changes", []):
            pose = apply_pose_change(pose, operation, value)
        written[change["output_pose_name"]] = pose
    return written


def left_arm_go_back(ctx: EdgeContext, **_: Any) -> Array:
    """Smooth joint-space return from where the scope is to the edge's sink (zero velocity at both ends)."""
    goal = ctx.value(ctx.sink)
    return ctx.start_value + (goal - ctx.start_value) * min_jerk(ctx.duration)[:, None]


def pour_water_success(env: ActionbankEnv, params: PourWaterSuccessParams) -> tuple[bool, dict[str, float], str]:
    """At least ``min_fraction`` of the particles inside the cup, and the bottle upright (within
    ``upright_tolerance_deg``) and resting on the table (no higher than ``lift_tolerance`` [m]
    above where it started). The params are checked before anything runs: the cup is a
    Cylinder, the bottle an object, the particles a particle set of the config."""
    cup, bottle, particles = params.cup, params.bottle, params.particles
    min_fraction, upright_tolerance_deg, lift_tolerance = (
        params.min_fraction,
        params.upright_tolerance_deg,
        params.lift_tolerance,
    )
    cup_config = next(o for o in env.config.rigid_object if o.uid == cup)
    bottle_config = next(o for o in env.config.rigid_object if o.uid == bottle)
    cup_pose = env.object_pose(cup)
    radius = (cup_config.shape.radius or 0.0) * cup_config.body_scale[0]
    height = (cup_config.shape.height or 0.0) * cup_config.body_scale[2]
    names = env.scene.particles.get(particles, [])
    inside = 0
    for name in names:
        local = np.linalg.inv(cup_pose) @ np.append(env.data.body(name).xpos, 1.0)
        if math.hypot(local[0], local[1]) < radius and -height / 2 < local[2] < height / 2 + 0.01:
            inside += 1
    fraction = inside / len(names) if names else 0.0
    bottle_pose = env.object_pose(bottle)
    tilt = math.degrees(math.acos(float(np.clip(bottle_pose[2, 2], -1.0, 1.0))))
    rest_height = bottle_config.init_pos[2]
    lifted = float(bottle_pose[2, 3] - rest_height)
    metrics = {"fraction_in_cup": fraction, "bottle_tilt_deg": tilt, "bottle_height_change": lifted}
    # Reasons name the condition, not the measured value (that is in the metrics), so that
    # ``generate`` can count failed attempts by reason.
    reasons = []
    if fraction < min_fraction:
        reasons.append(f"under {min_fraction:.0%} of the particles in the cup")
    if tilt > upright_tolerance_deg:
        reasons.append(f"bottle tilted over {upright_tolerance_deg:g} deg")
    if lifted > lift_tolerance:
        reasons.append(f"bottle over {lift_tolerance * 100:g} cm above the table")
    return not reasons, metrics, "; ".join(reasons)


#: The implementation of each function :mod:`actionbank.runtime.tasks.pour_water` declares.
IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {
    "generate_right_arm_aim_qpos": generate_right_arm_aim_qpos,
    "generate_left_arm_aim_qpos": generate_left_arm_aim_qpos,
    "compute_unoffset_for_exp": compute_unoffset_for_exp,
    "left_arm_go_back": left_arm_go_back,
}
