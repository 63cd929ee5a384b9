"""``actionbank replay``: rebuild one recorded episode from its provenance and compare.

By default the episode is re-simulated as ``generate`` made it: the stored configs compiled
into the plan, the environment reset with the episode's seed (which samples the same
randomisation) and the plan run by the executor. Its ``observation.state``, ``action`` and
the other numeric columns the dataset records (velocity, environment state) are compared with
the recorded ones, as are the sampled randomisation, the objects' initial poses and the
success check. On the same machine and versions they are bit-identical.

With ``actions`` the recorded actions are replayed open-loop instead, in a fresh environment
reset with the same seed: the recorded ``action`` column is the input, and the report gives
each joint's drift (largest ``|replayed - recorded|`` state) and whether the success check
still passes.

The cameras are rendered only for ``video`` (:mod:`actionbank.replay.video`); without it the
replay runs the physics alone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from actionbank.compiler import CompileOptions, compile_file
from actionbank.errors import CompileError
from actionbank.replay.compare import ColumnComparison, compare_column
from actionbank.replay.source import ConfigFiles, ReplaySource, config_files, open_source

if TYPE_CHECKING:
    from actionbank.rollout import Frame
    from actionbank.spec.gym_models import GymConfig
    from sim.env import ActionbankEnv

__all__ = ["ReplayOptions", "ReplayReport", "replay"]

#: Receives a one-line note for the user (a version that differs from the dataset's).
Note = Callable[[str], None]


@dataclass(frozen=True)
class ReplayOptions:
    """What to replay: episode ``episode`` of the dataset at ``dataset``; ``gym_config``: the
    original gym config (needed when it names files, checked against the provenance);
    ``actions``: replay the recorded actions open-loop instead of the plan; ``video``: an MP4
    file to write the cameras' view to."""

    dataset: Path
    episode: int = 0
    gym_config: Path | None = None
    actions: bool = False
    video: Path | None = None
    allow_outside_assets: bool = False


@dataclass
class ReplayReport:
    """What a replay found. ``columns``: each compared column; ``randomization`` and
    ``initial_poses``: whether the replay sampled and placed the same (None: not compared);
    ``success``: the replay's success check, ``recorded_success`` the episode's;
    ``seconds``: the replay itself (environment built, episode run and compared) [s]."""

    root: Path
    episode: int
    seed: int
    mode: str
    frames: int
    columns: list[ColumnComparison] = field(default_factory=list)
    randomization: bool | None = None
    initial_poses: bool | None = None
    success: bool = False
    recorded_success: bool = True
    failure: str = ""
    notes: list[str] = field(default_factory=list)
    video: Path | None = None
    video_frames: int = 0
    seconds: float = 0.0

    @property
    def identical(self) -> bool:
        """Every column bit-identical, the same randomisation and poses, the same success."""
        return (
            all(column.identical for column in self.columns)
            and self.randomization is not False
            and self.initial_poses is not False
            and self.success == self.recorded_success
        )


def replay(options: ReplayOptions, note: Note | None = None) -> ReplayReport:
    """Replay ``options.episode`` and compare it with the recording.

    Raises :class:`~actionbank.replay.source.ReplayInputError` (exit code 2) for a folder that is
    no actionbank dataset, an episode it does not have, or configs that are not the dataset's;
    :class:`~recorder.errors.RecorderError` for damaged provenance or data; :class:`CompileError`
    when the stored configs do not compile with the installed version.
    """
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported
    from recorder.dataset_files import check_readable
    from recorder.episode_columns import read_episode_columns
    from recorder.features import ACTION, ENVIRONMENT_STATE, STATE, VELOCITY
    from recorder.output_file import check_output

    if options.video is not None:
        check_output(options.video, "--video", [options.dataset])
    source = open_source(options.dataset, options.episode)
    check_readable(source.root)
    for text in source.notes:
        if note is not None:
            note(text)
    recorded = read_episode_columns(source.root, source.episode, (STATE, VELOCITY, ACTION, ENVIRONMENT_STATE))
    for key in (STATE, ACTION):
        if key not in recorded:
            from recorder.errors import DatasetCorruptError

            raise DatasetCorruptError(f"{source.root}: the dataset records no {key!r} column")
    began = time.perf_counter()
    with config_files(source, options.gym_config, allow_outside_assets=options.allow_outside_assets) as files:
        report = _run(source, files, recorded, options)
    report.notes = list(source.notes)
    report.seconds = time.perf_counter() - began
    return report


