"""Running compiled plans: the pour-water example succeeds, and a broken config fails at the
node that breaks, with its function and the reason, before any frame is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from ruamel.yaml import YAML

from actionbank.compiler import CompileOptions, compile_file
from actionbank.plan import ExecutionPlan
from actionbank.rollout import Frame
from actionbank.spec.gym_models import GymConfig
from sim.env import ActionbankEnv
from sim.executor import run_plan

#: The key of the grasp pose in the bottle's frame that the example's gym config provides.
GRASP_KEY = "bottle_grasp_pose_object"


@pytest.fixture(scope="module")
def env(pour_water_config: GymConfig, pour_water_dir: Path) -> Iterator[ActionbankEnv]:
    """The pour-water scene without cameras (the executor's logic, not the pictures)."""
    environment = ActionbankEnv(pour_water_config, pour_water_dir, render_images=False)
    yield environment
    environment.close()


def _compile(path: Path, **options: Any) -> ExecutionPlan:
    result = compile_file(path, CompileOptions(**options))
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    return result.plan


@pytest.mark.parametrize(("seed", "to_sink"), [(0, False), (1, True)], ids=["seed0-kept", "seed1-sink"])
def test_the_pour_water_plan_succeeds_and_records_one_frame_per_step(
    env: ActionbankEnv, pour_water_plan: ExecutionPlan, seed: int, to_sink: bool
) -> None:
    sunk: list[Frame] = []
    rollout = run_plan(pour_water_plan, env, seed, on_frame=sunk.append if to_sink else None)
    assert rollout.valid, [str(f) for f in rollout.failures]
    frames, unused = (sunk, rollout.frames) if to_sink else (rollout.frames, sunk)
    assert unused == []
    assert len(frames) == pour_water_plan.makespan
    actions = np.stack([f.action for f in frames])
    assert actions.shape == (pour_water_plan.makespan, 14)
    assert np.all(np.isfinite(actions))
    assert frames[0].edges.shape == (len(pour_water_plan.scopes),)
    assert rollout.seed == seed
    assert set(rollout.randomization) == set(env.config.env.events)
    assert set(rollout.initial_poses) == set(env.scene.objects)
    assert rollout.metrics["fraction_in_cup"] >= 0.5


def test_an_ik_target_out_of_reach_fails_at_its_node_and_records_nothing(
    env: ActionbankEnv, pour_water_dir: Path, tmp_path: Path
) -> None:
    yaml = YAML(typ="safe")
    data = yaml.load(pour_water_dir / "action_config.yaml")
    unreachable = {
        "src_key": "bottle_pose",
        "dst_key": "far_qpos",
        "valid_funcs_name_kwargs_proc": [
            {
                "name": "no_validation",
                "pass_processes": [
                    {"name": "get_offset_pose", "kwargs": {"offset_value": 5.0, "direction": "z", "mode": "extrinsic"}},
                    {"name": "get_ik_qpos", "kwargs": {"control_part": "right_arm"}},
                ],
            }
        ],
    }
    data["node"]["right_arm"].append(
        {"far_qpos": {"name": "generate_affordances_from_src", "kwargs": {"affordance_infos": [unreachable]}}}
    )
    with (tmp_path / "action_config.yaml").open("w") as stream:
        yaml.dump(data, stream)
    plan = _compile(tmp_path / "action_config.yaml", gym_config=pour_water_dir / "gym_config.yaml")

    rollout = run_plan(plan, env, 0)
    assert not rollout.valid
    assert rollout.frames == []
    assert [(f.stage, f.name, f.function) for f in rollout.failures] == [
        ("ik", "far_qpos", "generate_affordances_from_src")
    ]
    assert "IK for right_arm did not converge" in rollout.failures[0].reason


def test_a_missing_affordance_fails_at_the_node_reading_it_and_at_the_nodes_after_it(
    env: ActionbankEnv, pour_water_dir: Path, tmp_path: Path
) -> None:
    # Compiled against a gym config that names the grasp differently from the one that runs.
    for name in ("action_config.yaml", "gym_config.yaml"):
        text = (pour_water_dir / name).read_text()
        assert GRASP_KEY in text
        (tmp_path / name).write_text(text.replace(GRASP_KEY, "grasp_in_bottle_frame"))
    plan = _compile(tmp_path / "action_config.yaml")

    rollout = run_plan(plan, env, 0)
    assert not rollout.valid
    assert rollout.frames == []
    first = rollout.failures[0]
    assert (first.stage, first.function) == ("node", "generate_affordances_from_src")
    assert first.reason == "affordance 'grasp_in_bottle_frame' is not available"
    readers = [n.label for n in plan.node_order if "grasp_in_bottle_frame" in str(n.kwargs)]
    assert first.name == readers[0]
    blocked = rollout.failures[1:]
    assert blocked
    assert all("from failed node" in f.reason for f in blocked)
    assert str(first) == f"node {first.name!r} (generate_affordances_from_src): {first.reason}"
