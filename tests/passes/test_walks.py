from helpers import codes, small_bank

from actionbank.functions import register_function


def test_an_edge_that_does_not_start_where_the_previous_ended_is_a_warning(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][1]["back"]["src"] = "right_arm_init_qpos"
    result = compile_data(bank)
    assert codes(result) == ["AB304"]
    assert result.diagnostics[0].pointer == "/edge/right_arm/1/back/src"
    assert result.plan is not None


def test_a_walk_that_does_not_start_at_the_init_node_is_a_warning(compile_data):
    bank = small_bank()
    bank["edge"]["right_eef"][0]["close"]["src"] = "closed"
    assert "AB305" in codes(compile_data(bank))


def test_endpoints_and_keyposes_must_name_labels_or_keys(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["sink"] = "grasp_qpso"
    bank["edge"]["right_arm"][0]["reach"]["kwargs"]["keypose_names"][1] = "nowhere"
    result = compile_data(bank)
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["AB204", "AB205"]
    assert "did you mean 'grasp_qpos'?" in result.diagnostics[0].hint


def test_a_repeated_pair_keeps_each_edges_own_function_and_kwargs(compile_data):
    bank = small_bank()
    bank["edge"]["right_arm"] += [
        {
            "reach_again": {
                "src": "right_arm_init_qpos",
                "sink": "grasp_qpos",
                "duration": 4,
                "name": "plan_trajectory",
                "kwargs": {"keypose_names": ["right_arm_init_qpos", "grasp_qpos"]},
            }
        },
        {"hold": {"src": "grasp_qpos", "sink": "right_arm_init_qpos", "duration": 3, "name": "stand_still"}},
    ]
    bank["edge"]["right_arm"].insert(
        2,
        {
            "reach_wait": {
                "src": "right_arm_init_qpos",
                "sink": "right_arm_init_qpos",
                "duration": 2,
                "name": "stand_still",
            }
        },
    )
    result = compile_data(bank)
    assert "AB307" in codes(result)
    edges = {e.name: e for e in result.plan.edges}
    assert edges["back"].function == "plan_trajectory" and edges["hold"].function == "stand_still"
    assert edges["reach_again"].duration == 4 and edges["reach"].duration == 10


def test_a_scope_with_nodes_but_no_edges_is_a_warning(compile_data):
    bank = small_bank()
    bank["scope"]["left_eef"] = {"dim": [1], "init": {"method": "given_qpos", "kwargs": {"given_qpos": [1]}}}
    bank["node"]["left_eef"] = [{"lopen": {"name": "execute_open"}}]
    assert codes(compile_data(bank)) == ["AB306"]


def test_a_plugin_edges_declared_reads_must_name_labels_or_keys(compile_data):
    @register_function("edge", reads=("via", "targets/*"), name="visit_test_plugin_edge")
    def visit(*args, **kwargs):
        """Visit."""

    bank = small_bank()
    reach = bank["edge"]["right_arm"][0]["reach"]
    reach["name"] = "visit_test_plugin_edge"
    reach["kwargs"] = {"via": "grasp_qpso", "targets": ["grasp_qpos", "nowhere"]}
    result = compile_data(bank)
    errors = [(d.code, d.pointer) for d in result.diagnostics if d.severity == "error"]
    assert errors == [
        ("AB205", "/edge/right_arm/0/reach/kwargs/via"),
        ("AB205", "/edge/right_arm/0/reach/kwargs/targets/1"),
    ]
    assert "did you mean 'grasp_qpos'?" in result.diagnostics[0].hint
    assert "reads 'grasp_qpso'" in result.diagnostics[0].message
