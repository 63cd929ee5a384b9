"""How long ``actionbank lint`` takes on each example, next to plain JSON Schema validation.

    python benchmarks/lint_speed.py [--repeats N] [--quick]

For each ``examples/*/action_config.yaml`` with its ``gym_config.yaml`` beside it, two
things run as fresh subprocesses of this interpreter, side by side in one run:

- ``python -m actionbank lint ACTION --gym-config GYM`` (every pass: schema, names,
  dataflow, schedule, the gym config's checks);
- ``python -m check_jsonschema`` validating the same action config against ``schema action``
  and the same gym config against ``schema gym`` (the schemas are written to temporary
  files first; two subprocesses, their times added).

Each time is the best of ``--repeats`` (default 5) wall-clock runs [ms], start-up included,
since that is what a user waits for. It prints a table and the ratio lint / check-jsonschema,
then one PASS/FAIL line per example: the ratio is at most :data:`MAX_RATIO`. The exit status
is 0 when every example passes. ``--quick``: one repeat, the first example only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
DEFAULT_REPEATS = 5
MAX_RATIO = 1.0


class Row(NamedTuple):
    """One example's best times [ms] and exit statuses."""

    example: str
    lint_ms: float
    lint_status: int
    schema_ms: float
    schema_status: int

    @property
    def ratio(self) -> float:
        return self.lint_ms / self.schema_ms if self.schema_ms > 0 else float("inf")


def examples() -> list[tuple[str, Path, Path]]:
    """``(name, action config, gym config)`` for each example folder that has both, sorted."""
    found = []
    for action in sorted(EXAMPLES.glob("*/action_config.yaml")):
        gym = action.with_name("gym_config.yaml")
        if gym.is_file():
            found.append((action.parent.name, action, gym))
    return found


def _environment() -> dict[str, str]:
    """This checkout first on the path, so the subprocesses run this tree's actionbank."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def best_of(commands: Sequence[Sequence[str]], repeats: int) -> tuple[float, int]:
    """Best wall time [ms] over ``repeats`` runs of ``commands`` one after another, and the
    highest exit status seen."""
    env = _environment()
    best, status = float("inf"), 0
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for command in commands:
            done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, check=False)
            status = max(status, done.returncode)
        best = min(best, (time.perf_counter() - start) * 1000.0)
    return best, status


def write_schemas(folder: Path) -> tuple[Path, Path]:
    """``python -m actionbank schema action`` / ``schema gym`` written under ``folder``."""
    paths = []
    for kind in ("action", "gym"):
        done = subprocess.run(
            [sys.executable, "-m", "actionbank", "schema", kind],
            env=_environment(),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        path = folder / f"{kind}.schema.json"
        path.write_text(done.stdout, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def measure(name: str, action: Path, gym: Path, schemas: tuple[Path, Path], repeats: int) -> Row:
    """Time lint and check-jsonschema on one example."""
    lint = [[sys.executable, "-m", "actionbank", "lint", str(action), "--gym-config", str(gym)]]
    check = [
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(instance)]
        for schema, instance in zip(schemas, (action, gym), strict=True)
    ]
    lint_ms, lint_status = best_of(lint, repeats)
    schema_ms, schema_status = best_of(check, repeats)
    return Row(name, lint_ms, lint_status, schema_ms, schema_status)


def report(rows: Sequence[Row]) -> list[tuple[bool, str]]:
    """Print the table; return one (passed, line) per example."""
    print(f"{'example':<16} {'lint [ms]':>10} {'exit':>4} {'check-jsonschema [ms]':>22} {'exit':>4} {'ratio':>6}")
    for row in rows:
        print(
            f"{row.example:<16} {row.lint_ms:>10.0f} {row.lint_status:>4} "
            f"{row.schema_ms:>22.0f} {row.schema_status:>4} {row.ratio:>6.2f}"
        )
    return [
        (
            row.ratio <= MAX_RATIO,
            f"{'PASS' if row.ratio <= MAX_RATIO else 'FAIL'} {row.example}: lint / check-jsonschema "
            f"= {row.ratio:.2f} (target <= {MAX_RATIO:.1f})",
        )
        for row in rows
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="runs per command; the best counts")
    parser.add_argument("--quick", action="store_true", help="one repeat, the first example only")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else max(1, args.repeats)
    chosen = examples()[:1] if args.quick else examples()
    if not chosen:
        print(f"no examples with action_config.yaml and gym_config.yaml under {EXAMPLES}", file=sys.stderr)
        return 2
    print(f"python {sys.version.split()[0]}, best of {repeats} subprocess runs, {len(chosen)} example(s)")
    with tempfile.TemporaryDirectory(prefix="lint_speed_") as folder:
        schemas = write_schemas(Path(folder))
        rows = [measure(name, action, gym, schemas, repeats) for name, action, gym in chosen]
    checks = report(rows)
    print()
    for _, line in checks:
        print(line)
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
