"""What validating before rendering (``generate --validate-first``, the default) gains on a hard
task and costs on the shipped examples, measured side by side in one run.

    python benchmarks/validate_first.py [--episodes N] [--shipped-episodes M] [--example NAME ...]
                                        [--divisor D] [--quick]

Each measurement is one ``actionbank.generate.generate`` call in this process with
``validate_first`` on and one with it off, same configs and seed (so the same attempts and
the same dataset), one worker, after one unmeasured episode that imports LeRobot and starts
the renderer; which of the two runs first alternates from task to task; the figure compared is the frames/s of the episode loop that
``generate`` reports (saved frames over the loop's wall time: simulating, rendering, encoding
and LeRobot's writes, without start-up). Two parts:

(a) a hard task: the transfer-cube example copied to a temporary folder with the cube's mass
    drawn from [0.02, 0.2] kg at each reset (shipped: 0.05 kg); the gripper drops cubes
    heavier than about 0.12 kg during the hand-over, so about half the attempts fail at the
    success check after a whole rollout. (Widening the cube's placement instead makes the
    plan's IK fail before any step is simulated, which costs little either way; lowering the
    cube's friction changes nothing, the fingers' friction wins.) ``--episodes`` valid
    episodes each way. Target: validating first makes at least 1.6 times the frames/s.
(b) every shipped example (``--example NAME``, repeatable, picks some), at 90 % success or
    more: ``--shipped-episodes`` episodes each way (default 12: a runner stops validating once
    its attempts' failure rate is below the physics pass's share, 4-9 %, which takes about 10
    valid attempts). Target: validating first costs at most 5 % of the frames/s (off / on at
    most 1.05).

Also printed: the attempts, how many failed attempts were never rendered, the seconds the
summary estimates were saved, and the physics-only pass's share of a rendered attempt
(``physics %``: the physics-only passes of rendered attempts over their rendered passes: what
validating attempts that pass cost). ``--divisor D`` makes every
camera D times smaller (the miniature run of the test). ``--quick``: 1 episode, (b) on
transfer_cube alone. Figures are printed, never checked: exit status 0 when everything ran (a
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
DEFAULT_EPISODES, DEFAULT_SHIPPED_EPISODES, QUICK_EPISODES = 4, 12, 1
#: The hard task's cube mass range [kg] (the shipped cube weighs 0.05 kg).
HARD_MASS_RANGE = [0.02, 0.2]


class Run(NamedTuple):
    """One ``generate`` call's summary figures."""

    frames: int
    seconds: float  # the episode loop's wall time [s]
    attempts: int
    unrendered: int  # failed attempts never rendered
    saved_s: float  # what the summary estimates validating first saved [s]
    physics_share: float  # physics-only pass / rendered pass of the rendered attempts

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


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


def run_generate(gym: Path, episodes: int, output: Path, validate_first: bool) -> Run:
    """One ``generate`` of ``episodes`` valid episodes into ``output`` (seed 0, one worker)."""
    from actionbank.generate import GenerateOptions, generate

    options = GenerateOptions(
        gym,
        gym.parent / "action_config.yaml",
        max_episodes=episodes,
        seed=0,
        output=output,
        max_attempts=20 * episodes,
        validate_first=validate_first,
    )
    summary = generate(options)
    attempts = summary.saved_now + sum(summary.discarded.values())
    share = summary.validation_overhead_s / summary.rendered_s if summary.rendered_s else 0.0
    return Run(summary.frames, summary.wall_time, attempts, summary.unrendered, summary.validation_saved_s, share)


def measure(label: str, gym: Path, episodes: int, work: Path, on_first: bool = False) -> Pair:
    """``generate`` with validation off and on, side by side (``on_first``: in that order)."""
    runs = {}
    for validate in (True, False) if on_first else (False, True):
        runs[validate] = run_generate(gym, episodes, work / f"{label}-{validate}", validate_first=validate)
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
    parser.add_argument("--example", action="append", default=None, help="a shipped example for (b) (repeatable)")
    parser.add_argument("--divisor", type=int, default=1, help="cameras this many times smaller")
    parser.add_argument("--quick", action="store_true", help="1 episode; (b) on transfer_cube alone")
    args = parser.parse_args(argv)
    episodes = args.episodes or (QUICK_EPISODES if args.quick else DEFAULT_EPISODES)
    shipped = args.shipped_episodes or (QUICK_EPISODES if args.quick else DEFAULT_SHIPPED_EPISODES)
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
            pair = measure("(a) transfer_cube heavy cube", hard, episodes, work)
            pairs.append(
                (pair, f"gain {pair.ratio:.2f}x, target >= {TARGET_GAIN}x: {verdict(pair.ratio, TARGET_GAIN)}")
            )
            print(row(pair), flush=True)  # progress before the table
            for index, name in enumerate(chosen):
                gym = copy_example(name, work / name, args.divisor)
                pair = measure(f"(b) {name}", gym, shipped, work, on_first=index % 2 == 0)
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
        f"validate first against rendering every attempt; {episodes} / {shipped} valid episode(s) in (a) / (b), one worker"
    )
    print(HEADER)
    for pair, _ in pairs:
        print(row(pair))
    print()
    for pair, judged in pairs:
        wanted = episodes if pair.label.startswith("(a)") else shipped
        success = 100 * wanted / pair.on.attempts if pair.on.attempts else 0.0
        print(f"{pair.label:<28} success {success:5.1f} %  {judged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
