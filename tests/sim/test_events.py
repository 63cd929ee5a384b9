"""Every registered randomisation event, on the toy arm's scene: it changes what it says it
changes, draws the same values from the same seed (and others from another), and reports its
sample in ``info["randomization"]`` (what the recorder stores in the episode's provenance).
Then the event modes: ``startup`` once per scene build, ``interval`` every N control steps, and
the model restored before each reset so that an episode depends on its seed only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imageio.v3 as iio
import numpy as np
import pytest
import yaml

from actionbank.runtime import RUNTIME
from sim.config import load_sim_config
from sim.env import ActionbankEnv

TOY = Path(__file__).parent / "toy_arm" / "gym_config.yaml"
Probe = Callable[[ActionbankEnv], Any]


def _geom(env: ActionbankEnv) -> int:
    return int(np.flatnonzero(env.model.geom_bodyid == env.model.body("block").id)[0])


#: event name -> (params, what it changes, read from the env)
CASES: dict[str, tuple[dict[str, Any], Probe]] = {
    "randomize_rigid_object_pose": (
        {
            "entity_cfg": {"uid": "block"},
            "position_range": [[-0.05, -0.05, 0.0], [0.05, 0.05, 0.0]],
            "rotation_range": [[0.0, 0.0, -90.0], [0.0, 0.0, 90.0]],
        },
        lambda env: env.data.body("block").xquat.copy(),
    ),
    "randomize_robot_qpos": (
        {"entity_cfg": {"uid": "toy", "control_parts": ["arm"]}, "qpos_range": [[-0.1], [0.1]], "joint_ids": [0, 2]},
        lambda env: env.part_qpos("arm")[[0, 2]],
    ),
    "randomize_camera_extrinsics": (
        {"entity_cfg": {"uid": "overhead"}, "eye_range": [[-0.05, -0.05, 0.0], [0.05, 0.05, 0.05]]},
        lambda env: env.model.camera("overhead").pos.copy(),
    ),
    "randomize_camera_intrinsics": (
        {"entity_cfg": {"uid": "overhead"}, "focal_x_range": [-5.0, 5.0], "cy_range": [-2.0, 2.0]},
        lambda env: env.model.cam_intrinsic[env.model.camera("overhead").id].copy(),
    ),
    "randomize_light": (
        {
            "entity_cfg": {"uid": "lamp"},
            "position_range": [[-0.2, -0.2, 0.0], [0.2, 0.2, 0.1]],
            "color_range": [[0.5, 0.5, 0.5], [1.0, 1.0, 1.0]],
        },
        lambda env: np.concatenate([env.model.light("lamp").pos, env.model.light("lamp").diffuse]),
    ),
    "set_rigid_object_visual_material": (
        {"entity_cfg": {"uid": "block"}, "mat_cfg": {"base_color": [0.9, 0.1, 0.1], "base_color_texture": "t.png"}},
        lambda env: (int(env.model.geom_matid[_geom(env)]), env.model.geom_rgba[_geom(env)].tolist()),
    ),
    "randomize_visual_material": (
        {"entity_cfg": {"uid": "block"}, "random_texture_prob": 0.5, "roughness_range": [0.2, 0.8]},
        lambda env: env.model.geom_rgba[_geom(env)].copy(),
    ),
    "randomize_rigid_object_mass": (
        {"entity_cfg": {"uid": "block"}, "mass_range": [0.05, 0.5]},
        lambda env: float(env.model.body("block").mass[0]),
    ),
    "randomize_rigid_object_friction": (
        {"entity_cfg": {"uid": "block"}, "friction_range": [0.3, 1.5]},
        lambda env: float(env.model.geom_friction[_geom(env), 0]),
    ),
    "randomize_rigid_object_scale": (
        {"entity_cfg": {"uid": "block"}, "scale_factor_range": [[0.8], [1.2]]},
        lambda env: env.model.geom_size[_geom(env)].copy(),
    ),
    "place_rigid_object_group": (
        {"entity_cfg": {"uid": "clutter"}, "num_objects": [1, 3], "position_range": [[0, -0.2, 0], [0.2, 0.2, 0]]},
        lambda env: np.concatenate([env.data.body(uid).xpos for uid in GROUP["rigid_objects"]]),
    ),
}

#: Distractors added to the toy scene: three small members away from the block.
GROUP: dict[str, Any] = {
    "uid": "clutter",
    "init_pos": [0.3, 0.15, 0.0],
    "rigid_objects": {
        "pebble": {"shape": {"shape_type": "Sphere", "radius": 0.01}, "init_pos": [0.0, 0.0, 0.01]},
        "dice": {"shape": {"shape_type": "Cube", "size": [0.01, 0.01, 0.01]}, "init_pos": [0.05, 0.0, 0.01]},
        "peg": {"shape": {"shape_type": "Cylinder", "radius": 0.008, "height": 0.03}, "init_pos": [0.1, 0.0, 0.015]},
    },
}


def _env(folder: Path, events: dict[str, Any], *, render: bool = False) -> ActionbankEnv:
    """The toy scene with :data:`GROUP` and ``events``."""
    data = yaml.safe_load(TOY.read_text())
    data["env"]["events"] = events
    data["rigid_object_group"] = [GROUP]
    folder.mkdir(parents=True, exist_ok=True)
    iio.imwrite(folder / "t.png", np.tile(np.array([[0, 255]], dtype=np.uint8), (8, 4))[..., None].repeat(3, 2))
    path = folder / "gym_config.yaml"
    path.write_text(yaml.safe_dump(data))
    config, diagnostics = load_sim_config(path)
    assert [d.code for d in diagnostics if d.severity == "error"] == []
    return ActionbankEnv(config, folder, render_images=render)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, default=lambda x: np.asarray(x).tolist()) == json.dumps(
        b, default=lambda x: np.asarray(x).tolist()
    )


def test_every_registered_event_has_a_case_here() -> None:
    assert sorted(CASES) == sorted(RUNTIME.events)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_event_changes_what_it_says_reproducibly_and_reports_its_sample(name: str, tmp_path: Path) -> None:
    params, probe = CASES[name]
    plain = _env(tmp_path / "plain", {})
    plain.reset(seed=0)
    before = probe(plain)
    env = _env(tmp_path / "event", {"ev": {"func": name, "mode": "reset", "params": params}})
    _, info = env.reset(seed=7)
    first, sample = probe(env), info["randomization"]["ev"]
    assert not _same(first, before), f"{name} changed nothing"
    assert sample and sample == json.loads(json.dumps(sample)), "the sample is JSON (it goes into provenance)"
    env.reset(seed=8)
    other = probe(env)
    _, info = env.reset(seed=7)
    assert _same(probe(env), first) and info["randomization"]["ev"] == sample
    if name != "set_rigid_object_visual_material":  # the one event that draws nothing
        assert not _same(other, first)


def test_a_startup_event_runs_once_per_scene_and_is_reported_with_every_episode(tmp_path: Path) -> None:
    params, probe = CASES["randomize_rigid_object_mass"]
    env = _env(tmp_path, {"ev": {"func": "randomize_rigid_object_mass", "mode": "startup", "params": params}})
    _, first = env.reset(seed=1)
    mass = probe(env)
    _, second = env.reset(seed=2)
    assert probe(env) == mass and second["randomization"]["ev"] == first["randomization"]["ev"]


def test_an_interval_event_runs_every_interval_step_control_steps(tmp_path: Path) -> None:
    params, probe = CASES["randomize_light"]
    env = _env(tmp_path, {"ev": {"func": "randomize_light", "mode": "interval", "interval_step": 3, "params": params}})
    env.reset(seed=1)
    values = []
    for _ in range(7):
        env.step(np.zeros(env.action_space.shape, dtype=np.float32))
        values.append(probe(env))
    assert sorted(env.randomization["ev"], key=int) == ["3", "6"]
    assert _same(values[0], values[1]) and not _same(values[1], values[2]) and _same(values[2], values[4])


def test_a_reset_restores_what_the_last_episode_changed(tmp_path: Path) -> None:
    params, probe = CASES["randomize_rigid_object_mass"]
    env = _env(tmp_path, {"ev": {"func": "randomize_rigid_object_mass", "mode": "interval", "params": params}})
    env.reset(seed=1)
    built = probe(env)
    env.step(np.zeros(env.action_space.shape, dtype=np.float32))
    assert probe(env) != built
    env.reset(seed=1)
    assert probe(env) == built


def test_a_rendering_event_never_changes_what_a_physics_event_draws(tmp_path: Path) -> None:
    pose, probe = CASES["randomize_rigid_object_pose"]
    alone = _env(tmp_path / "a", {"pose": {"func": "randomize_rigid_object_pose", "mode": "reset", "params": pose}})
    alone.reset(seed=3)
    light = {"func": "randomize_light", "mode": "reset", "params": CASES["randomize_light"][0]}
    both = _env(
        tmp_path / "b",
        {"light": light, "pose": {"func": "randomize_rigid_object_pose", "mode": "reset", "params": pose}},
    )
    both.reset(seed=3)
    assert _same(probe(alone), probe(both))
