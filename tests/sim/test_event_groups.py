"""Distractors from a ``rigid_object_group``: ``place_rigid_object_group`` draws which members
appear and places them clear of each other and of the objects to avoid, parks the rest out of
the scene and the physics, and reports the draw; ``prestartup`` events run once, as ``startup``."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np

from sim.env import ActionbankEnv
from sim.event_groups import PARK_ORIGIN, footprint_radius
from tests.sim.test_events import CASES, GROUP, _env

#: Positions drawn around the block (at x 0.3, y -0.1), so that rejection has work to do.
AROUND_BLOCK = {
    "entity_cfg": {"uid": "clutter"},
    "num_objects": [1, 3],
    "position_range": [[0.22, -0.18, 0.02], [0.38, -0.02, 0.02]],
    "relative_position": False,
    "rotation_range": [[0, 0, -180], [0, 0, 180]],
    "clearance": 0.005,
}


def _placement(tmp_path: Path, params: dict[str, Any]) -> ActionbankEnv:
    return _env(tmp_path, {"clutter": {"func": "place_rigid_object_group", "mode": "reset", "params": params}})


def _footprint(env: ActionbankEnv, uid: str) -> tuple[np.ndarray, float]:
    body = env.model.body(uid).id
    return env.data.xpos[body, :2].copy(), footprint_radius(env.model, body)


def test_drawn_members_never_overlap_each_other_or_the_block_and_the_others_are_parked(tmp_path: Path) -> None:
    env = _placement(tmp_path, AROUND_BLOCK)
    counts = set()
    for seed in range(12):
        _, info = env.reset(seed=seed)
        sample = info["randomization"]["clutter"]
        members = list(GROUP["rigid_objects"])
        assert set(sample["placed"]) <= set(sample["drawn"])
        assert set(members) - set(sample["drawn"]) <= set(sample["parked"])
        assert sorted([*sample["placed"], *sample["parked"]]) == sorted(members)
        assert 1 <= len(sample["drawn"]) <= 3
        counts.add(len(sample["drawn"]))
        shown = [*sample["placed"], "block"]
        for a, b in itertools.combinations(shown, 2):
            (xy_a, r_a), (xy_b, r_b) = _footprint(env, a), _footprint(env, b)
            assert np.linalg.norm(xy_a - xy_b) >= r_a + r_b + 0.005 - 1e-6, (seed, a, b)
        for placed in sample["placed"].values():
            x, y, _ = placed["position"]
            assert 0.22 <= x <= 0.38 and -0.18 <= y <= -0.02
        for uid in sample["parked"]:
            assert env.data.body(uid).xpos[0] >= PARK_ORIGIN[0]
    assert len(counts) > 1, "the number of distractors is drawn"


def test_parked_members_float_out_of_the_physics_and_drawn_ones_rest_on_the_floor(tmp_path: Path) -> None:
    env = _placement(tmp_path, {**AROUND_BLOCK, "num_objects": [1, 1]})
    _, info = env.reset(seed=3)
    sample = info["randomization"]["clutter"]
    parked = {uid: env.data.body(uid).xpos.copy() for uid in sample["parked"]}
    for _ in range(25):
        env.step(np.zeros(env.action_space.shape, dtype=np.float32))
    assert len(parked) == 2
    for uid, where in parked.items():
        np.testing.assert_allclose(env.data.body(uid).xpos, where, atol=1e-6)
    (uid,) = sample["placed"]
    assert 0.0 < env.data.body(uid).xpos[2] < 0.03  # fell onto the floor, did not fall through


def test_the_same_seed_draws_the_same_distractors_and_other_seeds_others(tmp_path: Path) -> None:
    env = _placement(tmp_path, AROUND_BLOCK)
    samples = [env.reset(seed=seed)[1]["randomization"]["clutter"] for seed in range(8)]
    assert env.reset(seed=5)[1]["randomization"]["clutter"] == samples[5]
    assert len({tuple(s["drawn"]) for s in samples}) > 1


def test_a_member_without_a_free_spot_is_parked_and_reported(tmp_path: Path) -> None:
    on_the_block = {**AROUND_BLOCK, "num_objects": [3, 3], "position_range": [[0.3, -0.1, 0.02], [0.3, -0.1, 0.02]]}
    env = _placement(tmp_path, on_the_block)
    _, info = env.reset(seed=0)
    sample = info["randomization"]["clutter"]
    assert sorted(sample["drawn"]) == sorted(GROUP["rigid_objects"]) and sample["placed"] == {}
    assert sorted(sample["parked"]) == sorted(GROUP["rigid_objects"])


def test_a_prestartup_event_runs_once_like_a_startup_event(tmp_path: Path) -> None:
    params, probe = CASES["randomize_rigid_object_mass"]
    env = _env(tmp_path, {"ev": {"func": "randomize_rigid_object_mass", "mode": "prestartup", "params": params}})
    built = float(env.model.body("block").mass[0])
    _, first = env.reset(seed=1)
    mass = probe(env)
    _, second = env.reset(seed=2)
    assert mass != built and probe(env) == mass
    assert second["randomization"]["ev"] == first["randomization"]["ev"]
