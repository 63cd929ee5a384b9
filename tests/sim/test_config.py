"""``lint`` and ``generate`` agree on gym configs: whatever ``generate``'s loader
(:func:`sim.config.load_sim_config`) refuses, ``lint`` refuses at the same places with the
same codes, and the exit codes match (1 for problems, 2 for a file that cannot be read)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import TETRAHEDRON

from actionbank.cli import main
from actionbank.compiler import CompileOptions, compile_file
from actionbank.errors import CompileError, InputError
from sim.config import load_sim_config

TOY = Path(__file__).parent / "toy_arm"
TOY_GYM = (TOY / "gym_config.yaml").read_text(encoding="utf-8")

Places = set[tuple[str, int | None, int | None]]

#: (old, new) text replacements that break the toy arm's gym config, each its own way.
BAD = [
    pytest.param(("robot_type: toy_arm", "robot_type: toy_armm"), id="unknown robot type"),
    pytest.param(("  control_parts: [arm, eef]", "  control_parts: [arm, gripper]"), id="unknown control part"),
    pytest.param(
        ("  affordances:", "  events:\n    shake: {func: shake_table, mode: reset}\n  affordances:"),
        id="unknown event function",
    ),
    pytest.param(
        (
            "  affordances:",
            "  events:\n    place:\n      func: randomize_rigid_object_pose\n      mode: reset\n"
            "      params: {entity_cfg: {uid: blok}, position_rang: [[0, 0, 0], [0, 0, 0]]}\n  affordances:",
        ),
        id="event params: misspelt key and unknown object",
    ),
    pytest.param(
        ("  affordances:", "  success: {func: pour_water_success}\n  affordances:"),
        id="success params naming what is not there",
    ),
    pytest.param(
        (
            "extrinsics: {eye: [0.2, 0.0, 0.8], target: [0.2, 0.0, 0.0], up: [1.0, 0.0, 0.0]}",
            "extrinsics: {parent: hnd}",
        ),
        id="camera on an unknown link",
    ),
    pytest.param(
        (
            "rigid_object:",
            "background:\n  - {uid: bowl, shape: {shape_type: Mesh, fpath: meshes/bowl.stl}}\nrigid_object:",
        ),
        id="missing mesh",
    ),
    pytest.param(
        (
            "rigid_object:",
            "background:\n  - {uid: bowl, shape: {shape_type: Mesh, fpath: /etc/hostname}}\nrigid_object:",
        ),
        id="mesh outside the folder",
    ),
    pytest.param(("physics: {timestep: 0.004}", "physics: {timestep: 0.003}"), id="timestep not dividing the period"),
    pytest.param(("  - uid: overhead", "  - uid: over/head"), id="unsafe camera uid"),
    pytest.param(("reach_qpos: [0.3, -0.2, 1.0]", "reach_qpos: [[0.3], [-0.2, 1.0]]"), id="ragged affordance"),
    pytest.param(("robot:\n  uid: toy", "robot:\n  init_qpos: [0.1]\n  uid: toy"), id="init_qpos of the wrong length"),
    pytest.param(("max_episode_steps: 100", "max_episode_step: 100"), id="schema: misspelt key"),
    pytest.param(("  - uid: block", "  - uid: floor"), id="uid clashing with the robot's model"),
]


def _write(folder: Path, replacement: tuple[str, str]) -> tuple[Path, Path]:
    old, new = replacement
    assert old in TOY_GYM, old
    gym = folder / "gym_config.yaml"
    gym.write_text(TOY_GYM.replace(old, new), encoding="utf-8")
    action = shutil.copy(TOY / "action_config.yaml", folder / "action_config.yaml")
    return gym, Path(action)


def _places(output: str, path: Path) -> Places:
    pattern = re.compile(rf"^{re.escape(str(path))}:(\d+):(\d+): (AB\d+) error", re.MULTILINE)
    return {(code, int(line), int(column)) for line, column, code in pattern.findall(output)}


def _cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("replacement", BAD)
def test_lint_and_the_generate_loader_give_the_same_codes_at_the_same_places(
    tmp_path: Path, replacement: tuple[str, str]
) -> None:
    gym, action = _write(tmp_path, replacement)

    with pytest.raises(CompileError) as refused:
        load_sim_config(gym)
    linted = compile_file(action, CompileOptions(gym_config=gym, check_gym_config=True))

    generate_places = {(d.code, d.line, d.column) for d in refused.value.diagnostics if d.severity == "error"}
    lint_places = {
        (d.code, d.line, d.column) for d in linted.diagnostics if d.file == str(gym) and d.severity == "error"
    }
    assert generate_places and lint_places == generate_places


@pytest.mark.parametrize("replacement", BAD[:4])
def test_the_lint_and_generate_commands_report_a_bad_gym_config_alike_and_exit_1(
    tmp_path: Path, replacement: tuple[str, str]
) -> None:
    gym, action = _write(tmp_path, replacement)

    linted = _cli("lint", "--gym-config", gym, action)
    generated = _cli("generate", "--gym-config", gym, "--action-config", action, "-o", tmp_path / "out")

    assert (linted.exit_code, generated.exit_code) == (1, 1)
    assert _places(linted.output, gym) == _places(generated.output, gym) != set()
    assert not (tmp_path / "out").exists()


UNREADABLE = [
    pytest.param(b"robot: [toy\n", "AB105", id="bad YAML"),
    pytest.param(b"id: \x00\x01\x02\n", "AB103", id="binary"),
    pytest.param(None, "AB101", id="missing file"),
]


@pytest.mark.parametrize(("content", "code"), UNREADABLE)
def test_lint_reports_only_an_unreadable_gym_configs_problem_and_exits_2_as_generate_does(
    tmp_path: Path, content: bytes | None, code: str
) -> None:
    gym = tmp_path / "scene.yaml"
    if content is not None:
        gym.write_bytes(content)
    action = shutil.copy(TOY / "action_config.yaml", tmp_path / "action_config.yaml")

    linted = _cli("lint", "--gym-config", gym, action)

    assert linted.exit_code == 2, linted.output
    problems = [line for line in linted.output.splitlines() if re.search(r": AB\d+ (error|warning)", line)]
    assert problems and all(line.startswith(f"{gym}") and f" {code} error" in line for line in problems), problems
    if content is not None:  # click itself refuses a missing --gym-config for generate, with exit 2 too
        with pytest.raises(InputError) as refused:
            load_sim_config(gym)
        assert refused.value.exit_code == 2 and {d.code for d in refused.value.diagnostics} == {code}
    generated = _cli("generate", "--gym-config", gym, "--action-config", action, "-o", tmp_path / "out")
    assert generated.exit_code == 2, generated.output


def test_a_relative_mesh_path_is_read_from_the_gym_configs_folder_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = tmp_path / "scene"
    (scene / "meshes").mkdir(parents=True)
    (scene / "meshes" / "bowl.stl").write_bytes(TETRAHEDRON)
    gym, _ = _write(
        scene,
        (
            "rigid_object:",
            "background:\n  - {uid: bowl, shape: {shape_type: Mesh, fpath: meshes/bowl.stl}}\nrigid_object:",
        ),
    )
    monkeypatch.chdir(tmp_path)
    relative = gym.relative_to(tmp_path)

    from sim.env import ActionbankEnv

    config, warnings = load_sim_config(relative)
    env = ActionbankEnv(config, relative.parent, render_images=False)
    try:
        env.reset(seed=0)
        assert env.model.nmesh == 1
    finally:
        env.close()
    assert warnings == []
