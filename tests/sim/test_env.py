"""The Gymnasium environment on the pour-water scene: the env contract, seeding, the action
layout, gripper normalisation, images and MuJoCo's warnings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from helpers import env_checker_complaints, mujoco_warnings
from numpy.typing import NDArray

from actionbank.spec.gym_models import GymConfig
from sim.env import ActionbankEnv

#: ALOHA's layout: left arm 6, left gripper 1, right arm 6, right gripper 1.
LEFT_EEF, RIGHT_EEF = 6, 13
ARMS = [*range(0, 6), *range(7, 13)]


@pytest.fixture(scope="module")
def env(small_pour_water_config: GymConfig, pour_water_dir: Path) -> Iterator[ActionbankEnv]:
    """The pour-water scene with 64x48 cameras, built once for this module."""
    environment = ActionbankEnv(small_pour_water_config, pour_water_dir)
    yield environment
    environment.close()


def _hold(observation: dict[str, Any]) -> NDArray[np.float32]:
    """The action that keeps every part where it is."""
    return np.asarray(observation["state"], dtype=np.float32).copy()


def test_gymnasiums_env_checker_accepts_the_pour_water_scene(env: ActionbankEnv) -> None:
    assert env_checker_complaints(env) == []


def test_the_same_seed_gives_the_same_state_and_randomization(env: ActionbankEnv) -> None:
    first, first_info = env.reset(seed=7)
    qpos = env.data.qpos.copy()
    second, second_info = env.reset(seed=7)
    np.testing.assert_array_equal(first["state"], second["state"])
    np.testing.assert_array_equal(qpos, env.data.qpos)
    assert first_info["randomization"] == second_info["randomization"]
    assert set(first_info["randomization"]) == set(env.config.env.events)


def test_different_seeds_give_different_states_and_randomization(env: ActionbankEnv) -> None:
    first, first_info = env.reset(seed=7)
    qpos = env.data.qpos.copy()
    second, second_info = env.reset(seed=8)
    assert not np.array_equal(first["state"], second["state"])
    assert not np.array_equal(qpos, env.data.qpos)
    assert first_info["randomization"] != second_info["randomization"]


def test_the_action_is_14_values_arms_in_their_joint_ranges_and_grippers_in_0_1(env: ActionbankEnv) -> None:
    space = env.action_space
    assert isinstance(space, gym.spaces.Box)
    assert space.shape == (14,)
    assert space.dtype == np.float32
    assert [p.name for p in env.parts] == ["left_arm", "left_eef", "right_arm", "right_eef"]
    assert len(env.state_names) == 14
    for eef in (LEFT_EEF, RIGHT_EEF):
        assert (space.low[eef], space.high[eef]) == (0.0, 1.0)
    joints = [j for p in env.parts if p.kind == "arm" for j in p.joints]
    ranges = np.array([env.model.jnt_range[env.model.joint(j).id] for j in joints], dtype=np.float32)
    np.testing.assert_array_equal(space.low[ARMS], ranges[:, 0])
    np.testing.assert_array_equal(space.high[ARMS], ranges[:, 1])
    assert isinstance(env.observation_space, gym.spaces.Dict)
    assert env.observation_space["state"].shape == (14,)


def test_grippers_start_open_and_commanding_0_closes_the_right_one(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=0)
    assert observation["state"][RIGHT_EEF] > 0.9
    assert observation["state"][LEFT_EEF] > 0.9
    action = _hold(observation)
    action[RIGHT_EEF] = 0.0
    for _ in range(40):
        observation, *_ = env.step(action)
    assert observation["state"][RIGHT_EEF] < 0.3
    assert observation["state"][LEFT_EEF] > 0.9


def test_a_gripper_value_set_normalised_reads_back_the_same_within_the_finger_range(env: ActionbankEnv) -> None:
    env.reset(seed=0)
    part = env.robot.parts["left_eef"]
    assert part.gripper is not None
    low, high = env.model.jnt_range[env.model.joint(part.joints[0]).id]
    reachable = part.gripper.to_normalised(low), part.gripper.to_normalised(high)
    for value in (0.25, 0.5, 0.9):
        env.set_part_qpos("left_eef", np.array([value]))
        np.testing.assert_allclose(env.part_qpos("left_eef"), [value], atol=1e-9)
    # gym-aloha's normalisation spans a little more than the finger joints' range: 0 and 1 clip.
    for value, clipped in zip((0.0, 1.0), reachable, strict=True):
        env.set_part_qpos("left_eef", np.array([value]))
        np.testing.assert_allclose(env.part_qpos("left_eef"), [clipped], atol=1e-9)


def test_stepping_renders_non_blank_images_of_the_configured_shape(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=1)
    observation, reward, terminated, truncated, info = env.step(_hold(observation))
    assert (reward, terminated, truncated, info) == (0.0, False, False, {})
    assert env.observation_space.contains(observation)
    images = observation["images"]
    assert set(images) == {c.uid for c in env.config.sensor}
    for camera in env.config.sensor:
        image = images[camera.uid]
        assert image.shape == (camera.height, camera.width, 3)
        assert image.dtype == np.uint8
        assert image.std() > 10.0, f"{camera.uid} is blank"
    rendered = env.render()
    assert rendered is not None
    np.testing.assert_array_equal(rendered, images[env.config.sensor[0].uid])


def test_reset_and_steps_raise_no_mujoco_warnings(env: ActionbankEnv) -> None:
    observation, _ = env.reset(seed=2)
    assert mujoco_warnings(env.data) == {}
    for _ in range(20):
        observation, *_ = env.step(_hold(observation))
    assert mujoco_warnings(env.data) == {}


def test_an_episode_is_truncated_at_max_episode_steps(pour_water_config: GymConfig, pour_water_dir: Path) -> None:
    short = ActionbankEnv(
        pour_water_config.model_copy(update={"max_episode_steps": 3}), pour_water_dir, render_images=False
    )
    try:
        observation, _ = short.reset(seed=0)
        assert "images" not in observation
        flags = [short.step(_hold(observation))[3] for _ in range(3)]
        assert flags == [False, False, True]
    finally:
        short.close()
