"""`lint` and `generate` agree on what is wrong: each refuses the same configs with the same code
at the same place, and `generate` refuses before anything runs (no scene built, no dataset
folder, the configs' folder as it was).

Each case is a shipped example (cameras made small) with one mistake a probe found `lint`
passing while `generate` failed late, or `generate` accepting what it then got wrong.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import Result
from helpers import ROOT, load_benchmark, tree_state
from test_bad_input import run_cli

from actionbank.source.loader import load_document

#: ``file:line:col: CODE error: message`` as the text format prints a located error.
_LOCATED = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>AB\d{3}) error: ", re.MULTILINE)


class Located(NamedTuple):
    file: str
    line: int
    column: int
    code: str


def _errors(result: Result) -> list[Located]:
    """The located errors a command printed (lint to stdout, generate to stderr)."""
    found = _LOCATED.finditer(result.output)
    return [Located(m["file"], int(m["line"]), int(m["column"]), m["code"]) for m in found]


def _copy(example: str, folder: Path, edit: Callable[[Any], None] | None = None) -> tuple[Path, Path]:
    """Example ``example`` in ``folder``, its cameras 4 times smaller, its gym config edited."""
    copies = load_benchmark("example_copies")
    return copies.copy_example(example, folder, 4, edit)  # type: ignore[no-any-return]


def _lang(gym: Any) -> Any:
    return gym["env"]["dataset"]["lerobot"]["params"]


def _depth_without_videos(gym: Any) -> None:
    gym["sensor"][0]["enable_depth"] = True
    _lang(gym)["use_videos"] = False


def _blank_instruction(gym: Any) -> None:
    _lang(gym)["instruction"]["lang"] = "   "


def _grasp_pose_3x3(gym: Any) -> None:
    gym["env"]["affordances"]["cube_grasp_pose_object"] = [[-0.5, 0.0, -0.866], [0.0, -1.0, 0.0], [-0.866, 0.0, 0.5]]


def _focal_through_zero(gym: Any) -> None:
    gym["env"]["events"]["random_camera_intrinsics"]["params"]["focal_x_range"] = [-500.0, -400.0]


def _qpos_beyond_the_joints(gym: Any) -> None:
    params = {"entity_cfg": {"uid": gym["robot"]["uid"], "control_parts": ["arm"]}, "qpos_range": [[0.0], [3.0]]}
    gym["env"]["events"]["qpos_noise"] = {
        "func": "randomize_robot_qpos",
        "mode": "reset",
        "params": {**params, "relative_qpos": False},
    }


def _episode_too_short(gym: Any) -> None:
    gym["max_episode_steps"] = 10


#: (example, edit, the code both must report, the JSON pointer it must be located at)
CASES = [
    pytest.param("transfer_cube", _depth_without_videos, "AB636", "/sensor/0/enable_depth", id="depth-no-videos"),
    pytest.param(
        "transfer_cube", _blank_instruction, "AB113", "/env/dataset/lerobot/params/instruction/lang", id="blank-lang"
    ),
    pytest.param(
        "transfer_cube", _grasp_pose_3x3, "AB637", "/env/affordances/cube_grasp_pose_object", id="pose-not-4x4"
    ),
    pytest.param(
        "transfer_cube",
        _focal_through_zero,
        "AB638",
        "/env/events/random_camera_intrinsics/params/focal_x_range/0",
        id="negative-focal",
    ),
    pytest.param(
        "so101_pick_place",
        _qpos_beyond_the_joints,
        "AB639",
        "/env/events/qpos_noise/params/qpos_range/1/0",
        id="qpos-beyond-joints",
    ),
    pytest.param("transfer_cube", _episode_too_short, "AB406", "/max_episode_steps", id="makespan-over-limit"),
]


@pytest.fixture
def no_scene(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building a scene fails the test: a refusal must come before anything runs."""
    from sim.env import ActionbankEnv

    def refuse(*args: Any, **kwargs: Any) -> None:
        pytest.fail("generate built the scene before refusing the config")

    monkeypatch.setattr(ActionbankEnv, "__init__", refuse)


@pytest.mark.parametrize(("example", "edit", "code", "pointer"), CASES)
@pytest.mark.usefixtures("no_scene")
def test_lint_and_generate_refuse_it_with_the_same_code_at_the_same_place(
    example: str, edit: Callable[[Any], None], code: str, pointer: str, tmp_path: Path
) -> None:
    gym, action = _copy(example, tmp_path / "configs", edit)
    before = tree_state(tmp_path / "configs")
    out = tmp_path / "dataset"

    linted = run_cli("lint", action, "--gym-config", gym)
    generated = run_cli("generate", "--gym-config", gym, "--action-config", action, "--max-episodes", "1", "-o", out)

    document, _ = load_document(gym)
    assert document is not None
    position = document.locate(pointer)
    assert position is not None
    assert _errors(linted) == [Located(str(gym), *position, code)], linted.output
    assert _errors(generated) == _errors(linted), generated.output
    assert (linted.exit_code, generated.exit_code) == (1, 1)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["configs"]
    assert tree_state(tmp_path / "configs") == before


