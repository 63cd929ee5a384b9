"""An SVG Gantt chart of an :class:`~actionbank.plan.ExecutionPlan`'s schedule.

One lane per scope (declared order), time in steps left to right. Each edge is a solid bar
over ``[start, end)``; its gap fill ``[end, span_end)`` is a hatched bar with a dashed
outline, so filling is never mistaken for motion. Critical-path edges get a red outline;
sync constraints are dashed arrows from the end of each dependency to the start of the
dependent edge.

Elements carry stable classes (``lane``, ``lane-label``, ``tick``, ``grid``, ``makespan``,
``edge``, ``edge-label``, ``fill``, ``sync``) and ``data-edge`` / ``data-scope``
attributes, so tests and style sheets can find them. Same plan, same bytes.
"""

# Written by hand, not with matplotlib: SVG text is simple and we avoid a dependency.

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from actionbank.plan import ExecutionPlan, PlanEdge

__all__ = ["DEFAULT_LANE_HEIGHT", "DEFAULT_STEP_WIDTH", "MAX_CHART_WIDTH", "render_gantt_svg"]

DEFAULT_STEP_WIDTH = 4.0
"""Horizontal size of one step [px]."""
DEFAULT_LANE_HEIGHT = 32.0
"""Height of one scope's lane [px]."""
MAX_CHART_WIDTH = 1600.0
"""Longest time axis [px]; longer plans get a smaller step width."""

_FONT_SIZE = 12.0  # [px]
_LABEL_FONT_SIZE = 11.0  # [px], edge names inside bars
_CHAR_WIDTH = 0.62  # average glyph width / font size, for "does the name fit" estimates
_MARGIN = 10.0  # [px]
_AXIS_HEIGHT = 28.0  # [px], tick labels above the lanes
_FOOTER_HEIGHT = 44.0  # [px], makespan label and legend below the lanes
_BAR_PAD = 5.0  # [px], space between a bar and its lane's border
_MIN_TICK_SPACING = 50.0  # [px]
_CRITICAL_COLOR = "#d62728"
_SYNC_COLOR = "#444444"
_PALETTE = ("#8fb8de", "#f4b183", "#a9d18e", "#d5a6bd", "#ffd966", "#b4a7d6", "#9fd8cf")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_DEFS = f"""<defs>
<pattern id="fill-hatch" patternUnits="userSpaceOnUse" width="6" height="6" \
patternTransform="rotate(45)">
<rect width="6" height="6" fill="#f4f4f4"/>
<line x1="0" y1="0" x2="0" y2="6" stroke="#b0b0b0" stroke-width="2"/>
</pattern>
<marker id="sync-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" \
markerHeight="7" orient="auto">
<path d="M 0 0 L 10 5 L 0 10 z" fill="{_SYNC_COLOR}"/>
</marker>
</defs>"""


def _text(value: str) -> str:
    """``value`` as XML character data (characters XML forbids become U+FFFD)."""
    clean = _XML_INVALID.sub("\ufffd", value)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute value, line breaks kept."""
    escaped = _text(value).replace('"', "&quot;")
    return '"' + escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;") + '"'


def _num(value: float) -> str:
    """A coordinate [px] with at most two decimals and no trailing zeros."""
    out = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("", "-0") else out


def _tick_interval(step_width: float) -> int:
    """The smallest 1-2-5 interval [steps] whose ticks are at least 50 px apart."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude * step_width >= _MIN_TICK_SPACING:
                return multiple * magnitude
        magnitude *= 10


@dataclass(frozen=True)
class _Layout:
    """Where things go [px]."""

    left: float
    top: float
    step_width: float
    lane_height: float
    chart_width: float

    def x(self, step: int) -> float:
        return self.left + step * self.step_width

    def lane_top(self, lane: int) -> float:
        return self.top + lane * self.lane_height

    def bar_top(self, lane: int) -> float:
        return self.lane_top(lane) + _BAR_PAD

    def bar_bottom(self, lane: int) -> float:
        return self.lane_top(lane) + self.lane_height - _BAR_PAD


def _edge_title(edge: PlanEdge) -> str:
    lines = [
        f"{edge.name} ({edge.function}) {edge.src} -> {edge.sink}",
        f"[{edge.start}, {edge.end}): {edge.duration} steps, slack {edge.slack}",
    ]
    if edge.span_end > edge.end:
        lines.append(f"fill ({edge.fill_type}) [{edge.end}, {edge.span_end})")
    if edge.critical:
        lines.append("critical")
    return "\n".join(lines)


