"""A gym config's scene as a LeRobot evaluation environment (Gymnasium's contract).

Wraps :class:`sim.env.ActionbankEnv` (the env ``actionbank generate`` records with) and speaks
LeRobot's observation convention, which ``lerobot.envs.utils.preprocess_observation`` maps to
the dataset's feature names: ``agent_pos`` → ``observation.state``, ``velocity`` →
``observation.velocity``, ``environment_state`` → ``observation.environment_state`` and
``pixels/<camera>`` → ``observation.images.<camera>``. The action is the dataset's ``action``.

``reset(seed=s)`` draws the start state ``generate`` draws for an attempt whose episode seed is
``s``. After each step the gym config's success check runs; the episode terminates when it
passes (``info["is_success"]``, what ``lerobot-eval`` counts) and is truncated after
``episode_length`` control steps. The reward is 1.0 on the successful step, else 0.0. A gym
config without ``env.success`` has nothing to score: its episodes run to their length and none
is a success (a warning says so when the environment is made). When the robot leaves its start
pose while the scene settles at reset, a warning says so once (``generate``'s note).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from actionbank.loop.scene import load_scene

__all__ = ["FREE_CAMERA_SIZE", "SceneEnv"]

_log = logging.getLogger(__name__)

#: Size of ``render()``'s picture [px] (height, width) for a scene without cameras (MuJoCo's free camera).
FREE_CAMERA_SIZE = (240, 320)


class SceneEnv(gym.Env[dict[str, Any], NDArray[np.float32]]):
    """The scene of ``gym_config`` for LeRobot (see the module's docstring). ``action_config``
    and ``episode_length`` [control steps] set the episode length as
    :func:`actionbank.loop.scene.load_scene` does; :class:`~actionbank.loop.scene.LoopSceneError`
    when a config cannot be used."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 50}  # noqa: RUF012 (Gymnasium reads it from the class)

    def __init__(
        self,
        gym_config: str | Path,
        action_config: str | Path | None = None,
        episode_length: int | None = None,
        *,
        allow_outside_assets: bool = False,
    ) -> None:
        from sim.env import ActionbankEnv

        self.scene = load_scene(gym_config, action_config, episode_length, allow_outside_assets=allow_outside_assets)
        if self.scene.config.env.success is None:
            _log.warning(
                "%s has no env.success: episodes run to their %d steps and none counts as a success",
                self.scene.gym_config,
                self.scene.episode_length,
            )
        self.inner = ActionbankEnv(
            self.scene.config, self.scene.gym_config.parent, allow_outside_assets=allow_outside_assets
        )
        self.metadata = {"render_modes": ["rgb_array"], "render_fps": round(self.scene.config.control_freq)}
        self.render_mode = "rgb_array"
        #: What ``lerobot-eval`` reads as the episode's step limit and as the task.
        self._max_episode_steps = self.scene.episode_length
        self.task = self.task_description = self.scene.task
        self.action_space = self.inner.action_space
        inner = self.inner.observation_space
        assert isinstance(inner, gym.spaces.Dict)
        spaces: dict[str, gym.spaces.Space[Any]] = {"agent_pos": inner["state"], "velocity": inner["velocity"]}
        if "environment_state" in inner.spaces:
            spaces["environment_state"] = inner["environment_state"]
        if "images" in inner.spaces:
            spaces["pixels"] = inner["images"]
        self.observation_space = gym.spaces.Dict(spaces)
        self._steps = 0
        self._free_camera: Any = None
        self._drift_told = False

    def _observation(self, raw: dict[str, Any]) -> dict[str, Any]:
        observation = {"agent_pos": raw["state"], "velocity": raw["velocity"]}
        if "environment_state" in raw:
            observation["environment_state"] = raw["environment_state"]
        if "images" in raw:
            observation["pixels"] = raw["images"]
        return observation

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        super().reset(seed=seed)
        raw, info = self.inner.reset(seed=seed)
        if info["settle_drift"] is not None and not self._drift_told:  # once, as generate tells it
            self._drift_told = True
            _log.warning("%s: %s", self.scene.gym_config, info["settle_drift"])
        self._steps = 0
        return self._observation(raw), {"is_success": False}

    def step(self, action: NDArray[np.floating]) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        from sim.success import evaluate_success

        raw, *_ = self.inner.step(np.asarray(action, dtype=np.float64).reshape(-1))
        self._steps += 1
        check = self.scene.config.env.success
        success = check is not None and evaluate_success(self.inner, check)[0]  # without a check: never
        truncated = self._steps >= self.scene.episode_length and not success
        return self._observation(raw), float(success), bool(success), truncated, {"is_success": bool(success)}

    def render(self) -> NDArray[np.uint8] | None:
        """The first camera's picture; MuJoCo's free camera for a scene without cameras."""
        image = self.inner.render()
        if image is not None:
            return image
        import mujoco

        if self._free_camera is None:
            self._free_camera = mujoco.Renderer(self.inner.model, *FREE_CAMERA_SIZE)
        self._free_camera.update_scene(self.inner.data)
        picture: NDArray[np.uint8] = self._free_camera.render()
        return picture

    def close(self) -> None:
        if self._free_camera is not None:
            self._free_camera.close()
            self._free_camera = None
        self.inner.close()
