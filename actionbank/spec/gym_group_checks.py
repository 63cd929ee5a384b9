"""Checks of ``rigid_object_group`` members and of event modes EmbodiChain has and we map.

A member's uid is its key in ``rigid_objects``: a member that also gives a different ``uid``
is an error (AB754). Members share the uid namespace of every other object (AB602, in
:func:`actionbank.spec.gym_checks.check_unique_uids`) and are checked as objects by the shape
and size checks. An event in mode ``prestartup`` runs as ``startup`` (AB755, a note).
"""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import GymConfig

__all__ = ["check_event_modes", "check_group_members"]


def check_group_members(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """AB754 for each member whose ``uid`` differs from its key."""
    for index, group in enumerate(config.rigid_object_group):
        for key, member in group.rigid_objects.items():
            if member.uid is not None and member.uid != key:
                yield Diagnostic.make(
                    "AB754",
                    jp.join("", "rigid_object_group", index, "rigid_objects", key, "uid"),
                    group=group.uid,
                    key=key,
                    uid=member.uid,
                    hint=f"remove the uid, or write it as {key!r}",
                )


def check_event_modes(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """AB755 (a note) for each event in mode ``prestartup``."""
    for label, event in config.env.events.items():
        if event.mode == "prestartup":
            yield Diagnostic.make(
                "AB755",
                jp.join("", "env", "events", label, "mode"),
                label=label,
                hint="write mode: startup to silence this note",
            )
