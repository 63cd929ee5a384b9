"""MuJoCo model composition read without MuJoCo: ``<attach>`` mounts a ``<model>`` file's body
subtree with its names prefixed, ``<replicate>`` repeats its children with an index suffix.
Each model below is compiled by MuJoCo, and what :func:`read_model_names` reads must match it;
what the reader does not know how MuJoCo handles, it refuses by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import mujoco
import numpy as np
import pytest
from click.testing import CliRunner
from helpers import TETRAHEDRON

from actionbank.cli import main
from actionbank.runtime.model_file import ModelFileError, read_model_names
from actionbank.runtime.model_references import referenced_files

MODEL_ARM = Path(__file__).parents[1] / "sim" / "model_arm"
REFUSED = "is not read by actionbank's model reader"


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".stl"):
            path.write_bytes(TETRAHEDRON)
        else:
            path.write_text(text)


def _assert_reads_as_mujoco_compiles(model: Path) -> None:
    names = read_model_names(model)
    compiled = mujoco.MjModel.from_xml_path(str(model))

    def named(kind: mujoco.mjtObj, count: int) -> list[str]:
        return [mujoco.mj_id2name(compiled, kind, i) for i in range(count)]

    joints = named(mujoco.mjtObj.mjOBJ_JOINT, compiled.njnt)
    bodies = named(mujoco.mjtObj.mjOBJ_BODY, compiled.nbody)
    tendons = named(mujoco.mjtObj.mjOBJ_TENDON, compiled.ntendon)
    assert list(names.joints) == joints
    assert list(names.bodies) == bodies[1:]
    assert names.parents == {b: bodies[compiled.body_parentid[i]] for i, b in enumerate(bodies) if i}
    assert names.joint_bodies == {j: bodies[compiled.jnt_bodyid[i]] for i, j in enumerate(joints)}
    assert set(names.geoms) == {g for g in named(mujoco.mjtObj.mjOBJ_GEOM, compiled.ngeom) if g}
    assert set(names.sites) == set(named(mujoco.mjtObj.mjOBJ_SITE, compiled.nsite))
    assert list(names.meshes) == named(mujoco.mjtObj.mjOBJ_MESH, compiled.nmesh)
    limited = {j: tuple(compiled.jnt_range[i]) for i, j in enumerate(joints) if compiled.jnt_limited[i]}
    assert names.joint_ranges.keys() == limited.keys()
    for joint, span in limited.items():
        assert names.joint_ranges[joint] == pytest.approx(span)
    assert set(names.tendons) <= set(tendons)
    actuators = []
    for i in range(compiled.nu):
        kind = compiled.actuator_trntype[i]
        target = compiled.actuator_trnid[i, 0]
        if kind == mujoco.mjtTrn.mjTRN_JOINT:
            actuators.append((joints[target], "joint"))
        elif kind == mujoco.mjtTrn.mjTRN_TENDON:
            actuators.append((tendons[target], "tendon"))
        else:
            actuators.append(("", "other"))
    assert [a.name for a in names.actuators] == named(mujoco.mjtObj.mjOBJ_ACTUATOR, compiled.nu)
    assert [(a.target, a.target_kind) for a in names.actuators] == actuators
    for i, actuator in enumerate(names.actuators):
        expected = tuple(compiled.actuator_ctrlrange[i]) if compiled.actuator_ctrllimited[i] else None
        assert actuator.ctrlrange == (None if expected is None else pytest.approx(expected))


#: A gripper model of its own: degrees (MuJoCo's default), its own default classes, a tendon, and
#: elements outside the attached body that MuJoCo leaves behind (and what names them).
_GRIPPER = """<mujoco model="gripper">
  <default>
    <joint range="-30 30" damping="1"/>
    <default class="finger"><joint type="slide" range="0 0.04"/><position kp="10" inheritrange="1"/></default>
  </default>
  <worldbody>
    <body name="stand"><joint name="stand_joint"/><geom size="0.01"/><site name="outside"/></body>
    <body name="palm">
      <geom name="palm" size="0.01"/><site name="tcp"/><site name="tip" pos="0 0 0.1"/>
      <joint name="wrist"/>
      <body name="left" childclass="finger"><joint name="left"/><geom name="left" size="0.01"/></body>
      <body name="right"><joint name="right" class="finger"/><geom size="0.01"/></body>
    </body>
  </worldbody>
  <tendon>
    <fixed name="split"><joint joint="left" coef="0.5"/><joint joint="right" coef="0.5"/></fixed>
    <fixed name="mixed"><joint joint="wrist" coef="1"/><joint joint="stand_joint" coef="1"/></fixed>
    <spatial name="reach"><site site="tcp"/><site site="tip"/></spatial>
  </tendon>
  <actuator>
    <position name="left" joint="left" class="finger"/>
    <motor name="split" tendon="split" ctrlrange="-1 1"/>
    <motor name="stand" joint="stand_joint"/>
    <motor name="mixed" tendon="mixed"/>
    <motor name="tcp" site="tcp" refsite="outside"/>
    <motor name="reach" tendon="reach"/>
    <motor name="wrist" joint="wrist" ctrlrange="-2 2"/>
  </actuator>
