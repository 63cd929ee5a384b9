"""A robot declared from a model file in the gym config (``robot.fpath``): lint reads the file's
names without MuJoCo and locates each declaration that does not fit, with a did-you-mean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_urdfs_mimic_joints_are_read() -> None:
    names = read_model_names(URDF_ARM / "arm.urdf")
    assert names.format == "urdf"
    assert names.mimics == {"right_finger_joint": ("left_finger_joint", 1.0, 0.0)}
    assert names.joint_ranges["joint2"] == (-1.8, 1.8)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(('"joint[1-3]"', '"joint[1-3]", elbw'), ("AB701", 17, None), id="unknown joint"),
        pytest.param(("[finger]", "[fnger]"), ("AB701", 18, "did you mean 'finger'?"), id="misspelled joint"),
        pytest.param(("end_link_name: hand", "end_link_name: hnd"), ("AB700", 21, "did you mean 'hand'?"), id="link"),
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
    assert [f[:2] for f in found[:1]] == [(code, line)]
    if hint is not None:
        assert found[0][2] == hint


def test_model_keys_without_a_model_file_are_errors(tmp_path: Path) -> None:
    found = _lint(tmp_path, ("fpath: arm.xml", "robot_type: toy_arm"))
    assert ("AB710", 16) in [f[:2] for f in found]


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
