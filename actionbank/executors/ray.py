"""Attempts on a Ray cluster (``generate --executor ray [--ray-address ADDRESS]``).

:func:`connect` joins a running cluster (``auto``: the one ``ray start`` made on this machine,
as Ray's own tools find it; ``HOST:PORT``: its head) or, without an address, starts a Ray
runtime on this machine for the job; :meth:`RaySession.close` leaves the cluster (and stops a
runtime it started). :class:`RayAttempts` is the attempt source over it, with the interface of
:class:`~actionbank.attempts.LocalAttempts`: N actors placed anywhere in the cluster (spread
over its nodes), each asking for one CPU and :data:`~actionbank.capacity.WORKER_MEMORY` (more
to compute statistics, below) so that Ray places them honestly, each holding one
:class:`~actionbank.attempts.AttemptRunner` (one scene) for all its attempts. With :data:`SUMMARIZING_FROM` actors or more, each also computes its videos'
image statistics before it ships a recording
(:meth:`~recorder.episode.RecordedEpisode.summarized`): work the one driver would otherwise do
for every actor, and at 0.4 s of its 0.6 s per committed episode (measured,
``benchmarks/ray_throughput.py``), what would stop it keeping up with more than about 8. With
fewer actors the driver has the time, and the actors spare LeRobot's import (8 s and
700 MiB each).

Nodes share no file system: an actor records into a spool folder of its own node and returns
the recording as bytes through Ray's object store (:mod:`~actionbank.executors.shipping`); this
process writes them into its own spool, and the caller commits them in attempt order, so the
dataset is the one ``--num-envs 1`` writes with the same seed. Each node needs the project
installed and the gym config with its assets at the same path: an actor checks their hashes
against this process's before it runs anything.

When an actor's process or its node dies, the attempts it held go back to the queue, to the
other actors, and a replacement actor is asked for (it starts where the cluster has room, if
anywhere). A result is dropped from the object store once it is written here.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionbank.attempts import AttemptJob, AttemptResult, AttemptRunner, WorkerFailed
from actionbank.capacity import WORKER_MEMORY
from actionbank.errors import ActionbankError
from actionbank.executors.shipping import ShippedEpisode, pack, unpack
from actionbank.interrupts import STOP_SIGNALS

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["SUMMARIZING_FROM", "RayAttempts", "RaySession", "RayUnavailable", "SceneMismatch", "connect"]

#: Attempts handed to one actor at a time: one running, one waiting, so that it never idles
#: while its last result travels back.
PER_ACTOR = 2
#: Seconds without any actor able to run attempts before the run is given up.
STALL_S = 300.0
#: Seconds to wait for a TCP answer from ``--ray-address HOST:PORT`` before calling it unreachable.
PROBE_S = 5.0
#: Seconds a closing actor gets to remove its spool folder before it is killed.
_CLOSE_S = 5.0
_POLL_S = 1.0


#: Memory an actor that computes image statistics asks Ray for [bytes]: a local worker's
#: (:data:`~actionbank.capacity.WORKER_MEMORY`, what other actors ask for) and LeRobot's
#: statistics code, which brings in torch (about 700 MiB resident, measured).
SUMMARIZING_ACTOR_MEMORY = WORKER_MEMORY + 768 * 2**20
#: From this many actors on, actors compute their videos' image statistics (see the module's docstring).
SUMMARIZING_FROM = 8


class RayUnavailable(ActionbankError):
    """Ray is not installed, or no Ray cluster can be reached or used (exit code 2)."""

    exit_code = 2


class SceneMismatch(ActionbankError):
    """A node's copy of the gym config or of its assets differs from this machine's (exit code 2)."""

    exit_code = 2


def _import_ray() -> ModuleType:
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "--executor ray needs Ray, which is not installed: pip install 'actionbank[ray]'"
        ) from None
    return ray


def _probe(address: str) -> None:
    """Raise :class:`RayUnavailable` at once when nothing answers at ``HOST:PORT`` (Ray itself
    retries for minutes); other addresses (``auto``, ``ray://``) are left to Ray."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or "://" in address:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=PROBE_S).close()
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise RayUnavailable(
            f"--ray-address {address}: no Ray cluster answers there ({reason}); start one with "
            "`ray start --head` and pass the address it prints, or --ray-address auto on one of its nodes"
        ) from None


@dataclass
class RaySession:
    """This process's connection to Ray; ``started``: it started the runtime (and stops it)."""

    ray: ModuleType
    address: str | None
    started: bool

    def close(self) -> None:
        """Leave the cluster (stopping the runtime when this session started it); a connection
        the caller had made stays open."""
        if self.started and self.ray.is_initialized():
            self.ray.shutdown()


def connect(address: str | None, workers: int) -> RaySession:
    """Join the cluster at ``address`` (None: start a local Ray runtime) for ``workers`` actors.

    :class:`RayUnavailable` when Ray is missing, nothing answers at the address, or the cluster
    has no node with a CPU and :data:`~actionbank.capacity.WORKER_MEMORY` of memory for an actor.
    Ray's log lines stay out of this process's terminal (they would break the progress line).
    """
    ray = _import_ray()
    if ray.is_initialized():  # a caller's own connection: used as it is, and left open
        return RaySession(ray, address, started=False)
    if address is not None:
        _probe(address)
    handlers = _stop_signal_handlers()
    try:
        ray.init(
            address=address,
            log_to_driver=False,
            logging_level=logging.ERROR,
            include_dashboard=False,
            configure_logging=True,
        )
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as error:
        where = f"--ray-address {address}" if address is not None else "a local Ray runtime"
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise RayUnavailable(f"{where}: Ray could not start or connect: {first}") from None
    _restore_stop_signals(handlers)
    session = RaySession(ray, address, started=True)
    try:
        total = ray.cluster_resources()
        if total.get("CPU", 0) < 1 or total.get("memory", 0) < WORKER_MEMORY:
            raise RayUnavailable(
                f"the Ray cluster{f' at {address}' if address else ''} cannot hold one attempt actor: each asks "
                f"for 1 CPU and {WORKER_MEMORY // 2**20} MiB of memory; the cluster has {total.get('CPU', 0):g} CPU "
                f"and {total.get('memory', 0) / 2**20:.0f} MiB"
            )
    except BaseException:
        session.close()
        raise
    return session


def _stop_signal_handlers() -> dict[int, Any]:
    """The Python handlers of SIGINT and SIGTERM now (the job's, which stop it cleanly)."""
    return {number: signal.getsignal(number) for number in STOP_SIGNALS}


def _restore_stop_signals(handlers: dict[int, Any]) -> None:
    """Put back the SIGINT and SIGTERM handlers ``ray.init`` replaced.

    ``ray.init`` installs its own SIGTERM handler (it ends the process with status 15, and
    its core worker prints a stack dump): a SIGTERM then skipped the job's clean stop (exit
    143, the line saying what was saved and that ``--resume`` continues it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number, handler in handlers.items():
        if handler is not None:
            signal.signal(number, handler)


def scene_fingerprint(job: AttemptJob) -> dict[str, str]:
    """sha256 of the gym config and of each file it names, as this machine has them."""
    import hashlib

    from actionbank.spec.assets import asset_hashes
    from sim.config import load_sim_config

    config, _warnings = load_sim_config(job.gym_config, allow_outside_assets=job.allow_outside_assets)
    hashes = asset_hashes(config, job.gym_config.parent, allow_outside=job.allow_outside_assets)
    return {str(job.gym_config): hashlib.sha256(job.gym_config.read_bytes()).hexdigest(), **hashes}


class AttemptActor:
    """What one Ray actor holds: a runner for ``job`` (built by :meth:`start`) recording into a
    spool folder of its own node."""

    def __init__(self, job: AttemptJob, fingerprint: dict[str, str], summarize: bool = False) -> None:
        self.job = job
        self.fingerprint = fingerprint
        self.summarize = summarize
        self.runner: AttemptRunner | None = None
        self.spool: Path | None = None

    def start(self) -> str:
        """Check the scene against the driver's, build the runner; returns this node's address."""
        import tempfile

        import ray

        from sim.gl import prefer_headless_gl

        os.environ.setdefault("LP_NUM_THREADS", "1")  # one render thread per actor (see attempts._serve)
        prefer_headless_gl()
        node = str(ray.util.get_node_ip_address())  # type: ignore[no-untyped-call]  # (Ray has no stub for it)
        try:
            here = scene_fingerprint(self.job)
        except (OSError, ActionbankError) as error:
            raise SceneMismatch(f"node {node} cannot read the gym config or its assets: {error}") from None
        differ = sorted(name for name in self.fingerprint if here.get(name) != self.fingerprint[name])
        if differ:
            raise SceneMismatch(
                f"node {node} has other copies of {', '.join(differ)}: every node needs the same gym config "
                "and assets at the same path"
            )
        if self.job.spool is not None:
            self.spool = _own_spool(Path(tempfile.gettempdir()) / "actionbank-ray")
        self.runner = AttemptRunner(replace(self.job, spool=self.spool))
        if self.summarize:
            from recorder.video import load_statistics_code

            load_statistics_code()  # the actor summarizes its videos (run): imported before the first attempt
        return str(node)

    def run(self, attempt: int) -> tuple[AttemptResult, ShippedEpisode | None, float]:
        """Run ``attempt``: its result without the recording, the recording as bytes, and the
        seconds the attempt took here (rollout, recording and packing)."""
        assert self.runner is not None, "start() first"
        began = time.perf_counter()
        result = self.runner.run(attempt)
        episode = result.episode
        if episode is not None and self.summarize:
            episode = episode.summarized()
        shipped = pack(episode) if episode is not None else None
        return replace(result, episode=None), shipped, time.perf_counter() - began

    def close(self) -> None:
        """Close the scene and remove the spool folder."""
        import shutil

        if self.runner is not None:
            self.runner.close()
            self.runner = None
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)


def _own_spool(root: Path) -> Path:
    """A spool folder for this process in ``root`` (created, empty), after removing the folders
    of processes that no longer run there (actors killed mid-attempt leave theirs behind)."""
    import shutil

    root.mkdir(parents=True, exist_ok=True)
    for folder in root.iterdir():
        if folder.name.isdigit() and not _alive(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
    own = root / str(os.getpid())
    shutil.rmtree(own, ignore_errors=True)
    own.mkdir()
    return own


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@dataclass
class _Slot:
    """One actor as the driver sees it: started or not, and the attempts it holds (in order)."""

    handle: Any
    ready: bool = False
    node: str = ""
    held: list[int] = field(default_factory=list)


@dataclass
class RayStats:
    """What the driver measured so far: results received, seconds spent receiving them (the
    object store's transfer and writing the files), bytes received, and the seconds the
    actors spent on those attempts."""

    received: int = 0
    receive_s: float = 0.0
    bytes: int = 0
    attempt_s: float = 0.0


class RayAttempts:
    """Attempts run by ``workers`` Ray actors (see the module's docstring)."""

    def __init__(
        self,
        job: AttemptJob,
        workers: int,
        session: RaySession,
        note: Callable[[str], None] | None = None,
        summarize: bool | None = None,
    ) -> None:
        """``summarize``: whether actors compute their videos' image statistics (default: with
        :data:`SUMMARIZING_FROM` workers or more; never when the dataset has no videos)."""
        self._ray = session.ray
        self._note = note
        self._job = job
        self._fingerprint = scene_fingerprint(job)
        videos = job.spec is not None and job.spec.use_videos
        self._summarize = videos and (workers >= SUMMARIZING_FROM if summarize is None else summarize)
        self._memory = SUMMARIZING_ACTOR_MEMORY if self._summarize else WORKER_MEMORY
        self._remote = self._ray.remote(AttemptActor).options(
            num_cpus=1,
            memory=self._memory,
            max_restarts=0,
            max_task_retries=0,
            scheduling_strategy="SPREAD",
        )
        self._queue: deque[int] = deque()
        self._slots: list[_Slot] = []
        self._pending: dict[Any, tuple[_Slot, int | None]] = {}  # ref -> (actor, attempt; None: its start)
        self._replacements = 2 * workers + 2
        self._idle_since = time.monotonic()
        self.stats = RayStats()
        for _ in range(workers):
            self._add_actor()

    def _add_actor(self) -> None:
        slot = _Slot(self._remote.remote(self._job, self._fingerprint, self._summarize))
        self._slots.append(slot)
        self._pending[slot.handle.start.remote()] = (slot, None)

    def submit(self, attempt: int) -> None:
        self._queue.append(attempt)
        self._dispatch()

    def _dispatch(self) -> None:
        """Hand queued attempts to ready actors, the least busy first."""
        while self._queue:
            ready = [slot for slot in self._slots if slot.ready and len(slot.held) < PER_ACTOR]
            if not ready:
                return
            slot = min(ready, key=lambda s: len(s.held))
            attempt = self._queue.popleft()
            slot.held.append(attempt)
            self._pending[slot.handle.run.remote(attempt)] = (slot, attempt)

    def _lost(self, slot: _Slot) -> None:
        """``slot``'s actor died: its attempts go back to the front of the queue, in order; a
        replacement is asked for while the budget lasts."""
        if slot not in self._slots:
            return
        self._slots.remove(slot)
        for ref in [ref for ref, (owner, _attempt) in self._pending.items() if owner is slot]:
            del self._pending[ref]
        if self._note is not None:
            where = f"on node {slot.node}" if slot.node else "starting"
            again = f"attempts {', '.join(map(str, slot.held))} run again" if slot.held else "it held no attempt"
            self._note(f"a Ray attempt actor {where} died (its process or its node): {again}")
        self._queue.extendleft(sorted(slot.held, reverse=True))
        slot.held.clear()
        self._ray.kill(slot.handle, no_restart=True)
        if self._replacements > 0:
            self._replacements -= 1
            self._add_actor()
        elif not self._slots:
            raise WorkerFailed("every Ray attempt actor died, and so did their replacements")
        self._dispatch()

    def next_result(self) -> AttemptResult:
        """The next attempt to finish (whichever it is), waiting for it."""
        while True:
            if any(slot.ready for slot in self._slots):
                self._idle_since = time.monotonic()
            elif time.monotonic() - self._idle_since > STALL_S:
                raise WorkerFailed(
                    f"no Ray actor could run attempts for {STALL_S:.0f} s: each asks for 1 CPU and "
                    f"{self._memory // 2**20} MiB; the cluster has {self._ray.available_resources()} free"
                )
            result = self._receive(_POLL_S)
            if result is not None:
                return result

    def ready_result(self) -> AttemptResult | None:
        """An attempt that has finished already, if any (never waits)."""
        return self._receive(0.0)

    def _receive(self, timeout: float) -> AttemptResult | None:
        """A finished attempt, waiting up to ``timeout`` seconds for one; None when none came.
        Actors that start or die meanwhile are taken care of."""
        from ray import exceptions

        while True:
            done, _ = self._ray.wait(list(self._pending), num_returns=1, timeout=timeout)
            if not done:
                return None
            ref = done[0]
            slot, attempt = self._pending.pop(ref)
            began = time.perf_counter()
            try:
                value = self._ray.get(ref)
            except (exceptions.RayActorError, exceptions.ObjectLostError):  # its process or node died
                self._lost(slot)
                continue
            except exceptions.RayTaskError as error:
                cause = getattr(error, "cause", None)
                if isinstance(cause, ActionbankError):  # a scene that differs, a full disk: not a bug
                    raise cause from None
                where = f"attempt {attempt}" if attempt is not None else "start-up"
                raise WorkerFailed(f"a Ray attempt actor failed at {where}:\n{error}") from None
            del ref
            if attempt is None:
                slot.ready, slot.node = True, value
                self._dispatch()
                continue
            slot.held.remove(attempt)
            self._dispatch()  # keep the actor busy while its result is written here
            result: AttemptResult = value[0]
            shipped: ShippedEpisode | None = value[1]
            seconds: float = value[2]
            del value
            if shipped is not None and self._job.spool is not None:
                result = replace(result, episode=unpack(shipped, self._job.spool / f"attempt-{attempt:06d}"))
                self.stats.bytes += shipped.size
            self.stats.received += 1
            self.stats.attempt_s += seconds
            self.stats.receive_s += time.perf_counter() - began
            return result

    def close(self) -> None:
        """Stop every actor now: an idle one closes its scene and spool first; one in the middle of
        an attempt is killed (the next actor started on its node removes what it left)."""
        slots, self._slots = self._slots, []
        self._pending.clear()
        closing = [slot.handle.close.remote() for slot in slots if slot.ready and not slot.held]
        if closing:
            self._ray.wait(closing, num_returns=len(closing), timeout=_CLOSE_S)
        for slot in slots:
            self._ray.kill(slot.handle, no_restart=True)
