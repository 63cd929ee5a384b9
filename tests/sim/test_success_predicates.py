"""The declarative success predicates, each made true and false in a toy-arm scene, and their
``all``/``any``/``not`` combinations.

The scene (tests/sim/toy_arm/predicates_gym_config.yaml) has a 3 cm cube on the floor, a
static table box (16 x 16 x 4 cm, centred at (0.3, 0.2)) and a static Compound stand (a
base plate and a post) at (-0.3, -0.3). Each case resets the env, puts the
cube somewhere (``mj_forward``, no stepping) and evaluates one check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import mujoco
import numpy as np
import pytest

from actionbank.runtime.predicates import PREDICATES
from actionbank.spec.gym_models import EnvSection, SuccessCheck
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.success import evaluate_success, success_label

CONFIG = Path(__file__).parent / "toy_arm" / "predicates_gym_config.yaml"
#: The table's top [m] and the cube's half extent [m].
TABLE_TOP, HALF = 0.04, 0.015

Placement = Callable[[ActionbankEnv], None]


@pytest.fixture(scope="module")
def env() -> Iterator[ActionbankEnv]:
    config, _ = load_sim_config(CONFIG)
    env = ActionbankEnv(config, CONFIG.parent, render_images=False)
    yield env
    env.close()


def place_cube(
    position: tuple[float, float, float], quat: tuple[float, float, float, float] = (1, 0, 0, 0)
) -> Placement:
    """Put the cube at ``position`` [m], turned by ``quat`` (w, x, y, z)."""

    def place(env: ActionbankEnv) -> None:
        address = int(env.model.jnt_qposadr[env.model.body("cube").jntadr[0]])
        env.data.qpos[address : address + 7] = [*position, *quat]

    return place


def cube_at_finger(env: ActionbankEnv) -> None:
    """Put the cube where the toy arm's moving finger is: they overlap, so MuJoCo finds contacts."""
    finger = env.data.geom("finger").xpos
    place_cube((float(finger[0]), float(finger[1]), float(finger[2])))(env)


def cube_at_tcp(env: ActionbankEnv) -> None:
    site = env.data.site(env.robot.parts["arm"].tcp_site or "").xpos
    place_cube((float(site[0]) + 0.1, float(site[1]), float(site[2])))(env)


def check(source: dict[str, Any]) -> SuccessCheck:
    """A success check as a gym config writes it."""
    success = EnvSection.model_validate({"control_parts": ["arm"], "success": source}).success
    assert success is not None
    return success


def evaluate(
    env: ActionbankEnv, placement: Placement | None, success: SuccessCheck
) -> tuple[bool, dict[str, float], str]:
    env.reset(seed=0)
    if placement is not None:
        placement(env)
    mujoco.mj_forward(env.model, env.data)
    return evaluate_success(env, success)


class Case(NamedTuple):
    func: str
    params: dict[str, Any]
    true_when: Placement | None
    false_when: Placement | None
    reason: str


ON_TABLE = place_cube((0.3, 0.2, TABLE_TOP + HALF))
RAISED = place_cube((0.3, -0.15, 0.2))
#: Turned 90 deg about x (its y axis up), and -90 deg about y (its x axis up).
TIPPED = place_cube((0.3, -0.15, HALF), (np.cos(np.pi / 4), np.sin(np.pi / 4), 0.0, 0.0))
X_UP = place_cube((0.3, -0.15, HALF), (np.cos(np.pi / 4), 0.0, -np.sin(np.pi / 4), 0.0))

#: On the stand's base plate beside its post (touching only the base), and against the post
#: high above the base (touching only the post); the stand is at (-0.3, -0.3), its base 1 cm
#: thick, its post 2 x 2 cm.
ON_BASE = place_cube((-0.3 + 0.03, -0.3, 0.01 + HALF - 0.001))
AT_POST = place_cube((-0.3 + 0.01 + HALF - 0.001, -0.3, 0.08))

CASES = [
    Case("object_in_region", {"object": "cube", "low": [0.2, -0.2, 0], "high": [0.4, -0.1, 0.1]}, None, ON_TABLE,
         "object_in_region(cube): cube is outside the region (the world frame)"),
    Case("object_in_region", {"object": "cube", "region_of": "table", "low": [-0.08, -0.08, 0], "high": [0.08, 0.08, 0.1]},
         ON_TABLE, None, "object_in_region(cube, table): cube is outside the region (table's frame)"),
    Case("object_on_object", {"object": "cube", "support": "table"}, ON_TABLE, None,
         "object_on_object(cube, table): cube is not above table"),
    Case("object_on_object", {"object": "cube", "support": "table"}, ON_TABLE, place_cube((0.3, 0.2, 0.15)),
         "object_on_object(cube, table): cube does not rest on table"),
    Case("object_lifted", {"object": "cube", "min_height": 0.05}, RAISED, None,
         "object_lifted(cube): cube is under 0.05 m above its start"),
    Case("object_lifted", {"object": "cube", "min_height": 0.05, "above": "table"}, RAISED, ON_TABLE,
         "object_lifted(cube): cube is under 0.05 m above table"),
    Case("object_grasped_by", {"object": "cube", "gripper": "eef"}, cube_at_finger, None,
         "object_grasped_by(cube, eef): eef does not hold cube"),
    Case("object_touches", {"object": "cube", "other": "table"}, place_cube((0.3, 0.2, TABLE_TOP + HALF - 0.001)),
         None, "object_touches(cube, table): cube does not touch table"),
    Case("object_touches", {"object": "cube", "other": "stand", "other_part": "post"}, AT_POST, ON_BASE,
         "object_touches(cube, stand/post): cube does not touch stand's post"),
    Case("object_touches", {"object": "stand", "part": "base", "other": "cube"}, ON_BASE, AT_POST,
         "object_touches(stand/base, cube): stand's base does not touch cube"),
    Case("upright", {"object": "cube", "tolerance_deg": 10}, None, TIPPED,
         "upright(cube): cube is tilted over 10 deg"),
    Case("upright", {"object": "cube", "axis": "x"}, X_UP, TIPPED, "upright(cube): cube is tilted over 10 deg"),
    Case("distance_below", {"a": "cube", "b": "arm", "max_distance": 0.11}, cube_at_tcp, None,
         "distance_below(cube, arm): cube is over 0.11 m from arm"),
    Case("distance_below", {"a": "cube", "b": "table", "max_distance": 0.05}, ON_TABLE, None,
         "distance_below(cube, table): cube is over 0.05 m from table"),
]  # fmt: skip


