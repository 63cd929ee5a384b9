"""A robot declared from a model file in the gym config (``robot.fpath``): lint reads the file's
names without MuJoCo and locates each declaration that does not fit, with a did-you-mean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import TETRAHEDRON, model_arm_copy

from actionbank.cli import main
from actionbank.compiler import CompileOptions, compile_file
from actionbank.runtime.model_file import read_model_names

MODEL_ARM = Path(__file__).parents[1] / "sim" / "model_arm"
URDF_ARM = Path(__file__).parents[1] / "sim" / "urdf_arm"


def _lint(
    tmp_path: Path, *edits: tuple[str, str], folder: Path = MODEL_ARM, model: str = "arm.xml"
) -> list[tuple[str, int | None, str | None]]:
    for name in (model, "action_config.yaml"):
        shutil.copy(folder / name, tmp_path / name)
    text = (folder / "gym_config.yaml").read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "gym_config.yaml").write_text(text)
    result = compile_file(
        tmp_path / "action_config.yaml", CompileOptions(gym_config=tmp_path / "gym_config.yaml", check_gym_config=True)
    )
    return [(d.code, d.line, d.hint) for d in result.diagnostics]


def test_the_model_arm_lints_clean(tmp_path: Path) -> None:
    assert _lint(tmp_path) == []


def test_the_urdf_arm_lints_clean(tmp_path: Path) -> None:
    assert _lint(tmp_path, folder=URDF_ARM, model="arm.urdf") == []


def test_a_urdf_gripper_whose_fingers_move_independently_is_located(tmp_path: Path) -> None:
    urdf = (URDF_ARM / "arm.urdf").read_text()
    (tmp_path / "arm.urdf").write_text(urdf.replace('<mimic joint="left_finger_joint" multiplier="1" offset="0"/>', ""))
    for name in ("gym_config.yaml", "action_config.yaml"):
        shutil.copy(URDF_ARM / name, tmp_path / name)
    result = compile_file(
        tmp_path / "action_config.yaml", CompileOptions(gym_config=tmp_path / "gym_config.yaml", check_gym_config=True)
    )
    found = [(d.code, d.line, d.hint) for d in result.diagnostics]
    assert found == [
        ("AB705", 19, "a URDF gripper is driven through one joint: list it, and tie the others to it with <mimic>")
    ]


def _two_finger_arm(
    tmp_path: Path, finger2: str, grip2: str, finger1: str = 'range="0 0.04"', grip1: str = 'ctrlrange="0 0.04"'
) -> Path:
    """The model arm with a second finger (``finger2``'s joint attributes) driven by a servo of
    its own (``grip2``'s attributes), both fingers in part ``hand``; its first finger (axis y,
    ``finger1``'s range) is driven by a <position> (``grip1``'s control range)."""
    model = (MODEL_ARM / "arm.xml").read_text()
    first = '<joint name="finger" type="slide" axis="0 1 0" range="0 0.04"/>'
    assert first in model
    model = model.replace(first, f'<joint name="finger" type="slide" axis="0 1 0" {finger1}/>')
    second = f'<body name="finger2_link" pos="0.03 0.015 0"><joint name="finger2" type="slide" {finger2}/>'
    second += '<geom type="box" size="0.02 0.005 0.008"/></body>'
    model = model.replace('<geom name="fixed_finger"', second + '<geom name="fixed_finger"')
    grip = (
        '<general name="grip" joint="finger" ctrlrange="0 100" gainprm="0.08" biastype="affine" biasprm="0 -200 -5"/>'
    )
    assert grip in model
    model = model.replace(grip, f'<position name="grip" joint="finger" kp="200" kv="5" {grip1}/>')
    model = model.replace("</actuator>", f'<position name="grip2" joint="finger2" kp="200" kv="5" {grip2}/></actuator>')
    (tmp_path / "arm.xml").write_text(model)
    shutil.copy(MODEL_ARM / "action_config.yaml", tmp_path / "action_config.yaml")
    gym = (MODEL_ARM / "gym_config.yaml").read_text().replace("hand: [finger]", "hand: [finger, finger2]")
    (tmp_path / "gym_config.yaml").write_text(gym)
    return tmp_path


def _gym_diagnostics(folder: Path) -> list[tuple[str, str, str | None]]:
    result = compile_file(
        folder / "action_config.yaml", CompileOptions(gym_config=folder / "gym_config.yaml", check_gym_config=True)
    )
    return [(d.code, d.message, d.hint) for d in result.diagnostics]


_RETHINK = ('range="-0.0115 0.0115"', 'ctrlrange="-0.0115 0.020833"')  # robosuite's, cut to ±0.0115 by the joints


@pytest.mark.parametrize(
    ("first", "second", "opened", "closed"),
    [
        pytest.param((), ('axis="0 -1 0" range="0 0.04"', 'ctrlrange="0 0.04"'), [0.04, 0.04], [0, 0], id="same"),
        pytest.param((), ('axis="0 1 0" range="-0.04 0"', 'ctrlrange="-0.04 0"'), [0.04, -0.04], [0, 0], id="mirror"),
        pytest.param(
            _RETHINK,
            ('axis="0 1 0" range="-0.0115 0.0115"', 'ctrlrange="-0.020833 0.0115"'),
            [0.0115, -0.0115],
            [-0.0115, 0.0115],
            id="mirror as written, symmetric as reached (Rethink)",
        ),
    ],
)
def test_a_gripper_with_a_servo_per_finger_drives_both_with_one_value(
    tmp_path: Path, first: tuple[str, ...], second: tuple[str, str], opened: list[float], closed: list[float]
) -> None:
    """robosuite's grippers (Panda hand, Rethink) have one <position> per finger, the second's
    range often the mirror image of the first's: before, lint refused them (AB705). Which way a
    finger closes is judged on the ranges as written: the Rethink's fingers both reach ±0.0115,
    and were once driven the same way, sliding together without closing."""
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv

    folder = _two_finger_arm(tmp_path, *second, *first)
    assert _gym_diagnostics(folder) == []
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=False)
    try:
        fingers = [env.model.joint(name).qposadr[0] for name in ("finger", "finger2")]
        env.reset(seed=0)
        env.set_part_qpos("hand", np.array([1.0]))  # placed open, before any step
        placed = env.data.qpos[fingers].copy()
        for _ in range(60):
            observation, *_ = env.step(np.array([0.0, -0.6, 1.2, 0.0]))
    finally:
        env.close()
    assert placed == pytest.approx(opened, abs=1e-3)
    assert env.data.qpos[fingers] == pytest.approx(closed, abs=2e-3)
    assert observation["state"][-1] == pytest.approx(0.0, abs=0.05)


def test_finger_servos_that_cannot_tell_which_way_they_close_are_refused(tmp_path: Path) -> None:
    symmetric = 'range="-0.02 0.02"', 'ctrlrange="-0.02 0.02"'
    folder = _two_finger_arm(tmp_path, 'axis="0 1 0" ' + symmetric[0], symmetric[1], *symmetric)
    [(code, message, _)] = _gym_diagnostics(folder)
    assert code == "AB705" and message.endswith(
        "and the control ranges of 'grip' and 'grip2' ([-0.02, 0.02], [-0.02, 0.02]) and their joints' ranges are "
        "each their own mirror image, so which way each finger closes is not known"
    )


def test_finger_servos_whose_ranges_differ_are_told_to_match_or_couple(tmp_path: Path) -> None:
    folder = _two_finger_arm(tmp_path, 'axis="0 -1 0" range="0 0.04"', 'ctrlrange="0 0.02"')
    [(code, message, hint)] = _gym_diagnostics(folder)
    assert code == "AB705"
    assert message == (
        "robot.control_parts.hand: end effector 'hand': 2 actuators drive its joints (grip, grip2), and the control "
        "range of 'grip2' ([0, 0.02]) is neither that of 'grip' ([0, 0.04]) nor its mirror image, so one value "
        "cannot drive both"
    )
    assert hint is not None and hint.startswith("give the finger servos the same control range")


def test_a_urdfs_mimic_joints_are_read() -> None:
    names = read_model_names(URDF_ARM / "arm.urdf")
    assert names.format == "urdf"
    assert names.mimics == {"right_finger_joint": ("left_finger_joint", 1.0, 0.0)}
    assert names.joint_ranges["joint2"] == (-1.8, 1.8)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(('"joint[1-3]"', '"joint[1-3]", elbw'), ("AB701", 17, None), id="unknown joint"),
        pytest.param(
            ("[finger]", "[fnger]"),
            ("AB701", 18, "did you mean 'finger'? the model's joints: joint1"),
            id="misspelled joint",
        ),
        pytest.param(
            ('"joint[1-3]"', '"joint"'),
            ("AB701", 17, "a pattern matches whole names: write 'joint.*' for joint1, joint2, joint3"),
            id="a pattern that only starts the names",
        ),
        pytest.param(
            ("  solver_cfg:\n    arm:", "  solver_cfg:\n    arms:"),
            ("AB707", 20, "did you mean 'arm'?"),
            id="misspelt solver_cfg part (no gripper error about the arm)",
        ),
        pytest.param(("end_link_name: hand", "end_link_name: hnd"), ("AB700", 21, "did you mean 'hand'?"), id="link"),
        pytest.param(
            ("end_link_name: hand", "end_link_name: h_wrist"),
            ("AB700", 21, "the model's bodies: 'base', 'finger_link', 'hand', 'link1'"),
            id="link unlike any: the bodies are listed",
        ),
        pytest.param(
            ("end_link_name: hand", "end_link_name: link2"),
            ("AB713", 21, "name the link at the end of the arm's chain (its hand or tool link), or leave that joint"),
            id="a link the arm's last joint does not move",
        ),
        pytest.param(
            ("tcp: [[1, 0, 0, 0.04], [0, 1, 0, 0]", "tcp: [[1, 0, 0, 0.04], [0, 2, 0, 0]"),
            ("AB640", 22, "a pose is [[R, p], [0, 0, 0, 1]]"),
            id="a tool frame that scales",
        ),
        pytest.param(
            ("  drive:", "  grippers: {hand: {closed: 0, open: 300}}\n  drive:"),
            ("AB715", 23, "give a value from 0 to 100, or leave robot.grippers.hand.open out"),
            id="a gripper value the actuator's control range clamps",
        ),
        pytest.param(('"joint[1-3]"', '"joint[1-3"'), ("AB702", 17, None), id="bad regex"),
        pytest.param(("[finger]", "[finger, joint3]"), ("AB703", 18, None), id="joint in two parts"),
        pytest.param(("fpath: arm.xml", "fpath: arm.xml\n  robot_type: toy_arm"), ("AB708", 15, None), id="both"),
        pytest.param(("fpath: arm.xml", "fpath: missing.xml"), ("AB709", 15, None), id="missing file"),
        pytest.param(
            ("  drive:", "  grippers: {hand: {actuator: grp}}\n  drive:"),
            ("AB704", 23, "did you mean 'grip'?"),
            id="unknown actuator",
        ),
        pytest.param(
            ("  drive:", "  collision_geoms: [plam]\n  drive:"),
            ("AB716", 23, "did you mean 'palm'?"),
            id="unknown collision geom",
        ),
    ],
)
def test_a_declaration_that_does_not_fit_the_model_file_is_located(
    tmp_path: Path, edit: tuple[str, str], expected: tuple[str, int, str | None]
) -> None:
    code, line, hint = expected
    found = _lint(tmp_path, edit)
    assert [f[:2] for f in found] == [(code, line)]
    if hint is not None:
        assert found[0][2] is not None and found[0][2].startswith(hint)


def test_model_keys_without_a_model_file_are_errors(tmp_path: Path) -> None:
    found = _lint(tmp_path, ("fpath: arm.xml", "robot_type: toy_arm"))
    assert {("AB710", 16), ("AB710", 19), ("AB710", 23)} <= {f[:2] for f in found}  # control_parts, solver_cfg, drive


def test_the_model_files_names_are_read_with_includes_and_degrees_and_no_mujoco(tmp_path: Path) -> None:
    (tmp_path / "parts.xml").write_text(
        '<mujoco><worldbody><body name="b"><joint name="j" range="0 90"/></body></worldbody></mujoco>'
    )
    (tmp_path / "robot.xml").write_text(
        '<mujoco><include file="parts.xml"/><actuator><motor joint="j"/></actuator></mujoco>'
    )
    names = read_model_names(tmp_path / "robot.xml")
    assert (names.joints, names.bodies, names.joint_bodies) == (("j",), ("b",), {"j": "b"})
    assert names.joint_ranges["j"] == pytest.approx((0.0, 1.5707963))
    assert names.actuator_of_joint("j") is not None
    code = "import sys, actionbank.spec.gym_robot, actionbank.runtime.model_robots; print('mujoco' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


# -- the files the robot model refers to (AB712) and the model file itself (AB709) ------------


def write_stl(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(TETRAHEDRON)


def _arm_folder(tmp_path: Path, mjcf: str) -> Path:
    """tmp_path/config: the model arm with ``mjcf`` (a <compiler>, an <include>, an <asset> …)
    added after its defaults, beside its gym and action configs."""
    folder = tmp_path / "config"
    folder.mkdir()
    for name in ("gym_config.yaml", "action_config.yaml"):
        shutil.copy(MODEL_ARM / name, folder / name)
    (folder / "arm.xml").write_text((MODEL_ARM / "arm.xml").read_text().replace("</default>", f"</default>{mjcf}"))
    return folder


def _lint_folder(folder: Path, *, allow_outside: bool = False) -> list[tuple[str, int | None, str, str | None]]:
    options = CompileOptions(
        gym_config=folder / "gym_config.yaml", check_gym_config=True, allow_outside_assets=allow_outside
    )
    result = compile_file(folder / "action_config.yaml", options)
    return [(d.code, d.line, d.message, d.hint) for d in result.diagnostics]


def test_a_missing_robot_mesh_is_located_with_where_mujoco_looks_for_it(tmp_path: Path) -> None:
    folder = _arm_folder(tmp_path, '<compiler meshdir="meshes"/><asset><mesh name="shell" file="shell.stl"/></asset>')
    assert _lint_folder(folder) == [
        (
            "AB712",
            15,
            "robot model file 'arm.xml': mesh file 'shell.stl' does not exist",
            f"MuJoCo looks for it at {folder / 'meshes' / 'shell.stl'} (in <compiler meshdir='meshes'>, relative "
            "to the model file's folder)",
        )
    ]
    write_stl(folder / "meshes" / "shell.stl")
    assert _lint_folder(folder) == []


def test_an_ascii_stl_robot_mesh_is_an_error(tmp_path: Path) -> None:
    folder = _arm_folder(tmp_path, '<asset><mesh name="shell" file="shell.stl"/></asset>')
    (folder / "shell.stl").write_text("solid shell\nendsolid shell\n")
    assert _lint_folder(folder) == [
        (
            "AB712",
            15,
            "robot model file 'arm.xml': mesh file 'shell.stl' is not one MuJoCo can read: it is an ASCII STL "
            "file; MuJoCo reads binary STL only",
            f"export the mesh at {folder / 'shell.stl'} as binary STL, OBJ or MSH",
        )
    ]


_FLAT_OBJ = "v 0 0 0\nv 0.05 0 0\nv 0.05 0.05 0\nv 0 0.05 0\nf 1 2 3\nf 1 3 4\n"
_VISUAL = 'contype="0" conaffinity="0"'


@pytest.mark.parametrize(
    ("mesh", "geom", "defaults", "compiles"),
    [
        pytest.param('inertia="shell"', f'type="mesh" {_VISUAL}', "", True, id="shell, seen only"),
        pytest.param('inertia="shell"', None, "", True, id="shell, unused"),
        pytest.param('inertia="shell"', "", "", True, id="shell, a sphere fitted to it"),
        pytest.param(
            "",
            'type="mesh" class="seen"',
            '<default class="seen"><geom contype="0" conaffinity="0"/></default>',
            False,
            id="no shell, seen only",
        ),
        pytest.param(
            'class="thin"',
            'type="mesh" class="seen"',
            '<default class="thin"><mesh inertia="shell"/></default>'
            '<default class="seen"><geom contype="0" conaffinity="0"/></default>',
            True,
            id="shell and seen only, by their classes",
        ),
        pytest.param('inertia="shell"', 'type="mesh"', "", False, id="shell, colliding"),
        pytest.param('inertia="shell"', 'type="mesh" contype="0"', "", False, id="shell, conaffinity left"),
    ],
)
def test_a_flat_robot_mesh_is_refused_exactly_where_mujoco_refuses_it(
    tmp_path: Path, mesh: str, geom: str | None, defaults: str, compiles: bool
) -> None:
    """Sawyer's head meshes are flat, with a shell inertia and seen only: MuJoCo compiles them."""
    import mujoco

    folder = _arm_folder(tmp_path, f'<asset><mesh name="plate" file="plate.obj" {mesh}/></asset>')
    (folder / "plate.obj").write_text(_FLAT_OBJ)
    arm = folder / "arm.xml"
    text = arm.read_text().replace("</default>", f"{defaults}</default>", 1)
    if geom is not None:
        text = text.replace('<geom name="palm"', f'<geom mesh="plate" {geom}/><geom name="palm"')
    arm.write_text(text)
    try:
        mujoco.MjModel.from_xml_path(str(arm))
        loads = True
    except ValueError:
        loads = False
    found = _lint_folder(folder)
    assert loads == compiles and (found == []) == compiles
    if not compiles:
        [(code, _, message, hint)] = found
        assert code == "AB712" and "its vertices all lie in one plane" in message
        assert hint is not None and 'inertia="shell"' in hint and "give the mesh a volume" in hint


@pytest.mark.parametrize(
    ("mjcf", "how"),
    [
        pytest.param(
            '<asset><mesh name="shell" file="../elsewhere/shell.stl"/></asset>',
            "leads out of the gym config's folder",
            id="../",
        ),
        pytest.param(
            '<compiler meshdir="../elsewhere"/><asset><mesh file="shell.stl"/></asset>',
            "leads out of the gym config's folder",
            id="meshdir",
        ),
        pytest.param(
            '<asset><mesh name="shell" file="{tmp}/elsewhere/../elsewhere/shell.stl"/></asset>',
            "is absolute, outside the gym config's folder",
            id="absolute",
        ),
    ],
)
def test_a_robot_mesh_outside_the_gym_configs_folder_needs_allow_outside_assets(
    tmp_path: Path, mjcf: str, how: str
) -> None:
    write_stl(tmp_path / "elsewhere" / "shell.stl")
    folder = _arm_folder(tmp_path, mjcf.format(tmp=tmp_path))
    [(code, line, message, hint)] = _lint_folder(folder)
    assert (code, line) == ("AB712", 15)
    assert message.startswith("robot model file 'arm.xml': mesh file ")
    assert message.endswith(f" {how} ({tmp_path / 'elsewhere' / 'shell.stl'})")
    assert hint is not None and hint.endswith("or pass --allow-outside-assets to read it where it is")
    assert _lint_folder(folder, allow_outside=True) == []


def test_an_include_outside_the_gym_configs_folder_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "secret.xml").write_text("not XML <")  # were it read, lint would say so
    folder = _arm_folder(tmp_path, '<include file="../secret.xml"/>')
    assert [found[:3] for found in _lint_folder(folder)] == [
        (
            "AB712",
            15,
            "robot model file 'arm.xml': include file '../secret.xml' leads out of the gym config's folder "
            f"({tmp_path / 'secret.xml'})",
        )
    ]
    [(code, _line, message, _hint)] = _lint_folder(folder, allow_outside=True)
    assert code == "AB709" and "its include '../secret.xml' is not readable XML" in message


