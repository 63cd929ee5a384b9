"""The LeRobot environment of a gym config: the features `generate` records for every example,
the start state `generate` draws for a seed, the success check as LeRobot's `is_success`, and
bad configs as clean errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import EXAMPLES, ROOT, model_arm_copy

from actionbank.loop import LoopSceneError, load_scene, policy_features
from actionbank.loop.scene_env import SceneEnv

LOOP_GYM = ROOT / "benchmarks" / "policy_loop_gym_config.yaml"
TRANSFER_ACTION = EXAMPLES / "transfer_cube" / "action_config.yaml"
#: The dataset features a policy reads or writes (depth, segmentation and language are left out).
POLICY_KEYS = ("observation.state", "observation.velocity", "action", "observation.environment_state")


def _dataset_features(gym: Path, action: Path, tmp_path: Path) -> dict[str, Any]:
    """What `generate` records for the pair: its dataset spec's LeRobot features."""
    from actionbank.compiler import CompileOptions, compile_file
    from actionbank.generate.options import GenerateOptions
    from actionbank.generate.run_spec import dataset_spec
    from recorder.features import lerobot_features
    from sim.config import load_sim_config

    config, _ = load_sim_config(gym)
    plan = compile_file(action, CompileOptions(gym_config=gym)).plan
    assert plan is not None
    options = GenerateOptions(gym_config=gym, action_config=action, output=tmp_path / "ds")
    spec = dataset_spec(options, config, plan, "", "", 0, {})
    features = lerobot_features(spec)
    return {k: v for k, v in features.items() if k in POLICY_KEYS or k.startswith("observation.images.")}


EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "gym_config.yaml").is_file())


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_the_env_features_are_the_features_generate_records(example: str, tmp_path: Path) -> None:
    gym, action = EXAMPLES / example / "gym_config.yaml", EXAMPLES / example / "action_config.yaml"
    scene = load_scene(gym, action)
    expected = _dataset_features(gym, action, tmp_path)
    assert scene.features == expected
    table, mapping = policy_features(scene.features)
    # Every recorded feature but the velocity reaches LeRobot's env features, with its shape.
    assert sorted(mapping.values()) == sorted(k for k in expected if k != "observation.velocity")
    for env_key, dataset_key in mapping.items():
        assert table[env_key][1] == tuple(expected[dataset_key]["shape"])
    assert table["action"][0] == "ACTION" and table["agent_pos"][0] == "STATE"


def test_the_benchmark_scene_observes_state_and_environment_state_and_no_camera(tmp_path: Path) -> None:
    env = SceneEnv(LOOP_GYM, TRANSFER_ACTION)
    try:
        observation, info = env.reset(seed=5)
        assert set(observation) == {"agent_pos", "velocity", "environment_state"}
        assert observation["agent_pos"].shape == (14,) and observation["environment_state"].shape == (21,)
        assert observation["environment_state"].dtype == np.float32
        assert info == {"is_success": False}
        assert env.observation_space.contains(observation)
        assert env.render().shape == (240, 320, 3)  # MuJoCo's free camera: the scene has none
    finally:
        env.close()
    assert _dataset_features(LOOP_GYM, TRANSFER_ACTION, tmp_path).keys() == {*POLICY_KEYS}


def test_the_episode_length_is_the_plans_makespan_with_slack_or_the_gym_configs_or_the_given_one() -> None:
    gym = EXAMPLES / "transfer_cube" / "gym_config.yaml"
    assert load_scene(gym, TRANSFER_ACTION).episode_length == 282  # ceil(1.25 × 225)
    assert load_scene(gym).episode_length == 300  # max_episode_steps
    assert load_scene(gym, TRANSFER_ACTION, 40).episode_length == 40


