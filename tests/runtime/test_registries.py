"""The runtime registries: one contract for robots, events and success checks, filled by code
and by entry points; a plugin event's params are checked by ``lint`` and run by ``generate``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, checkout_distribution, write_distribution

from actionbank.runtime import (
    EVENT_REGISTRY,
    RUNTIME,
    Declaration,
    Params,
    PluginError,
    Registry,
    RegistryConflictError,
)


class _Params(Params):
    size: float = 1.0


class _Other(Params):
    size: int = 1


def _registry() -> Registry[Declaration]:
    return Registry("event", "actionbank.tests.none", Declaration, lambda d: d.name)


def test_registering_a_different_declaration_under_a_taken_name_is_a_conflict() -> None:
    registry = _registry()
    registry.register("grow", Declaration("grow", _Params, ""), origin="first")
    registry.register("grow", Declaration("grow", _Params, ""), implementation=print, origin="again")

    with pytest.raises(RegistryConflictError, match="event 'grow' from second conflicts with the one from first"):
        registry.register("grow", Declaration("grow", _Other, ""), origin="second")
    assert registry.implementation("grow") is print


def test_an_unknown_name_gets_a_did_you_mean_and_the_known_names() -> None:
    registry = _registry()
    registry.register("grow", Declaration("grow", _Params, ""))

    assert registry.suggestion("grwo") == "grow"
    with pytest.raises(PluginError, match=r"unknown event 'grwo'; did you mean 'grow'\? \(known: grow\)"):
        registry.implementation("grwo")


def test_a_declared_name_without_an_implementation_is_a_clean_error() -> None:
    registry = _registry()
    registry.register("grow", Declaration("grow", _Params, ""), origin="my_plugin")

    with pytest.raises(PluginError, match="event 'grow' \\(from my_plugin\\) is declared but has no implementation"):
        registry.implementation("grow")


def test_an_implementation_named_by_a_string_is_imported_when_asked_for() -> None:
    registry = _registry()
    registry.register("grow", Declaration("grow", _Params, ""), implementation="os.path:join")
    registry.register("gone", Declaration("gone", _Params, ""), implementation="no_such_module_here:run")

    assert registry.implementation("grow") is os.path.join
    with pytest.raises(PluginError, match=r"implementation of event 'gone' \(no_such_module_here:run\) failed"):
        registry.implementation("gone")


def test_the_runtime_reads_the_registries_sorted_by_name() -> None:
    assert RUNTIME.events is EVENT_REGISTRY
    assert list(RUNTIME.events) == sorted(RUNTIME.events)
    assert "randomize_light" in RUNTIME.events and "toy_arm" in RUNTIME.robots


# -- a plugin through a real entry point, in subprocesses ---------------------------------

PLUGIN = '''
"""A plugin event: MuJoCo-free at import (lint imports this module)."""
from pathlib import Path
from typing import Any
from actionbank.runtime import Params, register_event
from actionbank.runtime.params import EntityCfg


class MarkParams(Params):
    entity_cfg: EntityCfg
    marker: str
    times: int = 1


@register_event(params=MarkParams)
def mark_block(env: Any, rng: Any, params: MarkParams) -> dict[str, Any]:
    """Append the object's uid, its body id in the MuJoCo model and ``times`` to the marker file."""
    import mujoco  # lazily, as the contract asks

    body = mujoco.mj_name2id(env.model, mujoco.mjtObj.mjOBJ_BODY, params.entity_cfg.uid)
    with Path(params.marker).open("a") as stream:
        stream.write(f"{params.entity_cfg.uid} {params.times} {body >= 0}\\n")
    return {"marked": params.entity_cfg.uid}
