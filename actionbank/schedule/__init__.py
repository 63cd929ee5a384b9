"""Scheduling: earliest start times, then EmbodiChain-compatible gap filling."""

from actionbank.schedule.earliest_start import Precedence, Schedule, precedence, schedule_edges
from actionbank.schedule.gap_fill import fill_gaps, pair_scopes, side_key

__all__ = ["Precedence", "Schedule", "fill_gaps", "pair_scopes", "precedence", "schedule_edges", "side_key"]
