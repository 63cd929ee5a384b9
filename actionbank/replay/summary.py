"""A replay's report as the short table ``actionbank replay`` prints.

One row per compared column (identical, or its largest difference and where), then the
randomisation, the initial poses and the success check against the recording; with
``--actions`` one row per joint: its drift (largest ``|replayed - recorded|`` state).
"""

from __future__ import annotations

from actionbank.replay.compare import ColumnComparison
from actionbank.replay.run import ReplayReport

__all__ = ["summary_lines"]


def _same(value: bool | None) -> str:
    return "not compared" if value is None else "same" if value else "DIFFERS"


def _difference(column: ColumnComparison) -> str:
    if column.identical:
        return "identical"
    return f"differs by {column.largest:.6g} ({column.where})"


def summary_lines(report: ReplayReport) -> list[str]:
    """The report as aligned ``name  value`` lines."""
    what = "the recorded actions, open loop" if report.mode == "actions" else "the plan"
    rows = [
        ("dataset", str(report.root)),
        ("episode", f"{report.episode} (seed {report.seed}, {report.frames} frames replayed)"),
        ("replayed", what),
    ]
    rows += [(column.key, _difference(column)) for column in report.columns]
    if report.mode == "actions":
        state = next((c for c in report.columns if c.key == "observation.state"), None)
        for name, drift in state.per_element if state is not None else ():
            rows.append((f"  drift {name}", f"{drift:.6g}"))
    rows += [
        ("randomization", _same(report.randomization)),
        ("initial poses", _same(report.initial_poses)),
        ("success", _success(report)),
    ]
    if report.video is not None:
        rows.append(("video", f"{report.video} ({report.video_frames} frames)"))
    rows += [
        ("replay time", f"{report.seconds:.2f} s"),
        ("result", "identical" if report.identical else "DIFFERS from the recording"),
    ]
    width = max(len(name) for name, _ in rows)
    return [f"{name:<{width}}  {value}" for name, value in rows]


def _success(report: ReplayReport) -> str:
    now = "passes" if report.success else f"fails ({report.failure})" if report.failure else "fails"
    recorded = "passed" if report.recorded_success else "failed"
    return f"{now} (recorded: {recorded})"
