"""Gap filling ("bubble filling"), exactly as EmbodiChain computes it after scheduling.

Scopes are paired into units (an arm with its gripper). When a scope idles between two of
its edges, the earlier edge's span grows to the first of: the next edge's start, the
partner's next start, and (when other edges wait for it by sync) the latest start among
those. A scope's last edge grows to its partner's next start. During the extra span the
edge holds still or, with ``fill_type: scalable``, is stretched over it.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Mapping, Sequence

from actionbank.schedule.earliest_start import Schedule

__all__ = ["fill_gaps", "pair_scopes", "side_key"]

_ARM_HINTS = ("left_arm", "right_arm")
_EEF_HINTS = ("left_eef", "right_eef", "gripper", "hand")
_SIDE_PREFIXES = ("left", "right", "L", "R")


def side_key(name: str) -> str:
    """Text before the first ``_``, else before the first ``-``, else a leading left/right/L/R."""
    for separator in ("_", "-"):
        if separator in name:
            return name.split(separator, 1)[0]
    return next((prefix for prefix in _SIDE_PREFIXES if name.startswith(prefix)), "")


def pair_scopes(scopes: Sequence[str], unit_pairs: Sequence[Sequence[str]]) -> dict[str, str]:
    """Partner of each paired scope (symmetric). ``scopes`` are those with edges, in order."""
    present = set(scopes)
    partner: dict[str, str] = {}
    for pair in unit_pairs:
        a, b = pair[0], pair[1]
        if a in present and b in present and a != b and a not in partner and b not in partner:
            partner[a], partner[b] = b, a
    sides: dict[str, list[str]] = {}
    for name in scopes:
        sides.setdefault(side_key(name), []).append(name)
    for members in sides.values():
        for arm in members:
            if arm in partner or not any(h in arm.lower() for h in _ARM_HINTS):
                continue
            eef = next((m for m in members if m != arm and m not in partner and any(h in m for h in _EEF_HINTS)), None)
            if eef is not None:
                partner[arm], partner[eef] = eef, arm
    return partner


def fill_gaps(
    schedule: Schedule,
    scope_order: Sequence[str],
    unit_pairs: Sequence[Sequence[str]],
    depends_on: Mapping[str, Sequence[str]],
) -> tuple[int, ...]:
    """``span_end`` per edge of ``schedule`` (same indexing) [steps]."""
    edges = schedule.edges
    makespan = schedule.makespan
    start, end_of = schedule.start, schedule.end  # hot below: one attribute look-up each
    by_scope: dict[str, list[int]] = {}
    for i, edge in enumerate(edges):
        by_scope.setdefault(edge.scope, []).append(i)
    for members in by_scope.values():
        members.sort(key=lambda i: (start[i], end_of[i]))
    ordered = [s for s in scope_order if s in by_scope] + [s for s in by_scope if s not in scope_order]
    partner = pair_scopes(ordered, unit_pairs)
    starts = {scope: [start[i] for i in members] for scope, members in by_scope.items()}
    index = {edge.label: i for i, edge in enumerate(edges)}
    cap: dict[int, int] = {}
    for label, dependencies in depends_on.items():
        if label not in index:
            continue
        for dependency in dependencies:
            if dependency in index:
                d = index[dependency]
                cap[d] = max(cap.get(d, 0), start[index[label]])

    def partner_next(scope: str, time: int) -> int:
        other = starts.get(partner.get(scope, ""), [])
        position = bisect_left(other, time)
        return other[position] if position < len(other) else makespan

    span = list(end_of)
    for scope, members in by_scope.items():
        for current, following in itertools.pairwise(members):
            end = end_of[current]
            if end < start[following]:
                limit = min(start[following], partner_next(scope, end) if scope in partner else makespan)
                if current in cap:
                    limit = min(limit, cap[current])
                span[current] = limit
        last = members[-1]
        if scope in partner:
            span[last] = partner_next(scope, end_of[last])
    return tuple(span)