def test_a_urdfs_collision_meshes_are_checked_and_its_visual_meshes_only_when_mujoco_keeps_them(
    tmp_path: Path,
) -> None:
    urdf = (URDF_ARM / "arm.urdf").read_text()
    meshes = (
        '<collision><geometry><mesh filename="meshes/shell.stl"/></geometry></collision>'
        '<visual><geometry><mesh filename="meshes/shell_visual.dae"/></geometry></visual>'
    )
    urdf = urdf.replace("</link>", f"{meshes}</link>", 1)
    (tmp_path / "arm.urdf").write_text(urdf)
    for name in ("gym_config.yaml", "action_config.yaml"):
        shutil.copy(URDF_ARM / name, tmp_path / name)
    write_stl(tmp_path / "meshes" / "shell.stl")
    assert _lint_folder(tmp_path) == []  # the visual mesh is discarded unread, as MuJoCo does
    kept = urdf.replace(
        '<robot name="urdf_arm">', '<robot name="urdf_arm"><mujoco><compiler discardvisual="false"/></mujoco>'
    )
    (tmp_path / "arm.urdf").write_text(kept)
    assert [found[:3] for found in _lint_folder(tmp_path)] == [
        ("AB712", 16, "robot model file 'arm.urdf': visual mesh file 'meshes/shell_visual.dae' does not exist")
    ]
    (tmp_path / "meshes" / "shell.stl").unlink()
    assert [found[2] for found in _lint_folder(tmp_path)] == [
        "robot model file 'arm.urdf': collision mesh file 'meshes/shell.stl' does not exist",
        "robot model file 'arm.urdf': visual mesh file 'meshes/shell_visual.dae' does not exist",
    ]


