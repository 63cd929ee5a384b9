"""The report's plots, as plotly figures built from :class:`~actionbank.report.data.ReportData`.

* :func:`trajectory_figure`: one episode's ``observation.state`` and ``action`` over time [s],
  one line per joint (named as in the dataset's features), above a lane per scope where each
  edge the scope ran is a coloured band (hover: scope, edge, start and end [s]).
* :func:`smoothness_figure`: per joint of ``action``, percentiles of |velocity|,
  |acceleration| and |jerk| (finite differences × fps within each episode; units of the
  action per s, s², s³).
* :func:`coverage_figure`: initial object positions (x, y [m]) of every episode, coloured by
  episode (hover: episode, seed, z).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from numpy.typing import NDArray
from plotly.colors import qualitative  # type: ignore[import-untyped]
from plotly.subplots import make_subplots  # type: ignore[import-untyped]

from actionbank.report.data import ReportData

__all__ = ["PERCENTILES", "coverage_figure", "smoothness", "smoothness_figure", "trajectory_figure"]

#: Percentiles of the absolute derivatives shown per joint.
PERCENTILES = (50, 95, 99)
_DERIVATIVES = ("velocity", "acceleration", "jerk")
_PALETTE = qualitative.Plotly + qualitative.D3


def _colour(index: int) -> str:
    return str(_PALETTE[index % len(_PALETTE)])


def trajectory_figure(data: ReportData) -> go.Figure:
    """State and action of episode ``data.episode`` over time, over the edges each scope ran."""
    rows = np.flatnonzero(data.episode_index == data.episode)
    time = np.arange(rows.size) / data.fps
    lanes = bool(data.segments)
    figure = make_subplots(
        rows=3 if lanes else 2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04,
        row_heights=[0.4, 0.4, 0.2] if lanes else [0.5, 0.5],
        subplot_titles=["observation.state", "action", "edges per scope"][: 3 if lanes else 2],
    )
    for row, (values, names) in enumerate(((data.state, data.state_names), (data.action, data.action_names)), 1):
        for j, name in enumerate(names):
            figure.add_trace(
                go.Scatter(
                    x=time,
                    y=values[rows, j],
                    mode="lines",
                    name=name,
                    legendgroup=name,
                    showlegend=row == 1,
                    line={"color": _colour(j), "width": 1.5},
                    hovertemplate=f"{name}<br>t=%{{x:.2f}} s<br>%{{y:.4f}}<extra></extra>",
                ),
                row=row,
                col=1,
            )
    if lanes:
        _add_lanes(figure, data)
    figure.update_xaxes(title_text="time [s]", row=3 if lanes else 2, col=1)
    figure.update_layout(
        height=760,
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        legend={"font": {"size": 10}},
        barmode="overlay",
    )
    return figure


def _add_lanes(figure: go.Figure, data: ReportData) -> None:
    """One horizontal lane per scope; each segment a bar from its start to its end [s], one
    colour per edge name (idle in grey), an edge's bars in one legend entry."""
    edges = list(dict.fromkeys(s.edge for s in data.segments if s.edge != "idle"))
    for edge in [*edges, "idle"]:
        chosen = [s for s in data.segments if s.edge == edge]
        if not chosen:
            continue
        colour = "rgba(180,180,180,0.5)" if edge == "idle" else _colour(edges.index(edge) + 3)
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[s.scope for s in chosen],
                x=[s.end - s.start for s in chosen],
                base=[s.start for s in chosen],
                name=edge,
                legendgroup="edges",
                legendgrouptitle_text="edges",
                marker={"color": colour, "line": {"width": 0.5, "color": "white"}},
                customdata=[[s.edge, s.start, s.end] for s in chosen],
                hovertemplate="%{y}: %{customdata[0]}<br>%{customdata[1]:.2f} to %{customdata[2]:.2f} s<extra></extra>",
            ),
            row=3,
            col=1,
        )
    figure.update_yaxes(categoryorder="array", categoryarray=list(reversed(data.scopes)), row=3, col=1)


def smoothness(data: ReportData) -> dict[str, NDArray[np.float64]]:
    """Derivative name → percentiles × joints of the absolute finite differences of ``action``
    (velocity: per s, acceleration: per s², jerk: per s³), taken within each episode only."""
    result: dict[str, NDArray[np.float64]] = {}
    current = data.action
    same = data.episode_index
    for name in _DERIVATIVES:
        keep = same[1:] == same[:-1]
        current = np.diff(current, axis=0)[keep] * data.fps
        same = same[1:][keep]
        if current.shape[0] == 0:
            result[name] = np.zeros((len(PERCENTILES), data.action.shape[1]))
        else:
            result[name] = np.percentile(np.abs(current), PERCENTILES, axis=0)
    return result


def smoothness_figure(data: ReportData) -> go.Figure:
    """Bars per joint of :func:`smoothness`'s percentiles, one panel per derivative (log scale)."""
    values = smoothness(data)
    units = {"velocity": "1/s", "acceleration": "1/s²", "jerk": "1/s³"}
    figure = make_subplots(
        rows=1, cols=3, subplot_titles=[f"|{name}| [action units·{units[name]}]" for name in _DERIVATIVES]
    )
    for col, name in enumerate(_DERIVATIVES, 1):
        for p, percentile in enumerate(PERCENTILES):
            figure.add_trace(
                go.Bar(
                    x=data.action_names,
                    y=values[name][p],
                    name=f"p{percentile}",
                    legendgroup=f"p{percentile}",
                    showlegend=col == 1,
                    marker={"color": _colour(p)},
                    hovertemplate=f"%{{x}}<br>p{percentile} |{name}| = %{{y:.4g}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        figure.update_yaxes(type="log", row=1, col=col)
    figure.update_xaxes(tickangle=-60, tickfont={"size": 9})
    figure.update_layout(height=460, barmode="group", margin={"l": 60, "r": 20, "t": 40, "b": 120})
    return figure


def coverage_figure(data: ReportData) -> go.Figure:
    """Initial x, y [m] of each object in every episode; colour: episode index; one symbol per object."""
    figure = go.Figure()
    objects = list(dict.fromkeys(name for record in data.episodes for name in record["initial_poses"]))
    symbols = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star")
    for k, name in enumerate(objects):
        points: list[tuple[int, int, list[Any]]] = [
            (int(r["episode_index"]), int(r["seed"]), r["initial_poses"][name])
            for r in data.episodes
            if isinstance(r["initial_poses"].get(name), list) and len(r["initial_poses"][name]) >= 3
        ]
        if not points:
            continue
        figure.add_trace(
            go.Scatter(
                x=[float(p[2][0]) for p in points],
                y=[float(p[2][1]) for p in points],
                mode="markers",
                name=name,
                marker={
                    "symbol": symbols[k % len(symbols)],
                    "size": 9,
                    "color": [p[0] for p in points],
                    "colorscale": "Viridis",
                    "cmin": 0,
                    "cmax": max(len(data.episodes) - 1, 1),
                    "showscale": k == 0,
                    "colorbar": {"title": {"text": "episode"}},
                    "line": {"width": 0.5, "color": "black"},
                },
                customdata=[[p[0], str(p[1]), float(p[2][2])] for p in points],
                hovertemplate=(
                    f"{name}<br>episode %{{customdata[0]}}<br>seed %{{customdata[1]}}"
                    "<br>x=%{x:.4f} m, y=%{y:.4f} m, z=%{customdata[2]:.4f} m<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        height=480,
        xaxis_title="x [m]",
        yaxis_title="y [m]",
        yaxis={"scaleanchor": "x", "scaleratio": 1},
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
