"""``actionbank compile`` next to a CP-SAT job-shop solve of the same bank, in one run.

    python benchmarks/compile_vs_cpsat.py [--size 32x500] [--repeat N] [--time-limit S] [--quick]

EmbodiChain schedules its action bank with OR-Tools CP-SAT: every edge is a task of fixed
duration [steps], the edges of a scope run in list order on that scope, ``sync`` makes an
edge wait for the end of each edge it lists, and the solver minimises the makespan. This
writes one synthetic bank (:mod:`synthetic_bank`, default 32 scopes × 500 edges = 16,000
edges), then measures, side by side:

* ``actionbank.compiler.compile_file`` (the library, every stage from reading the file to
  the plan), best of ``--repeat``;
* ``python -m actionbank compile BANK -o PLAN.json`` as a subprocess (interpreter start and
  writing the plan included), best of ``--repeat``;
* the CP-SAT model of the same scheduling problem, built from the bank's JSON document (not
  from our compiler's data), once: building the model [s] and solving it [s]. Each edge is an
  interval; per scope a no-overlap constraint and the list order as precedences (the
  job-shop form); each sync dependency a precedence; the makespan is the maximum of each
  scope's last end. That is the reference's model, solved with CP-SAT's default parameters.

It checks that both give the same makespan (CP-SAT proves its value optimal, so equal
means ours is optimal on this bank), prints the ratios CP-SAT time / our time, and one
PASS/FAIL line: the CLI compile is at least :data:`TARGET_RATIO` times faster than the
CP-SAT build + solve. The exit status is 0 when the makespans agree and the target is met,
1 otherwise, 2 when the compiler or OR-Tools cannot be imported. ``--quick`` runs a 4×25 bank
once (for the tests; its ratio says little).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from synthetic_bank import generate_bank

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZE = (32, 500)
QUICK_SIZE = (4, 25)
#: The CLI compile must be at least this many times faster than CP-SAT (build + solve).
TARGET_RATIO = 15.0
DEFAULT_TIME_LIMIT_S = 300.0


class Ours(NamedTuple):
    library_s: float  # best wall time of compile_file [s]
    cli_s: float  # best wall time of the CLI subprocess [s]; nan when it failed
    makespan: int | None  # from the library's plan [steps]; None when no plan
    cli_makespan: int | None  # from the CLI's plan file [steps]
    problems: str  # "" when both made a plan without errors


class CpSat(NamedTuple):
    build_s: float  # building the model [s]
    solve_s: float  # CpSolver.Solve wall time [s]
    status: str  # "OPTIMAL", "FEASIBLE", …
    makespan: int | None  # the objective value [steps]; None without a solution
    bound: int  # the best lower bound on the makespan CP-SAT proved [steps]
    workers: int  # search workers used

    @property
    def total_s(self) -> float:
        return self.build_s + self.solve_s


def parse_size(text: str) -> tuple[int, int]:
    """``"32x500"`` → ``(32, 500)``."""
    scopes, sep, edges = text.strip().lower().partition("x")
    if not sep or not scopes.isdigit() or not edges.isdigit() or int(scopes) < 1 or int(edges) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 32x500 (scopes x edges)")
    return int(scopes), int(edges)


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def time_ours(path: Path, plan_path: Path, repeat: int) -> Ours:
    """Best library and CLI wall times [s] of compiling ``path``, and the makespans they give."""
    from actionbank.compiler import CompileOptions, compile_file

    problems: list[str] = []
    library_s, makespan = math.inf, None
    for _ in range(repeat):
        began = time.perf_counter()
        result = compile_file(path, CompileOptions(gym_config=None))
        library_s = min(library_s, time.perf_counter() - began)
        if not result.ok or result.plan is None:
            problems.append(f"library: {sum(d.severity == 'error' for d in result.diagnostics)} error(s), no plan")
            break
        makespan = result.plan.makespan
    command = [sys.executable, "-m", "actionbank", "compile", str(path), "-o", str(plan_path)]
    cli_s, cli_makespan = math.inf, None
    for _ in range(repeat):
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=_cli_env(), check=False)
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            problems.append(f"CLI exit {done.returncode}: " + " | ".join(tail))
            cli_s = math.nan
            break
        cli_s = min(cli_s, elapsed)
        cli_makespan = int(json.loads(plan_path.read_text())["makespan"])
    return Ours(library_s, cli_s, makespan, cli_makespan, "; ".join(problems))


def solve_cpsat(document: dict[str, Any], time_limit_s: float, workers: int = 0) -> CpSat:
    """Build and solve the job-shop model of ``document``'s edges with CP-SAT.

    ``workers`` = 0 keeps CP-SAT's default (one search worker per core).
    """
    from ortools.sat.python import cp_model

    began = time.perf_counter()
    model = cp_model.CpModel()
    tasks: list[tuple[str, int]] = []  # (label, duration [steps]) in declared order
    scope_of: dict[str, list[int]] = {}
    for scope, entries in document["edge"].items():
        for entry in entries:
            ((label, edge),) = entry.items()
            scope_of.setdefault(scope, []).append(len(tasks))
            tasks.append((label, int(edge["duration"])))
    horizon = sum(duration for _, duration in tasks)
    starts, ends, intervals = [], [], []
    for label, duration in tasks:
        start = model.new_int_var(0, horizon, f"start_{label}")
        end = model.new_int_var(0, horizon, f"end_{label}")
        starts.append(start)
        ends.append(end)
        intervals.append(model.new_interval_var(start, duration, end, f"task_{label}"))
    index = {label: i for i, (label, _) in enumerate(tasks)}
    for members in scope_of.values():
        model.add_no_overlap([intervals[i] for i in members])
        for before, after in itertools.pairwise(members):
            model.add(starts[after] >= ends[before])
    for label, rule in (document.get("sync") or {}).items():
        for dependency in rule.get("depend_tasks", ()):
            model.add(starts[index[label]] >= ends[index[dependency]])
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, [ends[members[-1]] for members in scope_of.values()])
    model.minimize(makespan)
    build_s = time.perf_counter() - began

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    if workers > 0:
        solver.parameters.num_workers = workers
    began = time.perf_counter()
    status = solver.solve(model)
    solve_s = time.perf_counter() - began
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return CpSat(
        build_s,
        solve_s,
        solver.status_name(status),
        int(solver.objective_value) if found else None,
        int(solver.best_objective_bound),
        int(solver.parameters.num_workers) or (os.cpu_count() or 1),
    )


def makespan_verdict(ours: int | None, cpsat: CpSat) -> tuple[bool, str]:
    """Whether our makespan agrees with CP-SAT's, and a line that says what that shows."""
    if ours is None or cpsat.makespan is None:
        return False, f"FAIL  makespan: ours {ours}, CP-SAT {cpsat.makespan} ({cpsat.status})"
    if cpsat.status == "OPTIMAL":
        if ours == cpsat.makespan:
            return True, f"PASS  makespan: ours {ours} = CP-SAT's proven optimum {cpsat.makespan}: ours is optimal"
        return False, f"FAIL  makespan: ours {ours} != CP-SAT's proven optimum {cpsat.makespan}"
    if cpsat.bound <= ours <= cpsat.makespan:
        return True, (
            f"PASS  makespan: ours {ours} within CP-SAT's bounds [{cpsat.bound}, {cpsat.makespan}] "
            f"({cpsat.status}: CP-SAT did not prove optimality within its time limit)"
        )
    return False, f"FAIL  makespan: ours {ours} outside CP-SAT's bounds [{cpsat.bound}, {cpsat.makespan}]"


