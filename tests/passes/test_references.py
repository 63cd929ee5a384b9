from helpers import codes, small_bank


def test_a_string_outside_the_reference_grammar_is_a_diagnostic_never_evaluated(compile_data, tmp_path):
    marker = tmp_path / "pwned"
    bank = small_bank()
    process = {
        "name": "get_offset_qpos",
        "kwargs": {
            "offset_value": f"env.__class__.__init__.__globals__['os'].system('touch {marker}')",
            "joint_list_offset": [1],
        },
    }
    bank["node"]["right_arm"][0]["grasp_qpos"]["kwargs"]["affordance_infos"][0]["valid_funcs_name_kwargs_proc"][0][
        "pass_processes"
    ].append(process)
    result = compile_data(bank)
    assert codes(result) == ["AB208"]
    assert result.diagnostics[0].pointer.endswith("/pass_processes/1/kwargs/offset_value")
    assert not marker.exists()


def test_edge_kwargs_that_reference_unknown_keys_are_errors(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["kwargs"]["extra"] = "env.affordance_datas['nowhere']"
    bank["edge"]["right_arm"][0]["reach"]["name"] = "custom"
    result = compile_data(bank, allow_unknown_functions=True)
    assert "AB205" in codes(result)