def test_a_robot_model_file_that_cannot_be_read_is_said_once_with_a_hint(tmp_path: Path) -> None:
    folder = _arm_folder(tmp_path, "")
    gym = folder / "gym_config.yaml"
    gym.write_text(gym.read_text().replace("fpath: arm.xml", "fpath: arms.xml"))
    assert _lint_folder(folder) == [
        (
            "AB709",
            15,
            "robot model file 'arms.xml': the file does not exist",
            f"looked for {folder / 'arms.xml'}; a relative fpath is read from the gym config's folder; "
            "did you mean 'arm.xml'?",
        )
    ]
    gym.write_text(gym.read_text().replace("fpath: arms.xml", "fpath: ../arm.xml"))
    assert _lint_folder(folder) == [
        (
            "AB709",
            15,
            f"robot model file '../arm.xml': the path leads out of the gym config's folder ({tmp_path / 'arm.xml'})",
            "put the model file (and what it refers to) in the gym config's folder, or pass --allow-outside-assets "
            "to read it where it is",
        )
    ]


def test_generate_refuses_a_robot_whose_mesh_mujoco_cannot_read_before_anything_runs(tmp_path: Path) -> None:
    folder = _arm_folder(tmp_path, '<asset><mesh name="shell" file="meshes/shell.stl"/></asset>')
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    out = tmp_path / "dataset"
    command = ["generate", "--gym-config", str(folder / "gym_config.yaml")]
    command += ["--action-config", str(folder / "action_config.yaml"), "-o", str(out)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    assert "AB712 error: robot model file 'arm.xml': mesh file 'meshes/shell.stl' does not exist" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before


@pytest.mark.parametrize(
    ("init_qpos", "expected"),
    [
        ("[0.0, -0.6, 4.0, 1.0]", "robot.init_qpos[2] (joint3) is 4, outside the joint's range [-2.5, 2.5]"),
        ("[0.0, -0.6, 1.2, 1.5]", "robot.init_qpos[3] (hand_gripper) is 1.5, outside 0 (closed) to 1 (open)"),
    ],
)
def test_an_init_qpos_value_outside_its_range_is_an_error_not_clamped(
    tmp_path: Path, init_qpos: str, expected: str
) -> None:
    found = _lint(tmp_path, ("init_qpos: [0.0, -0.6, 1.2, 1.0]", f"init_qpos: {init_qpos}"))
    assert [code for code, _, _ in found] == ["AB634"]
    result = compile_file(
        tmp_path / "action_config.yaml", CompileOptions(gym_config=tmp_path / "gym_config.yaml", check_gym_config=True)
    )
    assert result.diagnostics[0].message == expected
    assert result.diagnostics[0].line == 24


def test_an_end_link_no_arm_joint_moves_is_one_error_naming_the_joints(tmp_path: Path) -> None:
    """generate refused such an arm after lint passed it ("joint 'joint1' does not move site 'arm_tcp'")."""
    assert [f[:2] for f in _lint(tmp_path, ("end_link_name: hand", "end_link_name: base"))] == [("AB713", 21)]
    result = compile_file(
        tmp_path / "action_config.yaml", CompileOptions(gym_config=tmp_path / "gym_config.yaml", check_gym_config=True)
    )
    assert result.diagnostics[0].message == (
        "robot.solver_cfg.arm.end_link_name: arm joints 'joint1', 'joint2', 'joint3' of part 'arm' do not move link "
        "'base': the link does not hang from their bodies 'link1', 'link2', 'link3'"
    )


@pytest.mark.parametrize(
    ("joint", "kind"), [('<freejoint name="cube_free"/>', "free"), ('<joint name="cube_free" type="ball"/>', "ball")]
)
def test_a_free_or_ball_joint_in_a_part_is_refused_where_the_part_names_it(
    joint: str, kind: str, tmp_path: Path
) -> None:
    """The state and the action give each joint one value: a ball or free joint has more."""
    body = f'<body name="cube" pos="0.3 0 0.02">{joint}<geom size="0.01"/></body>'
    folder = model_arm_copy(tmp_path, {"  </worldbody>": f"  {body}\n  </worldbody>"})
    gym = folder / "gym_config.yaml"
    gym.write_text(gym.read_text().replace('"joint[1-3]"', '"joint[1-3]", "cube_.*"'))
    result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=gym, check_gym_config=True))
    assert [(d.code, d.line) for d in result.diagnostics] == [("AB714", 17)]
    assert result.diagnostics[0].message == (
        f"robot.control_parts.arm: joint 'cube_free' is a {kind} joint: a part's joints are hinges or slides, one value each"
    )


