from actionbank.schedule import fill_gaps, pair_scopes, schedule_edges, side_key
from actionbank.spec.bank import Edge


def _edges(spec):
    return [
        Edge(label, scope, i, 0, "f", True, "a", "b", duration, "still", {}, "")
        for i, (label, scope, duration) in enumerate(spec)
    ]


def test_side_keys_follow_underscore_then_dash_then_prefix():
    assert [side_key(n) for n in ("right_arm", "left-eef", "leftArm", "Rgripper", "arm")] == [
        "right",
        "left",
        "left",
        "R",
        "",
    ]


def test_arms_pair_with_the_first_unpaired_gripper_on_their_side():
    scopes = ["right_arm", "left_arm", "left_hand", "right_gripper", "right_eef"]
    assert pair_scopes(scopes, []) == {
        "right_arm": "right_gripper",
        "right_gripper": "right_arm",
        "left_arm": "left_hand",
        "left_hand": "left_arm",
    }


def test_unit_pairs_come_first_and_only_scopes_with_edges_take_part():
    scopes = ["right_arm", "right_eef", "tool"]
    assert pair_scopes(scopes, [["right_arm", "tool"], ["left_arm", "left_eef"]]) == {
        "right_arm": "tool",
        "tool": "right_arm",
    }


def test_a_gap_grows_to_the_partners_next_start_and_the_sync_cap():
    edges = _edges([("a1", "right_arm", 10), ("a2", "right_arm", 5), ("g1", "right_eef", 3), ("g2", "right_eef", 2)])
    depends = {"g1": ["a1"], "a2": ["g1"], "g2": ["a2"]}
    schedule = schedule_edges(edges, depends)
    assert schedule.start == (0, 13, 10, 18)
    span = fill_gaps(schedule, ["right_arm", "right_eef"], [], depends)
    # a1 ends at 10 before a2 at 13: the gripper starts g1 at 10, so a1 does not grow
    assert span[0] == 10
    # g1 ends at 13, next g2 at 18: capped by the partner's next start (a2 at 13)
    assert span[2] == 13
    # last edges grow to the partner's next start after their end, else the makespan
    assert span[1] == 18 and span[3] == 20


def test_a_scope_without_partner_fills_to_the_next_start_and_keeps_its_last_edge():
    edges = _edges([("m1", "left_arm", 5), ("m2", "left_arm", 5), ("r", "right_arm", 20)])
    depends = {"m2": ["r"]}
    span = fill_gaps(schedule_edges(edges, depends), ["left_arm", "right_arm"], [], depends)
    assert span == (20, 25, 20)