def _axis(plan: ExecutionPlan, layout: _Layout, lanes_bottom: float) -> Iterator[str]:
    interval = _tick_interval(layout.step_width)
    axis_y = layout.top - 4
    yield (
        f'<line class="axis" x1="{_num(layout.x(0))}" y1="{_num(axis_y)}" '
        f'x2="{_num(layout.x(plan.makespan))}" y2="{_num(axis_y)}" stroke="#333333"/>'
    )
    for step in range(0, plan.makespan + 1, interval):
        x = _num(layout.x(step))
        yield (
            f'<line class="grid" x1="{x}" y1="{_num(layout.top)}" x2="{x}" y2="{_num(lanes_bottom)}" stroke="#dddddd"/>'
        )
        yield (
            f'<line class="tick" data-step="{step}" x1="{x}" y1="{_num(axis_y - 5)}" '
            f'x2="{x}" y2="{_num(axis_y)}" stroke="#333333"/>'
        )
        yield (f'<text class="tick-label" x="{x}" y="{_num(axis_y - 8)}" text-anchor="middle">{step}</text>')
    x = _num(layout.x(plan.makespan))
    yield (
        f'<line class="makespan" data-step="{plan.makespan}" x1="{x}" y1="{_num(axis_y - 5)}" '
        f'x2="{x}" y2="{_num(lanes_bottom + 4)}" stroke="{_CRITICAL_COLOR}" '
        f'stroke-dasharray="5 3"/>'
    )
    yield (
        f'<text class="makespan-label" x="{x}" y="{_num(lanes_bottom + 16)}" '
        f'text-anchor="middle" fill="{_CRITICAL_COLOR}">makespan {plan.makespan} steps</text>'
    )


def _edges(edges: list[tuple[int, PlanEdge]], layout: _Layout) -> Iterator[str]:
    for lane, edge in edges:
        if edge.span_end <= edge.end:
            continue
        yield (
            f'<rect class="fill" data-edge={_attr(edge.name)} '
            f'x="{_num(layout.x(edge.end))}" y="{_num(layout.bar_top(lane))}" '
            f'width="{_num((edge.span_end - edge.end) * layout.step_width)}" '
            f'height="{_num(layout.bar_bottom(lane) - layout.bar_top(lane))}" '
            f'fill="url(#fill-hatch)" stroke="{_PALETTE[lane % len(_PALETTE)]}" '
            f'stroke-dasharray="3 2"><title>{_text(_edge_title(edge))}</title></rect>'
        )
    for lane, edge in edges:
        width = (edge.end - edge.start) * layout.step_width
        height = layout.bar_bottom(lane) - layout.bar_top(lane)
        if edge.critical:
            stroke = f'stroke="{_CRITICAL_COLOR}" stroke-width="2"'
        else:
            stroke = 'stroke="#555555" stroke-width="0.5"'
        yield (
            f'<rect class="edge" data-edge={_attr(edge.name)} '
            f'data-critical="{str(edge.critical).lower()}" '
            f'x="{_num(layout.x(edge.start))}" y="{_num(layout.bar_top(lane))}" '
            f'width="{_num(width)}" height="{_num(height)}" '
            f'fill="{_PALETTE[lane % len(_PALETTE)]}" {stroke}>'
            f"<title>{_text(_edge_title(edge))}</title></rect>"
        )
        if len(edge.name) * _LABEL_FONT_SIZE * _CHAR_WIDTH + 6 <= width:
            yield (
                f'<text class="edge-label" data-edge={_attr(edge.name)} '
                f'x="{_num(layout.x(edge.start) + width / 2)}" '
                f'y="{_num(layout.bar_top(lane) + height / 2)}" text-anchor="middle" '
                f'dominant-baseline="central" font-size="{_num(_LABEL_FONT_SIZE)}" '
                f'fill="#1a1a1a">{_text(edge.name)}</text>'
            )


def _sync_arrows(plan: ExecutionPlan, lanes: dict[str, int], layout: _Layout) -> Iterator[str]:
    by_name: dict[str, PlanEdge] = {}
    for edge in plan.edges:
        if edge.scope in lanes:
            by_name.setdefault(edge.name, edge)
    bend = layout.lane_height / 2
    for sync in plan.sync:
        dependent = by_name.get(sync.edge)
        if dependent is None:
            continue
        to_lane = lanes[dependent.scope]
        for name in sync.after:
            dependency = by_name.get(name)
            if dependency is None:
                continue
            from_lane = lanes[dependency.scope]
            x1, x2 = layout.x(dependency.end), layout.x(dependent.start)
            if to_lane > from_lane:  # downwards: bottom of one bar to top of the other
                y1, y2, c1, c2 = (
                    layout.bar_bottom(from_lane),
                    layout.bar_top(to_lane),
                    bend,
                    -bend,
                )
            elif to_lane < from_lane:  # upwards
                y1, y2, c1, c2 = (
                    layout.bar_top(from_lane),
                    layout.bar_bottom(to_lane),
                    -bend,
                    bend,
                )
            else:  # same lane: a hop over the top of the bars
                y1 = y2 = layout.bar_top(from_lane)
                c1, c2 = -bend, -bend
            path = (
                f"M {_num(x1)} {_num(y1)} C {_num(x1)} {_num(y1 + c1)} {_num(x2)} {_num(y2 + c2)} {_num(x2)} {_num(y2)}"
            )
            yield (
                f'<path class="sync" data-edge={_attr(sync.edge)} data-after={_attr(name)} '
                f'd="{path}" fill="none" stroke="{_SYNC_COLOR}" stroke-width="1.2" '
                f'stroke-dasharray="4 2" marker-end="url(#sync-arrow)">'
                f"<title>{_text(f'sync: {sync.edge} after {name}')}</title></path>"
            )


