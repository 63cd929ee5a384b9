"""Time of ``actionbank report`` on a transfer-cube dataset, next to reading the dataset alone.

    python benchmarks/report_speed.py [--episodes N] [--folder DIR] [--num-envs K]

Makes (or reuses, when ``DIR/dataset`` already holds N episodes) an N-episode dataset of the
transfer-cube example with its camera 4 times smaller (80x60), by ``actionbank generate``
(default folder: ``actionbank-report-bench-N`` in the temporary folder, kept for the next
run). Then, each as a fresh process as the user runs it (start-up and imports included):

* ``report``: ``python -m actionbank report DATASET -o report.html``. Target: under 30 s for
  100 episodes.
* ``read``: the same interpreter importing LeRobot, opening the dataset with
  ``LeRobotDataset`` and reading its state and action columns into numpy arrays, the least
  any look at the data costs.

It prints both times, their ratio (report / read) and the page's size. Figures are printed,
never checked: the exit status is 0 when everything ran (a MISS included), 1 when a command
failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from example_copies import copy_example

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "transfer_cube"
TARGET_SECONDS, TARGET_EPISODES = 30.0, 100
DIVISOR = 4

#: Run by ``read``: open the dataset with LeRobot's loader and read its numeric columns.
READ = (
    "import sys, numpy as np\n"
    "from pathlib import Path\n"
    "from lerobot.datasets import LeRobotDataset\n"
    "root = Path(sys.argv[1])\n"
    "table = LeRobotDataset('bench/' + root.name, root=root, video_backend='pyav').hf_dataset.data.table\n"
    "for key in ('observation.state', 'action'):\n"
    "    np.asarray(table.column(key).combine_chunks().flatten().to_numpy())\n"
)


def small_configs(folder: Path) -> tuple[Path, Path]:
    """The transfer-cube configs with every camera ``DIVISOR`` times smaller (same field of view)."""
    return copy_example("transfer_cube", folder, DIVISOR)


def episodes_in(root: Path) -> int:
    """Episodes of the dataset at ``root`` (0 when there is none)."""
    import json

    try:
        return int(json.loads((root / "meta" / "info.json").read_text())["total_episodes"])
    except (OSError, ValueError, KeyError):
        return 0


def ensure_dataset(folder: Path, episodes: int, num_envs: int) -> tuple[Path, float | None]:
    """``folder/dataset`` holding ``episodes`` episodes, generated (or continued with ``--resume``)
    when it holds fewer; the seconds generating took (None when reused)."""
    root = folder / "dataset"
    have = episodes_in(root)
    if have >= episodes:
        return root, None
    gym, action = small_configs(folder / "configs")
    command = [sys.executable, "-m", "actionbank", "generate", "--gym-config", str(gym), "--action-config", str(action)]
    command += ["--max-episodes", str(episodes), "--num-envs", str(num_envs), "--seed", "0"]
    command += ["--resume", str(root)] if have else ["--output", str(root)]
    began = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return root, time.perf_counter() - began


def timed(command: list[str]) -> float:
    """Wall time [s] of ``command`` run to its end (raises when it fails)."""
    began = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def measure(root: Path, output: Path) -> tuple[float, float]:
    """Seconds of ``actionbank report`` and of reading the dataset alone, each a fresh process."""
    read = timed([sys.executable, "-c", READ, str(root)])
    report = timed([sys.executable, "-m", "actionbank", "report", str(root), "-o", str(output)])
    return report, read


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=TARGET_EPISODES)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--num-envs", type=int, default=1)
    args = parser.parse_args(argv)
    if args.episodes < 1 or args.num_envs < 1:
        print("--episodes and --num-envs must be at least 1", file=sys.stderr)
        return 2
    folder = args.folder or Path(tempfile.gettempdir()) / f"actionbank-report-bench-{args.episodes}"
    try:
        root, generating = ensure_dataset(folder, args.episodes, args.num_envs)
        output = folder / "report.html"
        report, read = measure(root, output)
    except subprocess.CalledProcessError as error:
        print(f"failed: {' '.join(map(str, error.cmd))} exited {error.returncode}", file=sys.stderr)
        return 1
    made = "reused" if generating is None else f"generated in {generating:.0f} s"
    print(f"dataset    {root} ({args.episodes} episodes, camera 80x60, {made})")
    print(f"read       {read:6.2f} s   (LeRobotDataset + state/action columns, fresh process)")
    verdict = "PASS" if report <= TARGET_SECONDS else "MISS"
    print(f"report     {report:6.2f} s   target < {TARGET_SECONDS:.0f} s for {TARGET_EPISODES} episodes: {verdict}")
    print(f"ratio      {report / read:6.2f}     report / read")
    print(f"page       {output.stat().st_size / 1e6:.1f} MB")
    if args.episodes != TARGET_EPISODES:
        print(f"note       measured on {args.episodes} episodes, not {TARGET_EPISODES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
