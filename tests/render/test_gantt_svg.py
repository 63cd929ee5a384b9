"""``render_gantt_svg``: valid XML, one bar per edge, fill apart from motion, sync arrows."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from actionbank.plan import ExecutionPlan, PlanEdge, PlanScope
from actionbank.render import render_gantt_svg
from actionbank.render.gantt_svg import MAX_CHART_WIDTH

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def with_class(root: ET.Element, name: str, tag: str | None = None) -> list[ET.Element]:
    return [el for el in root.iter() if el.get("class") == name and (tag is None or el.tag == f"{SVG}{tag}")]


def by_edge(elements: list[ET.Element]) -> dict[str, ET.Element]:
    return {el.get("data-edge", ""): el for el in elements}


def num(el: ET.Element, attr: str) -> float:
    return float(el.get(attr, "nan"))


# --- the reference plan ------------------------------------------------------------------


def test_reference_chart_is_well_formed_svg(reference_plan: ExecutionPlan) -> None:
    root = parse(render_gantt_svg(reference_plan))
    assert num(root, "width") > 0 and num(root, "height") > 0
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_one_lane_per_scope_in_declared_order(reference_plan: ExecutionPlan) -> None:
    root = parse(render_gantt_svg(reference_plan, lane_height=40))
    lanes = with_class(root, "lane", "rect")
    assert [lane.get("data-scope") for lane in lanes] == [
        "right_arm",
        "left_arm",
        "left_eef",
        "right_eef",
    ]
    assert [num(lane, "height") for lane in lanes] == [40, 40, 40, 40]
    assert [num(b, "y") - num(a, "y") for a, b in itertools.pairwise(lanes)] == [40] * 3
    labels = with_class(root, "lane-label", "text")
    assert [label.text for label in labels] == ["right_arm", "left_arm", "left_eef", "right_eef"]


def test_one_edge_rect_per_edge_in_its_scopes_lane(reference_plan: ExecutionPlan) -> None:
    root = parse(render_gantt_svg(reference_plan))
    rects = with_class(root, "edge", "rect")
    assert len(rects) == len(reference_plan.edges) == 14
    assert [r.get("data-edge") for r in rects] == [e.name for e in reference_plan.edges]
    lane_y = {lane.get("data-scope"): num(lane, "y") for lane in with_class(root, "lane")}
    lane_h = num(with_class(root, "lane")[0], "height")
    for rect, edge in zip(rects, reference_plan.edges, strict=True):
        assert lane_y[edge.scope] <= num(rect, "y")
        assert num(rect, "y") + num(rect, "height") <= lane_y[edge.scope] + lane_h


def test_edge_rects_are_proportional_to_start_and_duration(
    reference_plan: ExecutionPlan,
) -> None:
    root = parse(render_gantt_svg(reference_plan, step_width=3))
    rects = by_edge(with_class(root, "edge", "rect"))
    init, pre1 = rects["init_to_aim"], rects["pre1_to_grasp"]  # [0, 10) and [34, 58)
    assert num(init, "width") == pytest.approx(10 * 3)
    assert num(pre1, "width") / num(init, "width") == pytest.approx(24 / 10)
    assert num(pre1, "x") - num(init, "x") == pytest.approx(34 * 3)
    x0 = num(init, "x")
    for edge in reference_plan.edges:
        rect = rects[edge.name]
        assert num(rect, "x") == pytest.approx(x0 + edge.start * 3, abs=0.01), edge.name
        assert num(rect, "width") == pytest.approx(edge.duration * 3, abs=0.01), edge.name


def test_only_left_init_to_monitor_has_a_fill_after_its_motion(
    reference_plan: ExecutionPlan,
) -> None:
    root = parse(render_gantt_svg(reference_plan, step_width=2))
    fills = [el for el in root.iter() if el.get("class") == "fill"]
    assert [f.get("data-edge") for f in fills] == ["left_init_to_monitor"]
    (fill,) = fills
    motion = by_edge(with_class(root, "edge", "rect"))["left_init_to_monitor"]
    assert num(fill, "x") == pytest.approx(num(motion, "x") + num(motion, "width"))
    assert num(fill, "width") == pytest.approx((176 - 15) * 2)
    assert fill.get("fill") == "url(#fill-hatch)" != motion.get("fill")
    assert root.find(f".//{SVG}pattern[@id='fill-hatch']") is not None


def test_critical_edges_are_outlined(reference_plan: ExecutionPlan) -> None:
    rects = by_edge(with_class(parse(render_gantt_svg(reference_plan)), "edge", "rect"))
    for edge in reference_plan.edges:
        rect = rects[edge.name]
        assert rect.get("data-critical") == ("true" if edge.critical else "false")
        assert (num(rect, "stroke-width") == 2) is edge.critical, edge.name
    critical = [n for n, r in rects.items() if r.get("data-critical") == "true"]
    assert sorted(critical) == sorted(reference_plan.critical_path)
    assert len(critical) == 12


def test_five_sync_arrows_from_dependency_end_to_dependent_start(
    reference_plan: ExecutionPlan,
) -> None:
    root = parse(render_gantt_svg(reference_plan, step_width=2))
    arrows = with_class(root, "sync")
    assert [(a.get("data-edge"), a.get("data-after")) for a in arrows] == [
        ("rclose0", "pre1_to_grasp"),
        ("grasp_to_up", "rclose0"),
        ("ropen0", "pre_place_back_to_place"),
        ("place_back_to_init", "ropen0"),
        ("left_arm_go_back", "ropen0"),
    ]
    assert root.find(f".//{SVG}marker[@id='sync-arrow']") is not None
    rects = by_edge(with_class(root, "edge", "rect"))
    for arrow in arrows:
        assert arrow.get("marker-end") == "url(#sync-arrow)"
        words = (arrow.get("d") or "").split()
        assert words[0] == "M" and words[3] == "C"
        start_x, end_x = float(words[1]), float(words[-2])
        dependency = rects[arrow.get("data-after", "")]
        dependent = rects[arrow.get("data-edge", "")]
        assert start_x == pytest.approx(num(dependency, "x") + num(dependency, "width"))
        assert end_x == pytest.approx(num(dependent, "x"))


def test_axis_has_ticks_in_steps_and_marks_the_makespan(reference_plan: ExecutionPlan) -> None:
    root = parse(render_gantt_svg(reference_plan, step_width=4))
    ticks = [int(t.get("data-step", "-1")) for t in with_class(root, "tick")]
    assert ticks == list(range(0, 201, 20))
    (makespan,) = with_class(root, "makespan")
    assert makespan.get("data-step") == "200"
    x0 = num(by_edge(with_class(root, "edge", "rect"))["init_to_aim"], "x")
    assert num(makespan, "x1") == pytest.approx(x0 + 200 * 4)
    (label,) = with_class(root, "makespan-label")
    assert label.text == "makespan 200 steps"


def test_narrow_edges_keep_their_name_as_a_tooltip(reference_plan: ExecutionPlan) -> None:
    root = parse(render_gantt_svg(reference_plan, step_width=4))
    rects = by_edge(with_class(root, "edge", "rect"))
    for name, rect in rects.items():
        title = rect.find(f"{SVG}title")
        assert title is not None and (title.text or "").startswith(name + " ")
    labelled = [t.get("data-edge") for t in with_class(root, "edge-label", "text")]
    assert "up_to_move" in labelled  # 20 steps = 80 px
    assert "pre_place_back_to_place" not in labelled  # 4 steps = 16 px
    for text in with_class(root, "edge-label", "text"):
        assert text.text == text.get("data-edge")


# --- scaling, escaping, edge cases -------------------------------------------------------


def test_long_plans_shrink_the_step_width_to_cap_the_chart_width(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
) -> None:
    plan = plan_factory(
        [scope_factory("arm", [6])],
        [
            edge_factory("arm", "a", "p", "q", 0, 10_000),
            edge_factory("arm", "b", "q", "p", 10_000, 50_000),
        ],
    )
    root = parse(render_gantt_svg(plan, step_width=4))
    a, b = (by_edge(with_class(root, "edge", "rect"))[n] for n in "ab")
    assert num(a, "width") + num(b, "width") == pytest.approx(MAX_CHART_WIDTH)
    assert num(b, "width") / num(a, "width") == pytest.approx(4)
    assert num(root, "width") < MAX_CHART_WIDTH + 400
    assert len(with_class(root, "tick")) <= 1 + MAX_CHART_WIDTH / 50


def test_names_with_markup_characters_are_escaped(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
) -> None:
    scope, first, second = 'a<&>"b', "<script>&amp;</script>", 'x"y\nz'
    plan = plan_factory(
        [scope_factory(scope, [1])],
        [
            edge_factory(scope, first, "<p>", "&q", 0, 40, 50, critical=True),
            edge_factory(scope, second, "&q", "<p>", 60, 70),
        ],
        sync={second: [first]},
    )
    svg = render_gantt_svg(plan, step_width=10)
    assert "<script>" not in svg
    root = parse(svg)
    assert [r.get("data-edge") for r in with_class(root, "edge", "rect")] == [first, second]
    assert [f.get("data-edge") for f in with_class(root, "fill")] == [first]
    (sync,) = with_class(root, "sync")
    assert (sync.get("data-edge"), sync.get("data-after")) == (second, first)
    assert with_class(root, "lane")[0].get("data-scope") == scope
    assert with_class(root, "lane-label")[0].text == scope
    assert [t.text for t in with_class(root, "edge-label")] == [first, second]


def test_control_characters_cannot_break_the_xml(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
) -> None:
    plan = plan_factory([scope_factory("arm\x00\x1b", [1])], [edge_factory("arm\x00\x1b", "e\x07", "a", "b", 0, 5)])
    root = parse(render_gantt_svg(plan))
    assert with_class(root, "edge")[0].get("data-edge") == "e\ufffd"


def test_empty_plan_is_still_a_picture(plan_factory: Callable[..., ExecutionPlan]) -> None:
    root = parse(render_gantt_svg(plan_factory([], [])))
    assert with_class(root, "edge") == [] and with_class(root, "lane") == []
    assert [t.get("data-step") for t in with_class(root, "tick")] == ["0"]


def test_same_lane_sync_arrow_hops_over_the_bars(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
) -> None:
    plan = plan_factory(
        [scope_factory("arm", [6])],
        [edge_factory("arm", "a", "p", "q", 0, 10), edge_factory("arm", "b", "q", "p", 10, 20)],
        sync={"b": ["a"]},
    )
    root = parse(render_gantt_svg(plan))
    (sync,) = with_class(root, "sync")
    words = (sync.get("d") or "").split()
    y_start, y_control = float(words[2]), float(words[5])
    assert y_control < y_start  # bends upwards, so the arrow has a direction even at zero length


@pytest.mark.parametrize("option", ["step_width", "lane_height", "max_chart_width"])
def test_sizes_must_be_positive(reference_plan: ExecutionPlan, option: str) -> None:
    with pytest.raises(ValueError, match=option):
        render_gantt_svg(reference_plan, **{option: 0.0})


def test_output_is_byte_identical_across_calls_and_json_round_trips(
    reference_plan: ExecutionPlan,
) -> None:
    first = render_gantt_svg(reference_plan)
    copy = ExecutionPlan.from_json(reference_plan.to_json())
    assert first.encode() == render_gantt_svg(reference_plan).encode()
    assert first.encode() == render_gantt_svg(copy).encode()
    assert first.endswith("</svg>\n")
