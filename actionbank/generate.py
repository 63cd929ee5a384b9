"""``actionbank generate``: compile a config pair, run episodes in MuJoCo, record valid ones.

Episode attempt ``a`` uses the seed derived from ``(seed, a)``; the dataset holds the first
valid attempts in attempt order, so the same configs and seed give the same episodes, with
one process or N (``num_envs``): workers record attempts as they finish them, this process
commits them in attempt order. Invalid rollouts are never written: their recordings are
deleted. MuJoCo and LeRobot are imported only when a job runs, so the compiler's commands
stay light.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from actionbank.attempts import AttemptJob, AttemptResult, LocalAttempts, WorkerAttempts, episode_seed
from actionbank.compiler import CompileOptions, compile_file
from actionbank.errors import ActionbankError, CompileError
from actionbank.plan import ExecutionPlan

if TYPE_CHECKING:
    from actionbank.spec.gym_models import GymConfig
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter
    from sim.rollout import Frame, Rollout

__all__ = ["GenerateOptions", "GenerateSummary", "GenerationFailed", "episode_seed", "generate", "preview"]

#: How a failed rollout is counted in the summary, by the stage that failed.
DISCARD_REASONS = {
    "node": "node failure",
    "ik": "IK failure",
    "task_check": "task check failed",
    "edge": "exception in an edge",
    "exception": "exception in an edge",
}


class GenerationFailed(ActionbankError):
    """The target number of valid episodes was not reached within the attempts."""

    exit_code = 1


@dataclass(frozen=True)
class GenerateOptions:
    gym_config: Path
    action_config: Path
    max_episodes: int | None = None
    seed: int = 0
    output: Path | None = None
    resume: Path | None = None
    max_attempts: int | None = None
    save: bool = True
    num_envs: int = 1
    #: The gym config may name files outside its folder (``--allow-outside-assets``).
    allow_outside_assets: bool = False


@dataclass
class GenerateSummary:
    root: Path | None
    saved: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    frames: int = 0
    wall_time: float = 0.0
    target: int = 0

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.wall_time if self.wall_time else 0.0


Progress = Callable[[GenerateSummary, float], None]


def generate(options: GenerateOptions, progress: Progress | None = None) -> GenerateSummary:
    """Run the job; raises :class:`CompileError` on config errors (nothing runs then) and
    :class:`GenerationFailed` when too many attempts fail (what was saved stays valid)."""
    os.environ.setdefault("SVT_LOG", "1")  # SVT-AV1: errors only on stderr
    from recorder import DatasetWriter, read_episode_records, spool_folder
    from recorder.video import statistics_sample

    if options.num_envs < 1:
        raise ValueError("num_envs must be at least 1")
    config, plan = _compile(options)
    target = options.max_episodes if options.max_episodes is not None else config.max_episodes
    max_attempts = options.max_attempts if options.max_attempts is not None else max(4 * target, target + 4)
    summary = GenerateSummary(root=None, target=target)
    writer: DatasetWriter | None = None
    spec: DatasetSpec | None = None
    first_attempt = 0
    try:
        if options.save and options.resume is not None:
            writer = DatasetWriter.open_for_resume(options.resume)
            spec = writer.spec
            records = read_episode_records(options.resume)
            first_attempt = 1 + max((int(r.get("metrics", {}).get("attempt", -1)) for r in records), default=-1)
        elif options.save:
            spec = _dataset_spec(options, config, plan)  # reserves the dataset's folder
            DatasetWriter.check_vacant(spec.root)  # before any worker starts
        new_spec = spec if writer is None else None
        job = AttemptJob(
            options.gym_config,
            plan,
            options.seed,
            spec,
            spool_folder(spec.root, "attempts") if spec is not None else None,
            statistics_sample(plan.makespan),
            allow_outside_assets=options.allow_outside_assets,
        )
        if writer is not None:
            summary.root, summary.saved = writer.root, writer.num_episodes

        def create_dataset() -> DatasetWriter | None:
            """Import LeRobot and create the new dataset, while workers run the first attempts."""
            nonlocal writer
            _quiet_datasets()
            if new_spec is not None:
                writer = DatasetWriter.create(new_spec)
                summary.root = writer.root
            return writer

        runner = LocalAttempts(job) if options.num_envs == 1 else WorkerAttempts(job, options.num_envs)
        try:
            attempts = range(first_attempt, first_attempt + max_attempts)
            ahead = 1 if options.num_envs == 1 else 2 * options.num_envs
            _run_attempts(runner, attempts, ahead, create_dataset, summary, progress)
        finally:
            runner.close()
    finally:
        if writer is not None:
            writer.finalize()
        elif spec is not None:  # the dataset was never created: drop what workers recorded
            shutil.rmtree(spool_folder(spec.root, "attempts").parent, ignore_errors=True)
    if summary.saved < target:
        reasons = ", ".join(f"{n} {reason}" for reason, n in summary.discarded.most_common()) or "none"
        kept = f"what was saved is in {summary.root}" if summary.root is not None else "nothing was to be saved"
        raise GenerationFailed(
            f"only {summary.saved} of {target} episodes are valid after {max_attempts} attempts "
            f"(discarded: {reasons}); {kept}"
        )
    return summary


def _quiet_datasets() -> None:
    """Turn off Hugging Face ``datasets``' progress bars (LeRobot's per-episode "Map" bars would
    break our progress line)."""
    import datasets  # type: ignore[import-untyped]

    datasets.disable_progress_bars()


def preview(options: GenerateOptions) -> Rollout:
    """Run the first attempt in MuJoCo's interactive viewer, in real time; save nothing.

    Needs a display (the caller checks). Closing the viewer lets the episode finish unseen.
    """
    import mujoco.viewer

    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    config, plan = _compile(options)
    env = ActionbankEnv(
        config, options.gym_config.parent, render_images=False, allow_outside_assets=options.allow_outside_assets
    )
    period = 1.0 / config.control_freq  # [s] per control step
    before = set(threading.enumerate())
    try:
        with mujoco.viewer.launch_passive(env.model, env.data) as viewer:
            due = time.perf_counter()

            def show(_frame: Frame) -> None:
                nonlocal due
                if viewer.is_running():
                    viewer.sync()
                    due += period
                    time.sleep(max(0.0, due - time.perf_counter()))

            return run_plan(plan, env, episode_seed(options.seed, 0), on_frame=show)
    finally:
        # The viewer tears its window down in a thread of its own; leaving before it is done
        # crashes the interpreter at exit (seen with MuJoCo 3.8 on Xvfb).
        for thread in set(threading.enumerate()) - before:
            thread.join(timeout=10)
        env.close()


def _compile(options: GenerateOptions) -> tuple[GymConfig, ExecutionPlan]:
    """The gym config and the compiled plan; :class:`CompileError` when the configs have errors."""
    from sim.config import load_sim_config

    config, _warnings = load_sim_config(options.gym_config, allow_outside_assets=options.allow_outside_assets)
    compiled = compile_file(options.action_config, CompileOptions(gym_config=options.gym_config))
    if compiled.plan is None:
        raise CompileError(compiled.diagnostics)
    return config, compiled.plan


def _run_attempts(
    runner: LocalAttempts | WorkerAttempts,
    attempts: range,
    ahead: int,
    create_dataset: Callable[[], DatasetWriter | None],
    summary: GenerateSummary,
    progress: Progress | None,
) -> None:
    """Run ``attempts`` until ``summary.saved`` reaches its target; commit results in attempt order.

    ``create_dataset`` is called once the first attempts are handed out and gives the writer to
    commit into (None: save nothing). At most ``ahead`` attempts are handed out beyond the
    next one to commit, so the recordings waiting for an earlier attempt stay few. Results
    not committed are deleted.
    """
    waiting: dict[int, AttemptResult] = {}
    handed = committed = attempts.start
    began = time.perf_counter()
    writer: DatasetWriter | None = None
    opened = False
    try:
        while summary.saved < summary.target and committed < attempts.stop:
            while handed < attempts.stop and handed - committed < ahead:
                runner.submit(handed)
                handed += 1
            if not opened:
                writer, opened = create_dataset(), True
            result = runner.next_result()
            waiting[result.attempt] = result
            while committed in waiting and summary.saved < summary.target:
                _account(waiting.pop(committed), writer, summary)
                committed += 1
                summary.wall_time = time.perf_counter() - began
                if progress is not None:
                    progress(summary, summary.wall_time)
    finally:
        for result in waiting.values():
            result.discard()


def _account(result: AttemptResult, writer: DatasetWriter | None, summary: GenerateSummary) -> None:
    """Save a valid attempt's recording, or count why the attempt was discarded."""
    if result.valid:
        if writer is not None and result.episode is not None:
            writer.save_recorded(result.episode, result.info)
        summary.saved += 1
        summary.frames += result.frames
    else:
        result.discard()
        stage = result.failures[0].stage if result.failures else "task_check"
        summary.discarded[DISCARD_REASONS[stage]] += 1


