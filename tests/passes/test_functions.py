from helpers import codes, small_bank


def test_an_unknown_edge_function_is_an_error_with_a_did_you_mean(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["name"] = "plan_trajectry"
    result = compile_data(bank)
    (unknown,) = result.diagnostics
    assert unknown.code == "AB206" and unknown.severity == "error"
    assert unknown.pointer == "/edge/right_arm/0/reach/name"
    assert "did you mean 'plan_trajectory'?" in unknown.hint


def test_allow_unknown_functions_turns_them_into_warnings_and_compiles(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["name"] = "my_planner"
    bank["node"]["right_arm"][0]["grasp_qpos"]["name"] = "my_generator"
    result = compile_data(bank, allow_unknown_functions=True)
    assert codes(result) == ["AB206", "AB206"]
    assert {d.severity for d in result.diagnostics} == {"warning"}
    assert result.plan is not None


def test_an_edge_without_a_name_uses_its_label_and_the_hint_says_so(compile_data):
    bank = small_bank()
    del bank["edge"]["right_arm"][1]["back"]["name"]
    (unknown,) = compile_data(bank).diagnostics
    assert "'back'" in unknown.message and "has no 'name'" in unknown.hint


def test_a_process_used_as_a_validator_is_the_wrong_kind(compile_data):
    bank = small_bank()
    entry = bank["node"]["right_arm"][0]["grasp_qpos"]["kwargs"]["affordance_infos"][0]["valid_funcs_name_kwargs_proc"][
        0
    ]
    entry["name"] = "get_offset_qpos"
    assert "AB207" in codes(compile_data(bank))


def test_unknown_missing_and_mistyped_arguments_are_reported(compile_data):
    bank = small_bank()
    process = bank["node"]["right_arm"][0]["grasp_qpos"]["kwargs"]["affordance_infos"][0][
        "valid_funcs_name_kwargs_proc"
    ][0]["pass_processes"][0]
    process["kwargs"] = {"offset_valeu": 0.1, "joint_list_offset": "1", "degrees": True}
    bank["edge"]["right_arm"][0]["reach"]["kwargs"]["agent_uid"] = 3
    result = compile_data(bank)
    messages = [d.message for d in result.diagnostics if d.code == "AB209"]
    assert any("unknown argument 'offset_valeu'" in m for m in messages)
    assert any("missing required argument 'offset_value'" in m for m in messages)
    assert any("'joint_list_offset' must be array" in m for m in messages)
    assert any("'agent_uid' must be string" in m for m in messages)
    hints = [d.hint for d in result.diagnostics if d.hint]
    assert any("did you mean 'offset_value'?" in h for h in hints)


def test_a_choice_outside_the_allowed_values_names_them(compile_data):
    bank = small_bank()
    process = {"name": "get_offset_pose", "kwargs": {"offset_value": 0.1, "direction": "w"}}
    bank["node"]["right_arm"][0]["grasp_qpos"]["kwargs"]["affordance_infos"][0]["valid_funcs_name_kwargs_proc"][0][
        "pass_processes"
    ].append(process)
    (bad,) = compile_data(bank).diagnostics
    assert bad.code == "AB209" and "'x', 'y', 'z'" in bad.hint
