"""The run itself: compile, reopen or reserve the dataset, hand attempts to one process or to
workers, commit the valid ones in attempt order, and close everything however the run ends."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from actionbank.attempts import AttemptJob, AttemptResult, LocalAttempts, WorkerAttempts
from actionbank.capacity import check_memory, useful_workers
from actionbank.generate.attempt_range import attempt_indices, check_attempt_range, first_index, range_target
from actionbank.generate.failed import FailedEpisodes
from actionbank.generate.options import (
    DEFAULT_SEED,
    GenerateOptions,
    GenerateSummary,
    Note,
    Progress,
    Report,
    ignore_note,
)
from actionbank.generate.resume import Resumed, check_resumed, holds_no_dataset, reopen
from actionbank.generate.run_log import RunLog
from actionbank.generate.run_spec import asset_hashes_of, compile_run, dataset_spec, read_config_text
from actionbank.generate.stop import DISCARD_REASONS, discard_reason, shortfall_error, stopped_error, what_was_kept

if TYPE_CHECKING:
    from actionbank.executors.ray import RayAttempts, RaySession
    from recorder.reservation import Reservation
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter

__all__ = ["generate"]


def generate(
    options: GenerateOptions, progress: Progress | None = None, note: Note | None = None, report: Report | None = None
) -> GenerateSummary:
    """Run the job. Before anything runs or changes it raises :class:`CompileError` on config
    errors, :class:`~recorder.errors.RunMismatchError` when ``resume`` names a dataset made from
    other configs, assets or seed, other :class:`~recorder.errors.RecorderError` when that
    dataset is damaged or leads outside its folder, and for a run that cannot start (an
    unusable output folder, too many workers for the memory), leaving no folder behind. Once
    running it raises :class:`~actionbank.generate.stop.GenerationFailed` when too many attempts
    fail, :class:`~recorder.errors.DiskFullError` when the disk fills up and
    :class:`~actionbank.generate.stop.GenerationInterrupted` on a :class:`KeyboardInterrupt`
    (SIGINT, or SIGTERM under :func:`~actionbank.interrupts.interrupt_on_signals`); in each case
    what was saved stays valid and ``--resume`` continues it. The configs' warnings and notes go
    to ``report`` before anything runs.
    """
    os.environ.setdefault("SVT_LOG", "1")  # SVT-AV1: errors only on stderr
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before anything imports MuJoCo; attempt workers inherit it
    from recorder import DatasetWriter, spool_folder
    from recorder.errors import DiskFullError
    from recorder.video import statistics_sample

    if options.num_envs < 1:
        raise ValueError("num_envs must be at least 1")
    if options.output is not None and options.resume is not None:
        raise ValueError("output and resume exclude each other (resume continues the dataset where it is)")
    if options.attempts is not None and options.max_attempts is not None:
        raise ValueError("attempts and max_attempts exclude each other (the range bounds the attempts)")
    if options.attempts is not None:
        check_attempt_range(*options.attempts)
    if options.ray_address is not None and options.executor != "ray":
        raise ValueError("ray_address is for the ray executor")
    tell = note if note is not None else ignore_note
    summary = GenerateSummary(root=None)
    writer: DatasetWriter | None = None
    resumed: Resumed | None = None
    reservation: Reservation | None = None
    spec: DatasetSpec | None = None
    failed: FailedEpisodes | None = None
    first_attempt = 0
    run_log: RunLog | None = None  # this run's line of the dataset's run log, once its first attempt is known
    stop: KeyboardInterrupt | DiskFullError | None = None
    ray_session: RaySession | None = None
    try:
        config, plan = compile_run(options, report)
        gym_text, action_text = read_config_text(options.gym_config), read_config_text(options.action_config)
        assets = asset_hashes_of(options, config)
        target = options.max_episodes if options.max_episodes is not None else config.max_episodes
        max_attempts = options.max_attempts if options.max_attempts is not None else max(4 * target, target + 4)
        if options.attempts is not None:  # the range bounds the attempts; reaching its end is no shortfall
            target, max_attempts = range_target(options.attempts, options.max_episodes), len(range(*options.attempts))
        seed = options.seed if options.seed is not None else DEFAULT_SEED
        summary.target = target
        keep_failed = (
            options.save and config.env.dataset is not None and config.env.dataset.lerobot.save_failed_episodes
        )
        if options.save and options.resume is not None and not holds_no_dataset(options.resume):
            # checked and locked, not changed: it is repaired once nothing can refuse the run any more
            resumed = check_resumed(options.resume, options, gym_text, action_text, assets, tell)
            spec, seed, first_attempt = resumed.spec, resumed.seed, resumed.first_attempt
            summary.root, summary.already = spec.root, resumed.episodes
        summary.seed = seed
        workers, fewer = useful_workers(options.num_envs, target - summary.saved, max_attempts, options.num_envs_from)
        if fewer:
            tell(fewer)
        if options.executor == "ray":  # the cluster's memory, not this machine's: Ray places the actors
            from actionbank.executors.ray import connect

            ray_session = connect(options.ray_address, workers)  # before anything is created
        else:
            check_memory(workers, asked_by=options.num_envs_from)  # before anything starts or is created
        if resumed is not None:
            if keep_failed:  # checked in full before it is repaired, like the main dataset
                failed = FailedEpisodes(resumed.spec)
                summary.failed_root = failed.root
                first_attempt = max(first_attempt, _next_attempt(failed))
            writer = reopen(resumed, tell)  # the last refusal is behind: repair what a killed run left
        run_log = RunLog(first_index(options.attempts, first_attempt), tell)
        if options.save and writer is None:
            if options.resume is not None:
                tell(f"{options.resume} holds no dataset yet (a run stopped before creating it): starting it there")
            numbered = options.output is None and options.resume is None
            # reserves a numbered folder when there is no --output
            spec = dataset_spec(options, config, plan, gym_text, action_text, seed, assets)
            reservation = _reserve(spec, numbered)
            if keep_failed:
                failed = FailedEpisodes(spec)
                summary.failed_root = failed.root
                DatasetWriter.check_vacant(failed.root)  # before anything runs
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
            keep_failed=failed is not None,
            # with save_failed_episodes every attempt is recorded: a physics pass would only add to it
            validate_first=options.validate_first and failed is None,
        )
        summary.validated_first = job.validate_first and spec is not None

        def create_dataset() -> DatasetWriter | None:
            """Import LeRobot and create the new dataset, while workers run the first attempts."""
            nonlocal writer
            _quiet_datasets()
            if new_spec is not None:
                writer = DatasetWriter.create(new_spec)
                summary.root = writer.root
            return writer

        runner: LocalAttempts | WorkerAttempts | RayAttempts
        if ray_session is not None:
            from actionbank.executors.ray import RayAttempts

            runner = RayAttempts(job, workers, ray_session, note=tell)
        else:
            runner = LocalAttempts(job) if workers == 1 else WorkerAttempts(job, workers)
        try:
            attempts = attempt_indices(options.attempts, first_attempt, max_attempts)
            ahead = 1 if workers == 1 and ray_session is None else 2 * workers
            _run_attempts(
                runner, attempts, ahead, create_dataset, summary, progress, failed, note=tell, run_log=run_log
            )
        finally:
            runner.close()
    except (KeyboardInterrupt, DiskFullError) as error:
        stop = error  # told once the workers are stopped and the dataset is closed
    finally:
        if ray_session is not None:
            ray_session.close()
        if failed is not None:
            failed.finalize()
        if writer is not None:
            try:
                if run_log is not None:  # made right after a resumed dataset is reopened: always here
                    run_log.update(writer, summary)
            finally:
                writer.finalize()
        elif resumed is not None:  # refused before it was reopened: it is as it was
            resumed.checked.release()
        elif reservation is not None:  # the dataset was never created: leave nothing behind
            reservation.release()
    if stop is not None:
        stopped = stopped_error(stop, what_was_kept(options, writer, spec))
        raise stopped from (None if isinstance(stop, KeyboardInterrupt) else stop)
    if summary.saved < target and options.attempts is None:
        raise shortfall_error(summary, max_attempts)
    return summary


def _reserve(spec: DatasetSpec, numbered: bool) -> Reservation:
    """Claim the new dataset's folder (refused when it holds a dataset); a numbered folder that
    cannot be claimed is given back."""
    from recorder import DatasetWriter
    from recorder.reservation import Reservation

    try:
        DatasetWriter.check_vacant(spec.root)
        return Reservation.make(spec.root, reserved=numbered)
    except BaseException:
        if numbered:  # give the number back
            with contextlib.suppress(OSError):
                spec.root.rmdir()
        raise


def _quiet_datasets() -> None:
    """Turn off Hugging Face ``datasets``' progress bars (LeRobot's per-episode "Map" bars would
    break our progress line)."""
    import datasets  # type: ignore[import-untyped]

    datasets.disable_progress_bars()


#: At most this many valid attempts are committed together. A driver that falls behind its
#: workers finds several results ready at once and commits them in one transaction
#: (:meth:`~recorder.writer.DatasetWriter.save_recorded_batch`): LeRobot's resume and
#: finalize and the commit's renames are then shared. Past 16 the share left per episode is a
#: few milliseconds, and all of a batch is redone after a kill in its middle.
COMMIT_BATCH = 16


def _run_attempts(
    runner: LocalAttempts | WorkerAttempts | RayAttempts,
    attempts: range,
    ahead: int,
    create_dataset: Callable[[], DatasetWriter | None],
    summary: GenerateSummary,
    progress: Progress | None,
    failed: FailedEpisodes | None = None,
    *,
    note: Note = ignore_note,
    run_log: RunLog | None = None,
) -> None:
    """Run ``attempts`` until ``summary.saved`` reaches its target; commit results in attempt order.

    ``create_dataset`` is called once the first attempts are handed out and gives the writer to
    commit into (None: save nothing). At most ``ahead`` attempts are handed out beyond the
    next one to commit, so the recordings waiting for an earlier attempt stay few. The results
    ready in order are committed together, up to :data:`COMMIT_BATCH` valid ones. Results
    not committed are deleted. Failed attempts' recordings go to ``failed`` when given. The
    attempts' notes go to ``note``, in attempt order, each topic once in the run (and into
    ``summary.notes``). After each commit the run's line in the dataset's log is brought up to
    date (``run_log``).
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
            result: AttemptResult | None = runner.next_result()
            while result is not None:  # and those that finished meanwhile
                waiting[result.attempt] = result
                result = runner.ready_result()
            while committed in waiting and summary.saved < summary.target:
                ready = _ready_in_order(waiting, committed, min(summary.target - summary.saved, COMMIT_BATCH))
                committed += len(ready)
                _tell_notes(ready, summary.notes, note)
                _account(ready, writer, summary, failed)
                if run_log is not None:
                    run_log.update(writer, summary)
                summary.wall_time = time.perf_counter() - began
                if progress is not None:
                    progress(summary, summary.wall_time)
    finally:
        for result in waiting.values():
            result.discard()


