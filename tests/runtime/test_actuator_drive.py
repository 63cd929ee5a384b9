"""What an actuator's control means (a position, a force, something else) is read from the
model file without MuJoCo as MuJoCo compiles it: shortcut elements, ``<general>`` written as a
servo or a motor, a ``<general>`` whose class a shortcut wrote, plugin actuators. Lint then
refuses an arm or a gripper driven by anything but a position (or, for an arm, a torque the
scene makes a servo), as generate would have recorded nonsense."""

from __future__ import annotations

from pathlib import Path

import mujoco
import pytest
from click.testing import CliRunner
from helpers import compiled_drive, model_arm_copy

from actionbank.cli import main
from actionbank.runtime.model_file import read_model_names

PID = '<extension><plugin plugin="mujoco.pid"><instance name="pid"><config key="kp" value="4"/></instance></plugin></extension>'


def _model(actuator: str, defaults: str = "") -> str:
    extension = PID if "plugin=" in actuator else ""
    return (
        f"<mujoco>{extension}<default>{defaults}</default>"
        '<worldbody><body><joint name="j" range="-1 1"/><geom size=".1"/></body></worldbody>'
        f"<actuator>{actuator}</actuator></mujoco>"
    )


CASES = {
    "position": ('<position joint="j" kp="50"/>', "", "servo"),
    "position, default kp": ('<position joint="j"/>', "", "servo"),
    "position, kp 0": ('<position joint="j" kp="0"/>', "", "other"),
    "position with a filter": ('<position joint="j" timeconst="0.1"/>', "", "servo"),
    "motor": ('<motor joint="j"/>', "", "torque"),
    "velocity": ('<velocity joint="j" kv="3"/>', "", "other"),
    "intvelocity": ('<intvelocity joint="j" kp="5" actrange="-1 1"/>', "", "other"),
    "damper": ('<damper joint="j" kv="2" ctrlrange="0 1"/>', "", "other"),
    "cylinder": ('<cylinder joint="j"/>', "", "other"),
    "dcmotor": ('<dcmotor joint="j" motorconst="0.1" resistance="1"/>', "", "other"),
    "plugin (PID)": ('<plugin joint="j" plugin="mujoco.pid" instance="pid"/>', "", "other"),
    "general, defaults": ('<general joint="j"/>', "", "torque"),
    "general servo": ('<general joint="j" biastype="affine" gainprm="20" biasprm="0 -20 -1"/>', "", "servo"),
    "general, affine without a length term": ('<general joint="j" biastype="affine" biasprm="0 0 -1"/>', "", "other"),
    "general integrator": ('<general joint="j" dyntype="integrator" biastype="affine" biasprm="0 -5 0"/>', "", "other"),
    "general of a position class": (
        '<general joint="j" class="c"/>',
        '<default class="c"><position kp="30"/></default>',
        "servo",
    ),
    "general of a motor class": ('<general joint="j" class="c"/>', '<default class="c"><motor/></default>', "torque"),
    "general of a velocity class": (
        '<general joint="j" class="c"/>',
        '<default class="c"><velocity kv="7"/></default>',
        "other",
    ),
    "general of a servo class": (
        '<general joint="j" class="c"/>',
        '<default class="c"><general biastype="affine" biasprm="0 -9 -1"/></default>',
        "servo",
    ),
    "position of a general class": (
        '<position joint="j" class="c"/>',
        '<default class="c"><general biastype="none"/></default>',
        "servo",
    ),
    "motor of a position class": (
        '<motor joint="j" class="c"/>',
        '<default class="c"><position kp="30"/></default>',
        "torque",
    ),
    "general of a nested position class": (
        '<general joint="j" class="inner"/>',
        '<default class="outer"><position kp="30"/><default class="inner"><general gainprm="5"/></default></default>',
        "servo",
    ),
}


@pytest.mark.parametrize(("actuator", "defaults", "drive"), CASES.values(), ids=CASES.keys())
def test_an_actuators_drive_is_read_as_mujoco_compiles_it(
    actuator: str, defaults: str, drive: str, tmp_path: Path
) -> None:
    path = tmp_path / "model.xml"
    path.write_text(_model(actuator, defaults))
    model = mujoco.MjModel.from_xml_path(str(path))
    (read,) = read_model_names(path).actuators
    assert compiled_drive(model, 0) == drive  # the case says what MuJoCo makes of it
    assert read.drive == drive


