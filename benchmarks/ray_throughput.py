"""``generate --executor ray`` against local worker processes, and how many Ray workers one driver feeds.

    python benchmarks/ray_throughput.py [--episodes N] [--driver-episodes M] [--batch B]
                                        [--workers K] [--ray-address ADDRESS] [--divisor D] [--quick]

One run measures, on the transfer-cube example (its camera ``--divisor`` times smaller):

(a) frames/s of ``generate`` with ``--num-envs K`` local worker processes and with
    ``--executor ray --num-envs K`` (K Ray actors; a local Ray runtime unless
    ``--ray-address`` names a cluster), ``--episodes`` episodes each, side by side: the
    episode loop's frames/s that ``generate`` reports (Ray's runtime start-up excluded: it
    takes seconds, once per job; LeRobot is imported before either run). The workers' and
    actors' own start-up is in the loop, so the default of 16 episodes (8 per environment)
    lets the steady state dominate; with 6, the actors' slower start put Ray at 0.77 of local,
    with 16 at 0.97 (measured). Target: ray at least 0.9 times local.
(b) the driver's cost per committed episode against a Ray worker's cost per attempt
    (rollout, recording, its videos' image statistics, packing), from a driver loop over
    ``--driver-episodes`` attempts on K actors that compute the statistics, as actors do from
    ``actionbank.executors.ray.SUMMARIZING_FROM`` on. The driver receives each recording
    through the object store and writes its files (the mean), then commits it. It works in
    rounds: the actors run attempts until ``1 + --batch`` valid episodes are waiting, while
    the driver only receives them; then, while no attempt runs, the driver commits the first
    alone (what a driver that keeps up does) and the others together (what a driver that falls
    behind its workers does: its backlog grows until it commits
    ``actionbank.generate.job.COMMIT_BATCH`` at a time, the default). So each side is timed
    on cores of its own, as on a cluster, where every worker has a CPU and the driver its own:
    on this 2-core machine the actors' rendering threads would otherwise take the driver's
    core, and the driver the actors'. The first commit warms LeRobot up and is not timed. The
    workers one driver feeds are a worker's time per attempt over the driver's time per
    episode committed ``--batch`` at a time (and, printed beside it, one at a time).
    Target: at least 50.

Figures are printed, never checked: exit status 0 when everything ran (a MISS included), 1
when a run failed, 2 when Ray or the simulation cannot be imported. ``--quick``: 2 episodes in
(a); in (b), 4 attempts committed in one round of one alone and 2 together.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from example_copies import copy_example

from actionbank.generate.job import COMMIT_BATCH

REPO = Path(__file__).resolve().parent.parent
TRANSFER_CUBE = REPO / "examples" / "transfer_cube"
TARGET_RAY_TO_LOCAL, TARGET_FED_WORKERS = 0.9, 50.0
DEFAULT_EPISODES, QUICK_EPISODES = 16, 2
#: (b): its default number of attempts (35 valid ones make the warm-up and two rounds of one
#: alone and COMMIT_BATCH together); with ``--quick``, attempts and batch for one round.
DRIVER_EPISODES = 48
QUICK_DRIVER_EPISODES, QUICK_BATCH = 4, 2


class DriverCost(NamedTuple):
    """(b): episodes committed; the driver's seconds per result received (transfer and writing
    its files, the mean), per episode committed one at a time (the median) and ``batch`` at a
    time (the mean); a worker's seconds per attempt (the mean); the mean recording size [bytes]."""

    episodes: int
    receive_s: float
    single_s: float
    batch: int
    batched_s: float
    attempt_s: float
    bytes_per_episode: float

    def fed_workers(self, commit_s: float) -> float:
        """Workers one driver keeps busy committing at ``commit_s`` per episode: a worker's time per
        attempt over the driver's per episode."""
        driver_s = self.receive_s + commit_s
        return self.attempt_s / driver_s if driver_s > 0 else float("inf")


def small_configs(folder: Path, divisor: int) -> tuple[Path, Path]:
    """The transfer-cube configs with the camera ``divisor`` times smaller, written in ``folder``."""
    return copy_example("transfer_cube", folder, divisor)


def episode_fps(gym: Path, action: Path, episodes: int, workers: int, out: Path, address: str | None = None) -> float:
    """The episode loop's frames/s of one ``generate`` (``address``: with ``--executor ray``;
    an empty string: a local Ray runtime; None: local worker processes)."""
    from actionbank.generate import GenerateOptions, generate

    executor = "ray" if address is not None else "local"
    options = GenerateOptions(
        gym, action, episodes, 0, out, num_envs=workers, executor=executor, ray_address=address or None
    )
    return generate(options).frames_per_second


