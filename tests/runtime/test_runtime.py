"""The runtime's declarations: readable without MuJoCo, params models that refuse what they do
not know, and robot facts that agree with themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, checkout_distribution
from pydantic import ValidationError

from actionbank.runtime import RUNTIME
from actionbank.runtime.events import RandomizeRigidObjectPoseParams
from actionbank.runtime.robots import Part

#: Modules of the simulation that import MuJoCo (directly or through another).
MUJOCO_MODULES = ("mujoco", "sim.config", "sim.env", "sim.events", "sim.scene", "sim.robots", "sim.executor")


def test_lint_checks_a_gym_config_against_the_runtime_without_importing_mujoco(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from actionbank.compiler import CompileOptions, compile_file\n"
        f"result = compile_file({str(EXAMPLES / 'pour_water' / 'action_config.yaml')!r}, "
        "CompileOptions(check_gym_config=True))\n"
        "assert result.plan is not None and result.diagnostics == (), result.diagnostics\n"
        "import actionbank.runtime\n"
        "print(json.dumps(sorted(m for m in sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout_distribution(tmp_path)), str(ROOT)])},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    modules = json.loads(completed.stdout)

    assert "actionbank.runtime" in modules and "actionbank.spec.gym_checks" in modules
    assert [m for m in modules if m.startswith(MUJOCO_MODULES)] == []


@pytest.mark.parametrize("declaration", [*RUNTIME.events.values(), *RUNTIME.success_checks.values()], ids=str)
def test_every_params_model_is_frozen_and_forbids_unknown_keys(declaration: object) -> None:
    model = declaration.params  # type: ignore[attr-defined]

    assert model.model_config.get("frozen") is True
    assert model.model_config.get("extra") == "forbid"


def test_a_params_model_refuses_a_misspelt_key_and_keeps_what_it_is_given() -> None:
    with pytest.raises(ValidationError, match="position_rang"):
        RandomizeRigidObjectPoseParams.model_validate({"entity_cfg": {"uid": "cup"}, "position_rang": []})

    params = RUNTIME.events["randomize_rigid_object_pose"].parse(
        {"entity_cfg": {"uid": "cup"}, "position_range": [[0, 0, 0], [0.1, 0.2, 0]], "yaw_range": [-10, 10]}
    )
    assert isinstance(params, RandomizeRigidObjectPoseParams)
    assert params.position_range == ((0.0, 0.0, 0.0), (0.1, 0.2, 0.0))
    assert params.yaw_range == (-10.0, 10.0) and params.relative_position is True


@pytest.mark.parametrize("robot_type", sorted(RUNTIME.robots))
def test_a_robots_facts_name_their_parts_values_in_order(robot_type: str) -> None:
    facts = RUNTIME.robots[robot_type]

    assert list(facts.parts) == [part.name for part in facts.parts.values()]
    parts = list(facts.parts)
    assert len(facts.values_of(parts)) == sum(part.dim for part in facts.parts.values())
    assert set(facts.links) <= set(facts.bodies)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hand", "hand_gripper"),
        ("left_eef", "left_eef_gripper"),
        ("gripper", "gripper"),
        ("left_gripper", "left_gripper"),
    ],
)
def test_an_end_effector_value_is_named_once_as_a_gripper(name: str, expected: str) -> None:
    assert Part(name, "eef", ("finger",)).state_names == (expected,)


def test_the_so101_gripper_value_is_gripper() -> None:
    facts = RUNTIME.robots["so101"]
    names = [n for part in facts.parts.values() for n in part.state_names]
    assert names[-1] == "gripper" and names.count("gripper") == 1


def test_a_params_field_declared_as_a_tuple_takes_the_list_yaml_writes() -> None:
    """A plugin's ``offset: tuple[float, float]`` could never be written in a gym config: YAML
    writes lists, and strict validation wanted a tuple."""
    import pydantic
    from pydantic import Field

    from actionbank.runtime import Params

    class Shift(Params):
        offset: tuple[float, float]
        limits: tuple[float, float] | None = None
        steps: list[int] = Field(default_factory=list)

    parsed = Shift.model_validate({"offset": [0.0, 0.01], "limits": [1.0, 2.0], "steps": [1]})
    assert (parsed.offset, parsed.limits, parsed.steps) == ((0.0, 0.01), (1.0, 2.0), [1])
    for wrong in ({"offset": [0.0, "x"]}, {"offset": "ab"}, {"offset": [0.0]}, {"offset": [0, 1], "steps": (1,)}):
        with pytest.raises(pydantic.ValidationError):
            Shift.model_validate(wrong)
