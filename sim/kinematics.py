"""Forward and inverse kinematics of one control part (a chain of joints) of a MuJoCo model.

:class:`ArmKinematics` owns a scratch :class:`mujoco.MjData`, so solving never touches the
simulation's own data. Joints outside the part (the other arm, free objects) keep whatever
:meth:`ArmKinematics.set_base_qpos` gave them (``model.qpos0`` until then).

Inverse kinematics is damped least squares (Levenberg-Marquardt) on the 6D pose error:
position [m] and the rotation log map [rad], the latter weighted by :data:`ROTATION_LENGTH`.
Every step is length-limited, joints at a limit are frozen for the step instead of pushing
into it, and every iterate is clipped into the limits; joints with a full-turn range wrap
around instead. When the attempt from the seed fails, random restarts drawn uniformly
within the limits follow, and the best attempt is returned.

A redundant chain (more than six joints, e.g. the Panda's seven) has a null space: motions
that leave the frame's pose unchanged. Given a ``posture`` (the home pose), each step adds
the pull ``POSTURE_GAIN * (posture - q)`` projected into the null space of the weighted
Jacobian, so the solution stays near home instead of drifting along the self-motion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, NamedTuple

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError

__all__ = ["POSTURE_GAIN", "ROTATION_LENGTH", "ArmKinematics", "IKResult", "KinematicsError"]

FloatArray = NDArray[np.float64]
FrameType = Literal["site", "body"]

#: Weight of the rotation error against the position error [m/rad]: 1 rad counts as 0.1 m.
ROTATION_LENGTH = 0.1
#: A range at least this wide [rad] is a full turn: the joint wraps instead of clipping.
_FULL_TURN = 2.0 * math.pi - 1e-3
#: The largest change of any joint in one step [rad or m].
_MAX_STEP = 0.4
#: Damping is ``mu * (cost + _DAMPING_FLOOR)``; ``mu`` shrinks after good steps, grows after bad.
_DAMPING_FLOOR = 1e-6
_MU_START, _MU_MIN, _MU_MAX = 1e-2, 1e-5, 1e4
#: Share of the distance to the posture that one step moves through the null space.
POSTURE_GAIN = 0.2
#: At most this many null-space steps after an attempt is within tolerance; they stop
#: earlier once the pull is smaller than ``_POSTURE_DONE`` [rad].
_POSTURE_STEPS, _POSTURE_DONE = 50, 1e-3
#: An attempt stops when the cost fell by less than this share over ``_STALL_WINDOW`` steps.
_STALL_SHARE, _STALL_WINDOW = 1e-3, 10


class KinematicsError(ActionbankError):
    """A joint or frame name does not fit the model."""

    exit_code = 2


class IKResult(NamedTuple):
    """The outcome of :meth:`ArmKinematics.ik`.

    ``qpos`` are the part's joint positions [rad or m], always within the limits;
    ``position_error`` [m] and ``rotation_error`` [rad] are those of ``qpos``; ``iterations``
    counts solver steps over all ``attempts`` (1 = the seed sufficed).
    """

    success: bool
    qpos: FloatArray
    position_error: float
    rotation_error: float
    iterations: int
    attempts: int


class _Attempt(NamedTuple):
    qpos: FloatArray
    position_error: float
    rotation_error: float
    cost: float
    iterations: int


def _names(model: mujoco.MjModel, obj: mujoco.mjtObj, count: int) -> list[str]:
    return [mujoco.mj_id2name(model, obj, i) or f"#{i}" for i in range(count)]


class ArmKinematics:
    """FK and IK for ``joint_names`` (hinge or slide joints) moving ``frame`` of ``model``."""

    def __init__(
        self,
        model: mujoco.MjModel,
        joint_names: Sequence[str],
        frame: str,
        frame_type: FrameType = "site",
        posture: Sequence[float] | None = None,
    ) -> None:
        self.model = model
        self.data = mujoco.MjData(model)
        self.joint_names = tuple(joint_names)
        self.frame = frame
        self.frame_type: FrameType = frame_type
        if not self.joint_names:
            raise KinematicsError("a kinematic chain needs at least one joint")
        if frame_type == "site":
            self._frame_id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_SITE, frame)
            frame_body = int(model.site_bodyid[self._frame_id]) if self._frame_id >= 0 else -1
            available = _names(model, mujoco.mjtObj.mjOBJ_SITE, model.nsite)
        elif frame_type == "body":
            self._frame_id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, frame)
            frame_body = self._frame_id
            available = _names(model, mujoco.mjtObj.mjOBJ_BODY, model.nbody)
        else:
            raise KinematicsError(f"frame_type {frame_type!r} is not one of 'site', 'body'")
        if self._frame_id < 0:
            plural = "sites" if frame_type == "site" else "bodies"
            raise KinematicsError(f"{frame_type} {frame!r} does not exist. Available {plural}: {available}")
        ancestors = {frame_body}
        while frame_body > 0:
            frame_body = int(model.body_parentid[frame_body])
            ancestors.add(frame_body)

        joint_ids = []
        for name in self.joint_names:
            jid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT, name)
            if jid < 0:
                joints = _names(model, mujoco.mjtObj.mjOBJ_JOINT, model.njnt)
                raise KinematicsError(f"joint {name!r} does not exist. Available joints: {joints}")
            kind = int(model.jnt_type[jid])
            if kind not in (mujoco.mjtJoint.mjJNT_HINGE, mujoco.mjtJoint.mjJNT_SLIDE):
                raise KinematicsError(f"joint {name!r} is {mujoco.mjtJoint(kind).name}, not a hinge or slide joint")
            if int(model.jnt_bodyid[jid]) not in ancestors:
                raise KinematicsError(f"joint {name!r} does not move {frame_type} {frame!r}")
            joint_ids.append(jid)
        ids = np.array(joint_ids, dtype=np.intp)
        if len(set(joint_ids)) != len(joint_ids):
            raise KinematicsError(f"joint names repeat: {list(self.joint_names)}")

        self.qpos_addresses: NDArray[np.intp] = model.jnt_qposadr[ids].astype(np.intp)
        self.dof_addresses: NDArray[np.intp] = model.jnt_dofadr[ids].astype(np.intp)
        hinge = model.jnt_type[ids] == mujoco.mjtJoint.mjJNT_HINGE
        limited = model.jnt_limited[ids].astype(bool)
        if np.any(~limited & ~hinge):
            free = [n for n, lim, h in zip(self.joint_names, limited, hinge, strict=True) if not (lim or h)]
            raise KinematicsError(f"slide joints need a range for inverse kinematics: {free}")
        ranges = model.jnt_range[ids]
        self.lower: FloatArray = np.where(limited, ranges[:, 0], -math.pi).astype(np.float64)
        self.upper: FloatArray = np.where(limited, ranges[:, 1], math.pi).astype(np.float64)
        #: Joints whose range is a full turn: they wrap around instead of stopping at a limit.
        self.wraps: NDArray[np.bool_] = hinge & (self.upper - self.lower >= _FULL_TURN)
        self._jacp = np.zeros((3, model.nv))
        self._jacr = np.zeros((3, model.nv))
        self._quat = np.zeros(4)
        self._rotvec = np.zeros(3)
        self._weights = np.array([1.0, 1.0, 1.0] + [ROTATION_LENGTH**2] * 3)
        self._root_weights = np.sqrt(self._weights)
        #: The pose a redundant chain's null-space motion pulls towards ([rad or m]; ``None``: none).
        self.posture: FloatArray | None = None
        if posture is not None and self.n > 6:
            self.posture = self.clip(np.asarray(posture, dtype=np.float64))

    @property
    def n(self) -> int:
        """The number of joints in the chain."""
        return len(self.joint_names)

    def set_base_qpos(self, qpos: NDArray[np.floating]) -> None:
        """Set the whole scratch configuration (length ``model.nq``), e.g. from the env's data."""
        qpos = np.asarray(qpos, dtype=np.float64)
        if qpos.shape != (self.model.nq,):
            raise ValueError(f"qpos has shape {qpos.shape}, the model needs ({self.model.nq},)")
        self.data.qpos[:] = qpos

    def within_limits(self, q: NDArray[np.floating], tolerance: float = 0.0) -> bool:
        """Whether every joint of ``q`` lies within its range (widened by ``tolerance``)."""
        q = np.asarray(q, dtype=np.float64)
        return bool(np.all(q >= self.lower - tolerance) and np.all(q <= self.upper + tolerance))

    def clip(self, q: NDArray[np.floating]) -> FloatArray:
        """``q`` moved into the limits: full-turn joints wrap, the others are clipped."""
        q = np.array(q, dtype=np.float64)
        if self.wraps.any():
            q[self.wraps] = self.lower[self.wraps] + np.mod(q[self.wraps] - self.lower[self.wraps], 2.0 * math.pi)
        return np.clip(q, self.lower, self.upper)

    def _pose(self) -> tuple[FloatArray, FloatArray]:
        if self.frame_type == "site":
            return self.data.site_xpos[self._frame_id], self.data.site_xmat[self._frame_id]
        return self.data.xpos[self._frame_id], self.data.xmat[self._frame_id]

    def _kinematics(self, q: FloatArray) -> None:
        self.data.qpos[self.qpos_addresses] = q
        mujoco.mj_kinematics(self.model, self.data)

    def fk(self, q: NDArray[np.floating]) -> FloatArray:
        """The world pose (4x4, translation [m]) of the frame at joint positions ``q``."""
        self._kinematics(np.asarray(q, dtype=np.float64))
        pos, mat = self._pose()
        pose = np.eye(4)
        pose[:3, :3] = mat.reshape(3, 3)
        pose[:3, 3] = pos
        return pose

    def _residual(self, q: FloatArray, target_pos: FloatArray, target_quat: FloatArray) -> FloatArray:
        """The 6D error (world position [m], world rotation vector [rad]) from the frame to the target."""
        self._kinematics(q)
        pos, mat = self._pose()
        mujoco.mju_mat2Quat(self._quat, mat)
        mujoco.mju_subQuat(self._rotvec, target_quat, self._quat)  # in the frame's own axes
        error = np.empty(6)
        error[:3] = target_pos - pos
        error[3:] = mat.reshape(3, 3) @ self._rotvec
        return error

    def _jacobian(self) -> FloatArray:
        """The 6xn world Jacobian of the frame at the last evaluated configuration."""
        mujoco.mj_comPos(self.model, self.data)
        if self.frame_type == "site":
            mujoco.mj_jacSite(self.model, self.data, self._jacp, self._jacr, self._frame_id)
        else:
            mujoco.mj_jacBody(self.model, self.data, self._jacp, self._jacr, self._frame_id)
        return np.vstack((self._jacp[:, self.dof_addresses], self._jacr[:, self.dof_addresses]))

    def _try_step(
        self, q: FloatArray, step: FloatArray, target_pos: FloatArray, target_quat: FloatArray
    ) -> tuple[FloatArray, FloatArray, float]:
        """``q + step`` (the step scaled down to at most ``_MAX_STEP`` [rad] per joint, then
        clipped to the limits), its residual and its weighted cost. Scales ``step`` in place."""
        largest = float(np.max(np.abs(step)))
        if largest > _MAX_STEP:
            step *= _MAX_STEP / largest
        trial = self.clip(q + step)
        error = self._residual(trial, target_pos, target_quat)
        return trial, error, float(error @ (self._weights * error))

    def _solve_from(
        self,
        q: FloatArray,
        target_pos: FloatArray,
        target_quat: FloatArray,
        position_tolerance: float,
        rotation_tolerance: float,
        max_iterations: int,
    ) -> _Attempt:
        weights = self._weights
        error = self._residual(q, target_pos, target_quat)
        cost = float(error @ (weights * error))
        jac = self._jacobian()
        mu = _MU_START
        history = [cost]
        iterations = 0
        pinned = ~self.wraps
        identity = np.eye(self.n)
        while iterations < max_iterations:
            pos_err = math.sqrt(error[0] ** 2 + error[1] ** 2 + error[2] ** 2)
            rot_err = math.sqrt(error[3] ** 2 + error[4] ** 2 + error[5] ** 2)
            if pos_err <= position_tolerance and rot_err <= rotation_tolerance:
                break
            iterations += 1
            jtw = jac.T * weights
            hessian = jtw @ jac + (mu * (cost + _DAMPING_FLOOR)) * identity
            gradient = jtw @ error
            step = np.linalg.solve(hessian, gradient)
            # A joint at a limit that the step pushes further out is frozen for this step.
            blocked = pinned & (((q <= self.lower) & (step < 0.0)) | ((q >= self.upper) & (step > 0.0)))
            if blocked.any():
                hessian[blocked, :] = 0.0
                hessian[:, blocked] = 0.0
                hessian[blocked, blocked] = 1.0
                gradient[blocked] = 0.0
                step = np.linalg.solve(hessian, gradient)
            step += self._posture_step(q, jac, blocked)
            trial, trial_error, trial_cost = self._try_step(q, step, target_pos, target_quat)
            if trial_cost >= cost and self.posture is not None:  # retry without the posture pull
                plain = np.linalg.solve(hessian, gradient)
                trial, trial_error, trial_cost = self._try_step(q, plain, target_pos, target_quat)
            if trial_cost < cost:
                q, error, cost = trial, trial_error, trial_cost
                jac = self._jacobian()
                mu = max(mu * 0.3, _MU_MIN)
            else:
                mu *= 4.0
                if mu > _MU_MAX:
                    break
            history.append(cost)
            if len(history) > _STALL_WINDOW and cost > (1.0 - _STALL_SHARE) * history[-_STALL_WINDOW - 1]:
                break
        if self.posture is not None:
            q, error, cost, iterations = self._settle_posture(
                q, error, cost, iterations, target_pos, target_quat, position_tolerance, rotation_tolerance
            )
        pos_err = float(np.linalg.norm(error[:3]))
        rot_err = float(np.linalg.norm(error[3:]))
        return _Attempt(q, pos_err, rot_err, cost, iterations)

    def _settle_posture(
        self,
        q: FloatArray,
        error: FloatArray,
        cost: float,
        iterations: int,
        target_pos: FloatArray,
        target_quat: FloatArray,
        position_tolerance: float,
        rotation_tolerance: float,
    ) -> tuple[FloatArray, FloatArray, float, int]:
        """Once within tolerance, keep moving through the null space towards the posture (with
        a Gauss-Newton correction of the pose), while the pose stays within tolerance."""

        def within(e: FloatArray) -> bool:
            return bool(np.linalg.norm(e[:3]) <= position_tolerance and np.linalg.norm(e[3:]) <= rotation_tolerance)

        if not within(error):
            return q, error, cost, iterations
        weights = self._weights
        for _ in range(_POSTURE_STEPS):
            jac = self._jacobian_at(q)
            no_limit = np.zeros(self.n, dtype=bool)
            pull = self._posture_step(q, jac, no_limit)
            if float(np.max(np.abs(pull))) < _POSTURE_DONE:
                break
            weighted = jac * self._root_weights[:, None]
            correction = np.linalg.pinv(weighted, rcond=1e-6) @ (self._root_weights * error)
            trial = self.clip(q + pull + correction)
            trial_error = self._residual(trial, target_pos, target_quat)
            if not within(trial_error):
                break
            q, error = trial, trial_error
            cost = float(error @ (weights * error))
            iterations += 1
        return q, error, cost, iterations

    def _jacobian_at(self, q: FloatArray) -> FloatArray:
        self._kinematics(q)
        return self._jacobian()

    def _posture_step(self, q: FloatArray, jac: FloatArray, blocked: NDArray[np.bool_]) -> FloatArray:
        """The pull towards the posture, projected into the weighted Jacobian's null space
        (zero without a posture); joints blocked at a limit do not move."""
        if self.posture is None:
            return np.zeros(self.n)
        weighted = jac * self._root_weights[:, None]
        null = np.eye(self.n) - np.linalg.pinv(weighted, rcond=1e-6) @ weighted
        if blocked.any():
            null[blocked, :] = 0.0
            null[:, blocked] = 0.0
        pull: FloatArray = null @ (POSTURE_GAIN * (self.posture - q))
        return pull

    def ik(
        self,
        target: NDArray[np.floating],
        seed: NDArray[np.floating] | None = None,
        *,
        rng: np.random.Generator | None = None,
        restarts: int | None = None,
        position_tolerance: float = 1e-3,
        rotation_tolerance: float = 1e-2,
        max_iterations: int = 100,
    ) -> IKResult:
        """Joint positions that put the frame at ``target`` (a 4x4 world pose, translation [m]).

        The first attempt starts at ``seed`` (default: the part's joints in the base
        configuration), moved into the limits; if it fails, up to ``restarts`` attempts (default:
        8, or 16 for a redundant chain, whose joint space is larger) start
        at configurations drawn uniformly within the limits from ``rng`` (default: a generator
        seeded with 0, so equal calls give equal results). Tolerances are in [m] and [rad];
        ``max_iterations`` bounds each attempt. Without success the best attempt is returned.
        """
        pose: FloatArray = np.asarray(target, dtype=np.float64)
        if pose.shape != (4, 4):
            raise ValueError(f"target has shape {pose.shape}, expected (4, 4)")
        target_pos = pose[:3, 3].copy()
        target_quat = np.zeros(4)
        mujoco.mju_mat2Quat(target_quat, pose[:3, :3].flatten())
        if seed is None:
            start = self.data.qpos[self.qpos_addresses].copy()
        else:
            start = np.array(seed, dtype=np.float64)
            if start.shape != (self.n,):
                raise ValueError(f"seed has shape {start.shape}, the chain has {self.n} joints")
        rng = np.random.default_rng(0) if rng is None else rng
        if restarts is None:
            restarts = 8 if self.n <= 6 else 16
        best: _Attempt | None = None
        iterations = 0
        attempts = 0
        for attempt in range(1 + max(0, restarts)):
            q0 = self.clip(start) if attempt == 0 else rng.uniform(self.lower, self.upper)
            result = self._solve_from(
                q0, target_pos, target_quat, position_tolerance, rotation_tolerance, max_iterations
            )
            iterations += result.iterations
            attempts += 1
            if best is None or result.cost < best.cost:
                best = result
            if result.position_error <= position_tolerance and result.rotation_error <= rotation_tolerance:
                best = result
                break
        assert best is not None
        success = best.position_error <= position_tolerance and best.rotation_error <= rotation_tolerance
        return IKResult(success, best.qpos, best.position_error, best.rotation_error, iterations, attempts)
