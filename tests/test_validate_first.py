"""Validate before rendering (``generate --validate-first``, the default): each attempt runs
without cameras first and only those that passed are rendered and recorded, re-simulated with
cameras; the recorded episode is the validated one, failed attempts are never rendered, the
dataset is the one ``--no-validate-first`` makes, and ``save_failed_episodes`` still records
every failed attempt.

The toy arm (60-step episodes, one 64x48 camera) with its block slid along x each episode and a
success check that wants it on one side: attempts 1 to 4 of seed 1 fail at the check, after a
whole rollout (the case where validating first pays)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, small_example
from test_generate_failed_episodes import MAKESPAN, _configs

from actionbank.attempts import AttemptJob, AttemptResult, AttemptRunner, episode_seed
from actionbank.cli import main
from actionbank.generate import GenerateOptions, generate
from actionbank.generate.run_spec import compile_run
from recorder import open_dataset, read_episode_records
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.executor import run_plan

#: The toy arm's attempts of seed 1 that fail at the success check.
FAILING = (1, 2, 3, 4)


def _generate(gym: Path, action: Path, out: Path, *flags: str) -> str:
    command = ["generate", "--gym-config", str(gym), "--action-config", str(action), "--seed", "1", "-o", str(out)]
    result = CliRunner().invoke(main, [*command, *flags])
    assert result.exit_code == 0, result.output
    return result.output


def _row(output: str, name: str) -> str | None:
    match = re.search(rf"^{re.escape(name)} +(.+)$", output, re.MULTILINE)
    return match.group(1) if match else None


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=lambda x: np.asarray(x).tolist()))


def _runner(gym: Path, action: Path, spool: Path, **flags: Any) -> AttemptRunner:
    """A recording runner of the toy arm's job, seed 1, its dataset spec as ``generate`` makes it."""
    from actionbank.generate.run_spec import asset_hashes_of, dataset_spec, read_config_text
    from recorder.video import statistics_sample

    options = GenerateOptions(gym, action, max_episodes=1, seed=1, output=spool / "dataset")
    config, plan = compile_run(options)
    texts = read_config_text(gym), read_config_text(action)
    spec = dataset_spec(options, config, plan, *texts, 1, asset_hashes_of(options, config))
    job = AttemptJob(gym, plan, 1, spec, spool, statistics_sample(plan.makespan), **flags)
    return AttemptRunner(job)


class _RenderCount:
    """Counts the observations ``env`` makes with images (a spy on the real method)."""

    def __init__(self, env: ActionbankEnv) -> None:
        self.count = 0
        real = env._observation

        def counted() -> dict[str, Any]:
            observation = real()
            self.count += "images" in observation
            return observation

        env._observation = counted  # type: ignore[method-assign]


def test_failed_attempts_are_never_rendered_and_valid_ones_are_rendered_once(tmp_path: Path) -> None:
    gym, action = _configs(tmp_path / "configs", keep=False)
    runner = _runner(gym, action, tmp_path / "spool", validate_first=True)
    assert runner.validates_first
    renders = _RenderCount(runner.env)
    results: list[AttemptResult] = []
    try:
        for attempt in range(6):
            before = renders.count
            result = runner.run(attempt)
            results.append(result)
            rendered = renders.count - before
            if attempt in FAILING:
                assert not result.valid and result.episode is None and not result.rendered
                assert rendered == 0
                assert result.steps == MAKESPAN and result.recording_s == 0.0 and result.validation_s > 0
            else:
                assert result.valid and result.rendered and result.episode is not None
                assert rendered == MAKESPAN + 1  # the reset's observation and one per step
                assert result.frames == MAKESPAN
    finally:
        runner.close()
        for result in results:
            result.discard()


def test_a_first_attempt_that_fails_still_starts_the_rendered_scene_with_its_seed(tmp_path: Path) -> None:
    """Startup events draw from the first episode's seed: the environment with cameras is reset
    with it even when that attempt is never rendered, so both environments drew the same."""
    gym, action = _configs(tmp_path / "configs", keep=False)
    runner = _runner(gym, action, tmp_path / "spool", validate_first=True)
    try:
        assert not runner.run(1).rendered
        result = runner.run(5)  # valid: recorded, and checked against its validation (else it raises)
        assert result.valid and result.rendered and result.episode is not None
        result.discard()
    finally:
        runner.close()


def test_with_keep_failed_the_runner_still_records_failed_attempts(tmp_path: Path) -> None:
    gym, action = _configs(tmp_path / "configs", keep=False)
    runner = _runner(gym, action, tmp_path / "spool", validate_first=True, keep_failed=True)
    try:
        result = runner.run(1)
        assert not result.valid and result.rendered and result.episode is not None
        assert result.episode.frames == MAKESPAN
        result.discard()
    finally:
        runner.close()


