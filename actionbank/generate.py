"""``actionbank generate``: compile a config pair, run episodes in MuJoCo, record valid ones.

Episode attempt ``a`` uses the seed derived from ``(seed, a)``; the dataset holds the first
valid attempts in attempt order, so the same configs and seed give the same episodes, with
one process or N (``num_envs``): workers record attempts as they finish them, this process
commits them in attempt order. Invalid rollouts are never written: their recordings are
deleted. MuJoCo and LeRobot are imported only when a job runs, so the compiler's commands
stay light.

``resume`` continues a dataset only with what made it: the same gym and action config
texts, the same asset files (by sha256) and the same seed (the dataset's own when none is
given); anything else is refused before a worker starts or a file changes
(:mod:`recorder.run_identity`).
"""

from __future__ import annotations

import contextlib
import os
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
from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import ActionbankError, CompileError, InputError
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
    """What to run. ``seed``: None when not given (0 for a new dataset, the dataset's own with
    ``resume``); ``output`` and ``resume`` exclude each other; ``allow_outside_assets``: the
    gym config may name files outside its folder (their hashes go into the provenance)."""

    gym_config: Path
    action_config: Path
    max_episodes: int | None = None
    seed: int | None = None
    output: Path | None = None
    resume: Path | None = None
    max_attempts: int | None = None
    save: bool = True
    num_envs: int = 1
    allow_outside_assets: bool = False


#: The seed of a new dataset when none is given.
DEFAULT_SEED = 0


@dataclass
class GenerateSummary:
    """A run so far: ``already`` episodes were in the dataset before it (``resume``), ``saved_now``
    were saved by it; ``frames`` and ``wall_time`` [s] are this run's; ``seed`` the run's seed."""

    root: Path | None
    saved_now: int = 0
    already: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    frames: int = 0
    wall_time: float = 0.0
    target: int = 0
    seed: int = DEFAULT_SEED

    @property
    def saved(self) -> int:
        """Valid episodes in the dataset: those already there and those saved now."""
        return self.already + self.saved_now

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.wall_time if self.wall_time else 0.0


Progress = Callable[[GenerateSummary, float], None]
#: Receives one-line notes for the user (the seed a resumed run reuses, what a repair did).
Notice = Callable[[str], None]


def generate(
    options: GenerateOptions, progress: Progress | None = None, notice: Notice | None = None
) -> GenerateSummary:
    """Run the job; raises :class:`CompileError` on config errors (nothing runs then),
    :class:`~recorder.errors.RunMismatchError` when ``resume`` names a dataset made from other
    configs, assets or seed, other :class:`~recorder.errors.RecorderError` when that dataset is
    damaged or leads outside its folder (nothing runs nor changes then either), and
    :class:`GenerationFailed` when too many attempts fail (what was saved stays valid)."""
    os.environ.setdefault("SVT_LOG", "1")  # SVT-AV1: errors only on stderr
    from recorder import DatasetWriter, read_episode_records, spool_folder
    from recorder.confine import remove_tree
    from recorder.run_identity import RunInputs, check_same_run, resume_seed
    from recorder.staging import SPOOL_DIR
    from recorder.video import statistics_sample

    if options.num_envs < 1:
        raise ValueError("num_envs must be at least 1")
    if options.output is not None and options.resume is not None:
        raise ValueError("output and resume exclude each other (resume continues the dataset where it is)")
    config, plan = _compile(options)
    gym_text, action_text = _read_text(options.gym_config), _read_text(options.action_config)
    assets = _asset_hashes(options, config)
    target = options.max_episodes if options.max_episodes is not None else config.max_episodes
    max_attempts = options.max_attempts if options.max_attempts is not None else max(4 * target, target + 4)
    seed = options.seed if options.seed is not None else DEFAULT_SEED
    summary = GenerateSummary(root=None, target=target)
    writer: DatasetWriter | None = None
    spec: DatasetSpec | None = None
    first_attempt = 0
    try:
        if options.save and options.resume is not None:
            run = RunInputs(options.gym_config, gym_text, options.action_config, action_text, assets, options.seed)
            writer = DatasetWriter.open_for_resume(options.resume, check=lambda stored: check_same_run(stored, run))
            spec = writer.spec
            seed = resume_seed(spec, options.seed)
            notes = _repaired(writer)
            if options.seed is None:
                notes.insert(0, f"resuming {writer.root} with the seed it was made with: {seed}")
            for note in notes:
                if notice is not None:
                    notice(note)
            records = read_episode_records(writer.root)
            first_attempt = 1 + max((int(r["metrics"].get("attempt", -1)) for r in records), default=-1)
        elif options.save:
            # reserves the dataset's folder
            spec = _dataset_spec(options, config, plan, gym_text, action_text, seed, assets)
            DatasetWriter.check_vacant(spec.root)  # before any worker starts
        new_spec = spec if writer is None else None
        summary.seed = seed
        job = AttemptJob(
            options.gym_config,
            plan,
            seed,
            spec,
            spool_folder(spec.root, "attempts") if spec is not None else None,
            statistics_sample(plan.makespan),
        )
        if writer is not None:
            summary.root, summary.already = writer.root, writer.num_episodes

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
            with contextlib.suppress(OSError):
                remove_tree(spec.root, SPOOL_DIR)
    if summary.saved < target:
        reasons = ", ".join(f"{n} {reason}" for reason, n in summary.discarded.most_common()) or "none"
        kept = f"what was saved is in {summary.root}" if summary.root is not None else "nothing was to be saved"
        earlier = f", {summary.already} of them from earlier runs" if summary.already else ""
        raise GenerationFailed(
            f"only {summary.saved} of {target} episodes are valid after {max_attempts} attempts{earlier} "
            f"(discarded: {reasons}); {kept}"
        )
    return summary


