"""``render_dot``: valid Graphviz text, one arrow per edge, sync arrows, safe quoting."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from actionbank.plan import ExecutionPlan, PlanEdge, PlanNode, PlanScope
from actionbank.render import render_dot
from actionbank.render.dot import DotView, dot_quote

SVG = "{http://www.w3.org/2000/svg}"

REFERENCE_SYNC_PAIRS = [
    ("rclose0", "pre1_to_grasp"),
    ("grasp_to_up", "rclose0"),
    ("ropen0", "pre_place_back_to_place"),
    ("place_back_to_init", "ropen0"),
    ("left_arm_go_back", "ropen0"),
]


def arrow_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if " -> " in line]


def edge_arrows(text: str, name: str) -> list[str]:
    """Arrow lines whose label starts with the edge name (sync labels start with 'sync:')."""
    return [line for line in arrow_lines(text) if f"[label={dot_quote(name)[:-1]}\\n" in line]


def svg_nodes(svg: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "node"]


def svg_texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


# --- the schedule view of the reference plan ---------------------------------------------


def test_reference_schedule_is_accepted_by_graphviz(
    reference_plan: ExecutionPlan, dot_to_svg: Callable[[str], str]
) -> None:
    svg = dot_to_svg(render_dot(reference_plan))
    # 9 right_arm poses + 2 left_arm + 1 placeholder + 2 right_eef
    assert len(svg_nodes(svg)) == 14


def test_schedule_has_one_cluster_per_scope_in_declared_order(
    reference_plan: ExecutionPlan,
) -> None:
    text = render_dot(reference_plan)
    assert re.findall(r"subgraph (cluster_\d+) \{", text) == [
        "cluster_0",
        "cluster_1",
        "cluster_2",
        "cluster_3",
    ]
    assert re.findall(r'^    label="([^"]*)";$', text, re.MULTILINE) == [
        "right_arm",
        "left_arm",
        "left_eef",
        "right_eef",
    ]


def test_schedule_draws_exactly_one_arrow_per_edge_from_src_to_sink(
    reference_plan: ExecutionPlan,
) -> None:
    text = render_dot(reference_plan)
    for edge in reference_plan.edges:
        arrows = edge_arrows(text, edge.name)
        assert len(arrows) == 1, edge.name
        tail = dot_quote(f"{edge.scope}/{edge.src}")
        head = dot_quote(f"{edge.scope}/{edge.sink}")
        assert arrows[0].startswith(f"{tail} -> {head} ")
    solid = [line for line in arrow_lines(text) if "style=dashed" not in line]
    assert len(solid) == len(reference_plan.edges) == 14


def test_edge_label_gives_name_duration_and_interval(reference_plan: ExecutionPlan) -> None:
    text = render_dot(reference_plan)
    assert '[label="pre1_to_grasp\\n24 steps [34, 58)"' in text
    assert '[label="left_init_to_monitor\\n15 steps [0, 15)\\nfill [15, 176) still"' in text


def test_only_critical_edges_are_bold(reference_plan: ExecutionPlan) -> None:
    text = render_dot(reference_plan)
    for edge in reference_plan.edges:
        (arrow,) = edge_arrows(text, edge.name)
        assert ("style=bold" in arrow) is edge.critical, edge.name
    bold = [line for line in arrow_lines(text) if "style=bold" in line]
    assert len(bold) == len(reference_plan.critical_path) == 12


def test_sync_constraints_are_dashed_arrows_from_dependency_sink_to_dependent_src(
    reference_plan: ExecutionPlan,
) -> None:
    text = render_dot(reference_plan)
    dashed = [line for line in arrow_lines(text) if "style=dashed" in line]
    assert len(dashed) == 5
    by_name = {edge.name: edge for edge in reference_plan.edges}
    for line, (edge, after) in zip(dashed, REFERENCE_SYNC_PAIRS, strict=True):
        dependency, dependent = by_name[after], by_name[edge]
        tail = dot_quote(f"{dependency.scope}/{dependency.sink}")
        head = dot_quote(f"{dependent.scope}/{dependent.src}")
        assert line.startswith(f"{tail} -> {head} ")
        assert f'label="sync: {edge} after {after}"' in line
        assert "constraint=false" in line


def test_first_sync_arrow_joins_grasp_pose_to_open_gripper(
    reference_plan: ExecutionPlan,
) -> None:
    first = next(line for line in arrow_lines(render_dot(reference_plan)) if "sync:" in line)
    assert first.startswith('"right_arm/bottle_grasp_qpos" -> "right_eef/ropen" ')


def test_scope_without_edges_is_an_empty_cluster_with_a_placeholder(
    reference_plan: ExecutionPlan,
) -> None:
    text = render_dot(reference_plan)
    cluster = text.split("subgraph cluster_2 {")[1].split("  }")[0]
    assert 'label="left_eef";' in cluster
    assert '"left_eef" [label="(no edges)", shape=plaintext];' in cluster
    assert " -> " not in cluster


def test_repeated_src_sink_pairs_are_separate_arrows(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
    dot_to_svg: Callable[[str], str],
) -> None:
    plan = plan_factory(
        [scope_factory("arm", [6])],
        [
            edge_factory("arm", "first", "a", "b", 0, 5),
            edge_factory("arm", "back", "b", "a", 5, 9),
            edge_factory("arm", "second", "a", "b", 9, 12),
        ],
    )
    text = render_dot(plan)
    a_to_b = [line for line in arrow_lines(text) if line.startswith('"arm/a" -> "arm/b" ')]
    assert len(a_to_b) == 2
    assert len(edge_arrows(text, "first")) == len(edge_arrows(text, "second")) == 1
    svg = ET.fromstring(dot_to_svg(text))
    assert len([g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]) == 3


def test_same_key_in_two_scopes_is_two_nodes(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
    dot_to_svg: Callable[[str], str],
) -> None:
    plan = plan_factory(
        [scope_factory("a/b", [1]), scope_factory("a", [1])],
        [edge_factory("a/b", "x", "c", "home", 0, 3), edge_factory("a", "y", "b/c", "home", 0, 3)],
    )
    assert len(svg_nodes(dot_to_svg(render_dot(plan)))) == 4


# --- quoting -----------------------------------------------------------------------------

AWKWARD = [
    'say "hi"',
    "back\\slash",
    "trailing\\",
    "two\nlines",
    "crlf\r\nline",
    "ünïcødé 机械臂 🤖",
    "\\N \\G \\l",
    "a;b{c}[d]=e->f",
    "",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_dot_quote_round_trips_through_the_graphviz_unescaping_rules(text: str) -> None:
    quoted = dot_quote(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    body = quoted[1:-1]
    # inside the quotes, every backslash starts a two-character escape
    assert re.fullmatch(r'(?:[^"\\\n\r]|\\[\\"n])*', body)
    unescaped = re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m[1], m[1]), body)
    assert unescaped == text.replace("\r\n", "\n")


def test_awkward_names_give_valid_dot_and_are_shown_as_written(
    plan_factory: Callable[..., ExecutionPlan],
    edge_factory: Callable[..., PlanEdge],
    scope_factory: Callable[[str, list[int]], PlanScope],
    dot_to_svg: Callable[[str], str],
) -> None:
    scopes = [scope_factory(name, [1]) for name in ['arm "left"', "back\\", "ünï 🤖"]]
    edges = [
        edge_factory('arm "left"', 'go "there"', "a\\b", 'q"', 0, 4, critical=True),
        edge_factory("back\\", "over\nthere", "x\ny", "trailing\\", 4, 9),
        edge_factory("ünï 🤖", "握る", "開く", "閉じる", 9, 12),
    ]
    plan = plan_factory(scopes, edges, sync={"over\nthere": ['go "there"'], "握る": ["over\nthere"]})
    text = render_dot(plan)
    svg = dot_to_svg(text)
    texts = svg_texts(svg)
    for shown in ['arm "left"', "back\\", "ünï 🤖", 'go "there"', "a\\b", 'q"', "trailing\\"]:
        assert shown in texts, shown
    for shown in ["over", "there", "x", "y", "握る", "開く", "閉じる"]:
        assert shown in texts, shown
    assert "sync: 握る after over" in texts
    assert len(svg_nodes(svg)) == 6
    assert len([line for line in arrow_lines(text) if "style=dashed" in line]) == 2


# --- the dataflow view -------------------------------------------------------------------


def test_dataflow_is_accepted_by_graphviz(reference_plan: ExecutionPlan, dot_to_svg: Callable[[str], str]) -> None:
    svg = dot_to_svg(render_dot(reference_plan, "dataflow"))
    assert len(svg_nodes(svg)) == len(reference_plan.node_order) + 4


def test_dataflow_has_a_note_per_environment_key(reference_plan: ExecutionPlan) -> None:
    text = render_dot(reference_plan, view="dataflow")
    notes = re.findall(r'^  "env:([^"]*)" \[label="\1", shape=note\];$', text, re.MULTILINE)
    assert notes == ["bottle_pose", "cup_pose", "left_arm_init_qpos", "right_arm_init_qpos"]


def test_dataflow_has_a_node_per_generator_labelled_with_its_function(
    reference_plan: ExecutionPlan,
) -> None:
    text = render_dot(reference_plan, view="dataflow")
    for node in reference_plan.node_order:
        assert f'"node:{node.label}" [label="{node.label}\\n{node.function}"];' in text


def test_dataflow_arrows_come_from_the_producer_or_the_environment(
    reference_plan: ExecutionPlan,
) -> None:
    arrows = arrow_lines(render_dot(reference_plan, view="dataflow"))
    assert '"env:right_arm_init_qpos" -> "node:right_arm_aim_qpos" ' in arrows[1]
    assert arrows[2] == ('"node:bottle_pre1_qpos" -> "node:right_arm_aim_qpos" [label="bottle_pre1_qpos"];')
    expected = sum(len(node.reads) for node in reference_plan.node_order)
    assert len(arrows) == expected == 12


def test_dataflow_producer_is_the_earliest_writer_before_the_reader(
    plan_factory: Callable[..., ExecutionPlan],
    scope_factory: Callable[[str, list[int]], PlanScope],
    node_factory: Callable[[str, str, str, list[str]], PlanNode],
) -> None:
    first = node_factory("first", "arm", "f", [])
    second = node_factory("second", "arm", "g", [])
    second = second.model_copy(update={"writes": ["second", "first"]})
    reader = node_factory("reader", "arm", "h", ["first", "late", "env_and_late", "nowhere"])
    late = node_factory("late", "arm", "k", [])
    late = late.model_copy(update={"writes": ["late", "env_and_late"]})
    plan = plan_factory(
        [scope_factory("arm", [1])],
        [],
        nodes=[first, second, reader, late],
        environment_keys=["env_and_late"],
    )
    arrows = arrow_lines(render_dot(plan, view="dataflow"))
    assert arrows == [
        '"node:first" -> "node:reader" [label="first"];',
        '"env:env_and_late" -> "node:reader" [label="env_and_late"];',
    ]


# --- determinism and errors --------------------------------------------------------------


@pytest.mark.parametrize("view", ["schedule", "dataflow"])
def test_output_is_byte_identical_across_calls_and_json_round_trips(
    reference_plan: ExecutionPlan, view: DotView
) -> None:
    first = render_dot(reference_plan, view)
    again = render_dot(reference_plan, view)
    copy = ExecutionPlan.from_json(reference_plan.to_json())
    assert first.encode() == again.encode() == render_dot(copy, view).encode()
    assert first.endswith("}\n")


def test_unknown_view_is_an_error_naming_the_valid_views(reference_plan: ExecutionPlan) -> None:
    with pytest.raises(ValueError, match="'schedule', 'dataflow'"):
        render_dot(reference_plan, "gantt")  # type: ignore[arg-type]