'''

BROKEN = "raise RuntimeError('plugin exploded')\n"


def _site(tmp_path: Path, events: dict[str, str], modules: dict[str, str]) -> dict[str, str]:
    site = checkout_distribution(tmp_path / "site")
    write_distribution(site, "ab_test_plugin", {"actionbank.events": events})
    for name, text in modules.items():
        (site / f"{name}.py").write_text(textwrap.dedent(text))
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}


def _configs(tmp_path: Path, params: str) -> Path:
    folder = tmp_path / "configs"
    folder.mkdir()
    toy = ROOT / "tests" / "sim" / "toy_arm"
    gym = (
        (toy / "gym_config.yaml")
        .read_text()
        .replace(
            "  control_parts: [arm, eef]\n",
            f"  control_parts: [arm, eef]\n  events:\n    mark:\n      func: mark_block\n      mode: reset\n      params: {params}\n",
        )
    )
    (folder / "gym_config.yaml").write_text(gym)
    (folder / "action_config.yaml").write_text((toy / "action_config.yaml").read_text())
    return folder


def _actionbank(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actionbank", *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def test_lint_checks_a_plugin_events_params_at_their_line(tmp_path: Path) -> None:
    env = _site(tmp_path, {"mark": "ab_test_mark"}, {"ab_test_mark": PLUGIN})
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt, tims: 2}")
    gym_lines = (folder / "gym_config.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(gym_lines, 1) if "tims" in text)

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"gym_config.yaml:{line}:" in result.stdout
    assert "unknown key 'tims' in 'env.events.mark.params'" in result.stdout
    assert "did you mean 'times'" in result.stdout


def test_generate_runs_a_plugin_event_with_its_validated_params(tmp_path: Path) -> None:
    env = _site(tmp_path, {"mark": "ab_test_mark"}, {"ab_test_mark": PLUGIN})
    marker = tmp_path / "marks.txt"
    folder = _configs(tmp_path, f"{{entity_cfg: {{uid: block}}, marker: {marker}, times: 3}}")

    lint = _actionbank(env, "lint", str(folder / "action_config.yaml"))
    assert lint.returncode == 0, lint.stdout + lint.stderr
    result = _actionbank(
        env,
        "generate",
        "--gym_config",
        str(folder / "gym_config.yaml"),
        "--action_config",
        str(folder / "action_config.yaml"),
        "--max-episodes",
        "1",
        "--output",
        str(tmp_path / "dataset"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    lines = marker.read_text().splitlines()
    assert lines and all(line == "block 3 True" for line in lines), lines


def test_a_broken_plugin_is_a_clean_error_naming_it(tmp_path: Path) -> None:
    env = _site(tmp_path, {"exploding": "ab_test_broken"}, {"ab_test_broken": BROKEN})
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "the event plugin 'exploding' (ab_test_broken, entry point group actionbank.events) failed to load" in (
        result.stdout + result.stderr
    )
    assert "RuntimeError: plugin exploded" in result.stdout + result.stderr


RAISING = PLUGIN.replace(
    '    return {"marked": params.entity_cfg.uid}\n',
    '    if params.times == 2:\n        raise RuntimeError("mark exploded")\n    return {"marked": {params.entity_cfg.uid}}\n',
)


@pytest.mark.parametrize(
    ("times", "workers", "said"),
    [
        pytest.param(2, 1, "event 'mark_block' (env.events.mark) raised RuntimeError: mark exploded", id="raises"),
        pytest.param(
            3,
            2,
            "event 'mark_block' (env.events.mark) returned values that are not plain data (numbers, strings, lists, "
            "dicts): the return value['marked'] is a set",
            id="returns a set, in a worker",
        ),
    ],
)
def test_a_plugin_event_that_raises_or_breaks_its_contract_is_said_not_a_crash(
    tmp_path: Path, times: int, workers: int, said: str
) -> None:
    """Before, a plugin's raise ended generate in a traceback (in a worker: "a worker failed",
    then the traceback), and a set it returned crashed the recorder after the episode ran."""
    env = _site(tmp_path, {"mark": "ab_test_mark"}, {"ab_test_mark": RAISING})
    folder = _configs(tmp_path, f"{{entity_cfg: {{uid: block}}, marker: {tmp_path / 'm.txt'}, times: {times}}}")
    gym, action = str(folder / "gym_config.yaml"), str(folder / "action_config.yaml")
    out = str(tmp_path / "dataset")
    result = _actionbank(env, "generate", "--gym-config", gym, "--action-config", action, "-o", out,
                         "--max-episodes", "1", "--num-envs", str(workers))  # fmt: skip

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"actionbank: {said}" in result.stderr
    assert "Traceback" not in result.stderr and "a worker failed" not in result.stderr
    if times == 2:  # the plugin's own frame, for its author
        assert 'ab_test_mark.py", line' in result.stderr and "in mark_block" in result.stderr


def test_a_plugin_whose_params_are_not_a_params_model_fails_to_load_saying_so(tmp_path: Path) -> None:
    plain = PLUGIN.replace(
        "class MarkParams(Params):", "from pydantic import BaseModel\n\n\nclass MarkParams(BaseModel):"
    )
    env = _site(tmp_path, {"mark": "ab_test_mark"}, {"ab_test_mark": plain})
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert (
        "failed to load: TypeError: event 'mark_block': params must be a subclass of actionbank.runtime.params.Params"
        in result.stderr
    )


def test_a_broken_function_plugin_is_said_as_a_broken_runtime_plugin_is(tmp_path: Path) -> None:
    """Before, a function plugin's failure exited 1 (a config problem), without its group or
    the exception's type, where the other registries' exit 2."""
    site = checkout_distribution(tmp_path / "site")
    write_distribution(site, "ab_test_fn", {"actionbank.functions": {"exploding": "ab_test_fn_broken"}})
    (site / "ab_test_fn_broken.py").write_text(BROKEN)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert (
        "the function plugin 'exploding' (ab_test_fn_broken, entry point group actionbank.functions) failed to load: "
        "RuntimeError: plugin exploded" in result.stderr
    )


WOBBLE = """
from actionbank.functions import register_function


@register_function("edge")
def wobble(ctx, **kwargs):
    raise ValueError(f"no room to wobble in {ctx.duration} steps")
"""


def test_the_first_failure_of_each_stage_whose_count_names_no_reason_is_told_and_logged(tmp_path: Path) -> None:
    """Before, the summary said "discarded: 2 exception in an edge" and nothing said why."""
    from recorder.runs import read_run_records

    site = checkout_distribution(tmp_path / "site")
    write_distribution(site, "ab_test_fn", {"actionbank.functions": {"wobble": "ab_test_wobble"}})
    (site / "ab_test_wobble.py").write_text(WOBBLE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    toy = ROOT / "tests" / "sim" / "toy_arm"
    folder = tmp_path / "configs"
    folder.mkdir()
    (folder / "gym_config.yaml").write_text((toy / "gym_config.yaml").read_text())
    edge = "        name: execute_close\n"  # the edge's, not the node's ({name: execute_close})
    (folder / "action_config.yaml").write_text(
        (toy / "action_config.yaml").read_text().replace(edge, "        name: wobble\n")
    )
    out = tmp_path / "dataset"
    result = _actionbank(env, "generate", "--gym-config", str(folder / "gym_config.yaml"), "--action-config",
                         str(folder / "action_config.yaml"), "--max-episodes", "1", "--max-attempts", "2",
                         "-o", str(out))  # fmt: skip

    assert result.returncode == 1, result.stdout + result.stderr
    told = "exception in an edge (the first, attempt 0): edge 'eef/close' (wobble): ValueError: no room to wobble in 20 steps"
    assert result.stderr.count(f"actionbank: note: {told}") == 1, result.stderr
    assert "(discarded: 2 exception in an edge)" in result.stderr
    assert read_run_records(out)[0]["notes"] == {"discarded_edge": told}


def test_a_broken_plugin_is_a_diagnostic_in_lints_json(tmp_path: Path) -> None:
    """Before, `lint --format json` printed nothing on stdout for it: a tool reading the JSON saw no error."""
    import json

    env = _site(tmp_path, {"exploding": "ab_test_broken"}, {"ab_test_broken": BROKEN})
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", "--format", "json", str(folder / "action_config.yaml"))

    assert result.returncode == 2, result.stdout + result.stderr
    [diagnostic] = json.loads(result.stdout)
    assert (diagnostic["code"], diagnostic["severity"]) == ("AB116", "error")
    assert diagnostic["message"].startswith("the event plugin 'exploding' (ab_test_broken, entry point group")


def test_a_plugin_module_listed_under_another_registrys_group_still_registers(tmp_path: Path) -> None:
    """Before, an event module listed under actionbank.observations was imported only once an
    observation term was looked up: its event was "not available" (AB6xx) until then."""
    site = checkout_distribution(tmp_path / "site")
    write_distribution(site, "ab_test_misfiled", {"actionbank.observations": {"mark": "ab_test_mark"}})
    (site / "ab_test_mark.py").write_text(textwrap.dedent(PLUGIN))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_plugin_that_imports_mujoco_as_it_loads_is_a_lint_warning(tmp_path: Path) -> None:
    """lint imports no MuJoCo; a plugin doing so at module level made it import MuJoCo silently."""
    heavy = "import mujoco  # at module level, against the contract\n" + textwrap.dedent(PLUGIN)
    env = _site(tmp_path, {"mark": "ab_test_mark"}, {"ab_test_mark": heavy})
    folder = _configs(tmp_path, "{entity_cfg: {uid: block}, marker: m.txt}")

    result = _actionbank(env, "lint", str(folder / "action_config.yaml"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "AB117 warning: the plugin 'mark' (ab_test_mark, entry point group actionbank.events) imports MuJoCo or the "
        "simulation as it is loaded, so lint does too" in result.stdout
    )
    light = _actionbank(_site(tmp_path / "light", {"mark": "ab_test_mark"}, {"ab_test_mark": PLUGIN}), "lint",
                        str(folder / "action_config.yaml"))  # fmt: skip
    assert light.returncode == 0 and "AB117" not in light.stdout, light.stdout + light.stderr
