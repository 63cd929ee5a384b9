"""Synthetic rollouts for the recorder tests; run as a script, it writes episodes until killed.

    python synthetic_rollouts.py DATASET_DIR TARGET_EPISODES [--resume]

creates (or with ``--resume`` continues) a dataset of 64x48 two-camera episodes and stops
once it holds TARGET_EPISODES episodes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from actionbank.rollout import Frame
from recorder import DatasetSpec, DatasetWriter, EpisodeInfo
from recorder.episode import EpisodeRecording, RecordedEpisode
from recorder.staging import spool_folder
from recorder.video import statistics_sample

CAMERAS = {"top": (48, 64), "wrist": (48, 64)}
SCOPES = ("right_arm", "right_eef")
EDGE_LABELS = ("right_arm/reach", "right_arm/lift", "right_eef/close")
JOINTS = ["waist", "shoulder", "gripper"]
FRAMES = 12
GYM_TEXT = "env:\n  scene: table\nextra:\n  scene_type: table\n"
ACTION_TEXT = '{"scope": {"right_arm": {}, "right_eef": {}}}\n'


def make_spec(root: Path, use_videos: bool = True) -> DatasetSpec:
    return DatasetSpec(
        repo_id="actionbank/synthetic",
        root=root,
        fps=10,
        robot_type="aloha",
        task="pick up the cube",
        state_names=list(JOINTS),
        action_names=list(JOINTS),
        cameras=dict(CAMERAS),
        use_videos=use_videos,
        scopes=SCOPES,
        edge_labels=EDGE_LABELS,
        extra={"scene_type": "table", "task_description": "pick cube"},
        gym_config_text=GYM_TEXT,
        action_config_text=ACTION_TEXT,
        package_version="0.1.0",
        gym_config_name="pick_gym.yaml",
        action_config_name="pick_actions.json",
    )


def edges_at(step: int) -> np.ndarray:
    """right_arm: reach, then lift, then idle; right_eef: idle, then close."""
    arm = 0 if step < 4 else 1 if step < 8 else -1
    eef = -1 if step < 6 else 2
    return np.array([arm, eef], dtype=np.int32)


def running_at(step: int) -> dict[str, str]:
    """Scope → edge name (or "idle") at ``step``, as :func:`recorder.edges_at` reads it back."""
    names = [label.partition("/")[2] for label in EDGE_LABELS]
    return {
        scope: names[index] if index >= 0 else "idle"
        for scope, index in zip(SCOPES, edges_at(step).tolist(), strict=True)
    }


def make_frame(episode: int, step: int) -> Frame:
    ramp = np.linspace(40, 200, 64, dtype=np.float32)[None, :, None]
    base = np.broadcast_to(ramp, (48, 64, 3)).astype(np.uint8).copy()
    base[..., 0] = (50 + 30 * episode) % 256
    images = {"top": base, "wrist": (255 - base).astype(np.uint8)}
    state = np.array([episode, step, 0.5], dtype=np.float32)
    return Frame(
        state=state,
        velocity=np.full(3, 0.1 * step, dtype=np.float32),
        images=images,
        action=state + 1,
        edges=edges_at(step),
    )


def episode_info(seed: int) -> EpisodeInfo:
    return EpisodeInfo(seed, {"cube_xy": [0.1 * seed, 0.2]}, {"cube": [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]}, {"t": 1.5})


def write_episode(writer: DatasetWriter, seed: int) -> int:
    writer.begin_episode()
    for step in range(FRAMES):
        writer.add_frame(make_frame(seed, step))
    return writer.save_episode(episode_info(seed))


def recorded_episode(spec: DatasetSpec, seed: int) -> RecordedEpisode:
    """Episode ``seed`` recorded outside the writer, as an attempt worker records it."""
    recording = EpisodeRecording(spec, spool_folder(spec.root, f"recording-{seed}"), statistics_sample(FRAMES))
    for step in range(FRAMES):
        recording.add_frame(make_frame(seed, step))
    return recording.finish()


def main(argv: list[str]) -> None:
    root, target = Path(argv[0]), int(argv[1])
    writer = DatasetWriter.open_for_resume(root) if "--resume" in argv else DatasetWriter.create(make_spec(root))
    with writer:
        while writer.num_episodes < target:
            write_episode(writer, seed=writer.num_episodes)


if __name__ == "__main__":
    main(sys.argv[1:])