</mujoco>
"""


def _arm(attach: str, extra: str = "") -> str:
    return f"""<mujoco>
  <compiler angle="radian"/>
  <default><joint range="-2 2"/><default class="arm"><joint range="-1 1"/></default></default>
  <asset><model name="gripper" file="gripper/gripper.xml"/></asset>
  <worldbody>
    <body name="link" childclass="arm"><joint name="shoulder"/><geom size="0.02"/>
      <body name="before"/>
      {attach}
      <body name="after"/>
    </body>
  </worldbody>
  <actuator><motor name="shoulder" joint="shoulder"/></actuator>
  {extra}
</mujoco>
"""


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"arm.xml": _arm('<attach model="gripper" body="palm" prefix="g_"/>'), "gripper/gripper.xml": _GRIPPER},
            id="a gripper's body, with its defaults, degrees and what names only it",
        ),
        pytest.param(
            {"arm.xml": _arm('<attach model="gripper" prefix="g_"/>'), "gripper/gripper.xml": _GRIPPER},
            id="a whole model, without body",
        ),
        pytest.param(
            {
                "arm.xml": _arm(
                    '<attach model="gripper" body="palm" prefix="left_"/>'
                    '<attach model="gripper" body="palm" prefix="right_"/>',
                    '<actuator><motor name="by_name" joint="left_wrist"/></actuator>',
                ),
                "gripper/gripper.xml": _GRIPPER,
            },
            id="one model twice, and named by the arm",
        ),
        pytest.param(
            {
                "arm.xml": _arm('<attach model="gripper" body="palm" prefix="g_"/>'),
                "gripper/gripper.xml": """<mujoco>
                  <compiler angle="radian" meshdir="meshes"/>
                  <asset><mesh name="shell" file="shell.stl"/><mesh name="unused" file="unused.stl"/>
                    <model name="finger" file="parts/finger.xml"/></asset>
                  <worldbody><body name="palm"><joint name="wrist" range="-1 1"/><geom type="mesh" mesh="shell"/>
                    <include file="parts/thumb.xml"/>
                    <attach model="finger" body="finger" prefix="f_"/></body></worldbody>
                </mujoco>""",
                "gripper/meshes/shell.stl": "",
                "gripper/meshes/unused.stl": "",
                "gripper/parts/thumb.xml": '<mujoco><body name="thumb"><joint name="thumb" range="0 1"/>'
                '<geom size="0.01"/></body></mujoco>',
                "gripper/parts/finger.xml": """<mujoco><asset><mesh name="tip" file="tip.stl"/></asset>
                  <worldbody><body name="finger"><joint name="finger" range="0 90"/><geom type="mesh" mesh="tip"/>
                  </body></worldbody><actuator><position name="finger" joint="finger" ctrlrange="0 1"/></actuator>
                </mujoco>""",
                "gripper/parts/tip.stl": "",
            },
            id="a sub-model's own meshdir, include and nested model",
        ),
        pytest.param(
            {
                "arm.xml": """<mujoco><worldbody><body name="base"><joint name="base"/><geom size="0.1"/>
                  <replicate count="3" offset="0.1 0 0"><body name="b"><joint name="j" range="0 1"/>
                    <geom name="g" size="0.01"/><site name="s"/><body name="c"><joint name="k"/><geom size=".01"/>
                    </body></body><geom name="loose" size="0.01"/></replicate>
                  <replicate count="12" sep="-" offset="0 0.1 0"><frame><body name="d"/></frame></replicate>
                  <replicate count="2" offset="0 0 .1"><replicate count="3" sep="_" offset=".1 0 0">
                    <body name="e"><joint name="e"/><geom size=".01"/></body></replicate></replicate>
                  </body></worldbody>
                  <tendon><fixed name="t"><joint joint="j" coef="1"/><joint joint="k" coef="1"/></fixed></tendon>
                  <actuator><motor name="first" joint="base"/><motor name="r" joint="j" ctrlrange="-1 1"/>
                    <motor name="by_copy" joint="k1"/><motor name="last" joint="base"/></actuator></mujoco>""",
            },
            id="replicate: index suffixes, separators, nesting, and the tendons and actuators it repeats",
        ),
        pytest.param(
            {
                "arm.xml": """<mujoco><asset><model name="gripper" file="gripper/gripper.xml"/></asset>
                  <worldbody><body name="base"><joint name="base"/><geom size="0.1"/>
                  <replicate count="2" offset="0.1 0 0"><attach model="gripper" body="palm" prefix="g_"/></replicate>
                  </body></worldbody></mujoco>""",
                "gripper/gripper.xml": _GRIPPER,
            },
            id="replicate an attached gripper",
        ),
        pytest.param(
            {
                "arm.xml": """<mujoco><asset><model name="gripper" file="gripper/gripper.xml"/></asset>
                  <worldbody><body name="base"><geom size="0.1"/>
                  <replicate count="2" offset="0.1 0 0"><attach model="gripper" body="palm" prefix="g_"/></replicate>
                  </body></worldbody></mujoco>""",
                "gripper/gripper.xml": """<mujoco><asset><mesh name="shell" file="shell.stl"/></asset>
                  <worldbody><body name="palm"><joint name="wrist"/><geom type="mesh" mesh="shell"/></body>
                  </worldbody></mujoco>""",
                "gripper/shell.stl": "",
            },
            id="replicate an attached gripper with a mesh, which comes once",
        ),
    ],
)
def test_a_composed_model_reads_as_mujoco_compiles_it(files: dict[str, str], tmp_path: Path) -> None:
    _write(tmp_path, files)
    _assert_reads_as_mujoco_compiles(tmp_path / "arm.xml")


def test_a_sub_models_files_are_listed_from_its_own_folder_and_compiler(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "arm.xml": '<mujoco><compiler meshdir="arm_meshes" strippath="true"/>'
            '<asset><model name="gripper" file="gripper/gripper.xml"/></asset>'
            '<worldbody><body name="link"><attach model="gripper" body="palm" prefix="g_"/></body></worldbody>'
            "</mujoco>",
            "gripper/gripper.xml": '<mujoco><compiler meshdir="meshes"/><asset><mesh name="shell" file="shell.stl"/>'
            '<model name="finger" file="parts/finger.xml"/></asset><worldbody><body name="palm">'
            '<geom type="mesh" mesh="shell"/><include file="parts/thumb.xml"/>'
            '<attach model="finger" body="finger" prefix="f_"/></body></worldbody></mujoco>',
            "gripper/parts/thumb.xml": '<mujoco><body name="thumb"><geom size="0.01"/></body></mujoco>',
            "gripper/parts/finger.xml": '<mujoco><asset><mesh name="tip" file="tip.stl"/></asset>'
            '<worldbody><body name="finger"><geom type="mesh" mesh="tip"/></body></worldbody></mujoco>',
        },
    )
    files = referenced_files(tmp_path / "arm.xml")
    listed = [(f.kind, f.written, f.candidates[0].relative_to(tmp_path).as_posix(), f.named_in) for f in files]
    assert listed == [  # each with the <model> file that names it, for messages
        ("model", "gripper/gripper.xml", "gripper/gripper.xml", None),
        ("include", "parts/thumb.xml", "gripper/parts/thumb.xml", "gripper/gripper.xml"),
        ("mesh", "shell.stl", "gripper/meshes/shell.stl", "gripper/gripper.xml"),
        ("model", "parts/finger.xml", "gripper/parts/finger.xml", "gripper/gripper.xml"),
        ("mesh", "tip.stl", "gripper/parts/tip.stl", "parts/finger.xml"),
    ]
    for file in files:
        if file.is_mesh:
            _write(tmp_path, {file.candidates[0].relative_to(tmp_path).as_posix(): ""})
    mujoco.MjModel.from_xml_path(str(tmp_path / "arm.xml"))


def test_a_model_file_outside_the_allowed_folder_is_listed_and_never_read(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "outside/gripper.xml": "<mujoco><asset><mesh file='secret.stl'/></asset></mujoco>",
            "inside/arm.xml": '<mujoco><asset><model name="gripper" file="../outside/gripper.xml"/></asset>'
            '<worldbody><body name="link"><attach model="gripper" body="palm" prefix="g_"/></body></worldbody>'
            "</mujoco>",
        },
    )
    files = referenced_files(tmp_path / "inside" / "arm.xml", within=tmp_path / "inside")
    assert [(f.kind, f.written) for f in files] == [("model", "../outside/gripper.xml")]
    with pytest.raises(ModelFileError, match="leads out of the folder it must stay in"):
        read_model_names(tmp_path / "inside" / "arm.xml", within=tmp_path / "inside")


@pytest.mark.parametrize(
    ("arm", "message"),
    [
        pytest.param(
            '<tendon><fixed name="t"><joint joint="j" coef="1"/><joint joint="base" coef="1"/></fixed></tendon>',
            "tendon naming elements of a <replicate> together with other elements",
            id="a tendon naming replicated and other joints",
        ),
        pytest.param(
            '<tendon><fixed name="t"><joint joint="j" coef="1"/></fixed></tendon>'
            '<actuator><motor name="m" tendon="t"/></actuator>',
            "an actuator driving a tendon that a <replicate> repeats",
            id="an actuator on a replicated tendon",
        ),
        pytest.param(
            '<actuator><motor name="m" joint="e"/></actuator>',
            "of nested or several <replicate>s",
            id="an actuator naming a joint of a nested replicate",
        ),
    ],
)
def test_what_mujoco_does_with_replicated_names_is_refused_where_unchecked(
    arm: str, message: str, tmp_path: Path
) -> None:
    (tmp_path / "arm.xml").write_text(
        '<mujoco><worldbody><body name="b0"><joint name="base"/><geom size="0.1"/>'
        '<replicate count="2"><body name="b"><joint name="j"/><geom size="0.1"/></body></replicate>'
        '<replicate count="2"><replicate count="2"><body name="e"><joint name="e"/><geom size="0.1"/></body>'
        f"</replicate></replicate></body></worldbody>{arm}</mujoco>"
    )
    with pytest.raises(ModelFileError, match=message) as raised:
        read_model_names(tmp_path / "arm.xml")
    assert REFUSED in str(raised.value)


@pytest.mark.parametrize(
    ("attach", "message"),
    [
        ('<attach model="nope" body="palm" prefix="g_"/>', "names no <asset><model>; the models: 'gripper'"),
        ('<attach model="gripper" body="nope" prefix="g_"/>', "the model has no such body"),
        ('<attach model="gripper" body="palm"/>', "has no prefix, which MuJoCo requires"),
    ],
)
def test_an_attachment_mujoco_refuses_is_a_model_file_error(attach: str, message: str, tmp_path: Path) -> None:
    _write(tmp_path, {"arm.xml": _arm(attach), "gripper/gripper.xml": _GRIPPER})
    with pytest.raises(ModelFileError, match=message):
        read_model_names(tmp_path / "arm.xml")
    with pytest.raises(ValueError):
        mujoco.MjModel.from_xml_path(str(tmp_path / "arm.xml"))


_HAND = """<mujoco model="hand">
  <compiler angle="radian" autolimits="true"/>
  <default><joint damping="0.5" armature="0.01"/><geom rgba="0.6 0.55 0.7 1"/></default>
  <worldbody>
    <body name="hand" pos="0.15 0 0">
      <geom name="palm" type="box" size="0.01 0.035 0.01"/>
      <geom name="fixed_finger" type="box" pos="0.03 -0.025 0" size="0.02 0.005 0.008"/>
      <body name="finger_link" pos="0.03 -0.015 0">
        <joint name="finger" type="slide" axis="0 1 0" range="0 0.04"/>
        <geom name="finger" type="box" size="0.02 0.005 0.008"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <general name="grip" joint="finger" ctrlrange="0 100" gainprm="0.08" biastype="affine" biasprm="0 -200 -5"/>
  </actuator>
