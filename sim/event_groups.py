"""Distractors: ``place_rigid_object_group`` draws which members of a ``rigid_object_group``
appear in an episode and places them without overlaps.

Each episode it draws how many members appear (``num_objects``, [min, max]) and which (in
declared order), then, member by member, positions (and turns) from ``position_range`` and
``rotation_range`` until the member's footprint keeps ``clearance`` [m] from every footprint
already there: the objects of ``avoid`` (default: every ``rigid_object``) where they are now
(after the events declared before it) and the members placed before it. A footprint is a
disc in x-y: the body's position and the largest reach of its geoms (bounding sphere radius
plus distance from the body's origin). A member with no free spot after ``max_tries`` draws
is left out. Members left out are parked: moved far from the scene (``PARK_ORIGIN``), their
geoms no longer collide and gravity no longer pulls them, until the next reset restores the
model. What was drawn goes into the episode's provenance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime.events import PlaceRigidObjectGroupParams
from sim.scene import euler_to_quat

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["PARK_ORIGIN", "footprint_radius", "place_rigid_object_group"]

#: Where parked members wait [m], one every ``_PARK_SPACING`` along x: far outside any scene.
PARK_ORIGIN = (100.0, 100.0, 1.0)
_PARK_SPACING = 1.0

Array = NDArray[np.float64]


def footprint_radius(model: mujoco.MjModel, body: int) -> float:
    """Radius [m] in x-y of a disc around ``body``'s origin that holds all its geoms."""
    geoms = np.flatnonzero(model.geom_bodyid == body)
    if geoms.size == 0:
        return 0.0
    reach = np.linalg.norm(model.geom_pos[geoms, :2], axis=1) + model.geom_rbound[geoms]
    return float(reach.max())


def _slots(env: ActionbankEnv, body: int) -> tuple[Array, Array]:
    """Views of the position and quaternion of a free (or mocap) body."""
    model, data = env.model, env.data
    if model.body_jntnum[body] > 0:
        address = int(model.jnt_qposadr[model.body_jntadr[body]])
        return data.qpos[address : address + 3], data.qpos[address + 3 : address + 7]
    mocap = int(model.body_mocapid[body])
    return data.mocap_pos[mocap], data.mocap_quat[mocap]


def _park(env: ActionbankEnv, body: int, slot: int) -> None:
    """Move ``body`` out of the scene and take it out of the physics (until the model is restored)."""
    model = env.model
    position, quat = _slots(env, body)
    position[:] = (PARK_ORIGIN[0] + _PARK_SPACING * slot, PARK_ORIGIN[1], PARK_ORIGIN[2])
    quat[:] = (1.0, 0.0, 0.0, 0.0)
    geoms = model.geom_bodyid == body
    model.geom_contype[geoms] = 0
    model.geom_conaffinity[geoms] = 0
    model.body_gravcomp[body] = 1.0


def _free_spot(
    rng: np.random.Generator,
    params: PlaceRigidObjectGroupParams,
    base: Array,
    radius: float,
    taken: list[tuple[Array, float]],
) -> tuple[Array, int] | None:
    """A drawn position [m] whose footprint (``radius`` [m]) keeps the clearance from every one
    ``taken``, and the draws it took; None after ``max_tries`` draws."""
    low, high = (np.asarray(b, dtype=np.float64) + 0.0 for b in params.position_range)
    for tries in range(1, params.max_tries + 1):
        offset = rng.uniform(low, high)
        position = base + offset if params.relative_position else offset
        if all(np.linalg.norm(position[:2] - xy) >= radius + r + params.clearance for xy, r in taken):
            return position, tries
    return None


def place_rigid_object_group(
    env: ActionbankEnv, rng: np.random.Generator, params: PlaceRigidObjectGroupParams
) -> dict[str, Any]:
    """Draw the members that appear, place each clear of the others (rejection sampling), park the rest."""
    model, data = env.model, env.data
    group = next(g for g in env.config.rigid_object_group if g.uid == params.entity_cfg.uid)
    members = group.members()
    low, high = params.num_objects if params.num_objects is not None else (len(members), len(members))
    count = int(rng.integers(min(low, len(members)), min(high, len(members)) + 1))
    drawn = sorted(int(i) for i in rng.choice(len(members), size=count, replace=False))
    mujoco.mj_kinematics(model, data)  # where the events before this one put the objects
    avoid = params.avoid if params.avoid is not None else [item.uid for item in env.config.rigid_object]
    taken: list[tuple[Array, float]] = []
    for uid in avoid:
        body = model.body(uid).id
        taken.append((data.xpos[body, :2].copy(), footprint_radius(model, body)))
    placed: dict[str, dict[str, Any]] = {}
    parked: list[str] = []
    for index, member in enumerate(members):
        body = model.body(member.uid).id
        if index not in drawn:
            _park(env, body, index)
            parked.append(member.uid)
            continue
        radius = footprint_radius(model, body)
        found = _free_spot(rng, params, np.asarray(member.init_pos, dtype=np.float64), radius, taken)
        if found is None:
            _park(env, body, index)
            parked.append(member.uid)
            continue
        position, tries = found
        slot_position, slot_quat = _slots(env, body)
        slot_position[:] = position
        sample: dict[str, Any] = {"position": position.tolist(), "tries": tries}
        quat = euler_to_quat(member.init_rot)
        if params.rotation_range is not None:
            turn = rng.uniform(*(np.asarray(b, dtype=np.float64) + 0.0 for b in params.rotation_range))
            turned = np.zeros(4)
            mujoco.mju_mulQuat(turned, euler_to_quat(turn.tolist()), quat)
            quat = turned
            sample["rotation_deg"] = turn.tolist()
        slot_quat[:] = quat
        taken.append((position[:2].copy(), radius))
        placed[member.uid] = sample
    return {"group": group.uid, "drawn": [members[i].uid for i in drawn], "placed": placed, "parked": parked}
