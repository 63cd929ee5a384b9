"""Each scope drives a control part of the gym config, with the part's number of values."""

from __future__ import annotations

from typing import Any

import pytest

from actionbank.runtime import ROBOTS
from tests.helpers import codes, small_bank


def _aloha(*parts: str) -> dict[str, Any]:
    return {"robot": {"uid": "aloha", "robot_type": "aloha"}, "env": {"control_parts": list(parts)}}


def test_scopes_named_after_the_control_parts_pass(compile_data):
    result = compile_data(small_bank(), gym=_aloha("right_arm", "right_eef"))
    assert codes(result) == []
    assert result.environment.control_parts == {"right_arm": 6, "right_eef": 1}


def test_without_a_gym_config_scopes_are_not_checked(compile_data):
    result = compile_data(small_bank())
    assert codes(result) == []
    assert result.environment.control_parts is None


def test_a_scope_that_is_no_control_part_is_an_error_with_a_suggestion(compile_data):
    bank = small_bank()
    bank["scope"]["right_arms"] = bank["scope"].pop("right_arm")
    bank["node"]["right_arms"] = bank["node"].pop("right_arm")
    bank["edge"]["right_arms"] = bank["edge"].pop("right_arm")
    result = compile_data(bank, gym=_aloha("right_arm", "right_eef"))
    by_code = {d.code: d for d in result.diagnostics}
    assert sorted(by_code) == ["AB505", "AB507"]
    wrong = by_code["AB505"]
    assert wrong.severity == "error" and wrong.pointer == "/scope/right_arms"
    assert wrong.line is not None and wrong.column is not None
    assert "not one of the gym config's control parts (right_arm, right_eef)" in wrong.message
    assert wrong.hint is not None and wrong.hint.startswith("did you mean 'right_arm'?")
    idle = by_code["AB507"]
    assert idle.severity == "info" and "'right_arm' has no scope" in idle.message
    assert result.plan is None


def test_a_scope_of_another_size_than_its_part_is_an_error_at_its_dim(compile_data):
    bank = small_bank()
    bank["scope"]["right_arm"]["dim"] = [7]
    result = compile_data(bank, gym=_aloha("right_arm", "right_eef"))
    (wrong,) = result.diagnostics
    assert (wrong.code, wrong.pointer) == ("AB506", "/scope/right_arm/dim")
    assert "has 7 values per step, but control part 'right_arm' of the robot has 6" in wrong.message
    assert wrong.hint == "write dim: [6] (an arm has a value per joint, a gripper one)"


def test_sizes_are_unknown_for_a_robot_the_config_does_not_name(compile_data):
    bank = small_bank()
    bank["scope"]["right_arm"]["dim"] = [7]
    result = compile_data(bank, gym={"env": {"control_parts": ["right_arm", "right_eef"]}})
    assert codes(result) == []
    assert result.environment.control_parts == {"right_arm": None, "right_eef": None}


@pytest.mark.parametrize("robot_type", sorted(ROBOTS))
def test_every_registered_robot_gives_each_part_its_size(robot_type, compile_data):
    facts = ROBOTS[robot_type]
    bank = {
        "scope": {
            name: {"dim": [part.dim], "init": {"method": "given_qpos", "kwargs": {"given_qpos": [0.0] * part.dim}}}
            for name, part in facts.parts.items()
        },
        "node": {},
        "edge": {},
    }
    gym = {"robot": {"uid": "r", "robot_type": robot_type}, "env": {"control_parts": list(facts.parts)}}
    result = compile_data(bank, gym=gym)
    assert result.environment.control_parts == {name: part.dim for name, part in facts.parts.items()}
    assert not {"AB505", "AB506", "AB507"} & set(codes(result))


@pytest.mark.parametrize(
    ("values", "problem"), [("[0.3, -0.2, 1.0]", False), ("[0.3, -0.2]", True), ("[0, 0, 0, 0]", True)]
)
def test_a_constant_an_edge_moves_its_scope_through_has_one_value_per_joint(tmp_path, values, problem):
    """Before, lint passed a 2-value joint target for the toy arm's 3 joints, and every attempt
    of generate failed on it ("exception in an edge")."""
    from actionbank.compiler import CompileOptions, compile_file
    from tests.helpers import ROOT

    toy = ROOT / "tests" / "sim" / "toy_arm"
    gym = tmp_path / "gym_config.yaml"
    gym.write_text(
        (toy / "gym_config.yaml").read_text().replace("reach_qpos: [0.3, -0.2, 1.0]", f"reach_qpos: {values}")
    )
    result = compile_file(toy / "action_config.yaml", CompileOptions(gym_config=gym, check_gym_config=True))
    found = [d for d in result.diagnostics if d.code == "AB508"]
    if not problem:
        assert found == [] and result.ok
        return
    [diagnostic] = found
    count = len(values.split(","))
    assert diagnostic.message == (
        f"edge 'reach' moves scope 'arm' (3 values per step) through 'reach_qpos', which env.affordances gives {count} values"
    )
    assert diagnostic.pointer == "/edge/arm/0/reach/kwargs/keypose_names/1" and diagnostic.line is not None
    assert not result.ok
