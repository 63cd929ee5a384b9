from helpers import codes, small_bank

from actionbank.functions import register_function


def test_given_qpos_must_match_the_dim(compile_data):
    bank = small_bank()
    bank["scope"]["right_eef"]["init"]["kwargs"]["given_qpos"] = [1.0, 0.0]
    result = compile_data(bank)
    assert codes(result) == ["AB501"]
    assert "has 2 values but the scope's dim is 1" in result.diagnostics[0].message


def test_given_qpos_method_without_values_is_an_error(compile_data):
    bank = small_bank()
    del bank["scope"]["right_eef"]["init"]["kwargs"]
    assert codes(compile_data(bank)) == ["AB502"]


def test_current_qpos_without_an_init_node_is_a_warning(compile_data):
    bank = small_bank()
    bank["scope"]["right_arm"]["init"]["init_node_name"] = ""
    bank["misc"] = {"environment_keys": ["right_arm_init_qpos"]}
    assert "AB503" in codes(compile_data(bank))


def test_non_positive_durations_are_schema_errors_at_the_value(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["duration"] = 0
    bank["edge"]["right_arm"][1]["back"]["duration"] = 2.5
    result = compile_data(bank)
    assert [(d.code, d.pointer) for d in result.diagnostics] == [
        ("AB113", "/edge/right_arm/0/reach/duration"),
        ("AB112", "/edge/right_arm/1/back/duration"),
    ]
    assert "at least 1" in result.diagnostics[0].message


def test_scalable_fill_on_a_gripper_is_ignored_with_a_warning(compile_data):
    bank = small_bank()
    bank["edge"]["right_eef"][0]["close"]["fill_type"] = "scalable"
    assert codes(compile_data(bank)) == ["AB504"]


def test_a_makespan_above_max_episode_steps_is_an_error(compile_data):
    result = compile_data(
        small_bank(), gym={"max_episode_steps": 20, "env": {"control_parts": ["right_arm", "right_eef"]}}
    )
    assert codes(result) == ["AB406"]
    assert "23 steps" in result.diagnostics[0].message
    assert result.plan is None
    assert compile_data(small_bank(), gym={"max_episode_steps": 23}).plan is not None


def test_scalable_fill_is_ignored_for_any_edge_declared_always_still(compile_data):
    @register_function("edge", always_still=True, name="hold_tight_test_plugin_edge")
    def hold(*args, **kwargs):
        """Hold."""

    bank = small_bank()
    back = bank["edge"]["right_arm"][1]["back"]
    back["name"], back["kwargs"], back["fill_type"] = "hold_tight_test_plugin_edge", {}, "scalable"
    result = compile_data(bank)
    assert [(d.code, d.pointer) for d in result.diagnostics] == [("AB504", "/edge/right_arm/1/back/fill_type")]
    assert "'hold_tight_test_plugin_edge'" in result.diagnostics[0].message
