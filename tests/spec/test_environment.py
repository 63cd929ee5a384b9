"""The affordance keys the compiler reads from a gym config: those the simulation registers."""

from __future__ import annotations

import textwrap

from actionbank.source.loader import parse_text
from actionbank.spec.environment import environment_from_gym

GYM = textwrap.dedent(
    """
    max_episode_steps: 100
    env:
      control_parts: [arm, hand]
      affordances: {drop_pose_object: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]}
    background:
      - {uid: table, shape: {shape_type: Box, size: [0.5, 0.5, 0.02]}, body_type: static}
      - {uid: bin_floor, shape: {shape_type: Box, size: [0.1, 0.1, 0.005]}, body_type: static}
    rigid_object:
      - {uid: cube, shape: {shape_type: Cube}}
    """
)


def test_background_objects_provide_their_poses_as_rigid_objects_do() -> None:
    document, problems = parse_text(GYM, "gym_config.yaml")
    assert document is not None and problems == []

    environment, diagnostics = environment_from_gym(document)

    assert diagnostics == []
    assert dict(environment.keys) == {
        "cube_pose": "rigid_object 'cube'",
        "table_pose": "background 'table'",
        "bin_floor_pose": "background 'bin_floor'",
        "arm_init_qpos": "control part 'arm'",
        "hand_init_qpos": "control part 'hand'",
        "drop_pose_object": "env.affordances",
    }
    assert environment.max_episode_steps == 100
