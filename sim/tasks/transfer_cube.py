"""The transfer-cube task's success check, as gym-aloha's ``AlohaTransferCube-v0`` defines it:
the receiving gripper touches the cube, the cube does not touch the table, and (our stricter
reading of the hand-over) the giving gripper no longer touches it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionbank.runtime.success import TransferCubeSuccessParams

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["transfer_cube_success"]


def _touching(env: ActionbankEnv, object_geoms: set[int], others: set[int]) -> bool:
    for contact in env.data.contact[: env.data.ncon]:
        pair = {int(contact.geom1), int(contact.geom2)}
        if pair & object_geoms and pair & others:
            return True
    return False


def transfer_cube_success(env: ActionbankEnv, params: TransferCubeSuccessParams) -> tuple[bool, dict[str, float], str]:
    """Whether ``receiver`` holds ``object`` off the table and ``giver`` has let go."""
    object, receiver, giver, table = params.object, params.receiver, params.giver, params.table
    cube = set(env.geoms_of(object))
    touch_receiver = _touching(env, cube, env.finger_geoms(receiver))
    touch_giver = _touching(env, cube, env.finger_geoms(giver))
    touch_table = _touching(env, cube, set(env.geoms_of(table)))
    metrics = {
        "touch_receiver": float(touch_receiver),
        "touch_giver": float(touch_giver),
        "touch_table": float(touch_table),
    }
    reasons = []
    if not touch_receiver:
        reasons.append(f"{receiver} does not hold the cube")
    if touch_table:
        reasons.append("the cube touches the table")
    if touch_giver:
        reasons.append(f"{giver} still touches the cube")
    return not reasons, metrics, "; ".join(reasons)
