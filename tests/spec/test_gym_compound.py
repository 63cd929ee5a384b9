"""Compound shapes (one rigid body made of several named primitives) and the success
predicates that name their parts: each rule has a fixture that breaks :data:`SCENE` one way
and the (code, JSON pointer) pairs it must give, located in the file.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from actionbank.runtime import RUNTIME
from actionbank.spec.gym_config import GymConfigResult, load_gym_config

PARTS = "/rigid_object/0/shape/parts"
S = "/env/success"

#: A toy-arm scene every check accepts: a Compound stand (a base plate and a post) and a cube.
SCENE: dict[str, Any] = {
    "id": "Compound-v0",
    "max_episode_steps": 100,
    "env": {
        "control_parts": ["arm", "eef"],
        "success": {"func": "object_touches", "params": {"object": "cube", "other": "stand", "other_part": "post"}},
    },
    "robot": {"uid": "bot", "robot_type": "toy_arm"},
    "rigid_object": [
        {
            "uid": "stand",
            "shape": {
                "shape_type": "Compound",
                "parts": [
                    {"name": "base", "shape_type": "Box", "size": [0.05, 0.05, 0.005]},
                    {"name": "post", "shape_type": "Cylinder", "radius": 0.01, "height": 0.1, "pos": [0, 0, 0.05]},
                ],
            },
            "attrs": {"mass": 0.2},
        },
        {"uid": "cube", "shape": {"shape_type": "Cube"}},
    ],
}


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    """:data:`SCENE` with the value at each JSON pointer (whose parents exist) replaced."""
    doc = copy.deepcopy(SCENE)
    for pointer, value in changes.items():
        *parents, last = pointer.strip("/").split("/")
        target: Any = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        target[int(last) if isinstance(target, list) else last] = value
    return doc


def check(folder: Path, doc: Any) -> GymConfigResult:
    path = folder / "gym_config.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = load_gym_config(path, runtime=RUNTIME)
    for d in result.diagnostics:
        assert d.file == str(path) and d.line is not None and d.column is not None, d
    return result


def found(result: GymConfigResult) -> set[tuple[str, str, str]]:
    return {(d.code, d.severity, d.pointer) for d in result.diagnostics}


def test_the_compound_scene_passes_every_check(tmp_path: Path) -> None:
    result = check(tmp_path, SCENE)

    assert result.diagnostics == []
    assert result.config is not None
    parts = result.config.rigid_object[0].shape.parts
    assert parts is not None and [part.name for part in parts] == ["base", "post"]


BASE, POST = f"{PARTS}/0", f"{PARTS}/1"
TOUCH_POST = {"func": "object_touches", "params": {"object": "cube", "other": "stand", "other_part": "post"}}

CASES = [
    pytest.param(
        {"/rigid_object/0/shape": {"shape_type": "Compound"}},
        {("AB604", "error", "/rigid_object/0/shape")},
        id="a Compound without parts",
    ),
    pytest.param({PARTS: []}, {("AB113", "error", PARTS)}, id="an empty parts list"),
    pytest.param(
        {f"{PARTS}/0": {"name": "base", "shape_type": "Box"}},
        {("AB604", "error", BASE)},
        id="a Box part without its size",
    ),
    pytest.param(
        {f"{PARTS}/0/size": [0.05, 0.05]}, {("AB605", "error", f"{BASE}/size")}, id="a Box part with two half extents"
    ),
    pytest.param(
        {f"{PARTS}/1": {"name": "post", "shape_type": "Cylinder", "radius": 0.01}},
        {("AB604", "error", POST)},
        id="a Cylinder part without its height",
    ),
    pytest.param(
        {f"{PARTS}/0/size": [0.05, 0.05, 0.0002]},
        {("AB113", "error", f"{BASE}/size/2")},
        id="a part thinner than the schema allows",
    ),
    pytest.param(
        {f"{PARTS}/0/size": [0.05, 0.05, 0.002], "/rigid_object/0/body_scale": [1, 1, 0.1]},
        {("AB632", "error", BASE)},
        id="a part scaled below half a millimetre",
    ),
    pytest.param({f"{PARTS}/0/name": "post"}, {("AB722", "error", f"{POST}/name")}, id="two parts with one name"),
    pytest.param({f"{PARTS}/0/name": ""}, {("AB113", "error", f"{BASE}/name")}, id="an empty part name"),
    pytest.param({f"{PARTS}/0/shape_type": "Mesh"}, {("AB113", "error", f"{BASE}/shape_type")}, id="a Mesh part"),
    pytest.param({f"{PARTS}/0/rgba": [1, 0, 0]}, {("AB113", "error", f"{BASE}/rgba")}, id="an rgba of three values"),
    pytest.param({f"{PARTS}/0/colour": [1, 0, 0, 1]}, {("AB111", "error", f"{BASE}/colour")}, id="an unknown part key"),
    pytest.param(
        {"/rigid_object/1/shape/parts": [{"name": "a", "shape_type": "Cube"}]},
        {("AB720", "warning", "/rigid_object/1/shape/parts")},
        id="parts on a Cube",
    ),
    pytest.param(
        {"/rigid_object/0/shape/radius": 0.05, "/rigid_object/0/shape/hollow": True},
        {("AB721", "warning", "/rigid_object/0/shape/radius"), ("AB721", "warning", "/rigid_object/0/shape/hollow")},
        id="a Compound given a single primitive's fields",
    ),
    pytest.param(
        {f"{PARTS}/0/radius": 0.05, f"{PARTS}/1/size": [0.01, 0.01, 0.01]},
        {("AB721", "warning", f"{BASE}/radius"), ("AB721", "warning", f"{POST}/size")},
        id="parts given size fields their primitive does not read",
    ),
    pytest.param(
        {"/rigid_object/1/uid": "stand/post", "/env/success": {"func": "upright", "params": {"object": "stand"}}},
        {("AB629", "error", "/rigid_object/1/uid")},
        id="an object named like a part's geom",
    ),
    pytest.param(
        {f"{S}/params/other_part": "pillar"},
        {("AB614", "error", f"{S}/params/other_part")},
        id="an unknown part",
    ),
    pytest.param(
        {f"{S}/params/part": "post"},
        {("AB614", "error", f"{S}/params/part")},
        id="a part of an object that is not a Compound",
    ),
    pytest.param(
        {f"{S}/params": {"object": "cube", "other": "base", "other_part": "post"}},
        {("AB614", "error", f"{S}/params/other_part")},
        id="a part of a robot body",
    ),
    pytest.param(
        {f"{S}/params": {"object": "cube", "other": "stnd", "other_part": "post"}},
        {("AB614", "error", f"{S}/params/other")},
        id="a part of an unknown object is reported once, at the object",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_compound_shapes_and_their_parts_are_checked_where_they_are_written(
    tmp_path: Path, changes: dict[str, Any], expected: set[tuple[str, str, str]]
) -> None:
    result = check(tmp_path, changed(changes))

    assert found(result) == expected
    errors = any(severity == "error" for _, severity, _ in expected)
    assert (result.config is None) == errors


def test_an_unknown_part_names_the_parts_of_its_object(tmp_path: Path) -> None:
    (diagnostic,) = check(tmp_path, changed({f"{S}/params/other_part": "pst"})).diagnostics

    assert diagnostic.message == "env.success.params.other_part: there is no part of 'stand' 'pst'"
    assert diagnostic.hint == "did you mean 'post'?; parts: 'base', 'post'"


def test_a_part_of_a_box_says_only_a_compound_has_parts(tmp_path: Path) -> None:
    (diagnostic,) = check(tmp_path, changed({f"{S}/params/part": "post"})).diagnostics

    assert diagnostic.hint is not None
    assert diagnostic.hint.startswith("'cube' is a Cube, not a Compound: only a Compound has parts")
