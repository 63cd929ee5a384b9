"""How compile time grows with the size of the action bank.

    python benchmarks/compile_scaling.py [--sizes 4x25,8x100,...] [--repeat N] [--quick]

For each size ``SxE`` (S scopes, E edges per scope) this writes a synthetic bank
(:mod:`synthetic_bank`) to a temporary folder and measures, side by side:

* the library pipeline, ``actionbank.compiler.compile_file``: its per-stage timings
  (load, validate, build, passes, locate, schedule, plan) from the run with the shortest stage total;
* the whole CLI, ``python -m actionbank compile FILE -o OUT.json`` as a subprocess
  (interpreter start and writing the plan included), best of ``--repeat`` runs.

Per edge it reports passes+schedule, the library total and the CLI total [µs]; ``ratio``
is the library total per edge over that of the smallest size with at least 16x250 edges,
so a flat ratio means linear growth. At the end it checks the targets and prints one
PASS/FAIL line for each: at 32x500 the CLI takes under 2 s and passes+schedule under
0.3 s; the library total per edge at the largest size is within 2x of that at 32x500.
The exit status is 0 when every check that could run passed, 1 otherwise, 2 when the
compiler cannot be imported.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from synthetic_bank import write_bank

REPO = Path(__file__).resolve().parents[1]
STAGES = ("load", "validate", "build", "passes", "locate", "schedule", "plan")
DEFAULT_SIZES = ((4, 25), (8, 100), (16, 250), (32, 500), (32, 1000), (32, 3000))
QUICK_SIZES = ((4, 25), (8, 100), (32, 500))
TARGET_SIZE = (32, 500)
#: The ratio's baseline is the smallest size with at least this many edges.
BASELINE_EDGES = 16 * 250
CLI_LIMIT_S = 2.0
PASSES_SCHEDULE_LIMIT_S = 0.3
LINEAR_FACTOR = 2.0
REFERENCE = "EmbodiChain (reported): 32×500 ≈ 31 s (3 s graph build + 28 s CP-SAT); pour-water 0.7 s scheduling"


class Measurement(NamedTuple):
    scopes: int
    edges_per_scope: int
    size_bytes: int
    stages: dict[str, float]  # [s]
    library_s: float  # wall time of compile_file [s]
    cli_s: float  # best CLI wall time [s]; nan when the CLI failed
    problems: str  # "" when the plan was made without errors

    @property
    def edges(self) -> int:
        return self.scopes * self.edges_per_scope

    @property
    def passes_schedule_s(self) -> float:
        return self.stages.get("passes", math.nan) + self.stages.get("schedule", math.nan)

    @property
    def stage_total_s(self) -> float:
        return sum(self.stages.get(stage, math.nan) for stage in STAGES)

    def per_edge_us(self, seconds: float) -> float:
        return seconds / self.edges * 1e6


def parse_size(text: str) -> tuple[int, int]:
    """``"32x500"`` → ``(32, 500)``."""
    scopes, sep, edges = text.strip().lower().partition("x")
    if not sep or not scopes.isdigit() or not edges.isdigit() or int(scopes) < 1 or int(edges) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 32x500 (scopes x edges)")
    return int(scopes), int(edges)


def parse_sizes(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(parse_size(part) for part in text.split(",") if part.strip())


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def time_library(path: Path, repeat: int) -> tuple[dict[str, float], float, str]:
    """Stage timings [s] and wall time [s] of the fastest of ``repeat`` compiles, and problems."""
    from actionbank.compiler import CompileOptions, compile_file

    options = CompileOptions(gym_config=None)
    best: tuple[dict[str, float], float] | None = None
    problems = ""
    for _ in range(repeat):
        start = time.perf_counter()
        result = compile_file(path, options)
        wall = time.perf_counter() - start
        stages = {stage: float(result.timings.get(stage, math.nan)) for stage in STAGES}
        if best is None or sum(stages.values()) < sum(best[0].values()):
            best = (stages, wall)
        errors = sum(1 for d in result.diagnostics if d.severity == "error")
        if result.plan is None or errors:
            plan = "missing" if result.plan is None else "made"
            problems = f"library: {errors} error(s), plan {plan}"
    assert best is not None
    return best[0], best[1], problems


def time_cli(path: Path, out: Path, repeat: int) -> tuple[float, str]:
    """The best CLI wall time [s] over ``repeat`` runs (nan when it failed), and problems."""
    command = [sys.executable, "-m", "actionbank", "compile", str(path), "-o", str(out)]
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=_cli_env(), check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            return math.nan, f"CLI exit {done.returncode}: " + " | ".join(tail)
        best = min(best, elapsed)
    return best, ""


def measure(scopes: int, edges_per_scope: int, repeat: int, seed: int) -> Measurement:
    with tempfile.TemporaryDirectory(prefix="actionbank-bench-") as folder:
        path = Path(folder) / f"bank_{scopes}x{edges_per_scope}.json"
        size = write_bank(path, scopes, edges_per_scope, seed=seed)
        stages, library_s, library_problems = time_library(path, repeat)
        cli_s, cli_problems = time_cli(path, Path(folder) / "plan.json", repeat)
    problems = "; ".join(p for p in (library_problems, cli_problems) if p)
    return Measurement(scopes, edges_per_scope, size, stages, library_s, cli_s, problems)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:9.1f}" if math.isfinite(seconds) else f"{'-':>9}"


def _us(value: float) -> str:
    return f"{value:8.2f}" if math.isfinite(value) else f"{'-':>8}"


HEADER = (
    f"{'size':>9} {'edges':>7} {'MB':>6} "
    + " ".join(f"{stage + ' ms':>9}" for stage in STAGES)
    + f" {'lib ms':>9} {'CLI ms':>9} {'p+s µs/e':>8} {'lib µs/e':>8} {'CLI µs/e':>8} {'ratio':>6}"
)


def row(m: Measurement, baseline: Measurement | None) -> str:
    lib_per_edge = m.per_edge_us(m.stage_total_s)
    ratio = lib_per_edge / baseline.per_edge_us(baseline.stage_total_s) if baseline else math.nan
    return (
        f"{m.scopes:>4}x{m.edges_per_scope:<4} {m.edges:>7} {m.size_bytes / 1e6:6.2f} "
        + " ".join(_ms(m.stages[stage]) for stage in STAGES)
        + f" {_ms(m.library_s)} {_ms(m.cli_s)}"
        + f" {_us(m.per_edge_us(m.passes_schedule_s))} {_us(lib_per_edge)}"
        + f" {_us(m.per_edge_us(m.cli_s))} {_ratio(ratio)}"
    )


def _ratio(value: float) -> str:
    return f"{value:6.2f}" if math.isfinite(value) else f"{'-':>6}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def check_targets(results: Sequence[Measurement]) -> list[tuple[bool | None, str]]:
    """``(passed, line)`` per target; ``passed`` is None when the sizes needed were not run."""
    by_size = {(m.scopes, m.edges_per_scope): m for m in results}
    target = by_size.get(TARGET_SIZE)
    name = f"{TARGET_SIZE[0]}x{TARGET_SIZE[1]}"
    if target is None:
        return [(None, f"SKIP  targets at {name}: that size was not run")]
    checks: list[tuple[bool | None, str]] = []
    ok = target.cli_s < CLI_LIMIT_S
    cli = f"{target.cli_s:.3f} s" if math.isfinite(target.cli_s) else "- (the CLI failed)"
    checks.append((ok, f"{_verdict(ok)}  {name} CLI total {cli} < {CLI_LIMIT_S} s"))
    ps = target.passes_schedule_s
    ok = ps < PASSES_SCHEDULE_LIMIT_S
    limit = PASSES_SCHEDULE_LIMIT_S
    checks.append((ok, f"{_verdict(ok)}  {name} passes+schedule {ps:.3f} s < {limit} s"))
    largest = max(results, key=lambda m: m.edges)
    if largest.edges <= target.edges:
        checks.append((None, f"SKIP  linear: no size larger than {name} was run"))
        return checks
    big = largest.per_edge_us(largest.stage_total_s)
    small = target.per_edge_us(target.stage_total_s)
    ok = big < LINEAR_FACTOR * small
    checks.append(
        (
            ok,
            f"{_verdict(ok)}  linear: {largest.scopes}x{largest.edges_per_scope} "
            f"takes {big:.2f} µs/edge, "
            f"{big / small:.2f}x the {small:.2f} µs/edge at {name} (limit {LINEAR_FACTOR}x)",
        )
    )
    return checks


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=DEFAULT_SIZES,
        help="comma-separated SCOPESxEDGES, e.g. 4x25,32x500 (default: six, 4x25 to 32x3000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts")
    parser.add_argument("--quick", action="store_true", help="only 4x25, 8x100 and 32x500, once")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic banks")
    args = parser.parse_args(argv)
    sizes = sorted(QUICK_SIZES if args.quick else args.sizes, key=lambda size: size[0] * size[1])
    repeat = 1 if args.quick else max(1, args.repeat)

    sys.path.insert(0, str(REPO))
    try:
        import actionbank.compiler  # noqa: F401
    except ImportError as error:
        print(f"cannot import the compiler (actionbank.compiler): {error}", file=sys.stderr)
        return 2

    print(f"python {sys.version.split()[0]}, repeat {repeat}, seed {args.seed}")
    print(HEADER)
    results: list[Measurement] = []
    baseline: Measurement | None = None
    for scopes, edges_per_scope in sizes:
        m = measure(scopes, edges_per_scope, repeat, args.seed)
        results.append(m)
        if baseline is None and m.edges >= BASELINE_EDGES:
            baseline = m
        print(row(m, baseline), flush=True)
        if m.problems:
            print(f"{'':>9} ! {m.problems}", flush=True)

    print()
    print(REFERENCE)
    checks = check_targets(results)
    for _, line in checks:
        print(line)
    failed = any(ok is False for ok, _ in checks) or any(m.problems for m in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