def _repaired(writer: DatasetWriter) -> list[str]:
    """Notes on what reopening the dataset repaired after a killed run."""
    report = writer.repair_report
    notes = []
    if report is not None and report.committed_episode is not None:
        notes.append(f"finished committing episode {report.committed_episode}, left by a killed run")
    if report is not None and report.discarded_partial_episode:
        notes.append("dropped the unfinished episode of a killed run")
    return notes


def _read_text(path: Path) -> str:
    """A config's text (as stored in the provenance); :class:`InputError` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InputError([Diagnostic.make("AB101", path=str(path), reason=reason).at(str(path), None, None)]) from None


def _asset_hashes(options: GenerateOptions, config: GymConfig) -> dict[str, str]:
    """sha256 of the files the gym config names, for the provenance; :class:`InputError` when one
    cannot be read or lies outside the config's folder without ``allow_outside_assets``."""
    from actionbank.spec.assets import AssetPathError, asset_hashes

    try:
        return asset_hashes(config, options.gym_config.parent, allow_outside=options.allow_outside_assets)
    except AssetPathError as error:
        reason = f"{error}; allow files outside the gym config's folder explicitly"
    except OSError as error:
        reason = f"{error.filename}: {error.strerror or error}"
    file = str(options.gym_config)
    raise InputError([Diagnostic.make("AB101", path="a file the gym config names", reason=reason).at(file, None, None)])


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
    env = ActionbankEnv(config, options.gym_config.parent, render_images=False)
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

            seed = options.seed if options.seed is not None else DEFAULT_SEED
            return run_plan(plan, env, episode_seed(seed, 0), on_frame=show)
    finally:
        # The viewer tears its window down in a thread of its own; leaving before it is done
        # crashes the interpreter at exit (seen with MuJoCo 3.8 on Xvfb).
        for thread in set(threading.enumerate()) - before:
            thread.join(timeout=10)
        env.close()


def _compile(options: GenerateOptions) -> tuple[GymConfig, ExecutionPlan]:
    """The gym config and the compiled plan; :class:`CompileError` when the configs have errors."""
    from sim.config import load_sim_config

    config, _warnings = load_sim_config(options.gym_config)
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
        summary.saved_now += 1
        summary.frames += result.frames
    else:
        result.discard()
        stage = result.failures[0].stage if result.failures else "task_check"
        summary.discarded[DISCARD_REASONS[stage]] += 1


def _dataset_spec(
    options: GenerateOptions,
    config: GymConfig,
    plan: ExecutionPlan,
    gym_text: str,
    action_text: str,
    seed: int,
    assets: dict[str, str],
) -> DatasetSpec:
    """The new dataset's spec: names and sizes from the scene, naming from ``robot_meta`` / ``extra``,
    the config texts, the run's seed and the assets' hashes."""
    from recorder import DatasetSpec, dataset_root
    from sim.env import ActionbankEnv

    env = ActionbankEnv(config, options.gym_config.parent, render_images=False)
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
        gym_config_text=gym_text,
        action_config_text=action_text,
        package_version=version("actionbank"),
        gym_config_name=options.gym_config.name,
        action_config_name=options.action_config.name,
        vcodec=params.vcodec if params else "libsvtav1",
        seed=seed,
        asset_hashes=assets,
    )
