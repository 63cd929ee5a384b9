"""A declared arm is commanded in joint positions whatever actuators its model file gives it:
torque motors, position servos with a gear (their length ``gear × q``), general servos whose
control is not the joint's position (a gain other than their bias's, a constant bias), a motor through
``jointinparent``, a gripper servo whose control range reaches past its finger's stops (closed
and open are then cut to what the finger reaches), and actuators the file leaves unnamed. Each variant of the model arm starts at its ``init_qpos`` and holds the
joint targets it is sent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import generate_folder, model_arm_copy

MOTORS = [f'<motor name="m{i}" joint="joint{i}" ctrlrange="-20 20"/>' for i in (1, 2, 3)]
GRIPPER = '<general name="grip" '


VARIANTS = {
    "motors": {},
    "geared motors": {m: m.replace('ctrlrange="-20 20"', 'gear="10" ctrlrange="-2 2"') for m in MOTORS},
    "geared position servos": {
        m: m.replace("<motor", "<position").replace('ctrlrange="-20 20"', 'gear="2" kp="15" kv="1" ctrlrange="-5 5"')
        for m in MOTORS
    },
    "general servos whose gain is not their bias's": {
        m: m.replace("<motor", "<general").replace(
            'ctrlrange="-20 20"', 'ctrlrange="-5 5" gainprm="30" biastype="affine" biasprm="0 -15 -1"'
        )
        for m in MOTORS
    },
    "geared general servos with a constant bias": {
        m: m.replace("<motor", "<general").replace(
            'ctrlrange="-20 20"', 'gear="2" ctrlrange="-5 5" gainprm="15" biastype="affine" biasprm="1.5 -15 -1"'
        )
        for m in MOTORS
    },
    "a motor through jointinparent": {MOTORS[0]: MOTORS[0].replace('joint="joint1"', 'jointinparent="joint1"')},
    "a gripper servo whose control range reaches past the finger's stops": {
        '<general name="grip" joint="finger" ctrlrange="0 100" gainprm="0.08" biastype="affine" biasprm="0 -200 -5"/>': (
            '<position name="grip" joint="finger" kp="100" kv="2" ctrlrange="-0.01 0.05"/>'
        )
    },
    "unnamed actuators": {m: m.replace(f' name="m{i}"', "") for i, m in enumerate(MOTORS, start=1)}
    | {GRIPPER: "<general "},
}


@pytest.mark.parametrize("replace", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_arm_starts_at_its_init_qpos_and_holds_the_targets_it_is_sent(
    replace: dict[str, str], tmp_path: Path
) -> None:
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv

    folder = model_arm_copy(tmp_path, replace)
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=False)
    try:
        observation, info = env.reset(seed=0)
        start = observation["state"].copy()
        target = np.array([0.3, -0.2, 1.0, 0.0])
        for _ in range(150):
            observation, *_ = env.step(target)
    finally:
        env.close()
    assert info["settle_drift"] is None
    np.testing.assert_allclose(start, [0.0, -0.6, 1.2, 1.0], atol=0.02)
    np.testing.assert_allclose(observation["state"], target, atol=0.02)


def test_an_arm_with_unnamed_actuators_generates(tmp_path: Path) -> None:
    """Before, generate failed with a traceback looking the motors up by name."""
    folder = model_arm_copy(tmp_path, VARIANTS["unnamed actuators"])
    result = generate_folder(folder, tmp_path / "dataset")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and (tmp_path / "dataset" / "meta" / "info.json").is_file()


def test_a_target_outside_the_control_range_is_clipped_recorded_so_and_told(tmp_path: Path) -> None:
    """Before, the dataset recorded joint2 at -2.4 while MuJoCo clamped its control to -1.8."""
    import re

    from recorder import open_dataset
    from recorder.runs import read_run_records

    folder = model_arm_copy(tmp_path)
    gym = folder / "gym_config.yaml"
    gym.write_text(re.sub(r"reach_qpos: \[.*\]", "reach_qpos: [0.3, -2.4, 1.0]", gym.read_text()))
    out = tmp_path / "dataset"
    result = generate_folder(folder, out)
    assert result.exit_code == 0, result.output
    told = "actionbank: note: the plan commands joint2 to -2.4, outside its control range [-1.8, 1.8]"
    assert told in result.output
    actions = np.asarray(open_dataset(f"actionbank/{out.name}", out).hf_dataset.with_format("numpy")["action"])
    assert actions[:, 1].min() == pytest.approx(-1.8) and actions[-1, 1] == pytest.approx(-1.8)
    assert read_run_records(out)[0]["notes"]["actions_clipped"].startswith("the plan commands joint2 to -2.4")


@pytest.mark.parametrize("blocked", [False, True], ids=["free", "link1 touching its base"])
def test_an_arm_held_back_from_a_target_is_told_and_logged(tmp_path: Path, blocked: bool) -> None:
    """Without its <contact><exclude>, link1 touches the base (welded to the world, so MuJoCo
    does not filter the pair) and joint1 stops short of its target: before, the episode was
    saved with no word, its actions recording a target the arm never reached (robosuite's
    Sawyer)."""
    from recorder.runs import read_run_records

    replace = {'<exclude body1="base" body2="link1"/>': ""} if blocked else {}
    folder = model_arm_copy(tmp_path, replace)
    out = tmp_path / "dataset"
    result = generate_folder(folder, out)
    assert result.exit_code == 0, result.output
    notes = read_run_records(out)[0].get("notes", {})
    if not blocked:
        assert "arm_off_target" not in notes and "did not reach" not in result.output
        return
    told = "actionbank: note: an arm did not reach a target it was held at: joint1 of part 'arm' stayed at 0."
    assert told in result.output
    assert notes["arm_off_target"].startswith("an arm did not reach a target it was held at: joint1 of part 'arm'")
    assert "from its target 0.30 rad" in notes["arm_off_target"]


def test_a_gripper_far_outside_0_to_1_or_that_does_not_move_is_told(tmp_path: Path) -> None:
    """robosuite's Robotiq 85 file, attached without <compiler angle="radian">, has its joint
    ranges read in degrees: its gripper value read -2.56 to -3.06 for actions of 1 and 0; its
    Robotiq 140, whose linkage closes at the high end of its range, sent there as "open" jammed
    at 1.1 whatever it was sent. Both went unremarked."""
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.target_watch import GripperWatch

    folder = model_arm_copy(tmp_path)
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=False)
    try:
        watches = [GripperWatch(env) for _ in range(3)]
    finally:
        env.close()
    assert env.state_names[-1] == "hand_gripper"
    episodes = {  # (sent, read) per step
        "outside": [(1.0, 1.0), (1.0, 1.15), (0.0, -0.1), (0.0, -2.56), (0.0, -3.06), (1.0, 0.5)],
        "stuck": [(1.0, 1.09), (1.0, 1.1), (0.0, 1.11), (0.0, 1.1)],
        "quiet": [(1.0, 1.0), (1.0, 1.2), (0.0, -0.2), (0.0, 0.0)],
    }
    for watch, steps in zip(watches, episodes.values(), strict=True):
        for step, (sent, read) in enumerate(steps):
            watch.see(step, np.array([0.0, 0.0, 0.0, sent], np.float32), np.array([0.0, 0.0, 0.0, read], np.float32))
    outside, stuck, quiet = (watch.notes() for watch in watches)
    assert quiet == {}
    assert list(outside) == ["gripper_out_of_range"] and outside["gripper_out_of_range"].startswith(
        "a gripper read outside 0 (closed) to 1 (open): hand_gripper of part 'hand' read -3.06 (step 4)"
    )
    assert "check robot.grippers.hand" in outside["gripper_out_of_range"]
    assert list(stuck) == ["gripper_stuck"] and stuck["gripper_stuck"].startswith(
        "a gripper did not move: hand_gripper of part 'hand' was sent from 0.00 to 1.00 but read 1.09 to 1.11"
    )


def test_a_finger_tied_to_the_driven_one_by_an_equality_starts_where_it_belongs(tmp_path: Path) -> None:
    """Before, only the driven finger was placed at reset: the tied one started at 0, the
    equality pulled both during the settle, and the first frame's gripper read 0.83 for an
    init_qpos of 1 (robosuite's Panda hand with one actuator)."""
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv

    second = '<body name="finger2_link" pos="0.03 0.015 0"><joint name="finger2" type="slide" axis="0 -1 0" '
    second += 'range="0 0.04"/><geom type="box" size="0.02 0.005 0.008"/></body><geom name="fixed_finger"'
    tie = '<equality><joint joint1="finger2" joint2="finger" polycoef="0 1 0 0 0"/></equality><actuator>'
    folder = model_arm_copy(tmp_path, {'<geom name="fixed_finger"': second, "<actuator>": tie})
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=False)
    try:
        observation, _ = env.reset(seed=0)
        addresses = [env.model.joint(name).qposadr[0] for name in ("finger", "finger2")]
        settled = env.data.qpos[addresses].copy()
        env.set_part_qpos("hand", np.array([0.5]))  # placed, not yet stepped
        placed = env.data.qpos[addresses].copy()
    finally:
        env.close()
    assert observation["state"][-1] == pytest.approx(1.0, abs=0.02)
    assert settled == pytest.approx([0.04, 0.04], abs=1e-3)
    assert placed == pytest.approx([0.02, 0.02], abs=1e-6)
