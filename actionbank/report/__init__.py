"""``actionbank report``: a dataset made by ``actionbank generate`` at a glance, as one
self-contained HTML page (:func:`write_report`).

:mod:`~actionbank.report.data` reads the dataset (checked provenance, LeRobot's loader),
:mod:`~actionbank.report.figures` draws the plots with plotly, :mod:`~actionbank.report.page`
lays out the page. LeRobot is imported only when a dataset is read.
"""

from actionbank.report.data import ReportData, ReportError, Segment, gather
from actionbank.report.page import build_report, render_page, write_report

__all__ = ["ReportData", "ReportError", "Segment", "build_report", "gather", "render_page", "write_report"]
