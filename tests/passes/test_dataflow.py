from helpers import codes, small_bank


def _node(label, src, dst, process=None):
    processes = [process] if process else []
    return {
        label: {
            "name": "generate_affordances_from_src",
            "kwargs": {
                "affordance_infos": [
                    {
                        "src_key": src,
                        "dst_key": dst,
                        "valid_funcs_name_kwargs_proc": [
                            {"name": "no_validation", "kwargs": {}, "pass_processes": processes}
                        ],
                    }
                ]
            },
        }
    }


def test_nodes_are_generated_in_dataflow_order_with_ties_in_declared_order(compile_data):
    bank = small_bank()
    # declared before the node that produces what it reads
    bank["node"]["right_arm"].insert(0, _node("lift_qpos", "grasp_qpos", "lift_qpos"))
    plan = compile_data(bank).plan
    order = [n.label for n in plan.node_order]
    assert order.index("grasp_qpos") < order.index("lift_qpos")
    assert order == ["grasp_qpos", "lift_qpos", "open", "closed"]


def test_a_key_nobody_provides_is_an_error_with_a_suggestion(compile_data):
    bank = small_bank()
    bank["node"]["right_arm"].append(_node("lift_qpos", "grasp_qpos_", "lift_qpos"))
    result = compile_data(bank)
    (missing,) = [d for d in result.diagnostics if d.code == "AB301"]
    assert missing.pointer == "/node/right_arm/1/lift_qpos/kwargs/affordance_infos/0/src_key"
    assert "did you mean 'grasp_qpos'?" in missing.hint
    assert missing.line is not None and missing.column is not None


def test_keys_declared_in_misc_or_by_the_gym_config_are_provided(compile_data):
    bank = small_bank()
    bank["node"]["right_arm"].append(_node("bottle_grasp", "bottle_pose", "bottle_grasp_pose"))
    assert "AB301" in codes(compile_data(bank))
    bank["misc"] = {"environment_keys": ["bottle_pose"]}
    assert codes(compile_data(bank)) == []
    del bank["misc"]
    gym = {"rigid_object": [{"uid": "bottle"}], "env": {"control_parts": ["right_arm", "right_eef"]}}
    result = compile_data(bank, gym=gym)
    assert codes(result) == []
    assert "bottle_pose" in result.plan.environment_keys


def test_references_in_kwargs_are_reads(compile_data):
    bank = small_bank()
    process = {
        "name": "get_replaced_pose",
        "kwargs": {"pose_replace_value": "env.affordance_datas['cup_pose'][:2, 3]", "axis_str_replace": "xy"},
    }
    bank["node"]["right_arm"].append(_node("over_cup", "grasp_qpos", "over_cup_pose", process))
    (missing,) = [d for d in compile_data(bank).diagnostics if d.code == "AB301"]
    assert "'cup_pose'" in missing.message
    assert missing.pointer.endswith("/pass_processes/0/kwargs/pose_replace_value")


def test_a_dataflow_cycle_is_reported_with_every_hop_and_its_location(compile_data):
    bank = small_bank()
    bank["node"]["right_arm"] += [
        _node("a", "c_key", "a_key"),
        _node("b", "a_key", "b_key"),
        _node("c", "b_key", "c_key"),
    ]
    result = compile_data(bank)
    (cycle,) = [d for d in result.diagnostics if d.code == "AB302"]
    for hop in ("'a' reads 'c_key'", "'b' reads 'a_key'", "'c' reads 'b_key'"):
        assert hop in cycle.message
    assert cycle.message.count("action_config.json:") == 3
    assert result.plan is None


def test_a_later_step_may_read_what_an_earlier_step_of_the_same_node_wrote(compile_data):
    bank = small_bank()
    infos = bank["node"]["right_arm"][0]["grasp_qpos"]["kwargs"]["affordance_infos"]
    infos.append({"src_key": "grasp_qpos", "dst_key": "lift_qpos", "valid_funcs_name_kwargs_proc": []})
    assert codes(compile_data(bank)) == []


def test_reading_a_key_before_writing_it_needs_another_source(compile_data):
    bank = small_bank()
    bank["node"]["right_arm"].append(_node("pose", "pose_key", "pose_key"))
    assert "AB308" in codes(compile_data(bank))
    bank["misc"] = {"environment_keys": ["pose_key"]}
    assert "AB308" not in codes(compile_data(bank))


def test_two_nodes_writing_one_key_is_a_warning(compile_data):
    bank = small_bank()
    bank["node"]["right_arm"].append(_node("again", "right_arm_init_qpos", "grasp_qpos"))
    result = compile_data(bank)
    assert codes(result) == ["AB303"]
