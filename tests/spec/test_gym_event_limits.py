"""What an event draws stays within what the scene can take (AB638, AB639), and the dataset
checks (AB636, AB113 for a blank instruction) and pose-named affordances (AB637): each a small
fixture on the checks' toy scene and the (code, pointer) pairs it must give."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from actionbank.runtime import RUNTIME
from actionbank.source import pointer as jp
from actionbank.spec.gym_config import load_gym_config

#: A toy-arm scene every check accepts: a camera (fx = fy = 50 px) and an object.
SCENE: dict[str, Any] = {
    "id": "Limits-v0",
    "max_episode_steps": 100,
    "env": {"control_parts": ["arm", "eef"]},
    "robot": {"uid": "bot", "robot_type": "toy_arm"},
    "sensor": [
        {
            "uid": "cam",
            "width": 64,
            "height": 48,
            "intrinsics": [50, 50, 32, 24],
            "extrinsics": {"eye": [1, 0, 1], "target": [0, 0, 0]},
        }
    ],
    "rigid_object": [{"uid": "block", "shape": {"shape_type": "Box", "size": [0.02, 0.02, 0.02]}}],
}


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    """:data:`SCENE` with the value at each JSON pointer set (missing objects on the way made)."""
    doc = copy.deepcopy(SCENE)
    for pointer, value in changes.items():
        *parents, last = jp.split(pointer)
        target: Any = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target.setdefault(token, {})
        target[int(last) if isinstance(target, list) else last] = copy.deepcopy(value)
    return doc


def found(folder: Path, doc: Any) -> set[tuple[str, str]]:
    """(code, pointer) of each diagnostic of the checks ``lint`` and ``generate`` run on ``doc``;
    each must be located."""
    path = folder / "gym_config.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = load_gym_config(path, runtime=RUNTIME)
    assert all(d.line is not None for d in result.diagnostics), result.diagnostics
    return {(d.code, d.pointer) for d in result.diagnostics}


def event(func: str, **params: Any) -> dict[str, Any]:
    return {"func": func, "mode": "reset", "params": params}


E = "/env/events/e"
QPOS = "randomize_robot_qpos"
#: The toy scene on the SO-101, whose model states its joints' ranges [rad]:
#: shoulder_pan ±1.92, shoulder_lift ±1.75, elbow_flex ±1.69, wrist_flex ±1.66, wrist_roll -2.74..2.84;
#: home (0, -1, 1, 0.5, 0), gripper open (1).
SO101 = {"/robot/robot_type": "so101", "/env/control_parts": ["arm", "gripper"]}


def qpos_event(mode: str = "reset", **params: Any) -> dict[str, Any]:
    return {**event(QPOS, entity_cfg={"uid": "bot"}, **params), "mode": mode}


CASES = [
    pytest.param(
        {E: qpos_event(qpos_range=[[-0.1], [0.1]], relative_qpos=False)}, set(), id="absolute values inside the ranges"
    ),
    pytest.param(
        {E: qpos_event(qpos_range=[[0.0], [3.0]], relative_qpos=False)},
        {("AB639", f"{E}/params/qpos_range/1/0")},
        id="one absolute bound for every joint, outside the first: reported once",
    ),
    pytest.param(
        {E: qpos_event(qpos_range=[[-2.0, 0, 0, 0, 0], [0, 0, 0, 0, 3.0]], relative_qpos=False)},
        {("AB639", f"{E}/params/qpos_range/0/0"), ("AB639", f"{E}/params/qpos_range/1/4")},
        id="a bound per joint: each one outside",
    ),
    pytest.param({E: qpos_event(qpos_range=[[-0.1], [0.1]])}, set(), id="relative, inside from the home pose"),
    pytest.param(
        {E: qpos_event(qpos_range=[[0, 0, 0, 0, 0], [0, 0, 0, 1.5, 0]])},
        {("AB639", f"{E}/params/qpos_range/1/3")},
        id="relative, wrist_flex 0.5 + 1.5 beyond 1.66",
    ),
    pytest.param(
        {E: qpos_event(qpos_range=[[0, 0, 0, 0, 0], [0, 0, 0, 1.5, 0]]), "/robot/init_qpos": [0, -1, 1, 0, 0, 1]},
        set(),
        id="relative, from robot.init_qpos where it fits",
    ),
    pytest.param(
        {E: qpos_event("interval", qpos_range=[[0, 0, 0, 0, 0], [0, 0, 0, 1.5, 0]])},
        set(),
        id="relative during the episode: the start is not known",
    ),
    pytest.param(
        {
            E: qpos_event(qpos_range=[[0, 0, 0, 0, 0], [0, 0, 0, 1.5, 0]]),
            "/env/events/f": qpos_event(qpos_range=[[-0.1], [0.1]]),
        },
        set(),
        id="relative after another joint event: the start is not known",
    ),
    pytest.param(
        {
            E: {**qpos_event(qpos_range=[[0.5], [1.5]], relative_qpos=False)},
            f"{E}/params/entity_cfg/control_parts": ["gripper"],
        },
        {("AB639", f"{E}/params/qpos_range/1/0")},
        id="a gripper beyond open",
    ),
    pytest.param(
        {E: qpos_event(qpos_range=[[-0.1], [0.1]]), "/env/control_parts": ["gripper"]},
        {("AB113", f"{E}/params/entity_cfg")},
        id="no part named and no arm among the control parts: it moves nothing",
    ),
    pytest.param(
        {E: qpos_event(qpos_range=[[-0.1], [0.1]], joint_ids=[0, 5])},
        {("AB113", f"{E}/params/joint_ids/1")},
        id="a joint id beyond the arm's joints",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_robot_joint_events_stay_within_the_joints_ranges(
    changes: dict[str, Any], expected: set[tuple[str, str]], tmp_path: Path
) -> None:
    assert found(tmp_path, changed({**SO101, **changes})) == expected


INTRINSICS = "randomize_camera_intrinsics"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"focal_x_range": [-49, 5]}, set(), id="a negative offset that keeps fx above 0"),
        pytest.param({"focal_x_range": [-50, 5]}, {("AB638", f"{E}/params/focal_x_range/0")}, id="fx down to 0"),
        pytest.param({"focal_y_range": [-80, -60]}, {("AB638", f"{E}/params/focal_y_range/0")}, id="fy below 0"),
    ],
)
def test_camera_intrinsics_events_keep_the_focal_lengths_positive(
    params: dict[str, Any], expected: set[tuple[str, str]], tmp_path: Path
) -> None:
    assert found(tmp_path, changed({E: event(INTRINSICS, entity_cfg={"uid": "cam"}, **params)})) == expected


LEROBOT = {"robot_meta": {"robot_type": "toy_arm"}, "instruction": {"lang": "pick up the block"}}
PARAMS = "/env/dataset/lerobot/params"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({f"{PARAMS}/use_videos": False}, set(), id="images without depth"),
        pytest.param({"/sensor/0/enable_depth": True}, set(), id="depth in videos"),
        pytest.param(
            {"/sensor/0/enable_depth": True, f"{PARAMS}/use_videos": False},
            {("AB636", "/sensor/0/enable_depth")},
            id="depth without videos",
        ),
        pytest.param(
            {f"{PARAMS}/instruction/lang": " \t"}, {("AB113", f"{PARAMS}/instruction/lang")}, id="a blank instruction"
        ),
        pytest.param(
            {f"{PARAMS}/instruction/lang": ["pick up the block", ""]},
            {("AB113", f"{PARAMS}/instruction/lang/1")},
            id="a blank phrasing",
        ),
    ],
)
def test_what_the_recorder_cannot_write_is_refused(
    changes: dict[str, Any], expected: set[tuple[str, str]], tmp_path: Path
) -> None:
    scene = changed({"/env/dataset": {"lerobot": {"params": LEROBOT}}, **changes})
    assert found(tmp_path, scene) == expected


POSE = [[1, 0, 0, 0.1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]


@pytest.mark.parametrize(
    ("affordances", "expected"),
    [
        pytest.param({"drop_pose": POSE, "grasp_pose_object": [POSE]}, set(), id="4x4 poses, one in a batch of one"),
        pytest.param({"reach_qpos": [0.1, 0.2, 0.3], "lift": 0.1}, set(), id="not named as poses"),
        pytest.param({"drop_pose": POSE[:3]}, {("AB637", "/env/affordances/drop_pose")}, id="3 rows"),
        pytest.param({"grasp_pose_object": 0.5}, {("AB637", "/env/affordances/grasp_pose_object")}, id="a number"),
        pytest.param(
            {"drop_pose": [[0.71, -0.71, 0, 0], [0.71, 0.71, 0, 0], [0, 0, 1, 0.2], [0, 0, 0, 1]]},
            set(),
            id="45 degrees about z, written to two digits",
        ),
        pytest.param(
            {"drop_pose": [[2, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]},
            {("AB640", "/env/affordances/drop_pose")},
            id="a scale",
        ),
        pytest.param(
            {"grasp_pose_object": [[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, -1, 0], [0, 0, 0, 1]]]},
            {("AB640", "/env/affordances/grasp_pose_object")},
            id="a reflection, in a batch of one",
        ),
        pytest.param(
            {"drop_pose": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0.1, 0, 0, 1]]},
            {("AB640", "/env/affordances/drop_pose")},
            id="the position in the last row (transposed)",
        ),
    ],
)
def test_an_affordance_named_as_a_pose_is_a_4x4_matrix(
    affordances: dict[str, Any], expected: set[tuple[str, str]], tmp_path: Path
) -> None:
    assert found(tmp_path, changed({"/env/affordances": affordances})) == expected


@pytest.mark.parametrize(
    ("matrix", "reason"),
    [
        (
            [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0.1, 0, 0, 1]],
            "its last row is [0.1, 0.0, 0.0, 1.0], not [0, 0, 0, 1]",
        ),
        (
            [[1, 0.5, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
            "its rotation part is not orthonormal (its columns' dot products are off by up to 0.5)",
        ),
        (
            [[-1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
            "its rotation part is a reflection (determinant -1)",
        ),
        ([[0, -1, 0, 0.3], [1, 0, 0, 0], [0, 0, 1, 0.1], [0, 0, 0, 1]], None),
    ],
)
def test_a_pose_is_a_rigid_transform(matrix: list[list[float]], reason: str | None) -> None:
    from actionbank.spec.gym_value_checks import rigid_problem

    problem = rigid_problem(matrix)
    assert problem == reason if reason is None else problem is not None and problem.startswith(reason)
