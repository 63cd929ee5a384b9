"""``actionbank lint`` on a gym config of its own, with the keys EmbodiChain's gym configs use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from helpers import small_bank, write_config

from actionbank.cli import main
from recorder.naming import dataset_root

SCENE: dict[str, Any] = {
    "id": "Test-v0",
    "max_episode_steps": 100,
    "env": {"control_parts": ["arm", "eef"]},
    "robot": {"uid": "bot", "robot_type": "toy_arm"},
}


def _lint(path: Path, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner().invoke(main, ["lint", "--format", "json", *args, str(path)])
    text = result.output
    return result.exit_code, json.loads(text) if text.strip().startswith("[") else [], text


def _write(tmp_path: Path, data: dict[str, Any], name: str = "gym.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2))
    return path


def test_a_valid_gym_config_lints_clean_on_its_own(tmp_path: Path) -> None:
    code, diagnostics, _ = _lint(_write(tmp_path, SCENE))
    assert (code, diagnostics) == (0, [])


def test_an_action_config_is_still_linted_as_one(tmp_path: Path) -> None:
    code, diagnostics, _ = _lint(write_config(tmp_path, small_bank()), "--no-gym-config")
    assert code == 0 and not [d for d in diagnostics if d["severity"] == "error"]


def test_save_path_and_save_failed_episodes_are_notes_at_their_lines(tmp_path: Path) -> None:
    scene = json.loads(json.dumps(SCENE))
    scene["env"]["dataset"] = {
        "save_path": "out/datasets",
        "lerobot": {
            "save_failed_episodes": True,
            "params": {"robot_meta": {"robot_type": "toy_arm"}, "instruction": {"lang": ["pick", "grab"]}},
        },
    }
    path = _write(tmp_path, scene)
    code, diagnostics, _ = _lint(path)
    lines = path.read_text().splitlines()
    found = {d["code"]: lines[d["line"] - 1] for d in diagnostics}
    assert code == 0
    assert set(found) == {"AB760", "AB761"}
    assert '"save_path"' in found["AB761"] and '"save_failed_episodes"' in found["AB760"]


def test_save_path_is_where_a_numbered_dataset_folder_is_made(tmp_path: Path) -> None:
    root = dataset_root(None, "toy_arm", "table", "pick", tmp_path / "saved")
    assert root.parent == tmp_path / "saved" and root.is_dir()
    assert dataset_root(tmp_path / "explicit", "toy_arm", "table", "pick", tmp_path / "saved") == tmp_path / "explicit"


#: Keys EmbodiChain's gym configs use that this backend does not take: each with the code it
#: gets, the exit status of ``lint`` and a word its message names.
UNSUPPORTED: list[tuple[str, dict[str, Any], str, int, str]] = [
    ("robot model CobotMagic", {"robot": {"uid": "CobotMagic", "robot_type": "CobotMagic"}}, "AB607", 1, "CobotMagic"),
    (
        "a missing mesh",
        {"rigid_object": [{"uid": "cup", "shape": {"shape_type": "Mesh", "fpath": "PaperCup/paper_cup.ply"}}]},
        "AB606",
        1,
        "paper_cup.ply",
    ),
    ("a renderer option", {"render": {"enable_rt": True, "shadow_size": 0}}, "AB763", 0, "enable_rt"),
    ("articulation", {"articulation": [{"uid": "drawer", "fpath": "drawer/drawer.urdf"}]}, "AB762", 1, "drawer"),
    ("a urdf_cfg robot", {"robot": {"uid": "ur10", "urdf_cfg": {"components": []}}}, "AB762", 1, "urdf_cfg"),
    (
        "robot drive_pros",
        {"robot": {"uid": "bot", "robot_type": "toy_arm", "drive_pros": {"stiffness": 1e4}}},
        "AB763",
        0,
        "drive_pros",
    ),
    (
        "a PhysX solver setting of the robot",
        {"robot": {"uid": "bot", "robot_type": "toy_arm", "min_position_iters": 32}},
        "AB763",
        0,
        "min_position_iters",
    ),
    (
        "a stereo camera",
        {
            "sensor": [
                {
                    "sensor_type": "StereoCamera",
                    "uid": "cam_high",
                    "width": 64,
                    "height": 48,
                    "intrinsics": [40, 40, 32, 24],
                    "intrinsics_right": [40, 40, 32, 24],
                    "left_to_right_pos": [0.06, 0, 0],
                    "extrinsics": {"eye": [1, 0, 1], "target": [0, 0, 0]},
                }
            ]
        },
        "AB762",
        1,
        "StereoCamera",
    ),
    (
        "body damping",
        {"rigid_object": [{"uid": "cube", "shape": {"shape_type": "Cube"}, "attrs": {"linear_damping": 2.0}}]},
        "AB763",
        0,
        "linear_damping",
    ),
    (
        "PhysX solver settings",
        {"rigid_object": [{"uid": "cube", "shape": {"shape_type": "Cube"}, "attrs": {"contact_offset": 0.003}}]},
        "AB764",
        0,
        "contact_offset",
    ),
    (
        "the old dataset layout",
        {"env": {"control_parts": ["arm", "eef"], "dataset": {"save_path": "x"}}},
        "AB110",
        1,
        "",
    ),
]


def test_each_unsupported_embodichain_key_is_named_at_its_line_not_a_crash(tmp_path: Path) -> None:
    for what, change, expected, exit_code, named in UNSUPPORTED:
        path = _write(tmp_path, {**SCENE, **change})
        code, diagnostics, text = _lint(path)
        assert "Traceback" not in text, what
        assert code == exit_code, (what, text)
        assert "AB111" not in [d["code"] for d in diagnostics], (what, diagnostics)
        ours = [d for d in diagnostics if d["code"] == expected]
        assert ours, (what, diagnostics)
        assert named in ours[0]["message"], (what, ours[0])
        if expected.startswith("AB76"):
            assert "not supported by actionbank" in ours[0]["message"] or "PhysX" in ours[0]["message"]
        assert all(d["line"] is not None for d in diagnostics), (what, diagnostics)
        line = path.read_text().splitlines()[ours[0]["line"] - 1]
        assert line.lstrip().startswith(f'"{ours[0]["pointer"].rsplit("/", 1)[-1]}"') or line.strip() == "{", (
            what,
            line,
        )


def test_an_empty_articulation_section_is_accepted_and_a_renderer_option_leaves_the_rest_checked(
    tmp_path: Path,
) -> None:
    code, diagnostics, _ = _lint(_write(tmp_path, {**SCENE, "articulation": []}))
    assert (code, diagnostics) == (0, [])
    scene = {**SCENE, "render": {"enable_rt": True, "shadow_size": -1}}
    code, diagnostics, _ = _lint(_write(tmp_path, scene))
    assert code == 1
    found = {(d["code"], d["pointer"], d["severity"]) for d in diagnostics}
    assert ("AB763", "/render/enable_rt", "warning") in found
    assert any(pointer == "/render/shadow_size" and severity == "error" for _, pointer, severity in found)