@pytest.mark.parametrize(("example", "edit", "code", "pointer"), CASES)
def test_the_example_without_the_mistake_lints_clean(
    example: str, edit: Callable[[Any], None], code: str, pointer: str, tmp_path: Path
) -> None:
    gym, action = _copy(example, tmp_path)
    linted = run_cli("lint", action, "--gym-config", gym)
    assert linted.exit_code == 0, linted.output
    assert _errors(linted) == []


# -- an action config where a gym config goes, and the two swapped -------------------------


def _one_line(result: Result) -> str:
    """The one located error a command printed (and its summary line), as text."""
    lines = [line for line in result.output.splitlines() if _LOCATED.match(line)]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "hint:" not in result.output
    return lines[0]


@pytest.mark.usefixtures("no_scene")
def test_generate_with_the_two_configs_swapped_says_so_in_one_line(tmp_path: Path) -> None:
    gym, action = _copy("transfer_cube", tmp_path / "configs")

    generated = run_cli("generate", "--gym-config", action, "--action-config", gym, "-o", tmp_path / "out")

    assert generated.exit_code == 2
    line = _one_line(generated)
    assert line.startswith(f"{action}:4:1: AB635 error: --gym-config {action} is an action config (top-level scope")
    assert f"--action-config {gym} is a gym config: the two are swapped" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("no_scene")
def test_generate_with_a_gym_config_as_the_action_config_says_which_is_which(tmp_path: Path) -> None:
    gym, _ = _copy("transfer_cube", tmp_path / "configs")

    generated = run_cli("generate", "--gym-config", gym, "--action-config", gym, "-o", tmp_path / "out")

    assert generated.exit_code == 2
    line = _one_line(generated)
    assert f"AB635 error: --action-config {gym} is a gym config (top-level env, robot" in line
    assert line.endswith("not an action config")
    assert not (tmp_path / "out").exists()


def test_compile_and_lint_with_an_action_config_as_the_gym_config_agree_on_where_and_why(tmp_path: Path) -> None:
    _, action = _copy("transfer_cube", tmp_path)

    compiled = run_cli("compile", action, "--gym-config", action, "-o", tmp_path / "plan.json")
    linted = run_cli("lint", action, "--gym-config", action)

    assert compiled.exit_code == linted.exit_code == 2
    assert f"--gym-config {action} is an action config (top-level scope, node, edge), not a gym config" in _one_line(
        compiled
    )
    assert f"{action} is an action config" in _one_line(linted)
    assert _errors(compiled) == _errors(linted) == [Located(str(action), 4, 1, "AB635")]
    assert not (tmp_path / "plan.json").exists()


def test_compile_of_a_gym_config_with_the_action_config_as_its_gym_config_says_they_are_swapped(
    tmp_path: Path,
) -> None:
    gym, action = _copy("transfer_cube", tmp_path)

    compiled = run_cli("compile", gym, "--gym-config", action)

    assert compiled.exit_code == 2
    assert f"; FILE {gym} is a gym config: the two are swapped" in _one_line(compiled)


def test_lint_of_a_gym_config_with_the_action_config_as_its_gym_config_says_they_are_swapped(
    tmp_path: Path,
) -> None:
    gym, action = _copy("transfer_cube", tmp_path)

    linted = run_cli("lint", gym, "--gym-config", action)

    assert linted.exit_code == 2
    assert f"--gym-config {action} is an action config" in _one_line(linted)
    assert f"; FILE {gym} is a gym config: the two are swapped" in _one_line(linted)
    # a gym config beside action configs, all with their gym config: each file is linted
    both = run_cli("lint", action, gym, "--gym-config", gym)
    assert both.exit_code == 0, both.output


# -- a robot model MuJoCo refuses ------------------------------------------------------------


@pytest.mark.usefixtures("no_scene")
def test_a_model_file_naming_an_undefined_class_is_refused_by_both_at_the_robots_fpath(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    shutil.copytree(ROOT / "tests" / "sim" / "model_arm", folder)
    model = folder / "arm.xml"
    model.write_text(model.read_text().replace('<joint name="joint2"', '<joint name="joint2" class="stiff"', 1))
    gym, action = folder / "gym_config.yaml", folder / "action_config.yaml"
    out = tmp_path / "dataset"

    linted = run_cli("lint", action, "--gym-config", gym)
    generated = run_cli("generate", "--gym-config", gym, "--action-config", action, "--max-episodes", "1", "-o", out)

    document, _ = load_document(gym)
    assert document is not None
    position = document.locate("/robot/fpath")
    assert position is not None
    assert _errors(linted) == [Located(str(gym), *position, "AB709")], linted.output
    assert _errors(generated) == _errors(linted), generated.output
    assert "<joint class='stiff'> names a default class the model does not define" in linted.output
    assert (linted.exit_code, generated.exit_code) == (1, 1)
    assert not out.exists()