def _run(
    source: ReplaySource, files: ConfigFiles, recorded: dict[str, NDArray[Any]], options: ReplayOptions
) -> ReplayReport:
    from recorder.features import ACTION, ENVIRONMENT_STATE, STATE, VELOCITY
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv

    config, _warnings = load_sim_config(files.gym_config, allow_outside_assets=options.allow_outside_assets)
    mode = "actions" if options.actions else "plan"
    report = ReplayReport(source.root, source.episode, source.seed, mode, 0)
    report.recorded_success = "failure" not in source.record
    env = ActionbankEnv(
        config,
        files.gym_config.parent,
        render_images=options.video is not None,
        allow_outside_assets=options.allow_outside_assets,
    )
    frames: dict[str, list[NDArray[Any]]] = {STATE: [], VELOCITY: [], ACTION: [], ENVIRONMENT_STATE: []}
    video = _open_video(options.video, env, config)

    def keep(frame: Frame) -> None:
        frames[STATE].append(frame.state)
        frames[VELOCITY].append(frame.velocity)
        frames[ACTION].append(frame.action)
        frames[ENVIRONMENT_STATE].append(frame.environment_state)
        if video is not None:
            video.add(frame.images)

    try:
        if options.actions:
            randomization, poses = _replay_actions(env, source.seed, recorded[ACTION], keep, report)
        else:
            randomization, poses = _replay_plan(env, files, source.seed, keep, report)
        if video is not None:
            video.close()
            report.video, report.video_frames = video.path, video.frames
    except BaseException:
        if video is not None:
            video.abort()
        raise
    finally:
        env.close()
    report.randomization = _plain(randomization) == source.record["randomization"]
    report.initial_poses = _plain(poses) == source.record["initial_poses"]
    report.frames = len(frames[STATE])
    names = {STATE: source.spec.state_names, VELOCITY: source.spec.state_names, ACTION: source.spec.action_names}
    names[ENVIRONMENT_STATE] = source.spec.environment_state_names
    compared = [key for key in (STATE, ACTION, VELOCITY, ENVIRONMENT_STATE) if key in recorded]
    if options.actions:
        compared.remove(ACTION)  # the replay's input
    for key in compared:
        replayed = np.asarray(frames[key]) if frames[key] else np.zeros((0, recorded[key].shape[1]))
        report.columns.append(compare_column(key, replayed, recorded[key], names[key]))
    return report


def _replay_plan(
    env: ActionbankEnv, files: ConfigFiles, seed: int, keep: Callable[[Frame], None], report: ReplayReport
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """Run the compiled plan as ``generate`` did; returns the sampled randomisation and poses."""
    from sim.executor import run_plan

    compiled = compile_file(files.action_config, CompileOptions(gym_config=files.gym_config))
    if compiled.plan is None:
        raise CompileError(compiled.diagnostics)
    rollout = run_plan(compiled.plan, env, seed, on_frame=keep)
    report.success = rollout.valid
    report.failure = "; ".join(str(failure) for failure in rollout.failures)
    return rollout.randomization, rollout.initial_poses


def _replay_actions(
    env: ActionbankEnv,
    seed: int,
    actions: NDArray[Any],
    keep: Callable[[Frame], None],
    report: ReplayReport,
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """Step the recorded ``actions`` open-loop from a reset with ``seed``; returns the sampled
    randomisation and poses."""
    from actionbank.rollout import Frame
    from sim.success import evaluate_success

    observation, info = env.reset(seed=seed)
    poses = env.object_poses()
    no_edges = np.zeros(0, dtype=np.int32)
    for action in actions:
        keep(
            Frame(
                state=observation["state"],
                velocity=observation["velocity"],
                images=observation.get("images", {}),
                action=np.asarray(action, dtype=np.float32),
                edges=no_edges,
                environment_state=observation.get("environment_state", np.zeros(0, np.float32)),
            )
        )
        observation, *_ = env.step(np.asarray(action, dtype=np.float32))
    report.success, _metrics, reason = evaluate_success(env, env.config.env.success)
    report.failure = "" if report.success else f"the success check fails: {reason}"
    return dict(info["randomization"]), poses


def _open_video(path: Path | None, env: ActionbankEnv, config: GymConfig) -> Any:
    """The video writer for ``path`` (None: no video)."""
    if path is None:
        return None
    from actionbank.replay.video import SideBySideVideo

    cameras = dict(env.scene.cameras)
    if not cameras:
        from actionbank.replay.source import ReplayInputError

        raise ReplayInputError("--video: the scene has no camera")
    return SideBySideVideo(path, cameras, round(config.control_freq))


def _plain(value: Any) -> Any:
    """``value`` as it reads back from the provenance's JSON (numpy values made plain)."""
    from recorder.provenance import record_line

    return json.loads(record_line({"v": value}))["v"]
