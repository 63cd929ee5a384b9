"""The Gymnasium environment: a gym config's scene, stepped at the control frequency.

The action is the concatenation of ``env.control_parts`` (ALOHA: left_arm 6, left_eef 1,
right_arm 6, right_eef 1 = 14), arm joints in radians, grippers normalised to [0, 1] with
1 = open — the layout of LeRobot's ALOHA datasets. Observations: ``state`` (joint positions in
that layout), ``velocity`` (their rates), ``images`` (RGB per camera), and as the gym config asks:
``depth`` [m] and ``segmentation`` (ids, :mod:`sim.segmentation`) per camera, and
``environment_state`` (the ``env.observations`` terms' values, :mod:`sim.observations`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime import RUNTIME, Params
from actionbank.runtime.observations import ObservationParams
from actionbank.spec.env_keys import provided_keys
from actionbank.spec.gym_models import GymConfig
from actionbank.spec.gym_observation_checks import environment_state_names
from sim.event_runner import EventRunner
from sim.flat_render import FlatImages, FlatRenderer
from sim.kinematics import ArmKinematics
from sim.observations import ObservationFunction, observation_function
from sim.robots import Part
from sim.robots.base import JOINT_TRANSMISSIONS
from sim.scene import Scene, build_scene
from sim.segmentation import segmentation_map
from sim.user_code import called, checked_terms

__all__ = ["SETTLE_DRIFT_M", "SETTLE_DRIFT_RAD", "ActionbankEnv", "joint_amount"]

Array = NDArray[np.float64]
#: Physics steps after placing objects at reset, before the first observation [steps].
_SETTLE_STEPS = 150
#: How far an arm joint may move while the scene settles at reset before ``reset`` says so
#: (``info["settle_drift"]``): a hinge [rad] (about 3 degrees), a slide [m].
SETTLE_DRIFT_RAD = 0.05
SETTLE_DRIFT_M = 0.005
#: The joints a drift note names per part, those that moved the most first.
_DRIFT_JOINTS_NAMED = 2


class ActionbankEnv(gym.Env[dict[str, Any], NDArray[np.float32]]):
    """A MuJoCo scene from a gym config (checked: :func:`sim.config.load_sim_config`).
    ``base_dir`` is the gym config's folder, which its file paths are relative to;
    ``render_images=False`` skips the cameras (no images in the observation), for fast checks;
    ``allow_outside_assets`` lets the config's files lie outside ``base_dir``."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 50}  # noqa: RUF012 (Gymnasium reads it from the class)

    def __init__(
        self,
        config: GymConfig,
        base_dir: Path | str = ".",
        *,
        render_images: bool = True,
        allow_outside_assets: bool = False,
    ) -> None:
        self.config = config
        self.scene: Scene = build_scene(config, Path(base_dir), allow_outside_assets=allow_outside_assets)
        self.events = EventRunner(config)
        # Each observation term, in declared order: what to call it in a message, its
        # implementation, its validated params and how many numbers it adds.
        self._terms: list[tuple[str, ObservationFunction, Params, int]] = []
        for label, term in config.env.observations.items():
            params = RUNTIME.observations[term.func].parse(term.params)
            count = len(params.components(term.name or label)) if isinstance(params, ObservationParams) else 0
            what = f"observation term {term.func!r} (env.observations.{label})"
            self._terms.append((what, observation_function(term.func), params, count))
        self.model = self.scene.model
        self.data = mujoco.MjData(self.model)
        self.robot = self.scene.robot
        self.parts: list[Part] = [self.robot.parts[name] for name in config.env.control_parts]
        self.arm_parts = [p for p in self.parts if p.kind == "arm"]
        self.metadata = {"render_modes": ["rgb_array"], "render_fps": config.control_freq}
        self.render_mode = "rgb_array"
        self.render_images = render_images and bool(self.scene.cameras)
        self._index = self._addresses()
        #: Each actuator-driven end effector's followers: (actuator id, its mapping).
        self._followers = {
            p.name: [(self.model.actuator(name).id, gripper) for name, gripper in p.followers] for p in self.parts
        }
        self._kinematics: dict[str, ArmKinematics] = {
            p.name: ArmKinematics(self.model, p.joints, p.tcp_site or "", posture=self.robot.home.get(p.name))
            for p in self.arm_parts
        }
        self._renderers: dict[tuple[int, int, str], mujoco.Renderer] = {}
        #: Depth and segmentation renderers, one per image size (one pass gives both).
        self._flat_renderers: dict[tuple[int, int], FlatRenderer] = {}
        #: Cameras whose depth [m] and segmentation ids the observation also holds.
        self.depth_cameras = [c.uid for c in config.sensor if c.enable_depth and c.uid in self.scene.cameras]
        self.mask_cameras = [c.uid for c in config.sensor if c.enable_mask and c.uid in self.scene.cameras]
        #: The segmentation id table (id → name) and each geom's id.
        self.segmentation = segmentation_map(self.scene)
        self._rng = np.random.default_rng()
        self._steps = 0
        self.affordances: dict[str, Any] = {}
        self.randomization: dict[str, Any] = {}
        #: Each object's world position at the end of the last reset [m] (what ``object_lifted`` compares with).
        self.start_positions: dict[str, Array] = {}
        self.action_space = self._action_space()
        self.observation_space = self._observation_space()

    # -- layout -----------------------------------------------------------------------
    def _addresses(self) -> dict[str, tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]:
        index = {}
        for part in self.parts:
            joints = [self.model.joint(j) for j in part.joints]
            qpos = np.array([int(j.qposadr[0]) for j in joints])
            dof = np.array([int(j.dofadr[0]) for j in joints])
            if part.actuator is not None:
                actuators = np.array([self.model.actuator(part.actuator).id])
            else:
                actuators = np.array([self._actuator_of(j.id) for j in joints])
            index[part.name] = (qpos, dof, actuators)
        return index

    def _actuator_of(self, joint: int) -> int:
        """The position actuator driving ``joint`` (gym-aloha's actuators are unnamed)."""
        for actuator in range(self.model.nu):
            if (
                self.model.actuator_trntype[actuator] in JOINT_TRANSMISSIONS
                and self.model.actuator_trnid[actuator, 0] == joint
            ):
                return actuator
        raise ValueError(f"no actuator drives joint {self.model.joint(joint).name!r}")

    @property
    def state_names(self) -> list[str]:
        return [name for part in self.parts for name in part.state_names]

    def _action_space(self) -> gym.spaces.Box[np.float32]:
        low, high = [], []
        for part in self.parts:
            if part.kind == "eef":
                low.append(0.0)
                high.append(1.0)
            else:
                _, _, actuators = self._index[part.name]
                limited = self.model.actuator_ctrllimited[actuators].astype(bool)  # not: a continuous joint
                low.extend(np.where(limited, self.model.actuator_ctrlrange[actuators, 0], -np.inf))
                high.extend(np.where(limited, self.model.actuator_ctrlrange[actuators, 1], np.inf))
        return gym.spaces.Box(np.array(low, np.float32), np.array(high, np.float32), dtype=np.float32)

    def _observation_space(self) -> gym.spaces.Dict:
        n = sum(p.dim for p in self.parts)
        spaces: dict[str, gym.spaces.Space[Any]] = {
            "state": gym.spaces.Box(-np.inf, np.inf, (n,), np.float32),
            "velocity": gym.spaces.Box(-np.inf, np.inf, (n,), np.float32),
        }
        if self._terms:
            width = len(environment_state_names(self.config))
            spaces["environment_state"] = gym.spaces.Box(-np.inf, np.inf, (width,), np.float32)
        if self.render_images:
            cameras = self.scene.cameras
            spaces["images"] = gym.spaces.Dict(
                {uid: gym.spaces.Box(0, 255, (h, w, 3), np.uint8) for uid, (h, w) in cameras.items()}
            )
            if self.depth_cameras:
                spaces["depth"] = gym.spaces.Dict(
                    {uid: gym.spaces.Box(0, np.inf, cameras[uid], np.float32) for uid in self.depth_cameras}
                )
            if self.mask_cameras:
                top = len(self.segmentation.labels) - 1
                spaces["segmentation"] = gym.spaces.Dict(
                    {uid: gym.spaces.Box(0, top, cameras[uid], np.uint16) for uid in self.mask_cameras}
                )
        return gym.spaces.Dict(spaces)

    # -- parts ------------------------------------------------------------------------
    def part_qpos(self, name: str) -> Array:
        """The part's value: arm joint positions [rad], or the normalised gripper opening."""
        part = self.robot.parts[name]
        qpos, _, actuators = self._index[name]
        if part.kind == "eef" and part.gripper is not None and part.actuator is not None:
            control = self._control_of_length(int(actuators[0]), float(self.data.actuator_length[actuators[0]]))
            return np.array([part.gripper.to_normalised(control)])
        if part.kind == "eef" and part.gripper is not None:
            return np.array([part.gripper.to_normalised(float(self.data.qpos[qpos[0]]))])
        positions: Array = self.data.qpos[qpos].copy()
        return positions

    def set_part_qpos(self, name: str, value: Array) -> None:
        """Place the part (and aim its actuators) at ``value``, clipped to the joint limits."""
        part = self.robot.parts[name]
        qpos, dof, actuators = self._index[name]
        if part.kind == "eef" and part.gripper is not None and part.actuator is not None:
            self._set_gripper_actuator(part, int(actuators[0]), float(np.clip(value[0], 0.0, 1.0)))
            return
        if part.kind == "eef" and part.gripper is not None:
            position = part.gripper.to_position(float(np.clip(value[0], 0.0, 1.0)))
            positions = np.array([-position if m else position for m in part.mirrored])
        else:
            positions = np.asarray(value, dtype=np.float64)
        low, high = _joint_limits(self.model, [self.model.joint(j).id for j in part.joints])
        positions = np.clip(positions, low, high)
        self.data.qpos[qpos] = positions
        self.data.qvel[dof] = 0.0
        self.data.ctrl[actuators] = positions

    def _control_of_length(self, actuator: int, length: float) -> float:
        """The control value at which a position-like actuator (fixed gain, affine bias) holds
        ``length``: where ``gain * ctrl + bias0 + bias1 * length`` is zero."""
        gain = float(self.model.actuator_gainprm[actuator, 0])
        bias = self.model.actuator_biasprm[actuator]
        return -(float(bias[0]) + float(bias[1]) * length) / gain

    def _set_gripper_actuator(self, part: Part, actuator: int, normalised: float) -> None:
        """Aim an actuator-driven gripper (and its followers) at ``normalised``; a finger on a
        joint of its own is also placed there, one driven through a tendon gets there while the
        scene settles."""
        assert part.gripper is not None
        for driven, gripper in [(actuator, part.gripper), *self._followers[part.name]]:
            self._aim_servo(driven, gripper.to_position(normalised))

    def _aim_servo(self, actuator: int, control: float) -> None:
        """Set a gripper servo's control, and place its joint where that control holds it."""
        self.data.ctrl[actuator] = control
        if self.model.actuator_trntype[actuator] == mujoco.mjtTrn.mjTRN_JOINT:
            gain = float(self.model.actuator_gainprm[actuator, 0])
            bias = self.model.actuator_biasprm[actuator]
            length = -(gain * control + float(bias[0])) / float(bias[1])
            joint = int(self.model.actuator_trnid[actuator, 0])
            (low,), (high,) = _joint_limits(self.model, [joint])
            position = float(np.clip(length / self.model.actuator_gear[actuator, 0], low, high))
            self._place_joint(joint, position)

    def _place_joint(self, joint: int, position: float) -> None:
        """Place ``joint`` at ``position`` at rest, and each joint an active joint equality ties to
        it where that equality holds it (``q1 - q1ref = poly(q2 - q2ref)``, as MuJoCo reads
        ``polycoef``): a finger coupled to the driven one starts where it belongs, not where the
        constraint must first pull it during the settle."""
        model = self.model
        self.data.qpos[model.jnt_qposadr[joint]] = position
        self.data.qvel[model.jnt_dofadr[joint]] = 0.0
        for equality in range(model.neq):
            if (
                model.eq_type[equality] != mujoco.mjtEq.mjEQ_JOINT
                or not self.data.eq_active[equality]
                or model.eq_obj2id[equality] != joint
            ):
                continue
            follower = int(model.eq_obj1id[equality])
            offset = position - float(model.qpos0[model.jnt_qposadr[joint]])
            coefficients = model.eq_data[equality, :5]
            value = float(model.qpos0[model.jnt_qposadr[follower]]) + sum(
                float(c) * offset**power for power, c in enumerate(coefficients)
            )
            (low,), (high,) = _joint_limits(model, [follower])
            self.data.qpos[model.jnt_qposadr[follower]] = float(np.clip(value, low, high))
            self.data.qvel[model.jnt_dofadr[follower]] = 0.0

    def _apply_action(self, action: NDArray[np.floating]) -> None:
        offset = 0
        for part in self.parts:
            value = np.asarray(action[offset : offset + part.dim], dtype=np.float64)
            offset += part.dim
            _, _, actuators = self._index[part.name]
            if part.kind == "eef" and part.gripper is not None and part.actuator is not None:
                self.data.ctrl[actuators] = part.gripper.to_position(float(value[0]))
                for follower, gripper in self._followers[part.name]:
                    self.data.ctrl[follower] = gripper.to_position(float(value[0]))
            elif part.kind == "eef" and part.gripper is not None:
                position = part.gripper.to_position(float(value[0]))
                self.data.ctrl[actuators] = [-position if m else position for m in part.mirrored]
            else:
                self.data.ctrl[actuators] = value

    # -- objects ----------------------------------------------------------------------
    def object_pose(self, uid: str) -> Array:
        """World pose (4×4) of body ``uid``."""
        body = self.data.body(uid)
        pose = np.eye(4)
        pose[:3, :3] = body.xmat.reshape(3, 3)
        pose[:3, 3] = body.xpos
        return pose

    def geoms_of(self, uid: str) -> list[int]:
        body = self.model.body(uid).id
        return [g for g in range(self.model.ngeom) if self.model.geom_bodyid[g] == body]

    def finger_geoms(self, part: str) -> set[int]:
        """Geoms of the bodies an end effector's joints move."""
        bodies = {int(self.model.joint(j).bodyid[0]) for j in self.robot.parts[part].joints}
        return {g for g in range(self.model.ngeom) if int(self.model.geom_bodyid[g]) in bodies}

    def move_object(self, uid: str, position: Array, yaw_deg: float = 0.0, *, relative: bool = True) -> None:
        """Move a free (or mocap) body, and any particles it contains, to/by ``position`` [m],
        turning it about z by ``yaw_deg``."""
        body = self.model.body(uid)
        if body.jntnum[0] > 0:
            address = int(self.model.jnt_qposadr[body.jntadr[0]])
            old = self.data.qpos[address : address + 3].copy()
            new = old + position if relative else np.asarray(position, dtype=np.float64)
            self.data.qpos[address : address + 3] = new
            turn = np.zeros(4)
            mujoco.mju_axisAngle2Quat(turn, np.array([0.0, 0.0, 1.0]), np.deg2rad(yaw_deg))
            quat = np.zeros(4)
            mujoco.mju_mulQuat(quat, turn, self.data.qpos[address + 3 : address + 7].copy())
            self.data.qpos[address + 3 : address + 7] = quat
        elif body.mocapid[0] >= 0:
            mocap = body.mocapid[0]
            old = self.data.mocap_pos[mocap].copy()
            new = old + position if relative else np.asarray(position, dtype=np.float64)
            self.data.mocap_pos[mocap] = new
            turn = np.zeros(4)
            mujoco.mju_axisAngle2Quat(turn, np.array([0.0, 0.0, 1.0]), np.deg2rad(yaw_deg))
            quat = np.zeros(4)
            mujoco.mju_mulQuat(quat, turn, self.data.mocap_quat[mocap].copy())
            self.data.mocap_quat[mocap] = quat
        else:
            raise ValueError(f"object {uid!r} is static and cannot be moved (make it dynamic or kinematic)")
        for name in self.scene.particles_in.get(uid, []):
            joint = self.model.body(name).jntadr[0]
            address = int(self.model.jnt_qposadr[joint])
            self.data.qpos[address : address + 3] += new - old

    # -- gymnasium --------------------------------------------------------------------
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Place the robot at its start pose and the objects, run the reset events, let the scene
        settle. ``info``: the affordances, the values the events drew (``randomization``) and
        ``settle_drift``, one line for the user when an arm left its start pose while the scene
        settled (None when none did)."""
        super().reset(seed=seed)
        self._rng = np.random.default_rng(seed)
        mujoco.mj_resetData(self.model, self.data)
        self._steps = 0
        init = self._init_values()
        for part in self.parts:
            self.set_part_qpos(part.name, init[part.name])
        self.randomization = self.events.reset(self, seed)
        mujoco.mj_forward(self.model, self.data)
        placed = {part.name: self.part_qpos(part.name) for part in self.arm_parts}
        mujoco.mj_step(self.model, self.data, nstep=_SETTLE_STEPS)
        self.start_positions = {uid: self.data.body(uid).xpos.copy() for uid in self.scene.objects}
        self.affordances = self._register_affordances()
        info = self._info()
        info["settle_drift"] = self._settle_drift(placed)
        return self._observation(), info

    def step(self, action: NDArray[np.floating]) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        self._apply_action(np.asarray(action, dtype=np.float64))
        mujoco.mj_step(self.model, self.data, nstep=self.scene.substeps)
        self._steps += 1
        self.events.step(self, self._steps, self.randomization)
        truncated = self._steps >= self.config.max_episode_steps
        return self._observation(), 0.0, False, truncated, {}

    def render(self) -> NDArray[np.uint8] | None:
        if not self.scene.cameras:
            return None
        uid, (height, width) = next(iter(self.scene.cameras.items()))
        return self._render(uid, height, width)

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()
        for flat in self._flat_renderers.values():
            flat.close()
        self._flat_renderers.clear()

    # -- internals --------------------------------------------------------------------
    def _init_values(self) -> dict[str, Array]:
        values = {name: np.asarray(v, dtype=np.float64) for name, v in self.robot.home.items()}
        init_qpos = self.config.robot.init_qpos
        if init_qpos is not None:
            offset = 0
            for part in self.parts:
                values[part.name] = np.asarray(init_qpos[offset : offset + part.dim], dtype=np.float64)
                offset += part.dim
        return values

    def _settle_drift(self, placed: dict[str, Array]) -> str | None:
        """One line for the user when an arm joint moved more than :data:`SETTLE_DRIFT_RAD`
        (hinge) or :data:`SETTLE_DRIFT_M` (slide) from ``placed`` (each arm's joint positions
        before the settle) while the scene settled; None when none did."""
        moved: list[str] = []
        for part in self.arm_parts:
            joints = [self.model.joint(name).id for name in part.joints]
            now, before = self.part_qpos(part.name), placed[part.name]
            distance = np.abs(now - before)
            slide = self.model.jnt_type[joints] == mujoco.mjtJoint.mjJNT_SLIDE
            over = np.flatnonzero(distance > np.where(slide, SETTLE_DRIFT_M, SETTLE_DRIFT_RAD)).tolist()
            if not over:
                continue
            ranked = sorted(over, key=lambda j: -float(distance[j]))  # the farthest first, ties in declared order
            first, *others = ranked[:_DRIFT_JOINTS_NAMED]
            text = (
                f"{part.joints[first]} of part {part.name!r} moved {joint_amount(distance[first], slide[first])} "
                f"(from {joint_amount(before[first], slide[first], unit=False)} to {joint_amount(now[first], slide[first])})"
            )
            for j in others:
                text += f", {part.joints[j]} {joint_amount(distance[j], slide[j])}"
            unnamed = len(ranked) - _DRIFT_JOINTS_NAMED
            if unnamed > 0:
                text += f" and {unnamed} more joint{'s' if unnamed > 1 else ''}"
            moved.append(text)
        if not moved:
            return None
        config = (
            "robot.init_qpos"
            if self.config.robot.init_qpos is not None
            else "the robot's home pose, or set robot.init_qpos"
        )
        return (
            "the robot left its start pose while the scene settled at reset, so episodes start elsewhere: "
            f"{' and '.join(moved)}; that pose may be in collision with the robot itself or the scene, outside a "
            f"joint's range, or more than the servo gains can hold against gravity (check {config})"
        )

    def _register_affordances(self) -> dict[str, Any]:
        """The keys of :func:`actionbank.spec.env_keys.provided_keys` (what ``lint`` assumes), with
        their values now."""
        config = self.config
        keys = provided_keys(
            [item.uid for item in config.background],
            [item.uid for item in config.rigid_object],
            [part.name for part in self.parts],
            self.robot.parts,
            config.env.affordances,
        )
        store: dict[str, Any] = {}
        for key in keys:
            if key.kind == "object_pose":
                store[key.key] = self.object_pose(key.subject)
            elif key.kind == "init_qpos":
                store[key.key] = self.part_qpos(key.subject)
            elif key.kind == "base_pose":
                store[key.key] = self.object_pose(self.robot.parts[key.subject].base_body or "world")
            else:
                store[key.key] = np.asarray(config.env.affordances[key.subject], dtype=np.float64)
        for kinematics in self._kinematics.values():
            kinematics.set_base_qpos(self.data.qpos)
        return store

    def _observation(self) -> dict[str, Any]:
        state = np.concatenate([self.part_qpos(p.name) for p in self.parts]).astype(np.float32)
        velocity = []
        for part in self.parts:
            _, dof, actuators = self._index[part.name]
            if part.kind == "eef" and part.gripper is not None and part.actuator is not None:
                actuator = int(actuators[0])
                rate = -self.model.actuator_biasprm[actuator, 1] / self.model.actuator_gainprm[actuator, 0]
                velocity.append(np.array([self.data.actuator_velocity[actuator] * rate / part.gripper.scale]))
                continue
            rates = self.data.qvel[dof]
            velocity.append(rates[:1] / part.gripper.scale if part.kind == "eef" and part.gripper else rates)
        observation: dict[str, Any] = {"state": state, "velocity": np.concatenate(velocity).astype(np.float32)}
        if self._terms:
            observation["environment_state"] = np.concatenate(
                [checked_terms(what, called(what, term, self, params), count) for what, term, params, count in self._terms]
            ).astype(np.float32)
        if self.render_images:
            images: dict[str, NDArray[np.uint8]] = {}
            depth: dict[str, NDArray[np.float32]] = {}
            segmentation: dict[str, NDArray[np.uint16]] = {}
            for uid, (height, width) in self.scene.cameras.items():
                flat = self._render_flat(uid, uid in self.depth_cameras, uid in self.mask_cameras)
                images[uid] = self._render(uid, height, width) if flat.rgb is None else flat.rgb
                if flat.depth is not None:
                    depth[uid] = flat.depth
                if flat.segmentation is not None:
                    segmentation[uid] = self.segmentation.ids(flat.segmentation)
            observation["images"] = images
            if self.depth_cameras:
                observation["depth"] = depth
            if self.mask_cameras:
                observation["segmentation"] = segmentation
        return observation

    def _render_flat(self, camera: str, depth: bool, segmentation: bool) -> FlatImages:
        """Camera ``camera``'s depth and segmentation, as asked, from one render pass, with its
        colour image from the same renderer (none of the three for a camera with neither)."""
        if not (depth or segmentation):
            return FlatImages(None, None)
        size = self.scene.cameras[camera]
        renderer = self._flat_renderers.get(size)
        if renderer is None:
            renderer = self._flat_renderers[size] = FlatRenderer(self.model, *size)
        return renderer.render(self.data, camera, depth=depth, segmentation=segmentation, rgb=True)

    def _render(self, camera: str, height: int, width: int, mode: str = "rgb") -> NDArray[Any]:
        """Camera ``camera``'s image: ``rgb`` (height × width × 3, uint8), ``depth`` (height ×
        width, float32 [m] along the optical axis) or ``segmentation`` (height × width × 2, int32:
        MuJoCo's object id and type per pixel). One renderer per image size and mode."""
        renderer = self._renderers.get((height, width, mode))
        if renderer is None:
            renderer = self._renderers[(height, width, mode)] = mujoco.Renderer(self.model, height, width)
            if mode == "depth":
                renderer.enable_depth_rendering()
            elif mode == "segmentation":
                renderer.enable_segmentation_rendering()
        renderer.update_scene(self.data, camera=camera)
        image: NDArray[Any] = renderer.render()
        return image.astype(np.float32) if mode == "depth" else image

    def _info(self) -> dict[str, Any]:
        return {"affordances": dict(self.affordances), "randomization": dict(self.randomization)}

    # -- kinematics (the functions' view of the robot) ----------------------------------
    def fk(self, part: str, qpos: Array) -> Array:
        return self._kinematics[part].fk(qpos)

    def ik(self, part: str, target: Array, seed: Array | None) -> Any:
        """IK from ``seed``; full-turn joints take the turn (q ± 2π within limits) nearest the seed,
        so a joint-space move from the seed never spins a joint round."""
        kinematics = self._kinematics[part]
        result = kinematics.ik(target, seed, rng=np.random.default_rng(0))
        if seed is None:
            return result
        qpos = np.array(result.qpos, dtype=np.float64)
        for joint in np.flatnonzero(kinematics.wraps):
            candidates = [qpos[joint] + turn for turn in (-2 * np.pi, 0.0, 2 * np.pi)]
            candidates = [c for c in candidates if kinematics.lower[joint] <= c <= kinematics.upper[joint]]
            qpos[joint] = min(candidates, key=lambda c: abs(c - seed[joint]))
        return result._replace(qpos=qpos)

    def limits(self, part: str) -> tuple[Array, Array]:
        kinematics = self._kinematics[part]
        return kinematics.lower, kinematics.upper

    def object_poses(self) -> dict[str, list[float]]:
        """Position + quaternion (w, x, y, z) of every object, for replay."""
        return {
            uid: [*self.data.body(uid).xpos.tolist(), *self.data.body(uid).xquat.tolist()] for uid in self.scene.objects
        }

    @property
    def steps(self) -> int:
        return self._steps

    @property
    def rng(self) -> np.random.Generator:
        return self._rng


def _joint_limits(model: mujoco.MjModel, joints: list[int]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The low and high ends of ``joints``' ranges; -inf and inf for a joint without limits (a
    continuous hinge, whose ``jnt_range`` is 0, 0)."""
    limited = model.jnt_limited[joints].astype(bool)
    ranges = model.jnt_range[joints]
    return np.where(limited, ranges[:, 0], -np.inf), np.where(limited, ranges[:, 1], np.inf)


def joint_amount(value: float, slide: bool, *, unit: bool = True) -> str:
    """A joint position or distance for the user: a slide's in metres to the millimetre, a
    hinge's in radians to the hundredth; with its unit unless ``unit`` is false."""
    if slide:
        return f"{value:.3f} m" if unit else f"{value:.3f}"
    return f"{value:.2f} rad" if unit else f"{value:.2f}"