def ratio_verdict(ours: Ours, cpsat: CpSat, target: float = TARGET_RATIO) -> tuple[bool, str]:
    """Whether the CLI compile is at least ``target`` times faster than CP-SAT build + solve."""
    if not math.isfinite(ours.cli_s) or ours.cli_s <= 0:
        return False, "FAIL  speed: the CLI compile failed"
    ratio = cpsat.total_s / ours.cli_s
    verdict = "PASS" if ratio >= target else "FAIL"
    return ratio >= target, (
        f"{verdict}  speed: CP-SAT {cpsat.total_s:.3f} s / CLI compile {ours.cli_s:.3f} s = {ratio:.1f}x (target {target:g}x)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, default=DEFAULT_SIZE, help="SCOPESxEDGES (default 32x500)")
    parser.add_argument("--repeat", type=int, default=3, help="compile runs (library and CLI); the best counts")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic bank")
    parser.add_argument(
        "--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, help="CP-SAT's time limit [s] (default 300)"
    )
    parser.add_argument("--workers", type=int, default=0, help="CP-SAT search workers (default: its own, per core)")
    parser.add_argument("--quick", action="store_true", help="a 4x25 bank, one compile run")
    args = parser.parse_args(argv)
    scopes, per_scope = QUICK_SIZE if args.quick else args.size
    repeat = 1 if args.quick else max(1, args.repeat)

    sys.path.insert(0, str(REPO))
    try:
        import actionbank.compiler  # noqa: F401
    except ImportError as error:
        print(f"cannot import the compiler (actionbank.compiler): {error}", file=sys.stderr)
        return 2
    try:
        import ortools
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError as error:
        print(f"cannot import OR-Tools ({error}); install the dev extra: pip install -e '.[dev]'", file=sys.stderr)
        return 2

    document = generate_bank(scopes, per_scope, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="actionbank-cpsat-") as folder:
        path = Path(folder) / f"bank_{scopes}x{per_scope}.json"
        path.write_bytes(json.dumps(document, separators=(",", ":")).encode())
        print(
            f"python {sys.version.split()[0]}, ortools {ortools.__version__}, bank {scopes}x{per_scope} = "
            f"{scopes * per_scope} edges ({path.stat().st_size / 1e6:.2f} MB), {len(document['sync'])} sync rules, "
            f"seed {args.seed}, compile best of {repeat}"
        )
        ours = time_ours(path, Path(folder) / "plan.json", repeat)
    cpsat = solve_cpsat(document, args.time_limit, args.workers)

    print(f"{'':<34} {'seconds':>9} {'makespan':>9} {'CP-SAT / this':>14}")
    rows = (
        ("actionbank compile (library)", ours.library_s, ours.makespan),
        ("actionbank compile (CLI)", ours.cli_s, ours.cli_makespan),
    )
    for label, seconds, makespan in rows:
        ratio = cpsat.total_s / seconds if math.isfinite(seconds) and seconds > 0 else math.nan
        shown = f"{seconds:9.3f}" if math.isfinite(seconds) else f"{'-':>9}"
        print(f"{label:<34} {shown} {makespan if makespan is not None else '-':>9} {ratio:13.1f}x")
    print(f"{'CP-SAT build model':<34} {cpsat.build_s:9.3f}")
    print(
        f"{'CP-SAT solve':<34} {cpsat.solve_s:9.3f} {cpsat.makespan or '-':>9}  {cpsat.status}, {cpsat.workers} workers"
    )
    print(f"{'CP-SAT total':<34} {cpsat.total_s:9.3f}")
    if ours.problems:
        print(f"! {ours.problems}")
    print()
    checks = [makespan_verdict(ours.makespan, cpsat), ratio_verdict(ours, cpsat)]
    if ours.cli_makespan != ours.makespan:
        checks.append((False, f"FAIL  the CLI's plan has makespan {ours.cli_makespan}, the library's {ours.makespan}"))
    for _, line in checks:
        print(line)
    return 0 if all(ok for ok, _ in checks) and not ours.problems else 1


if __name__ == "__main__":
    sys.exit(main())
