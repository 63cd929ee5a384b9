"""Hand-built ``ExecutionPlan`` fixtures for the renderer tests."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest

from actionbank.plan import ExecutionPlan, PlanEdge, PlanNode, PlanScope, PlanSync

# (scope, name, src, sink, start, end, span_end) of the pour-water reference schedule.
_REFERENCE_EDGES = [
    ("right_arm", "init_to_aim", "right_arm_init_qpos", "right_arm_aim_qpos", 0, 10, 10),
    ("right_arm", "aim_to_pre1", "right_arm_aim_qpos", "bottle_pre1_qpos", 10, 34, 34),
    ("right_arm", "pre1_to_grasp", "bottle_pre1_qpos", "bottle_grasp_qpos", 34, 58, 58),
    ("right_arm", "grasp_to_up", "bottle_grasp_qpos", "bottle_up_qpos", 69, 73, 73),
    ("right_arm", "up_to_move", "bottle_up_qpos", "pour_water_start_qpos", 73, 93, 93),
    (
        "right_arm",
        "move_to_rotation",
        "pour_water_start_qpos",
        "bottle_rotation_qpos",
        93,
        117,
        117,
    ),
    (
        "right_arm",
        "rotation_back_to_move",
        "bottle_rotation_qpos",
        "pour_water_start_qpos",
        117,
        141,
        141,
    ),
    (
        "right_arm",
        "move_back_to_pre_place",
        "pour_water_start_qpos",
        "bottle_pre_place_qpos",
        141,
        161,
        161,
    ),
    (
        "right_arm",
        "pre_place_back_to_place",
        "bottle_pre_place_qpos",
        "bottle_place_qpos",
        161,
        165,
        165,
    ),
    ("right_arm", "place_back_to_init", "bottle_place_qpos", "right_arm_init_qpos", 176, 200, 200),
    ("left_arm", "left_init_to_monitor", "left_arm_init_qpos", "left_monitor_qpos", 0, 15, 176),
    ("left_arm", "left_arm_go_back", "left_monitor_qpos", "left_arm_init_qpos", 176, 191, 191),
    ("right_eef", "rclose0", "ropen", "rclose", 58, 69, 69),
    ("right_eef", "ropen0", "rclose", "ropen", 165, 176, 176),
]
_REFERENCE_FUNCTIONS = {"rclose0": "execute_close", "ropen0": "execute_open"}
_REFERENCE_SLACK = {"left_init_to_monitor": 161, "left_arm_go_back": 9}
REFERENCE_CRITICAL_PATH = [
    "init_to_aim",
    "aim_to_pre1",
    "pre1_to_grasp",
    "rclose0",
    "grasp_to_up",
    "up_to_move",
    "move_to_rotation",
    "rotation_back_to_move",
    "move_back_to_pre_place",
    "pre_place_back_to_place",
    "ropen0",
    "place_back_to_init",
]
REFERENCE_SYNC = {
    "rclose0": ["pre1_to_grasp"],
    "grasp_to_up": ["rclose0"],
    "ropen0": ["pre_place_back_to_place"],
    "place_back_to_init": ["ropen0"],
    "left_arm_go_back": ["ropen0"],
}
# (label, scope, function, reads)
_REFERENCE_NODES = [
    ("ropen", "right_eef", "constant_qpos", []),
    ("rclose", "right_eef", "constant_qpos", []),
    ("bottle_pre1_qpos", "right_arm", "ik_from_pose", ["bottle_pose"]),
    (
        "right_arm_aim_qpos",
        "right_arm",
        "interpolate_qpos",
        ["right_arm_init_qpos", "bottle_pre1_qpos"],
    ),
    ("bottle_grasp_qpos", "right_arm", "ik_from_pose", ["bottle_pose", "bottle_pre1_qpos"]),
    ("bottle_up_qpos", "right_arm", "offset_qpos", ["bottle_grasp_qpos"]),
    ("pour_water_start_qpos", "right_arm", "ik_from_pose", ["cup_pose", "bottle_up_qpos"]),
    ("bottle_rotation_qpos", "right_arm", "rotate_joint", ["pour_water_start_qpos"]),
    ("bottle_pre_place_qpos", "right_arm", "ik_from_pose", ["bottle_pose"]),
    ("bottle_place_qpos", "right_arm", "offset_qpos", ["bottle_pre_place_qpos"]),
    ("left_monitor_qpos", "left_arm", "given_qpos", ["left_arm_init_qpos"]),
]
REFERENCE_ENVIRONMENT_KEYS = [
    "bottle_pose",
    "cup_pose",
    "left_arm_init_qpos",
    "right_arm_init_qpos",
]


def make_scope(name: str, shape: list[int]) -> PlanScope:
    return PlanScope(name=name, shape=shape, dtype="float32", init_method="current_qpos")


def make_edge(
    scope: str,
    name: str,
    src: str,
    sink: str,
    start: int,
    end: int,
    span_end: int | None = None,
    *,
    function: str = "plan_trajectory",
    slack: int = 0,
    critical: bool = False,
) -> PlanEdge:
    return PlanEdge(
        scope=scope,
        name=name,
        function=function,
        src=src,
        sink=sink,
        start=start,
        end=end,
        span_end=end if span_end is None else span_end,
        duration=end - start,
        fill_type="still",
        slack=slack,
        critical=critical,
        kwargs={},
    )


def make_node(label: str, scope: str, function: str, reads: list[str]) -> PlanNode:
    return PlanNode(label=label, scope=scope, function=function, kwargs={}, reads=reads, writes=[label])


def make_plan(
    scopes: list[PlanScope],
    edges: list[PlanEdge],
    *,
    sync: dict[str, list[str]] | None = None,
    nodes: list[PlanNode] | None = None,
    environment_keys: list[str] | None = None,
    makespan: int | None = None,
) -> ExecutionPlan:
    return ExecutionPlan(
        makespan=max((e.span_end for e in edges), default=0) if makespan is None else makespan,
        scopes=scopes,
        edges=edges,
        node_order=nodes or [],
        sync=[PlanSync(edge=edge, after=after) for edge, after in (sync or {}).items()],
        critical_path=[e.name for e in edges if e.critical],
        environment_keys=environment_keys or [],
    )


@pytest.fixture
def reference_plan() -> ExecutionPlan:
    """The pour-water reference schedule: makespan 200 steps, four scopes, 14 edges."""
    edges = [
        make_edge(
            scope,
            name,
            src,
            sink,
            start,
            end,
            span_end,
            function=_REFERENCE_FUNCTIONS.get(name, "plan_trajectory"),
            slack=_REFERENCE_SLACK.get(name, 0),
            critical=name in REFERENCE_CRITICAL_PATH,
        )
        for scope, name, src, sink, start, end, span_end in _REFERENCE_EDGES
    ]
    return ExecutionPlan(
        makespan=200,
        scopes=[
            make_scope("right_arm", [6]),
            make_scope("left_arm", [6]),
            make_scope("left_eef", [1]),
            make_scope("right_eef", [1]),
        ],
        edges=edges,
        node_order=[make_node(*node) for node in _REFERENCE_NODES],
        sync=[PlanSync(edge=edge, after=after) for edge, after in REFERENCE_SYNC.items()],
        critical_path=REFERENCE_CRITICAL_PATH,
        environment_keys=REFERENCE_ENVIRONMENT_KEYS,
    )


@pytest.fixture
def plan_factory() -> Callable[..., ExecutionPlan]:
    """``make_plan`` for tests that build small plans of their own."""
    return make_plan


@pytest.fixture
def edge_factory() -> Callable[..., PlanEdge]:
    return make_edge


@pytest.fixture
def scope_factory() -> Callable[[str, list[int]], PlanScope]:
    return make_scope


@pytest.fixture
def node_factory() -> Callable[[str, str, str, list[str]], PlanNode]:
    return make_node


@pytest.fixture
def dot_to_svg() -> Callable[[str], str]:
    """Run Graphviz ``dot -Tsvg`` on DOT text; fail the test if it rejects it."""
    dot = shutil.which("dot")
    if dot is None:
        pytest.fail(
            "Graphviz `dot` is not on PATH; install Debian's graphviz "
            "(apt-get install graphviz) to run the renderer tests."
        )

    def run(text: str) -> str:
        done = subprocess.run([dot, "-Tsvg"], input=text.encode(), capture_output=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        assert done.stderr == b"", done.stderr.decode(errors="replace")
        svg = done.stdout.decode()
        assert "<svg" in svg
        return svg

    return run
