"""What validating before rendering (``generate --validate-first``, the default) gains on a hard
task and costs on the shipped examples, measured side by side in one run.

    python benchmarks/validate_first.py [--episodes N] [--shipped-episodes M] [--rounds R]
                                        [--example NAME ...] [--divisor D] [--quick]

Each measurement is ``--rounds`` pairs of ``actionbank.generate.generate`` calls in this
process, one with ``validate_first`` on and one with it off, same configs and seed (round
``r``: seed ``r``; so the same attempts and the same dataset), one worker, after one
unmeasured episode that imports LeRobot and starts the renderer; which of the two runs first
alternates from round to round and task to task, and the rounds are added up, so that the
machine's speed drifting over the minutes of a task weighs on both ways alike (with one
round, the two ways of a task differed by up to 7 % either way on this 2-core machine, more
than the cost measured). The figure compared is the frames/s of the episode loops that
``generate`` reports (saved frames over the loops' wall time: simulating, rendering,
encoding and LeRobot's writes, without start-up). Two parts:

(a) a hard task: the transfer-cube example copied to a temporary folder with the cube's mass
    drawn from [0.02, 0.2] kg at each reset (shipped: 0.05 kg); the gripper drops cubes
    heavier than about 0.12 kg during the hand-over, so about half the attempts fail at the
    success check after a whole rollout. (Widening the cube's placement instead makes the
    plan's IK fail before any step is simulated, which costs little either way; lowering the
    cube's friction changes nothing, the fingers' friction wins.) ``--episodes`` valid
    episodes each way per round (default 4). Target: validating first makes at least 1.6
    times the frames/s.
(b) every shipped example (``--example NAME``, repeatable, picks some), at 90 % success or
    more: ``--shipped-episodes`` valid episodes each way per round (default 12). A runner
    validates while its attempts' failure rate, with ``actionbank.attempts.PRIOR_FAILURES``
    of a failure assumed, is at least the physics pass's share (0.5-5 % on the shipped
    examples), so a run this short validates its first attempts and then stops: the cost
    measured is what validating first costs before it stops. Target: at most 5 % of the frames/s (off / on at most 1.05).

Also printed: the attempts, how many failed attempts were never rendered, the seconds the
summary estimates were saved, and the physics-only pass's share of a rendered attempt
(``physics %``: the physics-only passes of rendered attempts over their rendered passes: what
validating attempts that pass cost). ``--divisor D`` makes every
camera D times smaller (the miniature run of the test). ``--quick``: 1 round of 1 episode, (b)
on transfer_cube alone. Figures are printed, never checked: exit status 0 when everything ran (a
MISS included), 1 when a run failed, 2 when an example named does not exist.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from example_copies import copy_example as example_copy

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TARGET_GAIN, TARGET_COST = 1.6, 1.05
#: Valid episodes per run of (a) and of (b), and the rounds of each (runs each way).
DEFAULT_EPISODES, DEFAULT_SHIPPED_EPISODES, QUICK_EPISODES = 4, 12, 1
DEFAULT_ROUNDS = 2
#: The hard task's cube mass range [kg] (the shipped cube weighs 0.05 kg).
HARD_MASS_RANGE = [0.02, 0.2]


class Run(NamedTuple):
    """The summary figures of ``generate`` calls, added up."""

    frames: int
    seconds: float  # the episode loops' wall time [s]
    attempts: int
    unrendered: int  # failed attempts never rendered
    saved_s: float  # what the summaries estimate validating first saved [s]
    validation_s: float  # physics-only passes of the rendered attempts [s]
    rendered_s: float  # the rendered passes of those attempts [s]

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    @property
    def physics_share(self) -> float:
        """Physics-only pass / rendered pass of the rendered attempts that had both."""
        return self.validation_s / self.rendered_s if self.rendered_s > 0 else 0.0

    def plus(self, other: Run) -> Run:
        return Run(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))


class Pair(NamedTuple):
    label: str
    on: Run
    off: Run

    @property
    def ratio(self) -> float:
        """Frames/s validating first over frames/s rendering every attempt."""
        return self.on.fps / self.off.fps if self.off.fps > 0 else 0.0


def examples() -> list[str]:
    """The shipped examples: folders of ``examples/`` with both configs."""
    return sorted(
        p.name for p in EXAMPLES.iterdir() if (p / "gym_config.yaml").is_file() and (p / "action_config.yaml").is_file()
    )


def copy_example(name: str, folder: Path, divisor: int = 1, mass_range: list[float] | None = None) -> Path:
    """Example ``name`` copied into ``folder`` (its gym config's path returned) with every camera
    ``divisor`` times smaller and, given ``mass_range`` [kg], the cube ``red_box``'s mass drawn
    from it at each reset (the hard task)."""

    def heavy_cube(gym: Any) -> None:
        gym["env"]["events"]["heavy_cube"] = {
            "func": "randomize_rigid_object_mass",
            "mode": "reset",
            "params": {"entity_cfg": {"uid": "red_box"}, "mass_range": list(mass_range or [])},
        }

    gym_path, _action = example_copy(name, folder, divisor, heavy_cube if mass_range is not None else None)
    return gym_path


def run_generate(gym: Path, episodes: int, output: Path, validate_first: bool, seed: int = 0) -> Run:
    """One ``generate`` of ``episodes`` valid episodes into ``output`` (one worker)."""
    from actionbank.generate import GenerateOptions, generate

    options = GenerateOptions(
        gym,
        gym.parent / "action_config.yaml",
        max_episodes=episodes,
        seed=seed,
        output=output,
        max_attempts=20 * episodes,
        validate_first=validate_first,
    )
    summary = generate(options)
    attempts = summary.saved_now + sum(summary.discarded.values())
    return Run(
        summary.frames,
        summary.wall_time,
        attempts,
        summary.unrendered,
        summary.validation_saved_s,
        summary.validation_overhead_s,
        summary.rendered_s,
    )


def measure(label: str, gym: Path, episodes: int, work: Path, rounds: int, on_first: bool = False) -> Pair:
    """``generate`` with validation off and on, side by side, ``rounds`` times (round ``r`` with seed
    ``r``, ``episodes`` valid episodes each way), added up; the order alternates from round to
    round (``on_first``: the first round validates first). A drift of the machine's speed over
    the minutes a task takes then weighs on both ways alike."""
    runs: dict[bool, Run] = {}
    for round_ in range(rounds):
        order = (True, False) if on_first == (round_ % 2 == 0) else (False, True)
        for validate in order:
            run = run_generate(gym, episodes, work / f"{label}-{validate}-{round_}", validate, seed=round_)
            runs[validate] = runs[validate].plus(run) if validate in runs else run
    return Pair(label, runs[True], runs[False])


def warm_up(gym: Path, work: Path) -> None:
    """One episode first, not measured: the first ``generate`` of a process also imports LeRobot
    and torch and starts the renderer (seconds the runs compared must not pay)."""
    run_generate(gym, 1, work / "warm-up", validate_first=True)


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


HEADER = (
    f"{'task':<28} {'attempts':>8} {'unrendered':>10} {'off fps':>8} {'on fps':>8} {'on/off':>7} "
    f"{'saved s':>8} {'physics %':>9}"
)


def row(pair: Pair) -> str:
    """One task's line: what each way did and the ratio of their frames/s."""
    on, off = pair.on, pair.off
    return (
        f"{pair.label:<28} {on.attempts:>8} {on.unrendered:>10} {off.fps:>8.1f} {on.fps:>8.1f} {pair.ratio:>7.2f} "
        f"{on.saved_s:>8.1f} {100 * on.physics_share:>9.1f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--episodes", type=int, default=None, help=f"valid episodes per run (default {DEFAULT_EPISODES})"
    )
    parser.add_argument(
        "--shipped-episodes",
        type=int,
        default=None,
        help=f"valid episodes per run in (b) (default {DEFAULT_SHIPPED_EPISODES})",
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help=f"runs each way, alternating (default {DEFAULT_ROUNDS}; --quick: 1)"
    )
    parser.add_argument("--example", action="append", default=None, help="a shipped example for (b) (repeatable)")
    parser.add_argument("--divisor", type=int, default=1, help="cameras this many times smaller")
    parser.add_argument("--quick", action="store_true", help="1 episode; (b) on transfer_cube alone")
    args = parser.parse_args(argv)
    episodes = args.episodes or (QUICK_EPISODES if args.quick else DEFAULT_EPISODES)
    shipped = args.shipped_episodes or (QUICK_EPISODES if args.quick else DEFAULT_SHIPPED_EPISODES)
    rounds = args.rounds or (1 if args.quick else DEFAULT_ROUNDS)
    chosen = args.example or (["transfer_cube"] if args.quick else examples())
    unknown = [name for name in chosen if name not in examples()]
    if unknown:
        print(f"no example {unknown[0]!r}; the examples are {', '.join(examples())}", file=sys.stderr)
        return 2
    os.environ.setdefault("MUJOCO_GL", "egl")
    pairs: list[tuple[Pair, str]] = []
    with tempfile.TemporaryDirectory(prefix="validate-first-") as temp:
        work = Path(temp)
        try:
            hard = copy_example("transfer_cube", work / "hard", args.divisor, HARD_MASS_RANGE)
            warm_up(hard, work)
            pair = measure("(a) transfer_cube heavy cube", hard, episodes, work, rounds)
            pairs.append(
                (pair, f"gain {pair.ratio:.2f}x, target >= {TARGET_GAIN}x: {verdict(pair.ratio, TARGET_GAIN)}")
            )
            print(row(pair), flush=True)  # progress before the table
            for index, name in enumerate(chosen):
                gym = copy_example(name, work / name, args.divisor)
                pair = measure(f"(b) {name}", gym, shipped, work, rounds, on_first=index % 2 == 0)
                cost = 1 / pair.ratio if pair.ratio > 0 else float("inf")
                pairs.append(
                    (pair, f"cost {100 * (cost - 1):+.1f} %, target <= +5 %: {verdict(cost, TARGET_COST, False)}")
                )
                print(row(pair), flush=True)
        except Exception as error:  # a run that failed: said, not a traceback of the benchmark
            print(f"a generate run failed: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
    print()
    print(
        f"validate first against rendering every attempt; {rounds} round(s) of {episodes} / {shipped} valid "
        "episode(s) each way in (a) / (b), one worker"
    )
    print(HEADER)
    for pair, _ in pairs:
        print(row(pair))
    print()
    for pair, judged in pairs:
        wanted = rounds * (episodes if pair.label.startswith("(a)") else shipped)
        success = 100 * wanted / pair.on.attempts if pair.on.attempts else 0.0
        print(f"{pair.label:<28} success {success:5.1f} %  {judged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
