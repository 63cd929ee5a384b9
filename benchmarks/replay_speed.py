"""Time to replay an episode against the time its attempt took in ``generate``, side by side.

    python benchmarks/replay_speed.py [--example NAME ...] [--divisor D]

For each example of ``examples/`` (``--example NAME``, repeatable, picks some), cameras
``--divisor`` times smaller (default 1: as shipped), one run measures in this process:

* **attempt**: a one-episode dataset is generated (``actionbank.generate``); then its attempt
  0 is run again exactly as a ``generate`` worker runs it (:class:`actionbank.attempts.AttemptRunner`
  with the dataset's spec: the scene built, the plan run, every camera rendered, the frames
  recorded and the videos encoded into a spool folder), timed from building the runner to the
  finished recording [s];
* **replay**: ``actionbank.replay.replay`` on that episode (the dataset's provenance read, the
  configs compiled, the scene built without cameras, the plan re-run and every column compared),
  its own time [s] (``ReplayReport.seconds``; reading the recorded columns excluded);
* **video**: the same with ``--video`` (every camera rendered and encoded to H.264) [s].

Target: the replay takes at most 1.2 times the attempt (``replay / attempt``). Also printed:
whether the replay was bit-identical. Figures are printed, never checked: the exit status is
0 when everything ran (a MISS included), 1 when a replay was not identical, 2 when an example
named does not exist.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from example_copies import copy_example

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
TARGET_RATIO = 1.2
SEED = 3


class Measured(NamedTuple):
    """One example: the attempt's, the replay's and the video replay's times [s]."""

    name: str
    frames: int
    attempt_s: float
    replay_s: float
    video_s: float
    identical: bool

    @property
    def ratio(self) -> float:
        return self.replay_s / self.attempt_s


def examples() -> list[str]:
    return sorted(p.parent.name for p in EXAMPLES.glob("*/action_config.yaml"))


def shrunk(name: str, folder: Path, divisor: int) -> tuple[Path, Path]:
    """The example's configs, cameras ``divisor`` times smaller, written into ``folder``."""
    return copy_example(name, folder, divisor)


def time_attempt(gym: Path, action: Path, root: Path) -> float:
    """Attempt 0 of the dataset at ``root`` run again as a ``generate`` worker runs it [s]."""
    from actionbank.attempts import AttemptJob, AttemptRunner
    from actionbank.compiler import CompileOptions, compile_file
    from recorder import load_spec
    from recorder.video import statistics_sample

    plan = compile_file(action, CompileOptions(gym_config=gym)).plan
    assert plan is not None
    spec = load_spec(root)
    with tempfile.TemporaryDirectory(dir=root.parent) as spool:
        job = AttemptJob(gym, plan, SEED, spec, Path(spool), statistics_sample(plan.makespan))
        began = time.perf_counter()
        runner = AttemptRunner(job)
        try:
            result = runner.run(0)
        finally:
            runner.close()
        seconds = time.perf_counter() - began
        result.discard()
    return seconds


def measure(name: str, gym: Path, action: Path, folder: Path) -> Measured:
    """Generate one episode from ``gym`` / ``action`` into ``folder``, then time its attempt and its replays."""
    from actionbank.generate import GenerateOptions, generate
    from actionbank.replay import ReplayOptions, replay

    root = folder / "dataset"
    generate(GenerateOptions(gym, action, max_episodes=1, seed=SEED, output=root, max_attempts=1))
    attempt = time_attempt(gym, action, root)
    plain = replay(ReplayOptions(root, gym_config=gym))
    video = replay(ReplayOptions(root, gym_config=gym, video=folder / "replay.mp4"))
    return Measured(name, plain.frames, attempt, plain.seconds, video.seconds, plain.identical and video.identical)


def verdict(ratio: float) -> str:
    return "PASS" if ratio <= TARGET_RATIO else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--example", action="append", help="example folder name (repeatable; default: all)")
    parser.add_argument("--divisor", type=int, default=1, help="cameras this many times smaller (default 1)")
    args = parser.parse_args(argv)
    chosen = args.example or examples()
    unknown = [name for name in chosen if name not in examples()]
    if unknown:
        print(f"no example {unknown[0]!r}; examples: {', '.join(examples())}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    rows = []
    with tempfile.TemporaryDirectory(prefix="replay-speed-") as work:
        for name in chosen:
            gym, action = shrunk(name, Path(work) / name / "configs", args.divisor)
            rows.append(measure(name, gym, action, Path(work) / name))
            row = rows[-1]
            print(f"{name}: attempt {row.attempt_s:.2f} s, replay {row.replay_s:.2f} s, video {row.video_s:.2f} s")
    header = f"{'example':<18} {'frames':>6} {'attempt [s]':>11} {'replay [s]':>10} {'replay/attempt':>14}"
    print(f"\n{header} {'verdict':>7} {'video [s]':>9} {'identical':>9}")
    for row in rows:
        print(
            f"{row.name:<18} {row.frames:>6} {row.attempt_s:>11.2f} {row.replay_s:>10.2f} {row.ratio:>14.2f} "
            f"{verdict(row.ratio):>7} {row.video_s:>9.2f} {'yes' if row.identical else 'NO':>9}"
        )
    print(f"target: replay / attempt <= {TARGET_RATIO}")
    return 0 if all(row.identical for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