def test_every_declared_predicate_has_a_case() -> None:
    assert {case.func for case in CASES} == set(PREDICATES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.func}-{i}" for i, c in enumerate(CASES)])
def test_each_predicate_holds_in_one_scene_and_fails_with_its_reason_in_another(env: ActionbankEnv, case: Case) -> None:
    success = check({"func": case.func, "params": case.params})

    ok, metrics, reason = evaluate(env, case.true_when, success)
    assert (ok, reason) == (True, "")
    assert metrics and all(key.startswith(f"{case.func}(") for key in metrics)

    ok, _, reason = evaluate(env, case.false_when, success)
    assert (ok, reason) == (False, case.reason)


LIFTED = {"func": "object_lifted", "params": {"object": "cube", "min_height": 0.05}}
ON = {"func": "object_on_object", "params": {"object": "cube", "support": "table"}}
UPRIGHT = {"func": "upright", "params": {"object": "cube"}}


def test_all_fails_naming_only_the_members_that_failed(env: ActionbankEnv) -> None:
    ok, metrics, reason = evaluate(env, None, check({"all": [UPRIGHT, ON, LIFTED]}))

    assert not ok
    assert reason == (
        "object_on_object(cube, table): cube is not above table; "
        "object_lifted(cube): cube is under 0.05 m above its start"
    )
    assert metrics["upright(cube).tilt_deg"] == pytest.approx(0.0, abs=1e-6)


def test_all_succeeds_when_every_member_does(env: ActionbankEnv) -> None:
    assert evaluate(env, ON_TABLE, check({"all": [UPRIGHT, ON]}))[:3:2] == (True, "")


def test_any_succeeds_with_one_member_and_fails_listing_every_member(env: ActionbankEnv) -> None:
    assert evaluate(env, None, check({"any": [ON, UPRIGHT]}))[0]

    ok, _, reason = evaluate(env, TIPPED, check({"any": [ON, UPRIGHT]}))
    assert not ok
    assert (
        reason
        == "none of: object_on_object(cube, table): cube is not above table | upright(cube): cube is tilted over 10 deg"
    )


def test_not_inverts_and_nests_inside_all(env: ActionbankEnv) -> None:
    nested = check({"all": [UPRIGHT, {"not": {"any": [ON, LIFTED]}}]})

    assert evaluate(env, None, nested)[0]
    ok, _, reason = evaluate(env, ON_TABLE, nested)
    assert not ok
    assert reason == "not(any(object_on_object(cube, table), object_lifted(cube))): it succeeded"


def test_the_labels_of_a_combination_name_every_predicate_and_subject() -> None:
    assert success_label(check({"all": [UPRIGHT, {"not": LIFTED}]})) == "all(upright(cube), not(object_lifted(cube)))"


def test_the_scene_config_with_a_combined_success_check_loads_and_evaluates(env: ActionbankEnv) -> None:
    assert evaluate(env, RAISED, env.config.env.success) == (
        True,
        {"object_lifted(cube).height": pytest.approx(0.185, abs=0.002), "object_touches(cube, table).touching": 0.0},
        "",
    )


#: transfer_cube_success written as predicates: the left gripper touches the cube, the right
#: one does not, and the cube does not touch the table.
TRANSFER_CUBE_AS_PREDICATES = {
    "all": [
        {"func": "object_grasped_by", "params": {"object": "red_box", "gripper": "left_eef", "both_fingers": False}},
        {"not": {"func": "object_touches", "params": {"object": "red_box", "other": "table"}}},
        {"not": {"func": "object_grasped_by", "params": {"object": "red_box", "gripper": "right_eef", "both_fingers": False}}},
    ]
}  # fmt: skip


def test_transfer_cube_success_and_its_predicate_form_agree_on_seeds_0_to_9() -> None:
    """The benchmark's machinery (benchmarks/task_success.py) runs the example with the
    predicate form; the Python check, evaluated on each episode's end state, agrees."""
    from helpers import EXAMPLES

    from actionbank.compiler import CompileOptions, compile_file
    from sim.executor import run_plan

    folder = EXAMPLES / "transfer_cube"
    result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=folder / "gym_config.yaml"))
    assert result.plan is not None
    config, _ = load_sim_config(folder / "gym_config.yaml")
    python_check = config.env.success
    declarative = config.model_copy(
        update={"env": config.env.model_copy(update={"success": check(TRANSFER_CUBE_AS_PREDICATES)})}
    )
    env = ActionbankEnv(declarative, folder, render_images=False)
    outcomes = []
    try:
        for seed in range(10):
            rollout = run_plan(result.plan, env, seed)
            python_ok = evaluate_success(env, python_check)[0]
            outcomes.append(
                (seed, rollout.valid, python_ok and not [f for f in rollout.failures if f.stage != "task_check"])
            )
    finally:
        env.close()

    assert [valid for _, valid, _ in outcomes] == [python for _, _, python in outcomes]
    assert any(valid for _, valid, _ in outcomes)
