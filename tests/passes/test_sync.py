from helpers import codes, small_bank


def test_sync_on_unknown_edges_is_an_error_with_suggestions(compile_data):
    bank = small_bank()
    bank["sync"]["clsoe"] = {"depend_tasks": ["reach"]}
    bank["sync"]["back"]["depend_tasks"].append("reahc")
    result = compile_data(bank)
    found = {d.code: d for d in result.diagnostics}
    assert set(found) == {"AB401", "AB402"}
    assert "did you mean 'close'?" in found["AB401"].hint
    assert found["AB402"].pointer == "/sync/back/depend_tasks/1"


def test_an_edge_that_waits_for_itself_is_an_error(compile_data):
    bank = small_bank()
    bank["sync"]["reach"] = {"depend_tasks": ["reach"]}
    assert codes(compile_data(bank)) == ["AB403"]


def test_a_listed_twice_dependency_is_a_warning(compile_data):
    bank = small_bank()
    bank["sync"]["close"]["depend_tasks"].append("reach")
    assert codes(compile_data(bank)) == ["AB405"]


def test_a_deadlock_through_scope_order_and_sync_prints_the_whole_cycle(compile_data):
    bank = small_bank()
    bank["sync"]["close"] = {"depend_tasks": ["back"]}  # back waits for close, close for back
    result = compile_data(bank)
    (deadlock,) = [d for d in result.diagnostics if d.code == "AB404"]
    assert "back → close → back" in deadlock.message or "close → back → close" in deadlock.message
    assert "'close' waits for 'back' by sync" in deadlock.message
    assert deadlock.message.count("action_config.json:") == 2
    assert result.plan is None


def test_a_deadlock_through_a_whole_chain_in_one_scope(compile_data):
    bank = small_bank()
    bank["sync"]["reach"] = {"depend_tasks": ["close"]}  # close waits for reach: a two-hop cycle
    (deadlock,) = [d for d in compile_data(bank).diagnostics if d.code == "AB404"]
    assert "'close'" in deadlock.message and "'reach'" in deadlock.message
