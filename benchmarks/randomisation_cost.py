"""What randomisation adds to an episode's wall time (target: under 5 %).

    python benchmarks/randomisation_cost.py [--example NAME] [--episodes N] [--images]

Runs seeds 0 to N - 1 (default 10) of one example (default pour_water) through
``sim.executor.run_plan``, as ``actionbank generate`` does, and times the environment's event
runner (:class:`sim.event_runner.EventRunner`: the reset's startup/reset events, the model
restore, the interval events) inside each episode. It prints, in one run, the wall time of an
episode [s], the time spent in randomisation [s] and its share of the episode. Cameras are off
unless ``--images`` (rendering only makes an episode longer, so the share is largest without).
Exit status 0 when the example ran, 1 when it does not compile.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.05


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="pour_water")
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--images", action="store_true", help="render the cameras too")
    args = parser.parse_args(argv)

    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    folder = REPO / "examples" / args.example
    result = compile_file(folder / "action_config.yaml", CompileOptions(gym_config=folder / "gym_config.yaml"))
    if result.plan is None:
        print("; ".join(str(d) for d in result.diagnostics), file=sys.stderr)
        return 1
    config, _ = load_sim_config(folder / "gym_config.yaml")
    env = ActionbankEnv(config, folder, render_images=args.images)
    runner = env.events
    spent = [0.0]
    reset, step = runner.reset, runner.step

    def timed_reset(*a: Any) -> Any:
        begin = time.perf_counter()
        try:
            return reset(*a)
        finally:
            spent[0] += time.perf_counter() - begin

    def timed_step(*a: Any) -> Any:
        begin = time.perf_counter()
        try:
            return step(*a)
        finally:
            spent[0] += time.perf_counter() - begin

    runner.reset, runner.step = timed_reset, timed_step  # type: ignore[method-assign]
    episode_s, event_s = [], []
    try:
        for seed in range(args.episodes):
            spent[0] = 0.0
            begin = time.perf_counter()
            run_plan(result.plan, env, seed)
            episode_s.append(time.perf_counter() - begin)
            event_s.append(spent[0])
    finally:
        env.close()
    events = {label: event.mode for label, event in config.env.events.items()}
    share = sum(event_s) / sum(episode_s)
    print(f"{args.example}: {len(events)} events ({', '.join(f'{k}[{m}]' for k, m in events.items())})")
    print(f"  cameras      {'on' if args.images else 'off'}, seeds 0-{args.episodes - 1}")
    print(f"  episode      {statistics.mean(episode_s):.3f} s (mean wall time, randomisation included)")
    print(f"  randomisation {statistics.mean(event_s) * 1000:.3f} ms per episode")
    verdict = "PASS" if share < TARGET else "MISS"
    print(f"  share        {share * 100:.3f} % of the episode  {verdict} (target < {TARGET * 100:.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
