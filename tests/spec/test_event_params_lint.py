"""The params of every randomisation event are typed: a misspelt or mistyped param is an error
at its line (the same check ``lint`` and ``generate`` run), and the event-specific problems
(deprecated spellings, two spellings at once, a mis-shaped range, a missing texture, an unknown
camera) are located diagnostics with their own codes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from actionbank.runtime import RUNTIME
from actionbank.spec.gym_config import load_gym_config

#: event name -> (a valid params object, the key misspelt in the test, a mistyped value for it)
VALID: dict[str, tuple[dict[str, Any], str, Any]] = {
    "randomize_rigid_object_pose": (
        {"entity_cfg": {"uid": "block"}, "rotation_range": [[0, 0, -10], [0, 0, 10]]},
        "rotation_range",
        "ten degrees",
    ),
    "randomize_robot_qpos": ({"entity_cfg": {"uid": "bot"}, "qpos_range": [[-0.1], [0.1]]}, "qpos_range", [1, 2]),
    "randomize_camera_extrinsics": (
        {"entity_cfg": {"uid": "cam"}, "eye_range": [[0, 0, 0], [0.1, 0.1, 0.1]]},
        "eye_range",
        "near",
    ),
    "randomize_camera_intrinsics": ({"entity_cfg": {"uid": "cam"}, "focal_x_range": [-1, 1]}, "focal_x_range", 3),
    "randomize_light": ({"entity_cfg": {"uid": "lamp"}, "intensity_range": [-0.1, 0.1]}, "intensity_range", "x"),
    "set_rigid_object_visual_material": (
        {"entity_cfg": {"uid": "block"}, "mat_cfg": {"base_color": [1, 0, 0]}},
        "mat_cfg",
        "red",
    ),
    "randomize_visual_material": (
        {"entity_cfg": {"uid": "block"}, "base_color_range": [[0, 0, 0], [1, 1, 1]]},
        "base_color_range",
        [[0, 0], [1, 1]],
    ),
    "randomize_rigid_object_mass": ({"entity_cfg": {"uid": "block"}, "mass_range": [0.1, 0.2]}, "mass_range", 0.1),
    "randomize_rigid_object_friction": (
        {"entity_cfg": {"uid": "block"}, "friction_range": [0.5, 1.0]},
        "friction_range",
        True,
    ),
    "randomize_rigid_object_scale": (
        {"entity_cfg": {"uid": "block"}, "scale_factor_range": [[0.9], [1.1]]},
        "scale_factor_range",
        "big",
    ),
    "place_rigid_object_group": (
        {"entity_cfg": {"uid": "clutter"}, "position_range": [[-0.1, -0.1, 0], [0.1, 0.1, 0]], "avoid": ["block"]},
        "position_range",
        [1, 2, 3],
    ),
}


def _lint(
    folder: Path, params: dict[str, Any], func: str = "randomize_rigid_object_pose"
) -> list[tuple[str, int | None]]:
    """(code, line) of each diagnostic of a toy scene whose one event has ``params``, one key
    per line from line 11 on."""
    lines = "\n".join(f"        {key}: {json.dumps(value)}" for key, value in params.items())
    text = textwrap.dedent(
        """\
        id: Test-v0
        max_episode_steps: 100
        env:
          control_parts: [arm, eef]
          events:
            ev:
              func: {func}
              mode: reset
              # (a reset event has no interval_step: that would be AB767)
              params:
        {lines}
        robot: {{uid: bot, robot_type: toy_arm}}
        sensor: [{{uid: cam, width: 64, height: 48, intrinsics: [50, 50, 32, 24], extrinsics: {{eye: [1, 0, 1], target: [0, 0, 0]}}}}]
        light: {{direct: [{{uid: lamp, init_pos: [0, 0, 1]}}]}}
        rigid_object: [{{uid: block, shape: {{shape_type: Cube}}}}]
        rigid_object_group: [{{uid: clutter, rigid_objects: {{pebble: {{shape: {{shape_type: Sphere, radius: 0.01}}}}}}}}]
        """
    ).format(func=func, lines="\n".join("  " + line for line in lines.splitlines()))
    path = folder / "gym_config.yaml"
    path.write_text(text)
    result = load_gym_config(path, runtime=RUNTIME)
    return [(d.code, d.line) for d in result.diagnostics]


def test_every_registered_event_is_covered_here() -> None:
    assert sorted(VALID) == sorted(RUNTIME.events)


@pytest.mark.parametrize("func", sorted(VALID))
def test_each_events_valid_params_pass(func: str, tmp_path: Path) -> None:
    assert _lint(tmp_path, VALID[func][0], func) == []


@pytest.mark.parametrize("func", sorted(VALID))
def test_a_misspelt_param_of_each_event_is_an_error_at_its_line(func: str, tmp_path: Path) -> None:
    params, key, _ = VALID[func]
    misspelt = {(k[:-1] if k == key else k): v for k, v in params.items()}
    found = _lint(tmp_path, misspelt, func)
    # AB111 at the misspelt key; a required key misspelt is also missing (AB110 at the params object)
    assert ("AB111", 12) in found and set(found) <= {("AB111", 12), ("AB110", 10)}, found


@pytest.mark.parametrize("func", sorted(VALID))
def test_a_mistyped_param_of_each_event_is_an_error_at_its_line(func: str, tmp_path: Path) -> None:
    params, key, wrong = VALID[func]
    found = _lint(tmp_path, {**params, key: wrong}, func)
    assert found and all(code.startswith("AB1") and line == 12 for code, line in found), found


def test_yaw_range_is_accepted_with_a_warning_naming_rotation_range(tmp_path: Path) -> None:
    assert _lint(tmp_path, {"entity_cfg": {"uid": "block"}, "yaw_range": [-5, 5]}) == [("AB750", 12)]


def test_yaw_range_and_rotation_range_together_are_an_error(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "block"}, "rotation_range": [[0, 0, 0], [0, 0, 1]], "yaw_range": [-5, 5]}
    assert _lint(tmp_path, params) == [("AB751", 13)]


def test_noise_range_is_accepted_with_a_warning_naming_qpos_range(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "bot"}, "noise_range": [-0.1, 0.1]}
    assert _lint(tmp_path, params, "randomize_robot_qpos") == [("AB750", 12)]


def test_a_qpos_range_with_the_wrong_number_of_values_is_an_error(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "bot"}, "qpos_range": [[0, 0], [1, 1]], "joint_ids": [0, 1, 2]}
    assert _lint(tmp_path, params, "randomize_robot_qpos") == [("AB752", 12)]


def test_an_unknown_camera_is_an_error_naming_the_cameras(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "camm"}, "eye_range": [[0, 0, 0], [0, 0, 0]]}
    assert _lint(tmp_path, params, "randomize_camera_extrinsics") == [("AB614", 11)]


def test_a_missing_texture_folder_and_one_outside_the_config_folder_are_errors(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "block"}, "random_texture_prob": 0.5, "texture_path": "textures"}
    assert _lint(tmp_path, params, "randomize_visual_material") == [("AB753", 13)]
    params["texture_path"] = "../elsewhere"
    assert _lint(tmp_path, params, "randomize_visual_material") == [("AB753", 13)]
    (tmp_path / "textures").mkdir()
    (tmp_path / "textures" / "a.png").write_bytes(b"")
    params["texture_path"] = "textures"
    assert _lint(tmp_path, params, "randomize_visual_material") == []


def test_an_unknown_group_and_an_unknown_object_to_avoid_are_errors_at_their_lines(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "cluter"}, "position_range": [[0, 0, 0], [0.1, 0.1, 0]], "avoid": ["blok"]}
    assert sorted(_lint(tmp_path, params, "place_rigid_object_group")) == [("AB614", 11), ("AB614", 13)]


def test_a_group_named_where_an_object_is_expected_and_back_are_errors(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "block"}, "position_range": [[0, 0, 0], [0.1, 0.1, 0]]}
    assert _lint(tmp_path, params, "place_rigid_object_group") == [("AB614", 11)]
    # a member is an object like any other: events may name it
    assert (
        _lint(tmp_path, {"entity_cfg": {"uid": "pebble"}, "mass_range": [0.1, 0.2]}, "randomize_rigid_object_mass")
        == []
    )


def test_inverted_counts_and_ranges_of_a_group_placement_are_errors_at_their_lines(tmp_path: Path) -> None:
    params = {
        "entity_cfg": {"uid": "clutter"},
        "position_range": [[0.1, 0, 0], [0, 0.1, 0]],
        "num_objects": [3, 1],
    }
    assert sorted(_lint(tmp_path, params, "place_rigid_object_group")) == [("AB613", 12), ("AB613", 13)]


def test_asking_a_group_for_more_members_than_it_has_is_an_error_at_the_count(tmp_path: Path) -> None:
    params = {"entity_cfg": {"uid": "clutter"}, "position_range": [[0, 0, 0], [0.1, 0.1, 0]], "num_objects": [1, 2]}
    assert _lint(tmp_path, params, "place_rigid_object_group") == [("AB633", 13)]
    message = load_gym_config(tmp_path / "gym_config.yaml", runtime=RUNTIME).diagnostics[0]
    assert message.pointer == "/env/events/ev/params/num_objects/1"
    assert message.message == "env.events.ev.params.num_objects[1]: asks for up to 2 members, but group 'clutter' has 1"
    assert message.hint == "ask for at most 1, or add members to the group"
    params["num_objects"] = [1, 1]
    assert _lint(tmp_path, params, "place_rigid_object_group") == []


def test_a_place_in_a_list_is_written_with_its_index(tmp_path: Path) -> None:
    params = {
        "entity_cfg": {"uid": "clutter"},
        "position_range": [[0, 0, 0], [0.1, 0.1, 0]],
        "avoid": ["block", "blok"],
    }
    assert _lint(tmp_path, params, "place_rigid_object_group") == [("AB614", 13)]
    (unknown,) = load_gym_config(tmp_path / "gym_config.yaml", runtime=RUNTIME).diagnostics
    assert unknown.message == "env.events.ev.params.avoid[1]: there is no object 'blok'"
    assert unknown.hint is not None and unknown.hint.startswith("did you mean 'block'?; objects: 'block', 'pebble'")


def _group_config(folder: Path, group: str, mode: str = "reset") -> list[tuple[str, str, int | None]]:
    text = textwrap.dedent(
        f"""\
        id: Test-v0
        max_episode_steps: 100
        env:
          control_parts: [arm, eef]
          events:
            ev: {{func: randomize_rigid_object_mass, mode: {mode}, params: {{entity_cfg: {{uid: block}}, mass_range: [0.1, 0.2]}}}}
        robot: {{uid: bot, robot_type: toy_arm}}
        rigid_object: [{{uid: block, shape: {{shape_type: Cube}}}}]
        rigid_object_group:
        {group}
        """
    )
    path = folder / "gym_config.yaml"
    path.write_text(text)
    return [(d.code, d.severity, d.line) for d in load_gym_config(path, runtime=RUNTIME).diagnostics]


def test_a_member_uid_other_than_its_key_and_a_uid_taken_by_another_object_are_errors(tmp_path: Path) -> None:
    group = (
        "- uid: clutter\n"
        "          rigid_objects:\n"
        "            pebble: {uid: stone, shape: {shape_type: Sphere, radius: 0.01}}\n"
        "            block: {shape: {shape_type: Cube}}"
    )
    found = _group_config(tmp_path, group)
    assert sorted(found) == [("AB602", "error", 13), ("AB754", "error", 12)]


def test_a_static_member_is_an_error_at_its_line(tmp_path: Path) -> None:
    group = "- {uid: clutter, rigid_objects: {rock: {shape: {shape_type: Cube}, body_type: static}}}"
    found = _group_config(tmp_path, group)
    assert found and all(code.startswith("AB1") and line == 10 for code, _, line in found), found


def test_prestartup_is_accepted_as_startup_with_a_note_at_its_line(tmp_path: Path) -> None:
    group = "- {uid: clutter, rigid_objects: {pebble: {shape: {shape_type: Sphere, radius: 0.01}}}}"
    assert _group_config(tmp_path, group, mode="prestartup") == [("AB755", "info", 6)]
    assert _group_config(tmp_path, group, mode="startup") == []
