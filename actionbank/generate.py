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
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from actionbank.attempts import AttemptJob, AttemptResult, LocalAttempts, WorkerAttempts, episode_seed
from actionbank.capacity import check_memory, useful_workers
from actionbank.compiler import CompileOptions, compile_file
from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import ActionbankError, CompileError, InputError
from actionbank.interrupts import signal_of
from actionbank.plan import ExecutionPlan
from actionbank.spec.gym_robot import robot_type_of

if TYPE_CHECKING:
    from actionbank.spec.gym_models import GymConfig
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter
    from sim.rollout import Failure, Frame, Rollout

__all__ = [
    "GenerateOptions",
    "GenerateSummary",
    "GenerationFailed",
    "GenerationInterrupted",
    "episode_seed",
    "generate",
    "preview",
]

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


class GenerationInterrupted(ActionbankError):
    """A signal stopped the job; exit code 128 + its number (130: SIGINT, 143: SIGTERM), as shells do."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


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
#: Receives a one-line note for the user: how the job runs (fewer workers than asked for, a
#: resumed folder that holds nothing yet), the seed a resumed run reuses, what a repair did.
Note = Callable[[str], None]


def generate(options: GenerateOptions, progress: Progress | None = None, note: Note | None = None) -> GenerateSummary:
    """Run the job. Before anything runs or changes it raises :class:`CompileError` on config
    errors, :class:`~recorder.errors.RunMismatchError` when ``resume`` names a dataset made from
    other configs, assets or seed, other :class:`~recorder.errors.RecorderError` when that
    dataset is damaged or leads outside its folder, and for a run that cannot start (an
    unusable output folder, too many workers for the memory), leaving no folder behind. Once
    running it raises :class:`GenerationFailed` when too many attempts fail,
    :class:`~recorder.errors.DiskFullError` when the disk fills up and
    :class:`GenerationInterrupted` on a :class:`KeyboardInterrupt` (SIGINT, or SIGTERM under
    :func:`~actionbank.interrupts.interrupt_on_signals`); in each case what was saved stays
    valid and ``--resume`` continues it.
    """
    os.environ.setdefault("SVT_LOG", "1")  # SVT-AV1: errors only on stderr
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before anything imports MuJoCo; attempt workers inherit it
    from recorder import DatasetWriter, read_episode_records, spool_folder
    from recorder.errors import DiskFullError
    from recorder.reservation import Reservation
    from recorder.run_identity import RunInputs, check_same_run, resume_seed
    from recorder.video import statistics_sample

    if options.num_envs < 1:
        raise ValueError("num_envs must be at least 1")
    if options.output is not None and options.resume is not None:
        raise ValueError("output and resume exclude each other (resume continues the dataset where it is)")
    tell = note if note is not None else _ignore
    summary = GenerateSummary(root=None)
    writer: DatasetWriter | None = None
    reservation: Reservation | None = None
    spec: DatasetSpec | None = None
    first_attempt = 0
    stop: KeyboardInterrupt | DiskFullError | None = None
    try:
        config, plan = _compile(options)
        gym_text, action_text = _read_text(options.gym_config), _read_text(options.action_config)
        assets = _asset_hashes(options, config)
        target = options.max_episodes if options.max_episodes is not None else config.max_episodes
        max_attempts = options.max_attempts if options.max_attempts is not None else max(4 * target, target + 4)
        seed = options.seed if options.seed is not None else DEFAULT_SEED
        summary.target = target
        if options.save and options.resume is not None and not _vacant(options.resume):
            run = RunInputs(options.gym_config, gym_text, options.action_config, action_text, assets, options.seed)
            writer = DatasetWriter.open_for_resume(options.resume, check=lambda stored: check_same_run(stored, run))
            spec = writer.spec
            seed = resume_seed(spec, options.seed)
            if options.seed is None:
                tell(f"resuming {writer.root} with the seed it was made with: {seed}")
            for repaired in _repaired(writer):
                tell(repaired)
            records = read_episode_records(writer.root)
            first_attempt = 1 + max((int(r["metrics"].get("attempt", -1)) for r in records), default=-1)
            summary.root, summary.already = writer.root, writer.num_episodes
        summary.seed = seed
        workers, fewer = useful_workers(options.num_envs, target - summary.saved, max_attempts)
        if fewer:
            tell(fewer)
        check_memory(workers)  # before anything starts or is created
        if options.save and writer is None:
            if options.resume is not None:
                tell(f"{options.resume} holds no dataset yet (a run stopped before creating it): starting it there")
            numbered = options.output is None and options.resume is None
            # reserves a numbered folder when there is no --output
            spec = _dataset_spec(options, config, plan, gym_text, action_text, seed, assets)
            try:
                DatasetWriter.check_vacant(spec.root)
                reservation = Reservation.make(spec.root, reserved=numbered)
            except BaseException:
                if numbered:  # give the number back
                    with contextlib.suppress(OSError):
                        spec.root.rmdir()
                raise
        new_spec = spec if writer is None else None
        spool = None
        if reservation is not None:
            spool = reservation.spool
        elif spec is not None:
            spool = spool_folder(spec.root, f"attempts-{os.getpid()}-{secrets.token_hex(4)}")
        job = AttemptJob(
            options.gym_config,
            plan,
            seed,
            spec,
            spool,
            statistics_sample(plan.makespan),
            allow_outside_assets=options.allow_outside_assets,
        )

        def create_dataset() -> DatasetWriter | None:
            """Import LeRobot and create the new dataset, while workers run the first attempts."""
            nonlocal writer
            _quiet_datasets()
            if new_spec is not None:
                writer = DatasetWriter.create(new_spec)
                summary.root = writer.root
            return writer

        runner = LocalAttempts(job) if workers == 1 else WorkerAttempts(job, workers)
        try:
            attempts = range(first_attempt, first_attempt + max_attempts)
            ahead = 1 if workers == 1 else 2 * workers
            _run_attempts(runner, attempts, ahead, create_dataset, summary, progress)
        finally:
            runner.close()
    except (KeyboardInterrupt, DiskFullError) as error:
        stop = error  # told once the workers are stopped and the dataset is closed
    finally:
        if writer is not None:
            writer.finalize()
        elif reservation is not None:  # the dataset was never created: leave nothing behind
            reservation.release()
    if stop is not None:
        kept = _kept(options, writer, spec)
        if isinstance(stop, KeyboardInterrupt):
            signum = signal_of(stop)
            raise GenerationInterrupted(f"stopped by {signum.name}: {kept}", 128 + signum) from None
        raise DiskFullError(f"{stop}; {kept}") from stop
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


def _ignore(_text: str) -> None:
    """A note nobody reads."""


def _vacant(folder: Path) -> bool:
    """Whether ``folder`` holds no dataset yet (missing, empty, or only recordings of a stopped run)."""
    from recorder import DatasetExistsError, DatasetWriter

    try:
        DatasetWriter.check_vacant(folder)
    except DatasetExistsError:
        return False
    return True


def _kept(options: GenerateOptions, writer: DatasetWriter | None, spec: DatasetSpec | None) -> str:
    """What a stopped run leaves: how many episodes, where, and how to continue. Read from the
    disk: a stop can land after the dataset was created and before its writer was handed back."""
    from recorder.staging import INFO, committed_episodes

    if not options.save:
        return "nothing was to be saved"
    root = writer.root if writer is not None else spec.root if spec is not None else None
    if root is None or not (root / INFO).is_file():
        return "nothing was saved"
    saved = committed_episodes(root)  # a commit cut short by the disk may count one more
    are = "1 episode is" if saved == 1 else f"{saved} episodes are"
    return f"{are} saved in {root}; the same command with --resume {root} continues it"


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
        summary.saved_now += 1
        summary.frames += result.frames
    else:
        result.discard()
        summary.discarded[discard_reason(result.failures[0] if result.failures else None)] += 1


def discard_reason(failure: Failure | None) -> str:
    """How a failed attempt is counted in the summary: by the stage that failed, and for a task
    check by the check's own reason too (``task check failed: left_eef does not hold the cube``)."""
    if failure is None:
        return DISCARD_REASONS["task_check"]
    label = DISCARD_REASONS[failure.stage]
    return f"{label}: {failure.reason}" if failure.stage == "task_check" and failure.reason else label


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
    from recorder import DatasetSpec, RecorderError, dataset_root
    from sim.env import ActionbankEnv

    env = ActionbankEnv(
        config, options.gym_config.parent, render_images=False, allow_outside_assets=options.allow_outside_assets
    )
    try:
        state_names, cameras = list(env.state_names), dict(env.scene.cameras)
    finally:
        env.close()
    params = config.env.dataset.lerobot.params if config.env.dataset else None
    robot_type = params.robot_meta.robot_type if params else robot_type_of(config)
    extra = dict(params.extra) if params else {}
    try:
        root = dataset_root(
            options.resume if options.resume is not None else options.output,  # a resumed folder holding nothing yet
            robot_type,
            str(extra.get("scene_type", "scene")),
            str(extra.get("task_description", config.id)),
        )
    except OSError as error:  # the folder datasets go to cannot be made
        raise RecorderError(f"cannot reserve a dataset folder: {error.strerror or error} ({error.filename})") from error
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
