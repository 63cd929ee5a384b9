"""Each gym config check: a small fixture and the codes it must give, at their places.

The fixtures break :data:`SCENE` (a toy-arm scene that passes every check) one way each and
run the checks ``lint`` and ``generate`` run (the runtime's declarations, files beside the
config). Expected results are (code, JSON pointer) pairs; every diagnostic must be located.
"""

from __future__ import annotations

import copy
import json
import struct
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import TETRAHEDRON, binary_stl

from actionbank.runtime import RUNTIME
from actionbank.source import pointer as jp
from actionbank.spec.gym_config import GymConfigResult, load_gym_config
from actionbank.spec.mesh_files import mesh_problem

#: A toy-arm scene every check accepts: a light, three objects (one static, one a hollow cup
#: holding particles) and a look-at camera.
SCENE: dict[str, Any] = {
    "id": "Checks-v0",
    "max_episode_steps": 100,
    "control_freq": 50,
    "physics": {"timestep": 0.002},
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
    "light": {"direct": [{"uid": "lamp", "init_pos": [0, 0, 1]}]},
    "rigid_object": [
        {"uid": "block", "shape": {"shape_type": "Box", "size": [0.02, 0.02, 0.02]}},
        {"uid": "shelf", "shape": {"shape_type": "Box", "size": [0.1, 0.1, 0.01]}, "body_type": "static"},
        {"uid": "cup", "shape": {"shape_type": "Cylinder", "radius": 0.04, "height": 0.08, "hollow": True}},
    ],
    "particles": [{"uid": "water", "container": "cup", "count": 3, "radius": 0.005, "mass": 0.001}],
}

DELETE = object()


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    """:data:`SCENE` with the value at each JSON pointer replaced (or deleted: :data:`DELETE`)."""
    doc = copy.deepcopy(SCENE)
    for pointer, value in changes.items():
        *parents, last = jp.split(pointer)
        target: Any = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target.setdefault(token, {})
        key: Any = int(last) if isinstance(target, list) else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return doc


def check(folder: Path, doc: Any, *, allow_outside_assets: bool = False) -> GymConfigResult:
    path = folder / "gym_config.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = load_gym_config(path, runtime=RUNTIME, allow_outside_assets=allow_outside_assets)
    for d in result.diagnostics:
        assert d.file == str(path) and d.line is not None and d.column is not None, d
    return result


def found(result: GymConfigResult) -> set[tuple[str, str]]:
    return {(d.code, d.pointer) for d in result.diagnostics}


def event(func: str, **params: Any) -> dict[str, Any]:
    return {"func": func, "mode": "reset", "params": params}


def test_the_scene_passes_every_check(tmp_path: Path) -> None:
    result = check(tmp_path, SCENE)

    assert result.diagnostics == []
    assert result.config is not None


# -- event and success params ----------------------------------------------------------------

E = "/env/events/e"
POSE = "randomize_rigid_object_pose"