def _tell_notes(results: list[AttemptResult], told: dict[str, str], note: Note) -> None:
    """Tell each note of ``results`` whose topic is not in ``told`` yet, and keep it there: one
    note per topic in a run (the same remark, with other values, from later attempts is not
    repeated). A discarded attempt's first failure at a stage whose count names no reason (a
    node, IK, an edge, an exception: ``discarded_node`` …) is told the same way, the first of
    each stage: the summary then says how many, and this why."""
    for result in results:
        notes = dict(result.notes)
        failure = result.failures[0] if result.failures and not result.valid else None
        if failure is not None and failure.stage != "task_check":
            label = DISCARD_REASONS[failure.stage]
            notes[f"discarded_{failure.stage}"] = f"{label} (the first, attempt {result.attempt}): {failure}"
        for topic, text in notes.items():
            if topic not in told:
                told[topic] = text
                note(text)


def _ready_in_order(waiting: dict[int, AttemptResult], first: int, valid: int) -> list[AttemptResult]:
    """The results of attempts ``first``, ``first + 1``, … taken from ``waiting`` while there,
    until ``valid`` valid ones are taken."""
    taken: list[AttemptResult] = []
    while first + len(taken) in waiting and valid > 0:
        result = waiting.pop(first + len(taken))
        taken.append(result)
        valid -= result.valid
    return taken


