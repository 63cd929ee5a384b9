"""The keys ``lint`` assumes a gym config provides are exactly the keys the environment registers
at reset (one definition, :mod:`actionbank.spec.env_keys`), for every example and the model-file arm."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT

from actionbank.compiler import load_environment
from actionbank.runtime.robots import Part
from actionbank.spec.env_keys import provided_keys
from sim.config import load_sim_config
from sim.env import ActionbankEnv

#: Every example folder (new ones are covered as they are added) and the model-file arm.
FOLDERS = [
    *sorted(p for p in EXAMPLES.iterdir() if p.is_dir()),
    ROOT / "tests" / "sim" / "model_arm",
    ROOT / "tests" / "sim" / "urdf_arm",
]


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_the_keys_lint_assumes_are_the_keys_the_environment_registers_at_reset(folder: Path) -> None:
    gym = folder / "gym_config.yaml"
    assumed, diagnostics = load_environment(folder / "action_config.yaml", gym)
    assert diagnostics == []
    config, _warnings = load_sim_config(gym)
    # No cameras: the keys do not depend on them, and the scene builds faster without.
    env = ActionbankEnv(config.model_copy(update={"sensor": []}), folder, render_images=False)
    try:
        env.reset(seed=0)
        registered = set(env.affordances)
    finally:
        env.close()
    assert sorted(assumed.keys) == sorted(registered)
    assert registered  # an environment that registers nothing would pass too easily


def test_an_arm_without_a_base_body_has_no_base_pose_key_and_lint_guesses_arms_by_name_without_facts() -> None:
    parts = {"arm": Part("arm", "arm", ("j",), base_body="base"), "hand": Part("hand", "eef", ("f",))}
    known = provided_keys(["table"], ["cup"], ["arm", "hand"], parts, {"lift": 0.1})
    assert [(k.key, k.kind, k.subject) for k in known] == [
        ("table_pose", "object_pose", "table"),
        ("cup_pose", "object_pose", "cup"),
        ("arm_init_qpos", "init_qpos", "arm"),
        ("arm_base_pose", "base_pose", "arm"),
        ("hand_init_qpos", "init_qpos", "hand"),
        ("lift", "constant", "lift"),
    ]
    unknown = provided_keys([], [], ["arm", "left_arm"], None, [])
    assert [k.key for k in unknown] == ["arm_init_qpos", "left_arm_init_qpos", "left_arm_base_pose"]


def test_a_key_provided_twice_keeps_its_first_origin() -> None:
    keys = provided_keys([], ["cup"], [], {}, ["cup_pose"])
    assert [(k.key, k.kind) for k in keys] == [("cup_pose", "object_pose")]
