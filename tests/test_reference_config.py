"""The reference system's own configs: read as they are, scheduled as it schedules them."""

from actionbank.compiler import CompileOptions, compile_file

EXPECTED = {  # edge: (start, end, span_end), as EmbodiChain computes them
    "init_to_aim": (0, 10, 10),
    "pre1_to_grasp": (34, 58, 58),
    "rclose0": (58, 69, 69),
    "grasp_to_up": (69, 73, 73),
    "left_init_to_monitor": (0, 15, 176),
    "ropen0": (165, 176, 176),
    "left_arm_go_back": (176, 191, 191),
    "place_back_to_init": (176, 200, 200),
}


def test_the_pour_water_config_compiles_to_the_reference_schedule(reference):
    result = compile_file(reference / "pour_water" / "action_config.json", CompileOptions(allow_unknown_functions=True))
    assert result.plan is not None
    assert result.plan.makespan == 200
    times = {e.name: (e.start, e.end, e.span_end) for e in result.plan.edges}
    for name, expected in EXPECTED.items():
        assert times[name] == expected, name
    assert [e.severity for e in result.diagnostics if e.severity == "error"] == []


def test_its_environment_keys_come_from_the_gym_config_beside_it(reference):
    result = compile_file(reference / "pour_water" / "action_config.json", CompileOptions(allow_unknown_functions=True))
    assert {"bottle_pose", "cup_pose", "bottle_grasp_pose"} <= set(result.plan.environment_keys)
    without = compile_file(
        reference / "pour_water" / "action_config.json", CompileOptions(gym_config=None, allow_unknown_functions=True)
    )
    missing = {d.message.split("'")[3] for d in without.diagnostics if d.code == "AB301"}
    # bottle_pose and cup_pose from its events; right_arm_base_pose read by its aim function
    assert missing == {"bottle_pose", "cup_pose", "right_arm_base_pose"}


def test_the_small_reference_fixture_compiles(reference):
    result = compile_file(reference / "action_bank" / "conf.json", CompileOptions(allow_unknown_functions=True))
    assert result.plan is not None
    times = {e.name: (e.start, e.end) for e in result.plan.edges}
    assert times["grasp_to_move"] == (1, 3)  # waits for init_to_monitor (0, 1)
    assert result.plan.makespan == 10