def test_a_seed_draws_the_start_state_generate_draws_and_the_experts_actions_succeed_as_lerobot_reads_it() -> None:
    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    config, _ = load_sim_config(LOOP_GYM)
    plan = compile_file(TRANSFER_ACTION, CompileOptions(gym_config=LOOP_GYM)).plan
    assert plan is not None
    seed = 1234
    expert = ActionbankEnv(config, LOOP_GYM.parent, render_images=False)
    rollout = run_plan(plan, expert, seed)
    expert.close()
    assert rollout.valid
    env = SceneEnv(LOOP_GYM, TRANSFER_ACTION)
    try:
        observation, _ = env.reset(seed=seed)
        assert env.inner.object_poses() == rollout.initial_poses
        np.testing.assert_array_equal(observation["agent_pos"], rollout.frames[0].state)
        np.testing.assert_array_equal(observation["environment_state"], rollout.frames[0].environment_state)
        outcomes = []
        for frame in rollout.frames:
            _, reward, terminated, truncated, info = env.step(frame.action)
            outcomes.append((reward, terminated, truncated, info["is_success"]))
            if terminated or truncated:
                break
    finally:
        env.close()
    # The hand-over succeeds before the plan ends (the right arm is still backing off): the episode ends there.
    assert outcomes[-1] == (1.0, True, False, True)
    assert all(o == (0.0, False, False, False) for o in outcomes[:-1])


def test_an_episode_without_success_is_truncated_at_its_length() -> None:
    env = SceneEnv(LOOP_GYM, episode_length=3)
    try:
        observation, _ = env.reset(seed=0)
        ends = [env.step(observation["agent_pos"])[2:4] for _ in range(3)]
    finally:
        env.close()
    assert ends == [(False, False), (False, False), (False, True)]


def test_a_scene_without_a_success_check_runs_to_its_length_and_scores_no_success(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing to score: before, every first step was a success, and lerobot-eval reported 100 %."""
    import yaml

    data = yaml.safe_load(LOOP_GYM.read_text())
    del data["env"]["success"]
    gym = tmp_path / "gym_config.yaml"
    gym.write_text(yaml.safe_dump(data))
    with caplog.at_level("WARNING", logger="actionbank.loop.scene_env"):
        env = SceneEnv(gym, episode_length=3)
    try:
        observation, _ = env.reset(seed=0)
        steps = [env.step(observation["agent_pos"]) for _ in range(3)]
    finally:
        env.close()
    assert [
        (reward, terminated, truncated, info["is_success"]) for _, reward, terminated, truncated, info in steps
    ] == [
        (0.0, False, False, False),
        (0.0, False, False, False),
        (0.0, False, True, False),
    ]
    assert f"{gym} has no env.success: episodes run to their 3 steps and none counts as a success" in caplog.text


@pytest.mark.parametrize(
    ("gym", "action", "message"),
    [
        (None, None, "no gym config given: pass --env.gym_config"),
        ("missing/gym_config.yaml", None, "gym config missing/gym_config.yaml: no such file"),
        (str(LOOP_GYM), "missing.yaml", "missing.yaml: no such file"),
        (str(TRANSFER_ACTION), None, "cannot be used"),
    ],
)
def test_a_missing_or_wrong_config_is_a_clean_error_saying_which(
    gym: str | None, action: str | None, message: str
) -> None:
    with pytest.raises(LoopSceneError, match=message) as caught:
        load_scene(gym, action)
    assert caught.value.exit_code == 2


def test_a_start_pose_the_arm_cannot_hold_is_a_warning_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """generate's note on the settle at reset, for lerobot-eval: the same scene, the same remark."""
    import yaml

    gym = model_arm_copy(tmp_path) / "gym_config.yaml"
    data = yaml.safe_load(gym.read_text())
    data["robot"]["init_qpos"] = [0.0, 1.5, 0.0, 1.0]  # the upper arm points into the floor
    gym.write_text(yaml.safe_dump(data))
    env = SceneEnv(gym, episode_length=2)
    try:
        with caplog.at_level("WARNING", logger="actionbank.loop.scene_env"):
            env.reset(seed=0)
            env.reset(seed=1)
    finally:
        env.close()
    told = [r.getMessage() for r in caplog.records if "left its start pose" in r.getMessage()]
    assert len(told) == 1 and told[0].startswith(f"{gym}: the robot left its start pose while the scene settled")
    assert "joint2 of part 'arm' moved" in told[0]