def test_a_config_light_named_like_a_light_of_the_model_is_a_name_clash(tmp_path: Path) -> None:
    """Before, lint passed and generate failed with a traceback ("repeated name 'lamp' in light")."""
    folder = model_arm_copy(tmp_path, {"  </worldbody>": '  <light name="lamp" pos="0 0 2"/>\n  </worldbody>'})
    gym = folder / "gym_config.yaml"
    result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=gym, check_gym_config=True))
    assert [(d.code, d.pointer) for d in result.diagnostics] == [("AB629", "/light/direct/0/uid")]
    assert (
        "gives MuJoCo light name 'lamp', which robot type 'my_arm''s model already uses"
        in result.diagnostics[0].message
    )


@pytest.mark.parametrize(
    ("compiler", "doubted"),
    [
        pytest.param('<compiler autolimits="true"/>', True, id="no angle"),
        pytest.param('<compiler angle="degree" autolimits="true"/>', False, id="degrees written"),
        pytest.param('<compiler angle="radian" autolimits="true"/>', False, id="radians written"),
    ],
)
def test_hinge_ranges_that_look_like_radians_read_as_degrees_are_a_warning(
    tmp_path: Path, compiler: str, doubted: bool
) -> None:
    """robosuite's gripper files state no angle: attached to an arm, MuJoCo reads their hinge
    ranges in degrees (a Jaco finger's 0 to 1.51 as 1.5°), and the gripper barely moves."""
    folder = model_arm_copy(tmp_path, {'<compiler angle="radian" autolimits="true"/>': compiler})
    found = [(code, message, hint) for code, _, message, hint in _lint_folder(folder) if code == "AB718"]
    if not doubted:
        assert found == []
        return
    assert found == [
        (
            "AB718",
            "robot model file 'arm.xml': the model file: its hinge ranges look like radians but are read in degrees, "
            "MuJoCo's default, as its <compiler> states no angle: joint 'joint1', -2.5 to 2.5, is read as -2.5° to "
            "2.5°",
            'if its angles are radians, add <compiler angle="radian"/> to that file; if they are degrees, write '
            'angle="degree" there',
        )
    ]