PARAMS_CASES = [
    pytest.param(
        {E: event(POSE, entity_cfg={"uid": "block"}, position_range=[[0.1, 0, 0], [0, 0, 0]])},
        {("AB613", f"{E}/params/position_range")},
        id="position range low above high",
    ),
    pytest.param(
        {E: event(POSE, entity_cfg={"uid": "block"}, rotation_range=[[0, 0, 30], [0, 0, -30]])},
        {("AB613", f"{E}/params/rotation_range")},
        id="rotation range low above high",
    ),
    pytest.param(
        {E: event(POSE, entity_cfg={"uid": "block"}, position_range=[[0, 0], [1, 1]])},
        {("AB113", f"{E}/params/position_range/0"), ("AB113", f"{E}/params/position_range/1")},
        id="position range of 2-vectors",
    ),
    pytest.param(
        {E: event(POSE, position_range=[[0, 0, 0], [0, 0, 0]])},
        {("AB110", f"{E}/params")},
        id="no entity_cfg",
    ),
    pytest.param(
        {E: event(POSE, entity_cfg={"uid": "blok"})},
        {("AB614", f"{E}/params/entity_cfg/uid")},
        id="unknown object",
    ),
    pytest.param(
        {E: event(POSE, entity_cfg={"uid": "shelf"})},
        {("AB614", f"{E}/params/entity_cfg/uid")},
        id="a static object cannot be moved",
    ),
    pytest.param(
        {E: event("randomize_light", entity_cfg={"uid": "lmp"}, intensity_range=[0.8, 0.5])},
        {("AB614", f"{E}/params/entity_cfg/uid"), ("AB613", f"{E}/params/intensity_range")},
        id="unknown light and inverted intensity",
    ),
    pytest.param(
        {E: event("randomize_robot_qpos", entity_cfg={"uid": "robot", "control_parts": ["arm", "wrist"]})},
        {("AB614", f"{E}/params/entity_cfg/uid"), ("AB614", f"{E}/params/entity_cfg/control_parts/1")},
        id="unknown robot uid and control part",
    ),
    pytest.param(
        {E: event("randomize_visual_material", entity_cfg={"uid": "cup"}, base_color_range=[[0, 0, 0], [1, 1, 2]])},
        {("AB113", f"{E}/params/base_color_range/1/2")},
        id="a colour above one",
    ),
    pytest.param(
        {"/env/success": {"func": "pour_water_success", "params": {"particles": "sand", "cup": "block"}}},
        {
            ("AB614", "/env/success/params/particles"),
            ("AB614", "/env/success/params/cup"),
            ("AB614", "/env/success/params/bottle"),
        },
        id="pour water success: unknown particles, a Box cup and a default bottle that is not there",
    ),
    pytest.param(
        {"/env/success": {"func": "pour_water_success", "params": {"bottle": "block", "min_fraction": 2}}},
        {("AB113", "/env/success/params/min_fraction")},
        id="pour water success: a fraction above one",
    ),
    pytest.param(
        {
            "/env/success": {
                "func": "transfer_cube_success",
                "params": {"object": "block", "receiver": "hand", "giver": "arm", "table": "tabel"},
            }
        },
        {("AB614", "/env/success/params/receiver"), ("AB614", "/env/success/params/table")},
        id="transfer cube success: unknown robot part and body",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), PARAMS_CASES)
