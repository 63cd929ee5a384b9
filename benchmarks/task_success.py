"""How often the shipped examples succeed: every seed of each example through the executor.

    python benchmarks/task_success.py [--episodes N] [--example NAME | FOLDER] [--quick]

Each folder of ``examples/`` that holds an ``action_config.yaml`` and a ``gym_config.yaml``
is one example; ``--example`` takes one of their names, or the path of a folder of your own
laid out the same way (your task, measured like the shipped ones). Its action config is
compiled against its gym config, the scene is built
without cameras (``render_images=False``: the success checks read the physics state, not
the pictures), and ``sim.executor.run_plan`` runs seeds 0 to N - 1 (``--episodes``, default
50); each seed draws its own start state from the gym config's ``reset`` events, as
``actionbank generate`` does. An episode counts when its rollout is valid: every node, IK
solve and edge succeeded, the simulation stayed stable and the gym config's success check
passed.

Per example it prints successes / N, the success rate against the target of at least 90 %
(PASS / MISS), the failed seeds grouped by the stage of their first failure (``node``,
``ik``, ``edge``, ``task_check``, ``exception``) with its name and reason, and the wall time
per episode [s]: the whole ``run_plan`` call (reset, node generation with IK, timelines,
stepping, success check). Compiling and building the scene are excluded and printed on their
own line. A summary table ends the report.

Rates and timings are printed, never checked: the exit status is 0 when every example ran
(a MISS included), 1 when an example does not compile, 2 when the simulation cannot be
imported. ``--quick`` runs seeds 0-2 only.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from actionbank.rollout import Failure

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TARGET_RATE = 0.90
DEFAULT_EPISODES, QUICK_EPISODES = 50, 3
#: Longest failure reason printed [characters]; longer ones end in "...".
REASON_WIDTH = 100


class Episode(NamedTuple):
    seed: int
    valid: bool
    first_failure: Failure | None  # None when the episode succeeded
    seconds: float  # wall time of the run_plan call [s]


class ExampleRun(NamedTuple):
    name: str
    makespan: int  # control steps per episode
    setup_s: float  # compiling the plan and building the scene [s]
    episodes: list[Episode]
    #: Where the example is, as the report names it (``examples/NAME`` for a shipped one).
    where: str = ""

    @property
    def successes(self) -> int:
        return sum(e.valid for e in self.episodes)

    @property
    def rate(self) -> float:
        return self.successes / len(self.episodes) if self.episodes else math.nan

    @property
    def seconds_per_episode(self) -> float:
        return statistics.fmean(e.seconds for e in self.episodes) if self.episodes else math.nan


def find_examples(root: Path = EXAMPLES) -> list[str]:
    """Names of the folders under ``root`` holding an action config and a gym config, sorted."""
    return sorted(
        path.name
        for path in root.iterdir()
        if (path / "action_config.yaml").is_file() and (path / "gym_config.yaml").is_file()
    )


def example_folder(text: str, root: Path = EXAMPLES) -> Path:
    """The folder ``--example`` means: a shipped example's name, or a folder holding an
    ``action_config.yaml`` and a ``gym_config.yaml``."""
    folder = root / text if text in find_examples(root) else Path(text)
    missing = [n for n in ("action_config.yaml", "gym_config.yaml") if not (folder / n).is_file()]
    if missing:
        shipped = ", ".join(find_examples(root))
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a shipped example ({shipped}) nor a folder with {' and '.join(missing)}"
        )
    return folder


def run_example(folder: Path, seeds: Sequence[int], progress: bool) -> ExampleRun | str:
    """Every seed of the example in ``folder``; the compiler's diagnostics as a string when it
    does not compile."""
    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    name = folder.name
    begin = time.perf_counter()
    result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=folder / "gym_config.yaml"))
    if result.plan is None:
        return "; ".join(str(d) for d in result.diagnostics)
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=False)
    setup_s = time.perf_counter() - begin
    episodes: list[Episode] = []
    try:
        for seed in seeds:
            if progress:
                print(f"\r{name}: episode {len(episodes) + 1}/{len(seeds)}", end="", file=sys.stderr, flush=True)
            start = time.perf_counter()
            rollout = run_plan(result.plan, env, seed)
            seconds = time.perf_counter() - start
            first = rollout.failures[0] if rollout.failures else None
            episodes.append(Episode(seed, rollout.valid, first, seconds))
    finally:
        env.close()
        if progress:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    shipped = folder.resolve().parent == EXAMPLES.resolve()
    return ExampleRun(name, result.plan.makespan, setup_s, episodes, f"examples/{name}" if shipped else str(folder))


def short_reason(failure: Failure) -> str:
    """``name: reason``, cut to :data:`REASON_WIDTH` characters."""
    text = f"{failure.name}: {failure.reason}"
    return text if len(text) <= REASON_WIDTH else text[: REASON_WIDTH - 3] + "..."


def failures_by_stage(episodes: Sequence[Episode]) -> dict[str, dict[str, list[int]]]:
    """Stage → short reason → the seeds that failed there first, in seed order."""
    grouped: dict[str, dict[str, list[int]]] = {}
    for episode in episodes:
        if episode.valid:
            continue
        failure = episode.first_failure
        stage, reason = (failure.stage, short_reason(failure)) if failure else ("unknown", "no failure recorded")
        grouped.setdefault(stage, {}).setdefault(reason, []).append(episode.seed)
    return grouped


def verdict(rate: float) -> str:
    return "PASS" if rate >= TARGET_RATE else "MISS"


def report(run: ExampleRun) -> list[str]:
    """The lines printed for one example."""
    count = len(run.episodes)
    seconds = [e.seconds for e in run.episodes]
    lines = [
        f"{run.where}: {run.makespan} steps per episode; compile + scene {run.setup_s:.2f} s (not timed below)",
        f"  success   {run.successes}/{count} = {run.rate:.1%}  {verdict(run.rate)} (target >= {TARGET_RATE:.0%})",
    ]
    grouped = failures_by_stage(run.episodes)
    if not grouped:
        lines.append("  failures  none")
    for stage, reasons in grouped.items():
        total = sum(len(seeds) for seeds in reasons.values())
        lines.append(f"  failures  {stage}: {total}")
        for reason, seeds in reasons.items():
            lines.append(f"    seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}: {reason}")
    lines.append(
        f"  time      {run.seconds_per_episode:.3f} s/episode (min {min(seconds):.3f}, max {max(seconds):.3f}; "
        f"{sum(seconds):.1f} s in all)"
    )
    return lines


HEADER = f"{'example':<16} {'episodes':>8} {'successes':>9} {'rate':>7}  {'target':<11} {'s/episode':>9}"


def summary_row(run: ExampleRun) -> str:
    return (
        f"{run.name:<16} {len(run.episodes):>8} {run.successes:>9} {run.rate:7.1%}  "
        f"{verdict(run.rate)} >= {TARGET_RATE:.0%}  {run.seconds_per_episode:9.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported: render offscreen when there is no display
    examples = find_examples()
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--episodes", type=int, default=DEFAULT_EPISODES, help=f"seeds 0..N-1 per example (default {DEFAULT_EPISODES})"
    )
    parser.add_argument(
        "--example", type=example_folder, help="run only this example: a shipped example's name or a folder"
    )
    parser.add_argument("--quick", action="store_true", help=f"only seeds 0-{QUICK_EPISODES - 1}")
    args = parser.parse_args(argv)
    episodes = QUICK_EPISODES if args.quick else max(1, args.episodes)
    folders = [args.example] if args.example else [EXAMPLES / name for name in examples]

    sys.path.insert(0, str(REPO))
    try:
        # sim first: importing it selects headless rendering before MuJoCo is imported.
        import sim.executor  # noqa: F401
    except ImportError as error:
        print(f"cannot import the simulation (sim): {error}", file=sys.stderr)
        return 2
    import mujoco

    print(
        f"python {sys.version.split()[0]}, mujoco {mujoco.__version__}, {os.cpu_count()} CPUs, "
        f"seeds 0-{episodes - 1} per example, cameras off"
    )
    runs: list[ExampleRun] = []
    status = 0
    for folder in folders:
        print()
        run = run_example(folder, range(episodes), progress=sys.stderr.isatty())
        if isinstance(run, str):
            print(f"{folder}: does not compile: {run}")
            status = 1
            continue
        print("\n".join(report(run)), flush=True)
        runs.append(run)

    print()
    print(HEADER)
    for run in runs:
        print(summary_row(run))
    return status


if __name__ == "__main__":
    sys.exit(main())