def _account(
    results: list[AttemptResult],
    writer: DatasetWriter | None,
    summary: GenerateSummary,
    failed: FailedEpisodes | None,
) -> None:
    """Count why each failed attempt of ``results`` was discarded (and keep its recording in
    ``failed``, when given), then save the valid attempts' recordings in one commit."""
    valid = []
    for result in results:
        summary.count_cost(result.steps, result.validation_s, result.recording_s, result.rendered)
        if result.valid:
            valid.append(result)
            continue
        if failed is not None and writer is not None and result.episode is not None:
            failed.save(result)
            summary.failed_saved = failed.saved_now
        else:
            result.discard()
        summary.discarded[discard_reason(result.failures[0] if result.failures else None)] += 1
    recorded = [(result.episode, result.info) for result in valid if result.episode is not None]
    if recorded:
        if writer is not None:
            writer.save_recorded_batch(recorded)
        else:
            for episode, _info in recorded:
                episode.discard()
    summary.saved_now += len(valid)
    summary.frames += sum(result.frames for result in valid)


def _next_attempt(failed: FailedEpisodes) -> int:
    """The attempt after the last one in the failed-episode dataset (0 when there is none)."""
    from recorder import read_episode_records

    if failed.open_existing() is None:
        return 0
    records = read_episode_records(failed.root)
    return 1 + max((int(r["metrics"].get("attempt", -1)) for r in records), default=-1)