def driver_cost(
    gym: Path, action: Path, episodes: int, workers: int, out: Path, address: str | None, batch: int
) -> DriverCost:
    """(b): run ``episodes`` attempts on ``workers`` Ray actors and commit the valid ones, one at
    a time and ``batch`` at a time in turn, timing the driver's part (receive, write, commit)
    and reading the actors' own time per attempt."""
    from actionbank.attempts import AttemptJob
    from actionbank.executors.ray import RayAttempts, connect
    from actionbank.generate import GenerateOptions
    from actionbank.generate.run_spec import asset_hashes_of, compile_run, dataset_spec, read_config_text
    from recorder import DatasetWriter, spool_folder
    from recorder.episode import RecordedEpisode
    from recorder.provenance import RolloutInfo
    from recorder.video import statistics_sample
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()
    options = GenerateOptions(gym, action, episodes, 0, out, num_envs=workers, executor="ray", ray_address=address)
    config, plan = compile_run(options)
    spec = dataset_spec(
        options, config, plan, read_config_text(gym), read_config_text(action), 0, asset_hashes_of(options, config)
    )
    writer = DatasetWriter.create(spec)
    job = AttemptJob(gym, plan, 0, spec, spool_folder(spec.root, "bench"), statistics_sample(plan.makespan))
    session = connect(address, workers)
    singles: list[float] = []
    batched: list[float] = []  # seconds per episode of each batch
    backlog: list[tuple[RecordedEpisode, RolloutInfo]] = []
    attempts = iter(range(episodes))
    committed = 0

    def gather(need: int) -> None:
        """Run fresh attempts until the backlog holds ``need`` valid episodes (or the attempts run
        out); meanwhile the driver only receives."""
        in_flight = 0
        while True:
            while len(backlog) + in_flight < need and (attempt := next(attempts, None)) is not None:
                runner.submit(attempt)
                in_flight += 1
            if in_flight == 0:
                return
            result = runner.next_result()
            in_flight -= 1
            if result.valid and result.episode is not None:
                backlog.append((result.episode, result.info))
            else:
                result.discard()

    def commit(count: int) -> float:
        """Commit the first ``count`` episodes of the backlog together; seconds per episode."""
        nonlocal committed
        began = time.perf_counter()
        writer.save_recorded_batch(backlog[:count])
        seconds = (time.perf_counter() - began) / count
        del backlog[:count]
        committed += count
        return seconds

    try:
        runner = RayAttempts(job, workers, session, summarize=True)  # as from SUMMARIZING_FROM actors on
        try:
            gather(1)
            if backlog:
                commit(1)  # warms LeRobot up
            while True:  # rounds: the actors run attempts, then the driver commits while none runs
                gather(1 + batch)
                if len(backlog) < 1 + batch:
                    break
                singles.append(commit(1))
                batched.append(commit(batch))
            stats = runner.stats
        finally:
            runner.close()
    finally:
        session.close()
        for episode, _info in backlog:
            episode.discard()
        writer.finalize()
    return DriverCost(
        committed,
        stats.receive_s / max(stats.received, 1),
        statistics.median(singles) if singles else float("nan"),
        batch,
        statistics.fmean(batched) if batched else float("nan"),
        stats.attempt_s / max(stats.received, 1),
        stats.bytes / max(committed, 1),
    )


def verdict(value: float, target: float) -> str:
    return "PASS" if value >= target else "MISS"


def report(local_fps: float, ray_fps: float, cost: DriverCost, workers: int) -> str:
    """The printed table: (a) side by side with its ratio, (b) the costs and the workers fed."""
    ratio = ray_fps / local_fps if local_fps > 0 else 0.0
    lines = [
        f"(a) frames/s, {workers} environments: local processes {local_fps:.1f}, Ray actors {ray_fps:.1f}; "
        f"ray / local {ratio:.2f} (target >= {TARGET_RAY_TO_LOCAL}) {verdict(ratio, TARGET_RAY_TO_LOCAL)}",
        f"(b) driver per episode: receive + write {1000 * cost.receive_s:.1f} ms "
        f"({cost.bytes_per_episode / 1024:.0f} KiB shipped); commit one at a time {1000 * cost.single_s:.1f} ms, "
        f"{cost.batch} at a time {1000 * cost.batched_s:.1f} ms; worker per attempt: {cost.attempt_s:.2f} s",
        f"    one driver feeds {cost.fed_workers(cost.batched_s):.0f} workers committing {cost.batch} at a time "
        f"({cost.fed_workers(cost.single_s):.0f} one at a time; target >= {TARGET_FED_WORKERS:.0f}) "
        f"{verdict(cost.fed_workers(cost.batched_s), TARGET_FED_WORKERS)}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--episodes", type=int, default=DEFAULT_EPISODES, help="Per run of (a).")
    parser.add_argument("--driver-episodes", type=int, default=DRIVER_EPISODES, help="Attempts of (b).")
    parser.add_argument(
        "--batch",
        type=int,
        default=COMMIT_BATCH,
        help="(b): episodes committed together (default: as many as generate).",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--divisor", type=int, default=1, help="Shrink the camera this many times.")
    parser.add_argument("--ray-address", default=None, help="Cluster to join (default: a local Ray runtime).")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    episodes = QUICK_EPISODES if args.quick else args.episodes
    driver_episodes = QUICK_DRIVER_EPISODES if args.quick else args.driver_episodes
    batch = QUICK_BATCH if args.quick else args.batch
    try:
        import ray  # noqa: F401

        import sim.env  # noqa: F401
    except ImportError as error:
        print(f"ray_throughput: cannot import {error.name}: pip install 'actionbank[ray]'", file=sys.stderr)
        return 2
    # Imported up front, not by whichever run comes first: a new dataset imports LeRobot (and
    # torch) while its first attempts run, seconds that would count against that run alone.
    from lerobot.datasets.lerobot_dataset import LeRobotDataset  # noqa: F401

    from actionbank.errors import ActionbankError

    with tempfile.TemporaryDirectory(prefix="ray-throughput-") as folder:
        base = Path(folder)
        gym, action = small_configs(base / "configs", args.divisor)
        try:
            local = episode_fps(gym, action, episodes, args.workers, base / "local")
            remote = episode_fps(gym, action, episodes, args.workers, base / "ray", args.ray_address or "")
            cost = driver_cost(gym, action, driver_episodes, args.workers, base / "driver", args.ray_address, batch)
        except ActionbankError as error:
            print(f"ray_throughput: a run failed: {error}", file=sys.stderr)
            return 1
    print(
        f"transfer_cube, camera / {args.divisor}, {episodes} episodes per run of (a), {driver_episodes} attempts in (b)"
    )
    print(report(local, remote, cost, args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
