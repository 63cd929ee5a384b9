"""The report as one self-contained HTML page: plotly.js inline, first frames as PNG data URIs,
nothing fetched from the network.

plotly draws the plots: its hover shows each point's episode and seed (which a static image
cannot), ``Figure.to_html`` writes a figure into a page whose script is embedded once
(``plotly.offline.get_plotlyjs``), and it is a well-kept library already among our
dependencies. Every text taken from the dataset is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from actionbank.report.data import ReportData, gather
from actionbank.report.figures import PERCENTILES, coverage_figure, smoothness, smoothness_figure, trajectory_figure

__all__ = ["build_report", "render_page", "write_report"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.code { font-family: monospace; font-size: 0.9em; max-width: 40em; overflow-wrap: anywhere; }
.frames figure { display: inline-block; margin: 0 1em 1em 0; }
.frames img { image-rendering: pixelated; min-width: 240px; border: 1px solid #ccc; }
.scroll { max-height: 28em; overflow: auto; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(header: list[str], rows: list[list[tuple[str, str]]], table_id: str) -> str:
    """A table; each cell is (css class, already escaped HTML)."""
    head = "".join(f"<th>{_e(name)}</th>" for name in header)
    body = "".join("<tr>" + "".join(f'<td class="{c}">{v}</td>' for c, v in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _summary(data: ReportData) -> str:
    discarded: Counter[str] = Counter()
    for run in data.runs:
        discarded.update(run["discarded"])
    rows = [
        ("episodes", str(len(data.episodes))),
        ("frames", str(data.frames)),
        ("duration [s]", f"{data.duration:.2f}"),
        ("fps", str(data.fps)),
        ("robot", str(data.robot_type)),
        ("task", data.task),
    ]
    if data.runs:
        rows += [
            ("generate runs", str(len(data.runs))),
            ("attempts", str(sum(run["attempts"] for run in data.runs))),
            ("saved", str(sum(run["saved"] for run in data.runs))),
            ("discarded", str(sum(discarded.values()))),
        ]
        rows += [(f"discarded: {reason}", str(count)) for reason, count in sorted(discarded.items())]
        told = dict.fromkeys(text for run in data.runs for text in run.get("notes", {}).values())
        rows += [("note", text) for text in told]  # what generate told, each text once, in run order
        uncounted = len(data.episodes) - sum(run["saved"] for run in data.runs)
        if uncounted > 0:  # a run logs its line after each commit: a kill right after one leaves it behind
            rows.append(
                (
                    "not counted",
                    f"{uncounted} saved by a run killed before it logged them: their attempts are not counted",
                )
            )
    else:
        rows.append(("attempts", "not recorded (the dataset has no meta/actionbank/runs.jsonl)"))
    body = [[("", _e(name)), ("num" if value.replace(".", "").isdigit() else "", _e(value))] for name, value in rows]
    summary = _table(["", ""], body, "summary")
    hashes = [[("code", _e(name)), ("code", _e(digest))] for name, digest in data.config_hashes.items()]
    hashes += [[("code", _e(f"asset {name}")), ("code", _e(digest))] for name, digest in data.asset_hashes.items()]
    return (
        summary
        + "<h3>sha256 of the configs (meta/actionbank/hashes.json)</h3>"
        + _table(["file", "sha256"], hashes, "hashes")
    )


def _compact(value: Any) -> str:
    """``value`` as short JSON: floats to 4 significant digits."""

    def rounded(item: Any) -> Any:
        if isinstance(item, float):
            return float(f"{item:.4g}")
        if isinstance(item, dict):
            return {key: rounded(v) for key, v in item.items()}
        if isinstance(item, list):
            return [rounded(v) for v in item]
        return item

    return json.dumps(rounded(value), separators=(",", ":"), ensure_ascii=False)


def _episodes(data: ReportData) -> str:
    rows = []
    for record in data.episodes:
        failure = record.get("failure")
        success = "yes" if failure is None else "no: " + "; ".join(f"{k}={v}" for k, v in failure.items())
        rows.append(
            [
                ("num", _e(record["episode_index"])),
                ("num", _e(record["seed"])),
                ("num", _e(record["length"])),
                ("num", f"{record['length'] / data.fps:.2f}"),
                ("", _e(success)),
                ("code", _e(_compact(record["metrics"]))),
                ("code", _e(_compact(record["randomization"]))),
            ]
        )
    header = ["episode", "seed", "length [frames]", "length [s]", "success", "metrics", "sampled randomisation"]
    return '<div class="scroll">' + _table(header, rows, "episodes") + "</div>"


def _smoothness_table(data: ReportData) -> str:
    values = smoothness(data)
    header = ["joint"] + [f"|{name}| p{p}" for name in values for p in PERCENTILES]
    rows = [
        [("", _e(joint))] + [("num", f"{values[name][p][j]:.4g}") for name in values for p in range(len(PERCENTILES))]
        for j, joint in enumerate(data.action_names)
    ]
    return _table(header, rows, "smoothness")


def _frames(data: ReportData) -> str:
    if not data.first_frames:
        return "<p>The dataset has no camera.</p>"
    parts = []
    for uid, png in data.first_frames.items():
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        parts.append(f'<figure><img alt="{_e(uid)}" src="{uri}"><figcaption>{_e(uid)}</figcaption></figure>')
    return '<div class="frames">' + "".join(parts) + "</div>"


def render_page(data: ReportData) -> str:
    """The whole page as HTML text."""
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

    def plot(figure: Any, div_id: str) -> str:
        return str(figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"responsive": True}))

    sections = [
        ("summary", "Summary", _summary(data)),
        ("episodes-section", "Episodes", _episodes(data)),
        (
            "trajectories",
            f"Trajectories of episode {data.episode}",
            plot(trajectory_figure(data), "trajectory-plot"),
        ),
        (
            "smoothness-section",
            "Action smoothness per joint (all episodes)",
            plot(smoothness_figure(data), "smoothness-plot") + _smoothness_table(data),
        ),
        ("coverage", "Randomisation coverage: initial object positions", plot(coverage_figure(data), "coverage-plot")),
        ("first-frames", "First frame of each camera (episode 0)", _frames(data)),
    ]
    body = "".join(f'<section id="{sid}"><h2>{_e(title)}</h2>{content}</section>' for sid, title, content in sections)
    title = f"{data.root.name}: an actionbank dataset ({data.root})"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f"<body><h1>{_e(title)}</h1>{body}</body></html>\n"
    )


def build_report(root: Path, episode: int = 0) -> str:
    """The report page of the dataset at ``root`` (``episode``: whose trajectories are drawn)."""
    return render_page(gather(root, episode))


def write_report(root: Path, output: Path, episode: int = 0) -> int:
    """Write the report of the dataset at ``root`` to ``output``; returns its size [bytes].

    Raises :class:`~recorder.errors.OutputPathError` (exit code 2) for an output inside the
    dataset (the report is not part of it) or one that cannot be written, before reading the
    dataset (:func:`recorder.output_file.check_output`, the rule every command writing beside a
    dataset follows).
    """
    from recorder.output_file import check_output, write_output

    check_output(output, "-o", [root])
    text = build_report(root, episode).encode("utf-8")
    write_output(output, text, "-o")
    return len(text)