def _lint(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", str(folder / "action_config.yaml")])
    return result.exit_code, result.output


def test_an_arm_driven_by_velocity_actuators_is_refused_at_its_part(tmp_path: Path) -> None:
    """Before, it linted clean and generate recorded joint targets sent as velocities."""
    velocities = {
        f'<motor name="m{i}" joint="joint{i}" ctrlrange="-20 20"/>': f'<velocity name="m{i}" joint="joint{i}" kv="10"/>'
        for i in (1, 2, 3)
    }
    code, output = _lint(model_arm_copy(tmp_path, velocities))
    assert code == 1
    assert (
        "gym_config.yaml:17:5: AB705 error: robot.control_parts.arm: arm joint 'joint1': its actuator 'm1' "
        "(<velocity>) takes a velocity, not a joint position"
    ) in output
    assert output.count("AB705") == 3 and "hint: drive each arm joint with a <position> actuator" in output


def test_an_arm_driven_by_a_plugin_is_refused_as_such_not_as_missing_its_actuator(tmp_path: Path) -> None:
    replace = {
        '<compiler angle="radian" autolimits="true"/>': '<compiler angle="radian" autolimits="true"/>' + PID,
        '<motor name="m1" joint="joint1" ctrlrange="-20 20"/>': '<plugin name="m1" joint="joint1" plugin="mujoco.pid" instance="pid"/>',
    }
    code, output = _lint(model_arm_copy(tmp_path, replace))
    assert code == 1
    assert "arm joint 'joint1': its actuator 'm1' (<plugin>) takes its plugin's input, not a joint position" in output
    assert "has no actuator" not in output and output.count("AB705") == 1


def test_a_gripper_driven_by_a_torque_is_refused_by_lint_not_late_by_the_scene(tmp_path: Path) -> None:
    replace = {
        '<general name="grip" joint="finger" ctrlrange="0 100" gainprm="0.08" biastype="affine" biasprm="0 -200 -5"/>': '<motor name="grip" joint="finger" ctrlrange="0 100"/>'
    }
    code, output = _lint(model_arm_copy(tmp_path, replace))
    assert code == 1
    assert (
        "AB705 error: robot.control_parts.hand: end effector 'hand': its actuator 'grip' (<motor>) takes a force, not a position"
        in output
    )


def test_a_joint_whose_first_actuator_takes_a_velocity_is_told_to_put_its_servo_first(tmp_path: Path) -> None:
    """A velocity actuator for damping before the servo: the scene would command the first."""
    motor = '<motor name="m1" joint="joint1" ctrlrange="-20 20"/>'
    pair = '<velocity name="v1" joint="joint1" kv="1"/>' + motor
    code, output = _lint(model_arm_copy(tmp_path, {motor: pair}))
    assert code == 1 and output.count("AB705") == 1
    assert "arm joint 'joint1': its actuator 'v1' (<velocity>) takes a velocity, not a joint position" in output
    assert "hint: the scene commands a joint through its first actuator: put 'm1' (<motor>) before the others" in output


def test_an_arm_joint_with_a_second_actuator_is_refused(tmp_path: Path) -> None:
    """The scene commands the first; the second held its control at 0 and pulled the joint off its targets."""
    motor = '<motor name="m2" joint="joint2" ctrlrange="-20 20"/>'
    code, output = _lint(model_arm_copy(tmp_path, {motor: motor + '<position name="p2" joint="joint2" kp="30"/>'}))
    assert code == 1 and output.count("AB705") == 1
    assert "arm joint 'joint2' has 2 actuators ('m2', 'p2'): the scene commands the first" in output


def test_a_model_site_named_as_the_arms_tool_frame_is_refused_at_the_solver_cfg(tmp_path: Path) -> None:
    """Before, lint passed and generate blamed the model file for a repeated site name."""
    palm = '<geom name="palm" type="box" size="0.01 0.035 0.01"/>'
    code, output = _lint(model_arm_copy(tmp_path, {palm: palm + '<site name="arm_tcp" pos="0.04 0 0"/>'}))
    assert code == 1
    assert "AB717 error: robot.solver_cfg.arm: the model has a site named 'arm_tcp'" in output
