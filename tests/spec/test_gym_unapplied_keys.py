"""Nothing in a gym config is silently ignored: every key the models accept is used, or reported
at its line and column with what to do instead, by ``lint`` and ``generate`` alike.

Each case is the toy arm's scene (which lints clean) with one key changed, written as JSON with
one key per line, so a diagnostic's line and column land on the key it names."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT, TETRAHEDRON

from actionbank.cli import main
from actionbank.generate.options import configured_num_envs
from actionbank.spec.gym_models import ObjectAttrs

TOY = ROOT / "tests" / "sim" / "toy_arm"
SCENE: dict[str, Any] = yaml.safe_load((TOY / "gym_config.yaml").read_text())
#: A dataset section of the toy arm's, for the metadata keys.
DATASET = {
    "lerobot": {
        "params": {
            "robot_meta": {"robot_type": "toy_arm"},
            "instruction": {"lang": "reach"},
            "extra": {"scene_type": "table", "task_description": "reach", "data_type": "sim"},
        }
    }
}
SLIDE = {
    "func": "randomize_rigid_object_pose",
    "params": {"entity_cfg": {"uid": "block"}, "position_range": [[-0.05, 0, 0], [0.05, 0, 0]]},
}
PEBBLES = [{"uid": "clutter", "rigid_objects": {"pebble": {"shape": {"shape_type": "Sphere", "radius": 0.01}}}}]


def _scene(path: str, value: Any) -> dict[str, Any]:
    """The toy scene, with a dataset section, a reset event ``slide`` and a group member
    ``pebble``, and the value at dotted ``path`` set; a path may start at ``block`` (the rigid
    object), ``lamp`` (the light) or ``pebble``."""
    scene = copy.deepcopy(SCENE)
    scene["env"]["dataset"] = copy.deepcopy(DATASET)
    scene["env"]["events"] = {"slide": {**copy.deepcopy(SLIDE), "mode": "reset"}}
    scene["rigid_object_group"] = copy.deepcopy(PEBBLES)
    starts = {
        "block": scene["rigid_object"][0],
        "lamp": scene["light"]["direct"][0],
        "pebble": scene["rigid_object_group"][0]["rigid_objects"]["pebble"],
    }
    head, *keys = path.split(".")
    target = starts.get(head)
    if target is None:
        target, keys = scene, [head, *keys]
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value
    return scene


def _write(folder: Path, scene: dict[str, Any]) -> Path:
    (folder / "tet.stl").write_bytes(TETRAHEDRON)
    path = folder / "gym.json"
    path.write_text(json.dumps(scene, indent=2))
    return path


def _lint(path: Path) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["lint", "--kind", "gym", "--format", "json", str(path)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)


MESH = {"shape_type": "Mesh", "fpath": "tet.stl"}

#: (dotted path, value, code, severity, pointer) of each key that is accepted and not applied.
REPORTED = [
    pytest.param("lamp.radius", 10.0, "AB763", "warning", "/light/direct/0/radius", id="light radius"),
    pytest.param("lamp.intensity", 2.5, "AB765", "warning", "/light/direct/0/intensity", id="light intensity"),
    pytest.param(
        "block.attrs", {"static_friction": 0.95, "dynamic_friction": 0.9}, "AB764", "info",
        "/rigid_object/0/attrs/dynamic_friction", id="dynamic beside static friction",
    ),
    pytest.param(
        "block.attrs", {"restitution": 0.3}, "AB764", "info", "/rigid_object/0/attrs/restitution", id="restitution"
    ),
    pytest.param(
        "pebble.attrs", {"restitution": 0.5}, "AB764", "info",
        "/rigid_object_group/0/rigid_objects/pebble/attrs/restitution", id="restitution of a group member",
    ),
    pytest.param(
        "block.shape", {"shape_type": "Box", "size": [0.015] * 3, "compute_uv": True}, "AB767", "warning",
        "/rigid_object/0/shape/compute_uv", id="compute_uv on a primitive",
    ),
    pytest.param(
        "block.shape", {**MESH, "compute_uv": False}, "AB763", "warning", "/rigid_object/0/shape/compute_uv",
        id="compute_uv false on a mesh",
    ),
    pytest.param(
        "block.max_convex_hull_num", 8, "AB767", "warning", "/rigid_object/0/max_convex_hull_num",
        id="max_convex_hull_num on a primitive",
    ),
    pytest.param(
        "env.events.slide.interval_step", 10, "AB767", "warning", "/env/events/slide/interval_step",
        id="interval_step of a reset event",
    ),
    pytest.param(
        "env.dataset.lerobot.params.extra.scene_typ", "table", "AB766", "warning",
        "/env/dataset/lerobot/params/extra/scene_typ", id="misspelt extra key",
    ),
    pytest.param(
        "env.dataset.lerobot.params.robot_meta.control_freq", 50, "AB766", "warning",
        "/env/dataset/lerobot/params/robot_meta/control_freq", id="robot_meta key nothing reads",
    ),
    pytest.param(
        "env.dataset.lerobot.params.instruction.langs", ["reach"], "AB766", "warning",
        "/env/dataset/lerobot/params/instruction/langs", id="instruction key nothing reads",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "code", "severity", "pointer"), REPORTED)
def test_a_key_not_applied_is_reported_at_its_key_and_lint_passes(
    tmp_path: Path, path: str, value: Any, code: str, severity: str, pointer: str
) -> None:
    gym = _write(tmp_path, _scene(path, value))
    exit_code, diagnostics = _lint(gym)

    assert exit_code == 0
    assert [(d["code"], d["severity"], d["pointer"]) for d in diagnostics] == [(code, severity, pointer)]
    found = diagnostics[0]
    key = pointer.rsplit("/", 1)[-1]
    line = gym.read_text().splitlines()[found["line"] - 1]
    assert line[found["column"] - 1 :].startswith(f'"{key}":'), line
    assert found["hint"]


def test_a_mesh_decomposed_into_more_than_one_hull_is_reported_and_one_hull_is_what_mujoco_does(
    tmp_path: Path,
) -> None:
    scene = _scene("block.shape", {**MESH, "compute_uv": True})
    scene["rigid_object"][0]["max_convex_hull_num"] = 8
    exit_code, diagnostics = _lint(_write(tmp_path, scene))
    assert exit_code == 0
    assert [(d["code"], d["pointer"]) for d in diagnostics] == [("AB763", "/rigid_object/0/max_convex_hull_num")]
    assert "up to 8 hulls" in diagnostics[0]["message"] and "hollow: true" in diagnostics[0]["hint"]

    scene["rigid_object"][0]["max_convex_hull_num"] = 1
    assert _lint(_write(tmp_path, scene)) == (0, [])


#: Keys whose value is applied as written: no diagnostic.
USED = [
    pytest.param("block.attrs", {"dynamic_friction": 0.4}, id="dynamic friction alone"),
    pytest.param("block.attrs", {"static_friction": 0.7, "dynamic_friction": 0.7}, id="equal frictions"),
    pytest.param("block.attrs", {"restitution": 0}, id="no restitution"),
    pytest.param("lamp.intensity", 1.0, id="intensity 1"),
    pytest.param("env.events.slide.mode", "interval", id="interval_step of an interval event"),
    pytest.param("env.dataset.lerobot.params.extra.lighting", "dim", id="extra key of ones own"),
    pytest.param("num_envs", 3, id="num_envs"),
    pytest.param("env.dataset.lerobot.func", "LeRobotRecorder", id="the recorder"),
    pytest.param("env.dataset.lerobot.mode", "save", id="the recorder's mode"),
]


@pytest.mark.parametrize(("path", "value"), USED)
def test_a_key_applied_as_written_is_not_reported(tmp_path: Path, path: str, value: Any) -> None:
    scene = _scene(path, value)
    if path == "env.events.slide.mode":
        scene["env"]["events"]["slide"]["interval_step"] = 10
    assert _lint(_write(tmp_path, scene)) == (0, [])


@pytest.mark.parametrize(
    ("key", "value", "allowed"), [("func", "HDF5Recorder", "LeRobotRecorder"), ("mode", "load", "save")]
)
def test_a_recorder_or_mode_this_backend_does_not_have_is_an_error_at_its_key(
    tmp_path: Path, key: str, value: str, allowed: str
) -> None:
    gym = _write(tmp_path, _scene(f"env.dataset.lerobot.{key}", value))
    exit_code, diagnostics = _lint(gym)

    assert exit_code == 1
    assert [(d["code"], d["severity"], d["pointer"]) for d in diagnostics] == [
        ("AB113", "error", f"/env/dataset/lerobot/{key}")
    ]
    line = gym.read_text().splitlines()[diagnostics[0]["line"] - 1]
    assert line[diagnostics[0]["column"] - 1 :].startswith(f'"{key}":')
    assert f"'{allowed}'" in diagnostics[0]["hint"]


def test_a_misspelt_extra_key_says_which_key_it_meant_and_that_it_is_recorded_as_written(tmp_path: Path) -> None:
    _, diagnostics = _lint(_write(tmp_path, _scene("env.dataset.lerobot.params.extra.task_descriptoin", "x")))
    assert [d["code"] for d in diagnostics] == ["AB766"]
    assert "recorded as written" in diagnostics[0]["message"]
    assert diagnostics[0]["hint"].startswith("did you mean 'task_description'?")


def test_the_intensity_warning_names_the_light_and_its_value(tmp_path: Path) -> None:
    _, diagnostics = _lint(_write(tmp_path, _scene("lamp.intensity", 50)))
    assert "light 'lamp' has intensity 50;" in diagnostics[0]["message"]
    assert "renders as 1" in diagnostics[0]["message"]


def test_the_friction_note_names_the_coefficient_applied(tmp_path: Path) -> None:
    scene = _scene("block.attrs", {"static_friction": 0.95, "dynamic_friction": 0.9, "restitution": 0.01})
    _, diagnostics = _lint(_write(tmp_path, scene))
    assert [d["code"] for d in diagnostics] == ["AB764"]  # one note per object
    assert diagnostics[0]["message"].endswith("ignored: dynamic_friction, restitution")
    assert "static_friction 0.95 is applied" in diagnostics[0]["hint"]
    assert "do not bounce" in diagnostics[0]["hint"]


# -- friction: MuJoCo's one sliding coefficient ------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "sliding"),
    [
        ({}, None),
        ({"static_friction": 0.8}, 0.8),
        ({"dynamic_friction": 0.4}, 0.4),
        ({"static_friction": 0.8, "dynamic_friction": 0.4}, 0.8),
    ],
)
def test_the_sliding_friction_is_static_friction_else_dynamic_friction(
    attrs: dict[str, float], sliding: float | None
) -> None:
    assert ObjectAttrs.model_validate(attrs).sliding_friction == sliding


@pytest.mark.parametrize(
    ("attrs", "sliding"),
    [({}, 1.0), ({"dynamic_friction": 0.4}, 0.4), ({"static_friction": 0.8, "dynamic_friction": 0.4}, 0.8)],
)
def test_the_scene_gives_the_objects_geoms_that_sliding_friction(
    tmp_path: Path, attrs: dict[str, float], sliding: float
) -> None:
    from sim.config import load_sim_config
    from sim.scene import build_scene

    gym = _write(tmp_path, _scene("block.attrs", attrs))
    config, _ = load_sim_config(gym)
    model = build_scene(config, tmp_path).model
    assert model.geom("block").friction[0] == pytest.approx(sliding)


# -- lint and generate agree --------------------------------------------------------------------


def _generate(gym: Path, *flags: str) -> Any:
    action = TOY / "action_config.yaml"
    command = ["generate", "--gym-config", str(gym), "--action-config", str(action), "--max-episodes", "1"]
    return CliRunner().invoke(main, [*command, "--filter-dataset-saving", *flags])


def test_generate_runs_a_config_whose_unapplied_key_lint_warns_about(tmp_path: Path) -> None:
    gym = _write(tmp_path, _scene("lamp.radius", 10.0))
    assert [d["code"] for d in _lint(gym)[1]] == ["AB763"]

    result = _generate(gym)
    assert result.exit_code == 0, result.output
    assert "saved now  1" in result.output
    # the warning lint gives, at the same place, before anything runs
    (warning,) = _lint(gym)[1]
    assert f"{gym}:{warning['line']}:{warning['column']}: AB763 warning" in result.output


def test_generate_refuses_a_config_lint_refuses_with_the_same_code_at_the_same_place(tmp_path: Path) -> None:
    gym = _write(tmp_path, _scene("env.dataset.lerobot.func", "HDF5Recorder"))
    exit_code, diagnostics = _lint(gym)
    assert exit_code == 1

    result = _generate(gym)
    assert result.exit_code == 1
    place = f"{gym}:{diagnostics[0]['line']}:{diagnostics[0]['column']}: AB113 error"
    assert place in result.output, result.output
    assert "Traceback" not in result.output


# -- num_envs: the default of generate's --num-envs ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [(3, 3), (1, 1), (None, None), (0, None), ("two", None), (True, None), (2.0, None)],
)
def test_the_configured_num_envs_is_a_whole_number_of_at_least_one_as_written(
    tmp_path: Path, written: Any, expected: int | None
) -> None:
    scene = copy.deepcopy(SCENE)
    if written is not None:
        scene["num_envs"] = written
    assert configured_num_envs(_write(tmp_path, scene)) == expected


def test_an_unreadable_gym_config_has_no_configured_num_envs(tmp_path: Path) -> None:
    assert configured_num_envs(tmp_path / "missing.yaml") is None
    broken = tmp_path / "broken.yaml"
    broken.write_text("num_envs: [\n")
    assert configured_num_envs(broken) is None


@pytest.mark.parametrize(
    ("num_envs", "flags", "asked"),
    [
        (3, (), "the gym config's num_envs 3"),
        (3, ("--num-envs", "2"), "--num-envs 2"),
        (None, ("--num_envs", "4"), "--num-envs 4"),
    ],
)
def test_generate_asks_for_the_gym_configs_num_envs_unless_num_envs_is_given(
    tmp_path: Path, num_envs: int | None, flags: tuple[str, ...], asked: str
) -> None:
    scene = copy.deepcopy(SCENE)
    if num_envs is not None:
        scene["num_envs"] = num_envs
    result = _generate(_write(tmp_path, scene), *flags)
    assert result.exit_code == 0, result.output
    # One episode to save: the workers asked for are named, and only one is started.
    assert f"{asked}: only 1 episode is left, so 1 attempt runs at a time" in result.output


def test_generate_without_num_envs_anywhere_asks_for_one_worker(tmp_path: Path) -> None:
    result = _generate(_write(tmp_path, copy.deepcopy(SCENE)))
    assert result.exit_code == 0, result.output
    assert "--num-envs" not in result.output


def test_a_configured_num_envs_beyond_the_most_workers_is_an_error_at_its_line_for_lint_and_generate(
    tmp_path: Path,
) -> None:
    scene = {**copy.deepcopy(SCENE), "num_envs": 1000}
    gym = _write(tmp_path, scene)
    exit_code, diagnostics = _lint(gym)
    assert exit_code == 1
    [error] = [d for d in diagnostics if d["severity"] == "error"]
    result = _generate(gym)
    assert result.exit_code == 1
    assert f"{gym}:{error['line']}:{error['column']}: {error['code']} error" in result.output
    assert "256" in error["message"] + (error.get("hint") or "")


def test_generates_help_says_num_envs_defaults_to_the_gym_configs() -> None:
    result = CliRunner().invoke(main, ["generate", "--help"])
    assert result.exit_code == 0
    assert "default: the gym config's num_envs, else 1" in " ".join(result.output.split())
