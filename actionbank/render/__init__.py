"""Pictures of an ``ExecutionPlan``: Graphviz DOT text and an SVG Gantt chart."""

from actionbank.render.dot import render_dot
from actionbank.render.gantt_svg import render_gantt_svg

__all__ = ["render_dot", "render_gantt_svg"]
