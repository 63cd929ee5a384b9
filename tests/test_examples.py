"""Every file in examples/ lints clean and compiles; its gym config provides what it reads."""

import pytest
from helpers import EXAMPLES

from actionbank.compiler import CompileOptions, compile_file
from actionbank.render import render_dot, render_gantt_svg

ACTION_CONFIGS = sorted(EXAMPLES.glob("*/action_config.*"))


def test_there_are_examples():
    assert [p.parent.name for p in ACTION_CONFIGS] == [
        "insertion",
        "panda_pick_place",
        "panda_stack",
        "pour_water",
        "so101_pick_place",
        "transfer_cube",
    ]


@pytest.mark.parametrize("path", ACTION_CONFIGS, ids=lambda p: p.parent.name)
def test_each_example_lints_with_zero_diagnostics_and_compiles(path):
    result = compile_file(path, CompileOptions())
    assert result.diagnostics == ()
    assert result.plan is not None
    assert result.plan.makespan <= result.environment.max_episode_steps
    assert set(result.plan.environment_keys) <= set(result.environment.keys)
    assert render_dot(result.plan) and render_gantt_svg(result.plan)


def test_the_pour_water_example_uses_alohas_four_scopes():
    result = compile_file(EXAMPLES / "pour_water" / "action_config.yaml", CompileOptions())
    assert [s.name for s in result.plan.scopes] == ["left_arm", "left_eef", "right_arm", "right_eef"]
    assert [s.shape for s in result.plan.scopes] == [[6], [1], [6], [1]]