</mujoco>
"""


def _attached_arm(folder: Path) -> Path:
    """tests/sim/model_arm with its hand moved into a gripper model attached with prefix ``g_``."""
    arm = (MODEL_ARM / "arm.xml").read_text()
    start, end = arm.index('<body name="hand"'), arm.index("</body>\n          </body>\n        </body>")
    arm = arm[:start] + '<attach model="gripper" body="hand" prefix="g_"/>\n          ' + arm[end + len("</body>") :]
    arm = arm.replace("<default>", '<asset><model name="gripper" file="gripper/hand.xml"/></asset>\n  <default>')
    arm = arm.replace('\n    <general name="grip" joint="finger"', "\n    <!-- grip: in the gripper -->\n    <x")
    arm = arm[: arm.index("<x")] + arm[arm.index("</actuator>") :]
    _write(folder, {"arm.xml": arm, "gripper/hand.xml": _HAND})
    shutil.copy(MODEL_ARM / "action_config.yaml", folder / "action_config.yaml")
    gym = (MODEL_ARM / "gym_config.yaml").read_text()
    for old, new in (("hand: [finger]", "hand: [g_finger]"), ("end_link_name: hand", "end_link_name: g_hand")):
        assert old in gym
        gym = gym.replace(old, new)
    (folder / "gym_config.yaml").write_text(gym)
    return folder / "gym_config.yaml"


def test_an_arm_with_an_attached_gripper_lints_clean_and_steps(tmp_path: Path) -> None:
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv

    gym = _attached_arm(tmp_path)
    _assert_reads_as_mujoco_compiles(tmp_path / "arm.xml")
    result = CliRunner().invoke(main, ["lint", "--kind", "gym", str(gym)])
    assert result.exit_code == 0, result.output
    config, _ = load_sim_config(gym)
    env = ActionbankEnv(config, tmp_path, render_images=False)
    try:
        env.reset(seed=0)
        for _ in range(3):
            env.step(env.action_space.sample())
        assert np.all(np.isfinite(env.data.qpos))
    finally:
        env.close()


def test_a_missing_gripper_model_is_reported_by_lint(tmp_path: Path) -> None:
    gym = _attached_arm(tmp_path)
    (tmp_path / "gripper" / "hand.xml").unlink()
    result = CliRunner().invoke(main, ["lint", "--kind", "gym", str(gym)])
    assert result.exit_code == 1
    assert "AB712" in result.output and "AB709" not in result.output  # said once, by the file check
    assert result.output.splitlines()[-1].startswith("1 error")


def test_dm_controls_jaco_hand_attached_to_its_arm_reads_as_mujoco_compiles_it(tmp_path: Path) -> None:
    kinova = Path(pytest.importorskip("dm_control").__file__).parent / "third_party" / "kinova"
    shutil.copytree(kinova, tmp_path, dirs_exist_ok=True)
    arm = (tmp_path / "jaco_arm.xml").read_text()
    arm = arm.replace("<asset>", '<asset><model name="hand" file="jaco_hand.xml"/>', 1)
    start = arm.index('<body name="b_6"')
    end = arm.index(">", start) + 1
    # before the wrist's own joint: MuJoCo still numbers that joint first
    (tmp_path / "composed.xml").write_text(arm[:end] + '<attach model="hand" body="hand" prefix="h_"/>' + arm[end:])
    _assert_reads_as_mujoco_compiles(tmp_path / "composed.xml")
    assert {"h_finger_1", "h_finger_2", "h_finger_3"} <= set(read_model_names(tmp_path / "composed.xml").joints)
