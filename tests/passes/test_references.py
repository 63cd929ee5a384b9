import json

from helpers import codes, small_bank

from actionbank.compiler import CompileOptions, compile_file


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


def _bank_with_edge_reference(text: str) -> dict:
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["kwargs"]["extra"] = text
    bank["edge"]["right_arm"][0]["reach"]["name"] = "custom"
    return bank


def test_a_reference_spelt_with_escapes_is_still_read_as_one(tmp_path):
    # JSON: "\u0065nv" is "env"; the text never holds the letters "env" in a row.
    path = tmp_path / "action_config.json"
    text = json.dumps(_bank_with_edge_reference("env.affordance_datas['nowhere']"))
    path.write_text(text.replace("env.affordance_datas", "\\u0065nv.affordance_datas"))
    assert "env" not in path.read_text()
    result = compile_file(path, CompileOptions(gym_config=None, allow_unknown_functions=True))
    assert "AB205" in codes(result)
    # YAML: a double-quoted "\x65nv" is "env" too.
    yaml_path = tmp_path / "action_config.yaml"
    yaml_path.write_text(text.replace('"env.affordance_datas', '"\\x65nv.affordance_datas'))
    assert "env" not in yaml_path.read_text()
    result = compile_file(yaml_path, CompileOptions(gym_config=None, allow_unknown_functions=True))
    assert "AB205" in codes(result)


def test_a_document_that_cannot_hold_a_reference_is_not_searched_for_one(compile_data):
    result = compile_data(_bank_with_edge_reference("nowhere"), allow_unknown_functions=True)
    assert result.context is not None and result.context.references == ()
    assert result.context.document is not None and not result.context.document.may_hold("env")
    assert "AB205" not in codes(result)
