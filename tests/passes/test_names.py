from helpers import codes, small_bank


def test_the_small_bank_compiles_without_diagnostics(compile_data):
    result = compile_data(small_bank())
    assert result.diagnostics == ()
    assert result.plan is not None


def test_a_node_label_used_in_two_scopes_is_an_error_at_the_second(compile_data):
    bank = small_bank()
    bank["node"]["right_eef"].append({"grasp_qpos": {"name": "execute_open"}})
    result = compile_data(bank)
    duplicate = [d for d in result.diagnostics if d.code == "AB201"]
    assert len(duplicate) == 1
    assert duplicate[0].pointer == "/node/right_eef/2/grasp_qpos"
    assert "right_arm" in duplicate[0].message
    assert result.plan is None


def test_a_repeated_edge_label_is_an_error(compile_data):
    bank = small_bank()
    bank["edge"]["right_eef"].append(
        {"reach": {"src": "closed", "sink": "open", "duration": 3, "name": "execute_open"}}
    )
    assert "AB202" in codes(compile_data(bank))


def test_sections_that_name_undeclared_scopes_are_errors_with_a_suggestion(compile_data):
    bank = small_bank()
    bank["edge"]["rigth_arm"] = []
    bank["misc"] = {"unit_pairs": [["right_arm", "left_eef"]]}
    result = compile_data(bank)
    unknown = [d for d in result.diagnostics if d.code == "AB203"]
    assert [d.pointer for d in unknown] == ["/edge/rigth_arm", "/misc/unit_pairs/0/1"]
    assert "did you mean 'right_arm'?" in (unknown[0].hint or "")


def test_unknown_misc_keys_are_warnings_that_do_not_stop_compilation(compile_data):
    bank = small_bank()
    bank["misc"] = {"vis_grpah": True}
    result = compile_data(bank)
    assert codes(result) == ["AB120"]
    assert "vis_graph" in (result.diagnostics[0].hint or "")
    assert result.plan is not None
