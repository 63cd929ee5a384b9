"""Diagnostics are data: code, severity, message, JSON pointer, location and hint."""

from actionbank.diagnostics.codes import CODES, DiagnosticCode
from actionbank.diagnostics.diagnostic import Diagnostic, Severity, has_errors, sort_diagnostics
from actionbank.diagnostics.hints import did_you_mean
from actionbank.diagnostics.report import format_json, format_text, summary_line

__all__ = [
    "CODES",
    "Diagnostic",
    "DiagnosticCode",
    "Severity",
    "did_you_mean",
    "format_json",
    "format_text",
    "has_errors",
    "sort_diagnostics",
    "summary_line",
]
