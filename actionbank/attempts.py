"""Episode attempts: run one seeded rollout and record it, in this process or in workers.

An :class:`AttemptJob` is everything a process needs to run attempts (small and picklable);
:class:`AttemptRunner` runs them on one environment: the episode seed, the rollout, and, when
the job records, an :class:`~recorder.episode.EpisodeRecording` fed frame by frame, finished
when the rollout is valid and cancelled when it is not. The :class:`AttemptResult` carries
the recording's files (never its frames) back to the process that commits it.

:class:`LocalAttempts` runs attempts in the calling process; :class:`WorkerAttempts` in N
spawned worker processes (``generate --num-envs N``). Both hand results back in any order;
the caller orders them by attempt. An attempt's result depends on its index alone (its seed),
not on which process ran it nor on what that process ran before.

Validate first (``AttemptJob.validate_first``): a recording runner runs each attempt without
cameras first, and renders and records only those that passed, re-simulated with cameras.
Rendering never changes the physics (the cameras read the state; the camera, light and
material events draw from their own generators whether or not anything renders, and change
only what is drawn), and every success check reads the physics state, so the recorded
episode is the validated one; the runner checks that it is. Failed attempts cost the physics
pass alone; a passing one costs it on top of its rendered pass (the plan's nodes and IK run
twice: measured 0.6-5 % of the rendered pass on the examples, ``benchmarks/validate_first.py``;
and the rendered pass that follows one runs up to 3 % slower, measured on insertion). So a
runner validates an attempt only while that pays (:func:`worth_validating`): while the share
of its attempts that failed after stepping, with :data:`PRIOR_FAILURES` of a failure in one
attempt assumed beforehand, is at least the physics pass's share of a rendered one. Which
attempts are validated changes the time taken, never the dataset.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from actionbank.errors import ActionbankError
from actionbank.plan import ExecutionPlan

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from actionbank.rollout import Failure, Frame, Rollout
    from recorder.episode import RecordedEpisode
    from recorder.provenance import EpisodeInfo
    from recorder.spec import DatasetSpec
    from sim.env import ActionbankEnv

__all__ = [
    "AttemptJob",
    "AttemptResult",
    "AttemptRunner",
    "LocalAttempts",
    "WorkerAttempts",
    "WorkerFailed",
    "episode_seed",
    "failure_record",
    "worth_validating",
]

#: Seconds a worker waits for its next attempt before checking that the parent still lives.
_POLL_S = 1.0


class WorkerFailed(ActionbankError):
    """A worker process died or raised outside a rollout (a bug or a crash, not a bad config)."""

    exit_code = 1


class WorkerSaid(ActionbankError):
    """A worker stopped with one of our errors (a function the config names raised, say): its
    message and exit code, as the same error says them in one process."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def failure_record(failure: Failure | None) -> dict[str, str]:
    """Why an attempt is invalid, as stored in a failed episode's provenance (``failure``): the
    stage, name, function and reason of its first failure (none: the success check failed)."""
    if failure is None:
        return {"stage": "task_check", "name": "success", "function": "", "reason": "the success check failed"}
    return {"stage": str(failure.stage), "name": failure.name, "function": failure.function, "reason": failure.reason}


#: The failures assumed, in one attempt, before a runner has seen any. A task that never fails
#: is validated for about ``PRIOR_FAILURES / share`` attempts (``share``: the physics pass's
#: share of a rendered attempt), each costing its real overhead, which is up to 1.6 times
#: ``share`` (the rendered pass after a physics pass runs up to 3 % slower, insertion): in all,
#: up to 1.6 times ``PRIOR_FAILURES`` of an attempt, whatever the share. With half a failure
#: the shipped examples paid up to 7.5 % over runs of 12 episodes, with a quarter up to 5 %;
#: with an eighth, at most 0.4 % over 12 and 3.8 % over 6 (``benchmarks/validate_first.py``).
#: A task with a share up to 3 % still validates its first 4 attempts, among which one that
#: fails half its attempts shows a failure 15 times in 16 (and any failure seen turns
#: validating back on).
PRIOR_FAILURES = 0.125


