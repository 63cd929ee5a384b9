"""A URDF robot's names and ranges are read as MuJoCo compiles the file."""

from __future__ import annotations

from pathlib import Path

import mujoco
import pytest

from actionbank.runtime.model_file import read_model_names

_INERTIAL = '<inertial><mass value="1"/><inertia ixx="0.1" iyy="0.1" izz="0.1" ixy="0" ixz="0" iyz="0"/></inertial>'


def _urdf(joint_type: str, limit: str = "") -> str:
    links = "".join(f'<link name="{name}">{_INERTIAL}</link>' for name in ("base", "l1", "l2"))
    return (
        f'<robot name="r">{links}'
        f'<joint name="j1" type="{joint_type}"><parent link="base"/><child link="l1"/>'
        f'<axis xyz="1 0 0"/>{limit}</joint>'
        '<joint name="j2" type="revolute"><parent link="l1"/><child link="l2"/><axis xyz="0 1 0"/>'
        '<limit lower="-1" upper="1" effort="1" velocity="1"/></joint></robot>'
    )


@pytest.mark.parametrize("joint_type", ["planar", "revolute", "continuous", "prismatic", "floating"])
def test_a_urdf_joint_is_read_as_the_joints_mujoco_makes_of_it(joint_type: str, tmp_path: Path) -> None:
    limit = (
        '<limit lower="-0.5" upper="0.5" effort="1" velocity="1"/>' if joint_type in ("revolute", "prismatic") else ""
    )
    (tmp_path / "robot.urdf").write_text(_urdf(joint_type, limit))
    names = read_model_names(tmp_path / "robot.urdf")
    model = mujoco.MjModel.from_xml_path(str(tmp_path / "robot.urdf"))
    compiled = [model.joint(i).name for i in range(model.njnt)]
    assert list(names.joints) == compiled
    bodies = {model.joint(i).name: model.body(model.jnt_bodyid[i]).name for i in range(model.njnt)}
    assert names.joint_bodies == bodies
    kinds = {model.joint(i).name: mujoco.mjtJoint(model.jnt_type[i]).name[6:].lower() for i in range(model.njnt)}
    assert names.joint_kinds == kinds  # mjJNT_HINGE → hinge
    limited = {model.joint(i).name: list(model.jnt_range[i]) for i in range(model.njnt) if model.jnt_limited[i]}
    assert set(names.joint_ranges) == set(limited)
    for joint, span in limited.items():
        assert list(names.joint_ranges[joint]) == pytest.approx(span)


def test_a_planar_joint_is_two_slides_and_a_hinge_named_after_it(tmp_path: Path) -> None:
    (tmp_path / "robot.urdf").write_text(_urdf("planar"))
    assert read_model_names(tmp_path / "robot.urdf").joints == ("j1_TX", "j1_TY", "j1_RZ", "j2")
