"""Frames per second of ``actionbank generate`` end to end on every example, its scaling with
workers, its memory.

    python benchmarks/generate_throughput.py [--example NAME ...] [--episodes N]
                                             [--memory-episodes SMALL LARGE] [--quick]
                                             [--depth-only]

Each ``generate`` runs as the user runs it (a subprocess of ``python -m actionbank generate``,
timed from start to exit: start-up, compiling, workers, video encoding and LeRobot's writes
included). One run measures:

(e) every example folder in ``examples/`` (``--example NAME``, repeatable, picks some), side
    by side with its robot's name: ``generate`` with one worker and ``--episodes`` episodes,
    next to the bare loop of ``mj_step`` substeps + ``Renderer.render`` for its scene and
    cameras in this process (``gen / bare``);

and, when the examples they use are among those run:

(a) ``generate`` on the pour-water example (``examples/pour_water``, its two 320x240 cameras,
    videos on, in the codec its gym config names) with one worker, ``--episodes`` episodes;
    also with the other codec (AV1 / H.264) for comparison; next to the bare loop of
    ``mj_step`` substeps + ``Renderer.render`` for the same scene and cameras in this
    process (:mod:`rollout_throughput`'s, replaying the executor's controls). Target: at
    least 0.60 of the bare loop's frames/s.
(b) the same with ``--num-envs 2``. Target: at least 1.6 times (a)'s frames/s.
(d) the cost of depth and segmentation: ``generate`` on the pour-water example with every
    camera recording RGB alone, against every camera also recording depth and segmentation
    (``enable_depth``, ``enable_mask``), one worker, ``--episodes`` episodes. Target: RGB
    alone makes at most 1.6 times the frames/s of RGB + depth + segmentation. Also printed: the
    CPU time per frame of each (all threads of the process), which varies less with the load.
(c) peak memory (the largest resident set of the ``generate`` process and of its workers)
    for ``--memory-episodes`` SMALL and LARGE episodes of the transfer-cube example (one
    worker, its 320x240 camera). Target: LARGE uses at most 1.2 times what SMALL uses.

Also printed per run: the frames/s ``generate`` itself reports (the episode loop, without
start-up). Figures are printed, never checked: the exit status is 0 when everything ran (a
MISS included), 1 when a ``generate`` run failed, 2 when the simulation cannot be imported or
an example named does not exist. ``--quick`` runs 1 episode in (e)/(a)/(b) and 2 against 4
episodes in (c): a smoke run of a few minutes. ``--depth-only`` runs (d) alone.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))  # rollout_throughput, beside this file

from rollout_throughput import EXAMPLE, REPO, compile_example, examples, robot_name, time_bare, time_executor

TRANSFER_CUBE = REPO / "examples" / "transfer_cube"
TARGET_BARE_RATIO, TARGET_SCALING, TARGET_MEMORY_RATIO = 0.60, 1.6, 1.2
#: RGB alone may make at most this many times the frames/s of RGB + depth + segmentation.
TARGET_DEPTH_MASK_COST = 1.6
DEFAULT_EPISODES, DEFAULT_MEMORY_EPISODES = 10, (10, 100)
QUICK_EPISODES, QUICK_MEMORY_EPISODES = 1, (2, 4)


class GenerateRun(NamedTuple):
    label: str
    frames: int
    seconds: float  # wall time of the whole command [s]
    reported_fps: float  # the frames/s generate prints (its episode loop)
    peak_rss_mb: float  # largest resident set of the process or of one of its workers [MiB]
    cpu_seconds: float = 0.0  # user + system CPU time of the generate process, all its threads [s]

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


def run_generate(
    label: str, example: Path, episodes: int, num_envs: int, out: Path, gym_config: Path | None = None
) -> GenerateRun:
    """``python -m actionbank generate`` on ``example`` (or its action config with ``gym_config``);
    raises SystemExit(1) when it fails."""
    gym = gym_config or example / "gym_config.yaml"
    command = [sys.executable, "-m", "actionbank", "generate"]
    command += ["--gym-config", str(gym), "--action-config", str(example / "action_config.yaml")]
    command += ["--max-episodes", str(episodes), "--num-envs", str(num_envs), "--seed", "0", "-o", str(out)]
    begin = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - begin
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{label}: generate exited with {process.returncode}:\n{stdout}")
    frames = int(_field(stdout, "frames"))
    peak = usage.ru_maxrss / 1024  # Linux: KiB; the largest of the process and its waited-for children
    cpu = usage.ru_utime + usage.ru_stime
    return GenerateRun(label, frames, seconds, float(_field(stdout, "frames/s")), peak, cpu)


def _field(summary: str, name: str) -> str:
    match = re.search(rf"^{re.escape(name)}\s+(\S+)", summary, re.MULTILINE)
    if match is None:
        raise SystemExit(f"no {name!r} line in generate's summary:\n{summary}")
    return match.group(1)


def example_vcodec(example: Path) -> str:
    """The video codec ``example``'s gym config records with."""
    from sim.config import load_sim_config

    config, _ = load_sim_config(example / "gym_config.yaml")
    return config.env.dataset.lerobot.params.vcodec if config.env.dataset else "libsvtav1"