def worth_validating(late_failures: int, attempts: int, validation_s: float, rendered_s: float) -> bool:
    """Whether the next attempt should run without cameras first: whether the expected rendering
    it spares (the rate of attempts failing after their first step, ``late_failures`` of
    ``attempts``, with :data:`PRIOR_FAILURES` in one attempt assumed beforehand) is at least
    what the physics pass costs (``validation_s`` over ``rendered_s`` [s], of the attempts that
    had both; unknown before the first: yes)."""
    if rendered_s <= 0.0:
        return True
    return (late_failures + PRIOR_FAILURES) / (attempts + 1) >= validation_s / rendered_s


def episode_seed(seed: int, attempt: int) -> int:
    """The seed of attempt ``attempt`` of a run seeded ``seed`` (stable across runs and machines)."""
    digest = hashlib.sha256(f"actionbank/{seed}/{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


@dataclass(frozen=True)
class AttemptJob:
    """What a process needs to run attempts: the scene, the plan, the run's seed and, when the
    attempts are recorded, the dataset's spec, the folder their recordings go to and the
    frames whose images the video statistics use; whether the gym config may name files
    outside its folder (``--allow-outside-assets``); and whether failed attempts are recorded
    too (``keep_failed``)."""

    gym_config: Path
    plan: ExecutionPlan
    seed: int
    spec: DatasetSpec | None = None
    spool: Path | None = None
    statistics_sample: frozenset[int] | None = None
    allow_outside_assets: bool = False
    #: Record failed attempts too (the gym config's ``save_failed_episodes``).
    keep_failed: bool = False
    #: When recording, run each attempt without cameras first and render only those that passed.
    validate_first: bool = False


@dataclass(frozen=True)
class AttemptResult:
    """One attempt: its rollout's outcome, provenance and (when recorded: valid, or failed with
    ``keep_failed``) recording."""

    attempt: int
    frames: int
    success: bool
    failures: tuple[Failure, ...]
    info: EpisodeInfo
    episode: RecordedEpisode | None
    #: Control steps the rollout simulated (0: it failed before stepping).
    steps: int = 0
    #: Seconds of the physics-only pass (0: none) and of the pass with cameras (0: not rendered).
    validation_s: float = 0.0
    recording_s: float = 0.0
    #: Whether the attempt was simulated with cameras.
    rendered: bool = False
    #: Remarks for the user by topic, one line each (:attr:`~actionbank.rollout.Rollout.notes`).
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.success and not self.failures

    def discard(self) -> None:
        """Delete the recording's files, if there are any."""
        if self.episode is not None:
            self.episode.discard()


class AttemptRunner:
    """Runs attempts of ``job`` on one environment of its gym config (two with ``validate_first``
    when recording: one without cameras that checks each attempt, one with them that records)."""

    def __init__(self, job: AttemptJob) -> None:
        from sim.config import load_sim_config
        from sim.env import ActionbankEnv

        self.job = job
        config, _warnings = load_sim_config(job.gym_config, allow_outside_assets=job.allow_outside_assets)
        recording = job.spec is not None and job.spool is not None
        self.env = ActionbankEnv(
            config,
            job.gym_config.parent,
            render_images=job.spec is not None,
            allow_outside_assets=job.allow_outside_assets,
        )
        self._physics: ActionbankEnv | None = None
        if recording and job.validate_first and self.env.render_images:
            self._physics = ActionbankEnv(
                config, job.gym_config.parent, render_images=False, allow_outside_assets=job.allow_outside_assets
            )
        self._started = False
        #: What :func:`worth_validating` decides from: attempts that ran, those of them that
        #: failed after their first step, and seconds of both passes of those that had both.
        self._attempts = self._late_failures = 0
        self._validation_s = self._rendered_s = 0.0

    @property
    def validates_first(self) -> bool:
        """Whether attempts run without cameras first."""
        return self._physics is not None

    def run(self, attempt: int) -> AttemptResult:
        from recorder.episode import EpisodeRecording
        from sim.executor import run_plan

        job = self.job
        seed = episode_seed(job.seed, attempt)
        checked = None
        validation_s = 0.0
        validate = self._physics is not None and worth_validating(
            self._late_failures, self._attempts, self._validation_s, self._rendered_s
        )
        if validate and self._physics is not None:
            began = time.perf_counter()
            steps = _StepCounter()
            checked = run_plan(job.plan, self._physics, seed, on_frame=steps)
            validation_s = time.perf_counter() - began
            if not checked.valid and not job.keep_failed:
                if not self._started:  # the startup events draw from the first seed: the same in both
                    self.env.reset(seed=seed)
                    self._started = True
                self._count(checked.valid, steps.count)
                return _result(attempt, checked, None, steps.count, validation_s, 0.0, rendered=False)
        self._started = True  # (the first attempt is always validated: both environments start with its seed)
        recording = None
        if job.spec is not None and job.spool is not None:
            recording = EpisodeRecording(job.spec, job.spool / f"attempt-{attempt:06d}", job.statistics_sample)
        began = time.perf_counter()
        counter = _StepCounter()
        try:
            rollout = run_plan(
                job.plan, self.env, seed, on_frame=recording.add_frame if recording is not None else counter
            )
        except BaseException:
            if recording is not None:
                recording.cancel()
            raise
        episode = None
        if recording is not None:
            if rollout.valid or (job.keep_failed and recording.frames > 0):
                episode = recording.finish()
            else:
                recording.cancel()
        recording_s = time.perf_counter() - began
        if checked is not None:
            _check_same(attempt, checked, rollout, episode)
            self._validation_s += validation_s
            self._rendered_s += recording_s
        steps_run = recording.frames if recording is not None else counter.count
        self._count(rollout.valid, steps_run)
        return _result(attempt, rollout, episode, steps_run, validation_s, recording_s, rendered=self.env.render_images)

    def _count(self, valid: bool, steps: int) -> None:
        """Count an attempt's outcome for :func:`worth_validating`."""
        self._attempts += 1
        self._late_failures += not valid and steps > 0

    def close(self) -> None:
        self.env.close()
        if self._physics is not None:
            self._physics.close()


class _StepCounter:
    """A frame sink that counts the frames and keeps none."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _frame: Frame) -> None:
        self.count += 1


def _result(
    attempt: int,
    rollout: Rollout,
    episode: RecordedEpisode | None,
    steps: int,
    validation_s: float,
    recording_s: float,
    *,
    rendered: bool,
) -> AttemptResult:
    """The result of ``attempt`` from its (recorded) rollout."""
    from recorder.provenance import EpisodeInfo

    rollout.metrics["attempt"] = float(attempt)
    failure = None
    if not rollout.valid:
        failure = failure_record(rollout.failures[0] if rollout.failures else None)
    info = EpisodeInfo(rollout.seed, rollout.randomization, rollout.initial_poses, rollout.metrics, failure)
    frames = steps if rollout.valid else 0
    return AttemptResult(
        attempt,
        frames,
        rollout.success,
        tuple(rollout.failures),
        info,
        episode,
        steps,
        validation_s,
        recording_s,
        rendered,
        dict(rollout.notes),
    )


def _check_same(attempt: int, checked: Rollout, recorded: Rollout, episode: RecordedEpisode | None) -> None:
    """Raise (a bug, never the config's fault) when the recorded rollout is not the validated one."""
    same = (
        checked.valid == recorded.valid
        and checked.metrics == recorded.metrics
        and [str(f) for f in checked.failures] == [str(f) for f in recorded.failures]
        and checked.initial_poses == recorded.initial_poses
    )
    if not same:
        if episode is not None:
            episode.discard()
        raise RuntimeError(
            f"attempt {attempt}: the rollout recorded with cameras differs from its physics-only validation "
            f"(valid {checked.valid} then {recorded.valid}, metrics {checked.metrics} then {recorded.metrics})"
        )


class LocalAttempts:
    """Attempts run one after the other in this process, when their result is asked for."""

    def __init__(self, job: AttemptJob) -> None:
        self._runner = AttemptRunner(job)
        self._queued: deque[int] = deque()

    def submit(self, attempt: int) -> None:
        self._queued.append(attempt)

    def next_result(self) -> AttemptResult:
        """The next attempt submitted, run now."""
        return self._runner.run(self._queued.popleft())

    def ready_result(self) -> None:
        """None: no attempt runs before its result is asked for."""
        return None

    def close(self) -> None:
        self._runner.close()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (a killed ``generate``)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker notices the orphaning when polling
        pass


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM within the block, then raise the first that came (in the main
    thread; elsewhere signals cannot be set): a worker is never left half started (it would
    print a traceback), and no signal is lost.

    SIGINT is also blocked, and the workers started here inherit that: they ignore it once
    they run (:func:`_serve`). A Ctrl-C at the terminal, which reaches every process of the
    foreground group, so never interrupts a worker still importing MuJoCo; the parent stops
    the workers itself.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        held.append(signum)

    previous = {number: signal.signal(number, hold) for number in (signal.SIGINT, signal.SIGTERM)}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for number, handler in previous.items():
            signal.signal(number, handler)
        if held:
            signal.raise_signal(held[0])  # to the handler now in place


def _serve(job: AttemptJob, tasks: Any, results: Any, parent: int) -> None:
    """A worker's life: run each attempt it is given until told to stop (None) or orphaned."""
    # Mesa's software renderer (llvmpipe) draws with one thread per CPU by default; with one
    # worker per CPU those threads only contend (measured: two render loops in parallel run
    # 1.82x one alone with the default, 2.0x with one thread each).
    os.environ.setdefault("LP_NUM_THREADS", "1")
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us; this
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # drops one held since the start
    from recorder.errors import DiskFullError

    try:
        runner = AttemptRunner(job)
    except BaseException:
        results.put(("error", None, traceback.format_exc()))
        return
    try:
        while os.getppid() == parent:
            try:
                attempt = tasks.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if attempt is None:
                return
            try:
                results.put(("ok", attempt, runner.run(attempt)))
            except DiskFullError as error:  # not a bug: the parent says so, without a traceback
                results.put(("disk_full", attempt, str(error)))
                return
            except ActionbankError as error:  # said by its message, as in one process (a plugin's raise)
                results.put(("said", attempt, (str(error), error.exit_code)))
                return
            except BaseException:
                results.put(("error", attempt, traceback.format_exc()))
                return
    finally:
        runner.close()


class WorkerAttempts:
    """Attempts run by ``workers`` spawned processes, each with its own environment."""

    def __init__(self, job: AttemptJob, workers: int) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process holding GL and threads
        self._tasks: Any = context.Queue()
        self._results: Any = context.Queue()
        self._processes: list[BaseProcess] = [
            context.Process(
                target=_serve, args=(job, self._tasks, self._results, os.getpid()), name=f"actionbank-worker-{n}"
            )
            for n in range(workers)
        ]
        try:
            with _signals_held():  # and workers inherit a blocked SIGINT: a Ctrl-C is for the parent alone
                for process in self._processes:
                    process.start()
        except BaseException:  # a stop signal, delivered as the block ends: stop who started
            self.close()
            raise

    def submit(self, attempt: int) -> None:
        self._tasks.put(attempt)

    def next_result(self) -> AttemptResult:
        """The next attempt to finish (whichever it is), waiting for it."""
        while True:
            try:
                return self._take(self._results.get(timeout=_POLL_S))
            except queue.Empty:
                dead = [p for p in self._processes if not p.is_alive()]
                if dead:
                    codes = ", ".join(f"{p.name} exit code {p.exitcode}" for p in dead)
                    raise WorkerFailed(f"a worker process died ({codes})") from None

    def ready_result(self) -> AttemptResult | None:
        """An attempt that has finished already, if any (never waits)."""
        try:
            return self._take(self._results.get_nowait())
        except queue.Empty:
            return None

    @staticmethod
    def _take(message: tuple[str, int | None, Any]) -> AttemptResult:
        """The result a worker sent, or the error it reported, raised."""
        status, attempt, payload = message
        if status == "ok":
            result: AttemptResult = payload
            return result
        if status == "disk_full":
            from recorder.errors import DiskFullError

            raise DiskFullError(payload)
        if status == "said":
            text, code = payload
            raise WorkerSaid(text, code)
        where = f"attempt {attempt}" if attempt is not None else "start-up"
        raise WorkerFailed(f"a worker failed at {where}:\n{payload}")

    def close(self) -> None:
        """Stop every worker now (an attempt in progress is abandoned) and drop unread results."""
        started = [process for process in self._processes if process.pid is not None]
        for process in started:
            if process.is_alive():
                process.terminate()
        for process in started:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
        for channel in (self._tasks, self._results):
            channel.cancel_join_thread()
            channel.close()