def test_a_missing_mesh_of_an_attached_model_names_the_file_that_names_it(tmp_path: Path) -> None:
    folder = _arm_folder(tmp_path, '<asset><model name="grip" file="grip/hand.xml"/></asset>')
    (folder / "grip").mkdir()
    (folder / "grip" / "hand.xml").write_text(
        '<mujoco><asset><mesh name="palm" file="palm.stl"/></asset><worldbody><body name="palm">'
        '<geom type="mesh" mesh="palm"/></body></worldbody></mujoco>'
    )
    [(code, _, message, _)] = _lint_folder(folder)
    assert (code, message) == (
        "AB712",
        "robot model file 'arm.xml': mesh file 'palm.stl' (named in grip/hand.xml, a model it attaches) does not exist",
    )


def test_an_actuator_no_part_drives_is_noted(tmp_path: Path) -> None:
    """A gripper part that lists one of two servoed fingers: the other's servo held its finger
    shut every episode, and nothing said so."""
    folder = _two_finger_arm(tmp_path, 'axis="0 1 0" range="-0.04 0"', 'ctrlrange="-0.04 0"')
    assert _gym_diagnostics(folder) == []  # both fingers in part hand
    gym = folder / "gym_config.yaml"
    gym.write_text(gym.read_text().replace("hand: [finger, finger2]", "hand: [finger]"))
    assert _gym_diagnostics(folder) == [
        (
            "AB719",
            "robot.control_parts: actuator 'grip2' (on joint 'finger2') is in no control part: the scene holds its "
            "control at 0 every episode",
            "add its joint to a part of robot.control_parts to drive it (a gripper's finger servos belong in the "
            "gripper's part); left out, a position servo holds its joint at 0 and a motor pushes with no force",
        )
    ]