def _dataset_spec(options: GenerateOptions, config: GymConfig, plan: ExecutionPlan) -> DatasetSpec:
    """The new dataset's spec: names and sizes from the scene, naming from ``robot_meta`` / ``extra``."""
    from recorder import DatasetSpec, dataset_root
    from sim.env import ActionbankEnv

    env = ActionbankEnv(
        config, options.gym_config.parent, render_images=False, allow_outside_assets=options.allow_outside_assets
    )
    try:
        state_names, cameras = list(env.state_names), dict(env.scene.cameras)
    finally:
        env.close()
    params = config.env.dataset.lerobot.params if config.env.dataset else None
    robot_type = params.robot_meta.robot_type if params else config.robot.robot_type
    extra = dict(params.extra) if params else {}
    root = dataset_root(
        options.output,
        robot_type,
        str(extra.get("scene_type", "scene")),
        str(extra.get("task_description", config.id)),
    )
    return DatasetSpec(
        repo_id=f"actionbank/{root.name}",
        root=root,
        fps=round(config.control_freq),
        robot_type=robot_type,
        task=params.instruction.lang if params else config.id,
        state_names=state_names,
        action_names=state_names,
        cameras=cameras,
        use_videos=params.use_videos if params else True,
        scopes=tuple(s.name for s in plan.scopes),
        edge_labels=tuple(f"{e.scope}/{e.name}" for e in plan.edges),
        extra=extra,
        gym_config_text=options.gym_config.read_text(encoding="utf-8"),
        action_config_text=options.action_config.read_text(encoding="utf-8"),
        package_version=version("actionbank"),
        gym_config_name=options.gym_config.name,
        action_config_name=options.action_config.name,
        vcodec=params.vcodec if params else "libsvtav1",
    )
