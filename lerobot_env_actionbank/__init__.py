"""LeRobot plugin: ``--env.type=actionbank``, a gym config's scene as a LeRobot environment.

LeRobot's ``register_third_party_plugins`` imports installed distributions named
``lerobot_env_*`` by name (``pip install ./plugins/lerobot_env_actionbank`` provides one);
``--env.discover_packages_path=lerobot_env_actionbank`` imports this package without it.
Importing it registers :class:`ActionbankEnvConfig` with LeRobot's ``EnvConfig`` registry:
that is its purpose. The environment itself is :class:`actionbank.loop.scene_env.SceneEnv`.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
from lerobot.configs import FeatureType, PolicyFeature  # type: ignore[import-untyped]
from lerobot.envs.configs import EnvConfig  # type: ignore[import-untyped]

from actionbank.loop.scene import LoopSceneError, load_scene, policy_features

__all__ = ["ActionbankEnvConfig"]


@EnvConfig.register_subclass("actionbank")
@dataclass
class ActionbankEnvConfig(EnvConfig):  # type: ignore[misc]
    """``gym_config``: the scene's gym config (required); ``action_config``: its action config,
    whose plan sets the default ``episode_length`` [control steps] (else the gym config's
    ``max_episode_steps``). ``fps``, ``features`` and ``features_map`` are read from the gym
    config: the names and shapes ``actionbank generate`` records. A missing or bad config ends
    the process with its reason on stderr and exit code 2."""

    gym_config: str | None = None
    action_config: str | None = None
    episode_length: int | None = None
    allow_outside_assets: bool = False

    def __post_init__(self) -> None:
        try:
            scene = load_scene(
                self.gym_config, self.action_config, self.episode_length, allow_outside_assets=self.allow_outside_assets
            )
        except LoopSceneError as error:
            print(f"--env.type=actionbank: {error}", file=sys.stderr)
            raise SystemExit(error.exit_code) from None
        self.gym_config = str(scene.gym_config)
        self.action_config = None if scene.action_config is None else str(scene.action_config)
        self.episode_length = scene.episode_length
        self.task = scene.config.id
        self.fps = round(scene.config.control_freq)
        table, mapping = policy_features(scene.features)
        self.features = {
            key: PolicyFeature(type=FeatureType[kind], shape=shape) for key, (kind, shape) in table.items()
        }
        self.features_map = mapping

    @property
    def package_name(self) -> str:
        return "lerobot_env_actionbank"

    @property
    def gym_kwargs(self) -> dict[str, Any]:
        """:class:`~actionbank.loop.scene_env.SceneEnv`'s arguments."""
        return {
            "gym_config": self.gym_config,
            "action_config": self.action_config,
            "episode_length": self.episode_length,
            "allow_outside_assets": self.allow_outside_assets,
        }

    def create_envs(self, n_envs: int, use_async_envs: bool = False) -> dict[str, dict[int, gym.vector.VectorEnv]]:
        """``n_envs`` copies of the scene in one vector env (subprocesses when ``use_async_envs``)."""
        from actionbank.loop.scene_env import SceneEnv

        make = functools.partial(SceneEnv, **self.gym_kwargs)
        if use_async_envs and n_envs > 1:
            vector: gym.vector.VectorEnv = gym.vector.AsyncVectorEnv(
                [make] * n_envs, autoreset_mode=gym.vector.AutoresetMode.SAME_STEP, context="forkserver"
            )
        else:
            vector = gym.vector.SyncVectorEnv([make] * n_envs, autoreset_mode=gym.vector.AutoresetMode.SAME_STEP)
        return {self.type: {0: vector}}
