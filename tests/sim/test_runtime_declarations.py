"""The runtime's declarations and the simulation hold to each other: every declared robot type,
event and success check has an implementation taking its declared params model, every
implementation is declared, and each robot's declared facts are its compiled model's."""

from __future__ import annotations

import inspect
import typing

import mujoco
import pytest

from actionbank.runtime import ROBOT_REGISTRY, RUNTIME
from sim.env import ActionbankEnv
from sim.events import EVENTS
from sim.robots import ROBOTS, robot_model
from sim.tasks import SUCCESS_CHECKS


def _params_type(function: typing.Callable[..., typing.Any]) -> typing.Any:
    hints = typing.get_type_hints(function, localns={"ActionbankEnv": ActionbankEnv})
    name = list(inspect.signature(function).parameters)[-1]
    return hints[name]


@pytest.mark.parametrize(
    ("declared", "implemented"),
    [
        pytest.param(RUNTIME.events, EVENTS, id="events"),
        pytest.param(RUNTIME.success_checks, SUCCESS_CHECKS, id="success checks"),
    ],
)
def test_every_declared_function_is_implemented_with_its_params_model_and_no_other_is(
    declared: typing.Mapping[str, typing.Any], implemented: typing.Mapping[str, typing.Any]
) -> None:
    assert sorted(implemented) == list(declared)
    for name, declaration in declared.items():
        assert declaration.name == name
        assert _params_type(implemented[name]) is declaration.params, name


def test_every_declared_robot_type_is_built_from_its_declaration_and_no_other_is() -> None:
    assert sorted(ROBOTS) == list(RUNTIME.robots)
    for name, robot in ROBOTS.items():
        assert robot.facts is RUNTIME.robots[name]


def _names(model: mujoco.MjModel, kind: str, count: int) -> set[str]:
    element = getattr(model, kind)
    return {element(i).name for i in range(count)} - {""}


@pytest.mark.parametrize("robot_type", sorted(ROBOTS))
def test_a_robots_declared_facts_are_those_of_its_compiled_model(robot_type: str) -> None:
    robot = ROBOTS[robot_type]
    facts = robot.facts
    model = robot.build().compile()

    assert _names(model, "body", model.nbody) == set(facts.bodies)
    assert _names(model, "geom", model.ngeom) == set(facts.geoms)
    assert _names(model, "joint", model.njnt) == set(facts.joints)
    assert _names(model, "mesh", model.nmesh) == set(facts.meshes)
    assert _names(model, "light", model.nlight) == set(facts.lights)  # a scene light may not reuse one
    assert set(facts.links) <= set(facts.bodies)
    sites = _names(model, "site", model.nsite)
    for part in facts.parts.values():
        assert set(part.joints) <= set(facts.joints), part.name
        assert part.tcp_site is None or part.tcp_site in sites, part.name
        assert part.base_body is None or part.base_body in facts.bodies, part.name
        assert len(facts.home[part.name]) == part.dim, part.name
    assert set(facts.home) == set(facts.parts)
    stated = {model.joint(i).name: model.jnt_range[i] for i in range(model.njnt) if model.jnt_limited[i]}
    assert set(facts.joint_ranges) == set(stated), "the joints whose values lint checks"
    for joint, span in facts.joint_ranges.items():
        assert span == pytest.approx(stated[joint], abs=1e-6), joint


def test_every_registered_function_event_success_check_and_robot_has_an_implementation() -> None:
    from sim.functions import runtime_registry

    functions = runtime_registry()
    unbound = [name for name in functions.names() if functions.get(name).implementation is None]  # type: ignore[union-attr]
    assert unbound == []
    for registry in (RUNTIME.events, RUNTIME.success_checks, ROBOT_REGISTRY):
        for name in registry:
            assert callable(registry.implementation(name)), name  # type: ignore[attr-defined]
    for robot_type in RUNTIME.robots:  # the registered ones and the model-file ones
        assert robot_model(robot_type).robot_type == robot_type


def test_every_task_function_implementation_is_declared() -> None:
    from actionbank.functions import default_registry
    from sim.tasks import TASK_FUNCTIONS

    registry = default_registry()
    assert [name for name in TASK_FUNCTIONS if name not in registry] == []
