"""How fast and how often inverse kinematics solves for an arm: ALOHA's right arm, the
Panda (7 joints, redundant) and the SO-101 (5 joints), side by side in one run.

    python benchmarks/ik_solve.py [--robot all|aloha|panda|so101] [--targets N] [--start nominal|random]
                                  [--seed S] [--quick]

By default (``--robot all``) every robot runs, one after another, and a table at the end puts
their numbers side by side; ``--robot NAME`` runs one.

Each target is ``fk(q)`` for ``q`` drawn uniformly within the arm's joint limits, so every
target is reachable (self and table collisions are ignored). ALOHA's frame is a TCP site added
0.12 m along the gripper link's x axis; the Panda's and SO-101's is their registered tool frame
(``arm_tcp``). Each solve starts from the nominal pose (ALOHA: :data:`NOMINAL`, the others:
their home pose; ``--start nominal``) or from another uniformly drawn configuration
(``--start random``). The Panda's solver pulls towards home through its null space. The
SO-101 has 5 joints, so its reachable tool poses are a 5-dimensional set: a target is a full
pose on that set (as ``fk`` makes them); a pose off it (a free yaw about the tool axis, say)
is not reachable and fails. It prints, per robot, the success rate, the median and p95 wall
time per solve [ms], attempts and iterations, and for scale the median time of one ``fk`` call
and of one ``mujoco.mj_forward`` on the full model [µs]. At the end one PASS/FAIL line per
robot and target: success rate at least 99 %, median solve under 5 ms. The exit status is 0
when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    import mujoco

    from sim.kinematics import ArmKinematics

REPO = Path(__file__).resolve().parents[1]
ARM = "vx300s_right"
JOINTS = tuple(f"{ARM}/{j}" for j in ("waist", "shoulder", "elbow", "forearm_roll", "wrist_angle", "wrist_rotate"))
TCP_SITE = "right_tcp"
TCP_OFFSET = (0.12, 0.0, 0.0)  # [m] in the gripper link's frame
NOMINAL = (0.0, -0.96, 1.16, 0.0, -0.3, 0.0)  # [rad]
DEFAULT_TARGETS, QUICK_TARGETS = 200, 20
MIN_SUCCESS = 0.99
MEDIAN_LIMIT_MS = 5.0


class Summary(NamedTuple):
    targets: int
    successes: int
    solve_ms: list[float]
    attempts: list[int]
    iterations: list[int]
    fk_us: float  # median of one fk call
    forward_us: float  # median of one mj_forward on the full model

    @property
    def success_rate(self) -> float:
        return self.successes / self.targets


def aloha_with_tcp() -> mujoco.MjModel:
    """The ALOHA transfer-cube model with a TCP site on the right gripper link."""
    import mujoco

    from sim.assets import aloha_assets_dir

    spec = mujoco.MjSpec.from_file(str(aloha_assets_dir() / "bimanual_viperx_transfer_cube.xml"))
    spec.body(f"{ARM}/gripper_link").add_site(name=TCP_SITE, pos=list(TCP_OFFSET))
    return spec.compile()


def _median_call_us(call: Callable[[], object], calls: int, batches: int) -> float:
    """Median over ``batches`` of the mean wall time of one of ``calls`` calls [µs]."""
    means = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        means.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(means)


ROBOTS = ("aloha", "panda", "so101")


def arm_of(robot: str) -> tuple[mujoco.MjModel, ArmKinematics, tuple[float, ...]]:
    """The model, the arm's kinematics and its nominal pose [rad] of ``robot``."""
    from sim.kinematics import ArmKinematics

    if robot == "aloha":
        model = aloha_with_tcp()
        return model, ArmKinematics(model, JOINTS, TCP_SITE), NOMINAL
    from sim.robots import ROBOTS as MODELS

    registered = MODELS[robot]
    part = registered.parts["arm"]
    home = registered.home["arm"]
    model = registered.build().compile()
    return model, ArmKinematics(model, part.joints, part.tcp_site or "", posture=home), home


def run(targets: int, start: str, seed: int, robot: str = "aloha") -> Summary:
    import mujoco

    model, arm, home = arm_of(robot)
    rng = np.random.default_rng(seed)
    nominal = np.array(home)
    solve_ms: list[float] = []
    attempts: list[int] = []
    iterations: list[int] = []
    successes = 0
    for _ in range(targets):
        target = arm.fk(rng.uniform(arm.lower, arm.upper))
        q0 = nominal if start == "nominal" else rng.uniform(arm.lower, arm.upper)
        begin = time.perf_counter()
        result = arm.ik(target, q0)
        solve_ms.append((time.perf_counter() - begin) * 1e3)
        if not arm.within_limits(result.qpos):
            raise AssertionError(f"ik returned a configuration outside the limits: {result.qpos}")
        successes += result.success
        attempts.append(result.attempts)
        iterations.append(result.iterations)

    data = mujoco.MjData(model)
    fk_us = _median_call_us(lambda: arm.fk(nominal), 200, 25)
    forward_us = _median_call_us(lambda: mujoco.mj_forward(model, data), 200, 25)
    return Summary(targets, successes, solve_ms, attempts, iterations, fk_us, forward_us)