def _variant(example: Path, folder: Path, name: str, edit: Callable[[Any], None]) -> Path:
    """A copy of ``example``'s gym config changed by ``edit``, written in ``folder``."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load((example / "gym_config.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = folder / f"gym_config_{name}.yaml"
    with path.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    return path


def with_vcodec(example: Path, vcodec: str, folder: Path) -> Path:
    """A copy of ``example``'s gym config that records in ``vcodec``, written in ``folder``."""

    def edit(data: Any) -> None:
        data["env"]["dataset"]["lerobot"]["params"]["vcodec"] = vcodec

    return _variant(example, folder, vcodec, edit)


def with_depth_and_mask(example: Path, enabled: bool, folder: Path) -> Path:
    """A copy of ``example``'s gym config whose every camera records depth and segmentation
    (``enabled``) or RGB alone, written in ``folder``."""

    def edit(data: Any) -> None:
        for sensor in data["sensor"]:
            sensor["enable_depth"] = sensor["enable_mask"] = enabled

    return _variant(example, folder, "depth_mask" if enabled else "rgb", edit)


def bare_fps(seed: int, example: Path = EXAMPLE) -> tuple[float, str, str]:
    """Frames/s of the bare loop for ``example``'s scene and cameras, the camera text and the
    robot's name."""
    from rollout_throughput import describe_cameras

    from sim.env import ActionbankEnv

    config, plan, _ = compile_example(example)
    env = ActionbankEnv(config, example)
    try:
        executor = time_executor(env, plan, seed, 1)
        bare, _ = time_bare(env, seed, executor.controls, 2)
    finally:
        env.close()
    return bare.steps_per_s, describe_cameras(config), robot_name(config)


class ExampleRow(NamedTuple):
    """(e): one example's generate run next to its bare loop."""

    example: str
    robot: str
    cameras: str
    bare_fps: float
    run: GenerateRun

    @property
    def to_bare(self) -> float:
        return self.run.fps / self.bare_fps if self.bare_fps > 0 else 0.0


EXAMPLE_HEADER = (
    f"{'example':<18} {'robot':<14} {'cameras':<14} {'frames':>7} {'time s':>8} {'frames/s':>9} "
    f"{'loop f/s':>9} {'bare f/s':>9} {'gen/bare':>9} {'peak MiB':>9}"
)


def example_row(row: ExampleRow) -> str:
    run = row.run
    return (
        f"{row.example:<18} {row.robot:<14} {row.cameras:<14} {run.frames:>7} {run.seconds:8.1f} {run.fps:9.1f} "
        f"{run.reported_fps:9.1f} {row.bare_fps:9.1f} {row.to_bare:9.2f} {run.peak_rss_mb:9.0f}"
    )


def verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    met = value >= target if higher_is_better else value <= target
    return "PASS" if met else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported: render offscreen when there is no display
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--example",
        action="append",
        metavar="NAME",
        help="an example folder in examples/ (repeatable; default: every one)",
    )
    parser.add_argument("--episodes", type=int, default=DEFAULT_EPISODES, help="episodes of (e), (a) and (b)")
    parser.add_argument(
        "--memory-episodes", type=int, nargs=2, default=DEFAULT_MEMORY_EPISODES, metavar=("SMALL", "LARGE")
    )
    parser.add_argument("--quick", action="store_true", help="a few episodes only (a smoke run)")
    parser.add_argument("--depth-only", action="store_true", help="run (d) alone: RGB against RGB + depth + mask")
    args = parser.parse_args(argv)
    episodes = QUICK_EPISODES if args.quick else max(1, args.episodes)
    small, large = QUICK_MEMORY_EPISODES if args.quick else args.memory_episodes
    try:
        chosen = examples(args.example)
    except KeyError as error:
        print(f"generate_throughput: {error.args[0]}", file=sys.stderr)
        return 2

    sys.path.insert(0, str(REPO))
    try:
        import sim  # noqa: F401
    except ImportError as error:
        print(f"cannot import the simulation (sim): {error}", file=sys.stderr)
        return 2

    names = [example.name for example in chosen]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each generate is a subprocess, timed to its exit")
    rows: list[ExampleRow] = []
    extra: dict[str, GenerateRun] = {}  # (b) and (c) by role: "two", "other", "few", "many"
    with tempfile.TemporaryDirectory(prefix="actionbank-bench-") as scratch:
        folder = Path(scratch)
        for example in [] if args.depth_only else chosen:
            bare, cameras, robot = bare_fps(0, example)
            vcodec = example_vcodec(example)
            run = run_generate(f"{example.name}, 1 worker, {vcodec}", example, episodes, 1, folder / example.name)
            rows.append(ExampleRow(example.name, robot, cameras, bare, run))
            print(f"ran {run.label}: {run.frames} frames in {run.seconds:.1f} s", flush=True)
        if EXAMPLE.name in names and not args.depth_only:
            vcodec = example_vcodec(EXAMPLE)
            other = "h264" if vcodec in ("libsvtav1", "av1") else "libsvtav1"
            extra["two"] = run_generate(f"(b) pour_water, --num-envs 2, {vcodec}", EXAMPLE, episodes, 2, folder / "two")
            alternative = with_vcodec(EXAMPLE, other, folder)
            extra["other"] = run_generate(
                f"    pour_water, 1 worker, {other}", EXAMPLE, episodes, 1, folder / "other", alternative
            )
        if EXAMPLE.name in names:
            for enabled, role in ((False, "rgb"), (True, "depth_mask")):
                variant = with_depth_and_mask(EXAMPLE, enabled, folder)
                label = "(d) pour_water, RGB + depth + mask" if enabled else "(d) pour_water, RGB alone"
                extra[role] = run_generate(label, EXAMPLE, episodes, 1, folder / role, variant)
        if TRANSFER_CUBE.name in names and not args.depth_only:
            extra["few"] = run_generate(f"(c) transfer_cube, {small} episodes", TRANSFER_CUBE, small, 1, folder / "few")
            extra["many"] = run_generate(
                f"(c) transfer_cube, {large} episodes", TRANSFER_CUBE, large, 1, folder / "many"
            )

    if rows:
        print()
        print("(e) every example, 1 worker:")
        print(EXAMPLE_HEADER)
        for row in rows:
            print(example_row(row))
    if extra:
        print()
        print(f"{'run':<40} {'frames':>7} {'time s':>8} {'frames/s':>9} {'loop f/s':>9} {'peak MiB':>9}")
        for run in extra.values():
            print(
                f"{run.label:<40} {run.frames:>7} {run.seconds:8.1f} {run.fps:9.1f} {run.reported_fps:9.1f} "
                f"{run.peak_rss_mb:9.0f}"
            )
    print()
    by_name = {row.example: row for row in rows}
    if EXAMPLE.name in by_name:
        one = by_name[EXAMPLE.name]
        to_bare, scaling = one.to_bare, extra["two"].fps / one.run.fps
        print(
            f"(a) generate / bare loop          {to_bare:5.2f}  target >= {TARGET_BARE_RATIO:.2f}  "
            f"{verdict(to_bare, TARGET_BARE_RATIO)}"
        )
        print(
            f"(b) --num-envs 2 / --num-envs 1   {scaling:5.2f}  target >= {TARGET_SCALING:.2f}  "
            f"{verdict(scaling, TARGET_SCALING)}"
        )
    if "depth_mask" in extra:
        cost = extra["rgb"].fps / extra["depth_mask"].fps
        print(
            f"(d) RGB / RGB + depth + mask f/s  {cost:5.2f}  target <= {TARGET_DEPTH_MASK_COST:.2f}  "
            f"{verdict(cost, TARGET_DEPTH_MASK_COST, higher_is_better=False)}"
        )
        # CPU time per frame depends less on what else the machine runs than wall time does.
        rgb_cpu, depth_cpu = (extra[role].cpu_seconds / max(1, extra[role].frames) for role in ("rgb", "depth_mask"))
        if rgb_cpu > 0:
            print(
                f"    CPU per frame: RGB {1000 * rgb_cpu:.0f} ms, RGB + depth + mask {1000 * depth_cpu:.0f} ms "
                f"({depth_cpu / rgb_cpu:.2f} times)"
            )
    if TRANSFER_CUBE.name in by_name:
        memory = extra["many"].peak_rss_mb / extra["few"].peak_rss_mb
        print(
            f"(c) peak memory {large} / {small} episodes  {memory:5.2f}  target <= {TARGET_MEMORY_RATIO:.2f}  "
            f"{verdict(memory, TARGET_MEMORY_RATIO, higher_is_better=False)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