def test_save_failed_episodes_records_every_failed_attempt_and_skips_the_physics_pass(tmp_path: Path) -> None:
    gym, action = _configs(tmp_path / "configs", keep=True)
    output = _generate(gym, action, tmp_path / "data", "--max-episodes", "2")
    assert len(read_episode_records(tmp_path / "data_failed")) == len(FAILING)
    assert _row(output, "validated first") is None  # every attempt is recorded, none validated first


def _frames(root: Path) -> tuple[list[bytes], dict[str, np.ndarray]]:
    """The data parquet files' bytes, and every video frame decoded by LeRobot, by camera."""
    parquet = [path.read_bytes() for path in sorted((root / "data").rglob("*.parquet"))]
    dataset = open_dataset(f"actionbank/{root.name}", root)
    keys = list(dataset.meta.video_keys)
    items = [dataset[i] for i in range(dataset.num_frames)]
    return parquet, {key: np.stack([item[key].numpy() for item in items]) for key in keys}


def test_switching_validation_off_gives_the_same_dataset(tmp_path: Path) -> None:
    gym, action = _configs(tmp_path / "configs", keep=False)
    validated = _generate(gym, action, tmp_path / "on", "--max-episodes", "2")
    plain = _generate(gym, action, tmp_path / "off", "--max-episodes", "2", "--no-validate-first")
    assert _row(validated, "validated first") is not None
    assert _row(validated, "validated first").startswith("4 failed attempts were never rendered, ")  # type: ignore[union-attr]
    assert _row(plain, "validated first") is None
    parquet_on, videos_on = _frames(tmp_path / "on")
    parquet_off, videos_off = _frames(tmp_path / "off")
    assert parquet_on and parquet_on == parquet_off
    assert list(videos_on) == ["observation.images.overhead"]
    for key, frames in videos_on.items():
        assert frames.shape[0] == 2 * MAKESPAN
        np.testing.assert_array_equal(frames, videos_off[key])
    records_on, records_off = read_episode_records(tmp_path / "on"), read_episode_records(tmp_path / "off")
    assert records_on == records_off
    assert [int(r["metrics"]["attempt"]) for r in records_on] == [0, 5]


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir()))
def test_the_recorded_episode_is_the_validated_one(name: str, tmp_path: Path) -> None:
    """One episode of each shipped example, validated first: its recorded states, actions,
    metrics, randomisation and initial poses are those of the same seed run without cameras."""
    gym, action = small_example(name, tmp_path / "configs", divisor=8)
    out = tmp_path / "data"
    summary = generate(GenerateOptions(gym, action, max_episodes=1, seed=0, output=out))
    assert summary.validated_first and summary.saved_now == 1
    (record,) = read_episode_records(out)
    attempt = int(record["metrics"]["attempt"])
    config, _ = load_sim_config(gym)
    _, plan = compile_run(GenerateOptions(gym, action))
    env = ActionbankEnv(config, gym.parent, render_images=False)
    try:
        if attempt > 0:  # startup events draw from the runner's first seed
            env.reset(seed=episode_seed(0, 0))
        rollout = run_plan(plan, env, episode_seed(0, attempt))
    finally:
        env.close()
    assert rollout.valid and record["seed"] == rollout.seed
    assert _json(record["randomization"]) == _json(rollout.randomization)
    assert _json(record["initial_poses"]) == _json(rollout.initial_poses)
    metrics = {k: v for k, v in record["metrics"].items() if k != "attempt"}
    assert metrics == pytest.approx(_json(rollout.metrics))
    data = pd.concat(pd.read_parquet(p) for p in sorted((out / "data").rglob("*.parquet")))
    states = np.stack(data["observation.state"].to_numpy())
    actions = np.stack(data["action"].to_numpy())
    assert states.shape[0] == plan.makespan
    np.testing.assert_array_equal(states, np.stack([f.state for f in rollout.frames]))
    np.testing.assert_array_equal(actions, np.stack([f.action for f in rollout.frames]))


def test_a_runner_validates_while_the_failures_it_saw_pay_for_the_physics_pass() -> None:
    from actionbank.attempts import worth_validating

    assert worth_validating(0, 0, 0.0, 0.0)  # nothing measured yet: validate
    assert worth_validating(0, 1, 0.625, 10.0)  # 1 valid attempt: 0.0625 expected failure rate >= 6.25 % physics
    assert not worth_validating(0, 1, 0.63, 10.0)
    assert worth_validating(0, 4, 0.25, 10.0)  # 4 valid: 0.025 >= 0.025
    assert not worth_validating(0, 4, 0.3, 10.0)  # 0.025 < 0.03: render directly
    assert worth_validating(1, 10, 0.6, 10.0)  # a failure seen: 0.10 >= 0.06