def report(summary: Summary) -> list[tuple[bool, str]]:
    """Print the numbers; return ``(passed, line)`` per target."""
    ms = np.array(summary.solve_ms)
    median, p95 = float(np.median(ms)), float(np.percentile(ms, 95))
    print(f"success   {summary.successes}/{summary.targets} = {summary.success_rate:.1%}")
    print(f"solve     median {median:.2f} ms, p95 {p95:.2f} ms, max {ms.max():.2f} ms")
    print(
        f"attempts  mean {np.mean(summary.attempts):.2f}, max {max(summary.attempts)}; "
        f"iterations median {np.median(summary.iterations):.0f}, p95 {np.percentile(summary.iterations, 95):.0f}"
    )
    print(
        f"scale     fk {summary.fk_us:.1f} µs, mj_forward {summary.forward_us:.1f} µs "
        f"(ratio {summary.forward_us / summary.fk_us:.1f}x); median solve = "
        f"{median * 1e3 / summary.fk_us:.0f} fk calls = {median * 1e3 / summary.forward_us:.1f} mj_forward calls"
    )
    ok_rate = summary.success_rate >= MIN_SUCCESS
    ok_time = median < MEDIAN_LIMIT_MS
    return [
        (ok_rate, f"{'PASS' if ok_rate else 'FAIL'}  success {summary.success_rate:.1%} >= {MIN_SUCCESS:.0%}"),
        (ok_time, f"{'PASS' if ok_time else 'FAIL'}  median solve {median:.2f} ms < {MEDIAN_LIMIT_MS} ms"),
    ]


TABLE_HEADER = (
    f"{'robot':<7} {'joints':>6} {'success':>8} {'median ms':>10} {'p95 ms':>8} {'attempts':>9} "
    f"{'iters':>6} {'fk µs':>7} {'forward µs':>11}"
)


def table_row(robot: str, joints: int, summary: Summary) -> str:
    """One robot's figures on one line, for the side-by-side table."""
    ms = np.array(summary.solve_ms)
    return (
        f"{robot:<7} {joints:>6} {summary.success_rate:8.1%} {float(np.median(ms)):10.2f} "
        f"{float(np.percentile(ms, 95)):8.2f} {np.mean(summary.attempts):9.2f} "
        f"{float(np.median(summary.iterations)):6.0f} {summary.fk_us:7.1f} {summary.forward_us:11.1f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--robot", choices=("all", *ROBOTS), default="all", help="whose arm (default all, side by side)"
    )
    parser.add_argument("--targets", type=int, default=DEFAULT_TARGETS, help="number of targets (default 200)")
    parser.add_argument("--start", choices=("nominal", "random"), default="nominal", help="where each solve starts")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random targets")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_TARGETS} targets")
    args = parser.parse_args(argv)
    targets = QUICK_TARGETS if args.quick else max(1, args.targets)
    robots = ROBOTS if args.robot == "all" else (args.robot,)

    sys.path.insert(0, str(REPO))
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported (nothing renders here, but the choice is the entry point's)
    import mujoco

    print(
        f"python {sys.version.split()[0]}, mujoco {mujoco.__version__}, {', '.join(robots)}, {targets} targets, "
        f"start {args.start}"
    )
    rows: list[str] = []
    checks: list[tuple[bool, str]] = []
    for robot in robots:
        print()
        print(f"== {robot}")
        summary = run(targets, args.start, args.seed, robot)
        rows.append(table_row(robot, _joints(robot), summary))
        checks += [(ok, f"{line[:6]}{robot}: {line[6:]}") for ok, line in report(summary)]
    print()
    print(TABLE_HEADER)
    for line in rows:
        print(line)
    print()
    for _, line in checks:
        print(line)
    return 0 if all(ok for ok, _ in checks) else 1


def _joints(robot: str) -> int:
    """How many joints ``robot``'s arm has."""
    if robot == "aloha":
        return len(JOINTS)
    from sim.robots import ROBOTS as MODELS

    return len(MODELS[robot].parts["arm"].joints)


if __name__ == "__main__":
    sys.exit(main())