def test_event_and_success_params_are_typed_and_name_what_exists(
    tmp_path: Path, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    result = check(tmp_path, changed(changes))

    assert found(result) == expected
    assert result.config is None


def test_a_misspelt_param_is_an_error_at_its_line_with_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "gym_config.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: Test-v0
            max_episode_steps: 100
            env:
              control_parts: [arm, eef]
              events:
                place:
                  func: randomize_rigid_object_pose
                  mode: reset
                  params:
                    entity_cfg: {uid: block}
                    position_rang: [[0, 0, 0], [0.1, 0.1, 0]]
            robot: {uid: bot, robot_type: toy_arm}
            rigid_object: [{uid: block, shape: {shape_type: Cube}}]
            """
        )
    )

    result = load_gym_config(path, runtime=RUNTIME)

    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("AB111", 11, 9)]
    assert result.diagnostics[0].message == "unknown key 'position_rang' in 'env.events.place.params'"
    assert result.diagnostics[0].hint is not None and "did you mean 'position_range'?" in result.diagnostics[0].hint


def test_an_unknown_entity_hint_names_the_choices_and_why_a_near_miss_does_not_fit(tmp_path: Path) -> None:
    static = check(tmp_path, changed({E: event(POSE, entity_cfg={"uid": "shelf"})})).diagnostics[0]
    typo = check(tmp_path, changed({E: event("randomize_light", entity_cfg={"uid": "lmp"})})).diagnostics[0]

    assert static.message == "env.events.e.params.entity_cfg.uid: there is no movable object 'shelf'"
    assert static.hint is not None and static.hint.startswith("'shelf' is static and cannot be moved")
    assert typo.hint == "did you mean 'lamp'?; lights: 'lamp'"


def test_a_random_texture_is_accepted_without_a_warning_now_that_textures_are_drawn(tmp_path: Path) -> None:
    doc = changed({E: event("randomize_visual_material", entity_cfg={"uid": "cup"}, random_texture_prob=0.5)})

    result = check(tmp_path, doc)

    assert result.diagnostics == [] and result.config is not None


def test_params_of_a_function_the_runtime_does_not_declare_are_left_to_ab610(tmp_path: Path) -> None:
    result = check(tmp_path, changed({E: event("record_camera_data", anything=[1])}))

    assert found(result) == {("AB610", f"{E}/func")}


# -- values the simulation cannot honour ------------------------------------------------------

CAMERA = "/sensor/0"
ATTACHED = {"parent": "hand_link", "pos": [0, 0, 0.05]}

VALUE_CASES = [
    pytest.param({"/robot/init_qpos": [0.0, 0.1]}, {("AB619", "/robot/init_qpos")}, id="init_qpos too short"),
    pytest.param(
        {"/robot/init_qpos": [0.0, 0.1, 0.2, 1.5]},
        {("AB634", "/robot/init_qpos/3")},
        id="a gripper value past open (1)",
    ),
    pytest.param({"/control_freq": 30}, {("AB620", "/physics/timestep")}, id="2 ms does not divide 1/30 s"),
    pytest.param(
        {"/control_freq": 7.3, "/physics/timestep": 0.001},
        {("AB620", "/physics/timestep"), ("AB621", "/control_freq")},
        id="7.3 Hz",
    ),
    pytest.param(
        {"/control_freq": 12.5, "/physics/timestep": 0.004}, {("AB621", "/control_freq")}, id="12.5 Hz (fps 12)"
    ),
    pytest.param({"/physics/timestep": 0.04}, {("AB620", "/physics/timestep")}, id="a step longer than the period"),
    pytest.param(
        {"/env/affordances": {"pose": [[1, 0], [0]], "word": "up", "flag": True, "cell": [[1, "a"]]}},
        {
            ("AB618", "/env/affordances/pose/1"),
            ("AB618", "/env/affordances/word"),
            ("AB618", "/env/affordances/flag"),
            ("AB618", "/env/affordances/cell/0/1"),
        },
        id="ragged, string, boolean and non-numeric affordances",
    ),
    pytest.param({"/particles/0/container": "block"}, {("AB622", "/particles/0/container")}, id="particles in a Box"),
    pytest.param(
        {"/rigid_object/2/shape/hollow": False}, {("AB622", "/particles/0/container")}, id="particles in a solid cup"
    ),
    pytest.param({f"{CAMERA}/uid": "cams/high"}, {("AB623", f"{CAMERA}/uid")}, id="a slash in a camera uid"),
    pytest.param(
        {f"{CAMERA}/extrinsics": {"eye": [0, 0, 1], "target": [0, 0, 1]}},
        {("AB624", f"{CAMERA}/extrinsics/target")},
        id="eye at the target",
    ),
    pytest.param(
        {f"{CAMERA}/extrinsics": {"eye": [0, 0, 1], "target": [0, 0, 0]}},
        {("AB625", f"{CAMERA}/extrinsics/up")},
        id="looking straight down with up along z",
    ),
    pytest.param(
        {f"{CAMERA}/extrinsics": {"eye": [1, 0, 1], "target": [0, 0, 0], "up": [0, 0, 0]}},
        {("AB625", f"{CAMERA}/extrinsics/up")},
        id="a zero up",
    ),
    pytest.param(
        {f"{CAMERA}/extrinsics": {**ATTACHED, "quat": [0, 0, 0, 0]}},
        {("AB626", f"{CAMERA}/extrinsics/quat")},
        id="a zero quaternion",
    ),
    pytest.param(
        {"/light/direct/0/light_type": "directional", "/light/direct/0/direction": [0, 0, 0]},
        {("AB628", "/light/direct/0/direction")},
        id="a directional light without a direction",
    ),
    pytest.param({"/rigid_object/0/uid": "floor"}, {("AB629", "/rigid_object/0/uid")}, id="the toy arm's floor"),
    pytest.param(
        {"/rigid_object/0/uid": "water_1"}, {("AB629", "/particles/0/uid")}, id="an object named like a particle"
    ),
    pytest.param(
        {"/rigid_object/1/uid": "cup_wall3", "/rigid_object/1/body_type": "dynamic"},
        {("AB629", "/rigid_object/2/uid")},
        id="a cup whose wall takes another object's name",
    ),
    pytest.param(
        {"/rigid_object/0/shape/size": [0.001, 0.02, 0.02], "/rigid_object/0/body_scale": [0.1, 1, 1]},
        {("AB632", "/rigid_object/0/shape")},
        id="a box scaled below half a millimetre",
    ),
    pytest.param({f"{CAMERA}/width": 5000}, {("AB113", f"{CAMERA}/width")}, id="an image wider than 4096 px"),
    pytest.param({"/particles/0/count": 1001}, {("AB113", "/particles/0/count")}, id="more than 1000 particles"),
    pytest.param(
        {"/rigid_object/0/attrs": {"mass": 1e-9}}, {("AB113", "/rigid_object/0/attrs/mass")}, id="a mass below 1 mg"
    ),
]


@pytest.mark.parametrize(("changes", "expected"), VALUE_CASES)
def test_values_the_simulation_cannot_honour_are_errors_before_anything_runs(
    tmp_path: Path, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    result = check(tmp_path, changed(changes))

    assert found(result) == expected
    assert result.config is None


def test_a_wrong_init_qpos_says_the_length_and_the_joint_names(tmp_path: Path) -> None:
    (diagnostic,) = check(tmp_path, changed({"/robot/init_qpos": [0.0, 0.1]})).diagnostics

    assert diagnostic.message == "robot.init_qpos has 2 values, but the control parts arm, eef take 4"
    assert diagnostic.hint is not None and "waist, shoulder, elbow, eef_gripper" in diagnostic.hint


def test_a_timestep_that_does_not_divide_the_period_suggests_one_that_does(tmp_path: Path) -> None:
    (diagnostic,) = check(tmp_path, changed({"/control_freq": 30})).diagnostics

    assert "1/30 Hz = 0.0333333 s" in diagnostic.message and "16.6667 physics steps" in diagnostic.message
    assert diagnostic.hint == "e.g. timestep 0.00196078 s gives 17 physics step(s) per control step"


WARNING_CASES = [
    pytest.param(
        {f"{CAMERA}/extrinsics": {**ATTACHED, "quat": [2, 0, 0, 0]}},
        {("AB627", f"{CAMERA}/extrinsics/quat")},
        id="a quaternion of length 2",
    ),
    pytest.param({"/robot/init_pos": [0, 0, 0.1]}, {("AB630", "/robot/init_pos")}, id="a robot base position"),
    pytest.param(
        {f"{CAMERA}/intrinsics": [50, 60, 30, 24]}, {("AB631", f"{CAMERA}/intrinsics")}, id="fx != fy, cx off centre"
    ),
]


@pytest.mark.parametrize(("changes", "expected"), WARNING_CASES)
def test_what_this_backend_does_differently_is_a_warning(
    tmp_path: Path, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    result = check(tmp_path, changed(changes))

    assert found(result) == expected
    assert all(d.severity == "warning" for d in result.diagnostics)
    assert result.config is not None


def test_an_attached_camera_looking_along_up_is_fine_and_a_look_at_across_it_too(tmp_path: Path) -> None:
    down = {f"{CAMERA}/extrinsics": {"eye": [0, 0, 1], "target": [0, 0, 0], "up": [0, 1, 0]}}
    attached = {f"{CAMERA}/extrinsics": ATTACHED}

    assert check(tmp_path, changed(down)).diagnostics == []
    assert check(tmp_path, changed(attached)).diagnostics == []


# -- mesh files -------------------------------------------------------------------------------


def mesh_scene(fpath: str) -> dict[str, Any]:
    return changed({"/rigid_object/0/shape": {"shape_type": "Mesh", "fpath": fpath}})


MESH = "/rigid_object/0/shape/fpath"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        pytest.param("cup.stl", TETRAHEDRON, None, id="binary STL"),
        pytest.param("cup.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 3\n", None, id="OBJ"),
        pytest.param("cup.ply", b"ply\n", "MuJoCo reads .stl, .obj, .msh meshes, not '.ply'", id="PLY"),
        pytest.param("cup.stl", b"", "the file is empty", id="empty"),
        pytest.param("cup.stl", binary_stl([]), "it has 0 triangles", id="no triangles"),
        pytest.param("cup.stl", TETRAHEDRON[:-7], "its header counts 4 triangles", id="truncated STL"),
        pytest.param("cup.stl", b"solid cup\nfacet normal 0 0 1\n", "MuJoCo reads binary STL only", id="ASCII STL"),
        pytest.param("cup.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\n", "it has 3 vertices", id="3 vertices"),
        pytest.param("cup.obj", b"v 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\n", "all lie in one plane", id="a flat OBJ"),
        pytest.param(
            "cup.msh", struct.pack("<4i", 4, 0, 0, 1) + b"\0" * 12, "its header needs 76 bytes, not 28", id="short MSH"
        ),
    ],
)
def test_a_mesh_file_mujoco_cannot_read_is_found_by_its_header(
    tmp_path: Path, name: str, content: bytes, problem: str | None
) -> None:
    (tmp_path / name).write_bytes(content)

    result = check(tmp_path, mesh_scene(name))

    assert (
        mesh_problem(tmp_path / name) is None if problem is None else problem in (mesh_problem(tmp_path / name) or "")
    )
    assert found(result) == (set() if problem is None else {("AB617", MESH)})


def test_a_missing_mesh_is_an_error_ab606(tmp_path: Path) -> None:
    assert found(check(tmp_path, mesh_scene("meshes/gone.stl"))) == {("AB606", MESH)}


def test_a_mesh_outside_the_config_folder_needs_allow_outside_assets(tmp_path: Path) -> None:
    scene, elsewhere = tmp_path / "scene", tmp_path / "meshes"
    scene.mkdir()
    elsewhere.mkdir()
    (elsewhere / "cup.stl").write_bytes(TETRAHEDRON)

    for fpath in (str(elsewhere / "cup.stl"), "../meshes/cup.stl"):
        refused = check(scene, mesh_scene(fpath))
        allowed = check(scene, mesh_scene(fpath), allow_outside_assets=True)

        assert found(refused) == {("AB616", MESH)}
        assert refused.diagnostics[0].hint is not None and "--allow-outside-assets" in refused.diagnostics[0].hint
        assert allowed.diagnostics == [] and allowed.config is not None


# -- success predicates and their combinations ------------------------------------------------

S = "/env/success"
LIFTED = {"func": "object_lifted", "params": {"object": "block", "min_height": 0.05}}


def pred(func: str, **params: Any) -> dict[str, Any]:
    return {"func": func, "params": params}


CASES = [
    pytest.param({"all": [LIFTED, {"not": pred("upright", object="block")}]}, set(), id="a valid combination"),
    pytest.param(
        {"all": [LIFTED, pred("object_lifted", object="blok", min_height=0.05)]},
        {("AB614", f"{S}/all/1/params/object")},
        id="an unknown object uid inside all",
    ),
    pytest.param(
        {"all": [LIFTED, pred("object_lifted", object="block", min_hight=0.05)]},
        {("AB111", f"{S}/all/1/params/min_hight"), ("AB110", f"{S}/all/1/params")},
        id="a misspelt param inside all (and so a missing one)",
    ),
    pytest.param(
        {"any": [{"not": pred("upright", object="block", tolerance_deg="ten")}]},
        {("AB112", f"{S}/any/0/not/params/tolerance_deg")},
        id="a mistyped param inside not inside any",
    ),
    pytest.param(
        {"all": [pred("object_grasped_by", object="block", gripper="arm")]},
        {("AB614", f"{S}/all/0/params/gripper")},
        id="an arm named as a gripper",
    ),
    pytest.param(
        {"all": [pred("distance_below", a="block", b="hand", max_distance=0.1)]},
        {("AB614", f"{S}/all/0/params/b")},
        id="an unknown point",
    ),
    pytest.param(
        pred("object_in_region", object="block", low=[0, 0, 1], high=[1, 1, 0]),
        {("AB613", f"{S}/params/low")},
        id="a region whose low corner is above its high corner",
    ),
    pytest.param(
        {"all": [LIFTED, pred("object_liftd", object="block")]},
        {("AB611", f"{S}/all/1/func")},
        id="an unknown function inside all",
    ),
    pytest.param({"all": []}, {("AB113", f"{S}/all")}, id="an empty all"),
    pytest.param({"alll": [LIFTED]}, {("AB111", f"{S}/alll")}, id="a misspelt combination"),
    pytest.param({"all": ["object_lifted"]}, {("AB112", f"{S}/all/0")}, id="a name where a check is expected"),
    pytest.param({"func": "upright", "all": [LIFTED]}, {("AB111", f"{S}/all")}, id="two forms in one object"),
]


FORMS = "write it as {func, params}, {all}, {any} or {not}"


@pytest.mark.parametrize(
    ("success", "message", "hint"),
    [
        ({"alll": [LIFTED]}, "unknown key 'alll' in 'env.success'", f"did you mean 'all'? {FORMS}"),
        ({"any": [{"nto": LIFTED}]}, "unknown key 'nto' in 'env.success.any[0]'", f"did you mean 'not'? {FORMS}"),
        ({"all": ["object_lifted"]}, "'env.success.all[0]' must be an object, not a string", FORMS),
        (
            {"func": "upright", "all": [LIFTED]},
            "unknown key 'all' in 'env.success'",
            f"'all' belongs to another form of this value: {FORMS}",
        ),
    ],
)
def test_a_check_of_no_form_is_told_the_forms(tmp_path: Path, success: Any, message: str, hint: str) -> None:
    (diagnostic,) = check(tmp_path, changed({S: success})).diagnostics
    assert (diagnostic.message, diagnostic.hint) == (message, hint)


def test_a_flat_range_is_reported_at_the_values_that_should_be_lists(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "block"}, "position_range": [0.4, 0.6]}
    event = {"func": "randomize_rigid_object_pose", "mode": "reset", "params": params}
    result = check(tmp_path, changed({"/env/events": {"ev": event}}))
    messages = [d.message for d in result.diagnostics]
    assert messages == [
        "'env.events.ev.params.position_range[0]' must be a list, not a number",
        "'env.events.ev.params.position_range[1]' must be a list, not a number",
    ]


@pytest.mark.parametrize(("success", "expected"), CASES)
def test_success_predicates_are_checked_at_their_place_inside_combinations(
    tmp_path: Path, success: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    result = check(tmp_path, changed({S: success}))

    assert found(result) == expected
    assert (result.config is None) == bool(expected)


def test_a_misspelt_param_in_a_combination_is_reported_at_its_line_with_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "gym_config.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: Test-v0
            max_episode_steps: 100
            env:
              control_parts: [arm, eef]
              success:
                all:
                  - {func: upright, params: {object: block}}
                  - func: object_on_object
                    params: {object: block, suport: shelf}
            robot: {uid: bot, robot_type: toy_arm}
            rigid_object:
              - {uid: block, shape: {shape_type: Cube}}
              - {uid: shelf, shape: {shape_type: Cube}, body_type: static}
            """
        )
    )

    result = load_gym_config(path, runtime=RUNTIME)

    codes = [(d.code, d.line) for d in result.diagnostics]
    assert ("AB111", 9) in codes
    typo = next(d for d in result.diagnostics if d.code == "AB111")
    assert typo.message == "unknown key 'suport' in 'env.success.all[1].params'"
    assert typo.hint is not None and "did you mean 'support'?" in typo.hint