def _legend(x: float, y: float) -> Iterator[str]:
    yield f'<g class="legend" transform="translate({_num(x)} {_num(y)})">'
    yield f'<rect x="0" y="-9" width="18" height="12" fill="{_PALETTE[0]}" stroke="#555555"/>'
    yield '<text x="24" y="1">motion</text>'
    yield (
        '<rect x="84" y="-9" width="18" height="12" fill="url(#fill-hatch)" '
        f'stroke="{_PALETTE[0]}" stroke-dasharray="3 2"/>'
    )
    yield '<text x="108" y="1">fill</text>'
    yield (f'<rect x="148" y="-9" width="18" height="12" fill="#ffffff" stroke="{_CRITICAL_COLOR}" stroke-width="2"/>')
    yield '<text x="172" y="1">critical</text>'
    yield (
        f'<line x1="232" y1="-3" x2="256" y2="-3" stroke="{_SYNC_COLOR}" '
        'stroke-dasharray="4 2" marker-end="url(#sync-arrow)"/>'
    )
    yield '<text x="262" y="1">sync</text>'
    yield "</g>"


def render_gantt_svg(
    plan: ExecutionPlan,
    *,
    step_width: float = DEFAULT_STEP_WIDTH,
    lane_height: float = DEFAULT_LANE_HEIGHT,
    max_chart_width: float = MAX_CHART_WIDTH,
) -> str:
    """SVG text of ``plan``'s schedule, ending with a newline.

    ``step_width`` is the size of one step [px]; when ``makespan * step_width`` would
    exceed ``max_chart_width`` [px] the step width shrinks to fit. ``lane_height`` [px] is
    the height of one scope's lane. Edges of scopes not in ``plan.scopes`` and sync entries
    naming no drawn edge are left out. Raises :class:`ValueError` for sizes that are not
    positive.
    """
    for name, value in (
        ("step_width", step_width),
        ("lane_height", lane_height),
        ("max_chart_width", max_chart_width),
    ):
        if not value > 0:
            raise ValueError(f"{name} must be positive [px], got {value!r}")
    if plan.makespan * step_width > max_chart_width:
        step_width = max_chart_width / plan.makespan
    longest = max((len(scope.name) for scope in plan.scopes), default=0)
    label_width = min(max(60.0, longest * _FONT_SIZE * _CHAR_WIDTH + 12), 240.0)
    layout = _Layout(
        left=_MARGIN + label_width,
        top=_MARGIN + _AXIS_HEIGHT,
        step_width=step_width,
        lane_height=lane_height,
        chart_width=plan.makespan * step_width,
    )
    lanes: dict[str, int] = {}
    for index, scope in enumerate(plan.scopes):
        lanes.setdefault(scope.name, index)
    lanes_bottom = layout.lane_top(len(plan.scopes))
    width = max(layout.left + layout.chart_width + 80.0, _MARGIN + 320.0)
    height = lanes_bottom + _FOOTER_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'font-family="sans-serif" font-size="{_num(_FONT_SIZE)}">',
        f"<title>schedule: makespan {plan.makespan} steps</title>",
        _DEFS,
        f'<rect width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
    ]
    for index, scope in enumerate(plan.scopes):
        y = layout.lane_top(index)
        parts.append(
            f'<rect class="lane" data-scope={_attr(scope.name)} x="{_num(_MARGIN)}" '
            f'y="{_num(y)}" width="{_num(layout.left - _MARGIN + layout.chart_width)}" '
            f'height="{_num(lane_height)}" fill="{"#f7f7f7" if index % 2 else "#ffffff"}" '
            f'stroke="#e0e0e0"/>'
        )
        parts.append(
            f'<text class="lane-label" data-scope={_attr(scope.name)} '
            f'x="{_num(_MARGIN + 6)}" y="{_num(y + lane_height / 2)}" '
            f'dominant-baseline="central">{_text(scope.name)}</text>'
        )
    parts.extend(_axis(plan, layout, lanes_bottom))
    drawn = [(lanes[edge.scope], edge) for edge in plan.edges if edge.scope in lanes]
    parts.extend(_edges(drawn, layout))
    parts.extend(_sync_arrows(plan, lanes, layout))
    parts.extend(_legend(_MARGIN, lanes_bottom + 36))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
