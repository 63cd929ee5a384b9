"""Checks of what a scene's cameras and lights see by: names safe as file names, and geometry
with a defined direction.

A camera uid names a dataset feature (``observation.images.<uid>``) and its video files, so
it holds only letters, digits, ``_`` and ``-``. A look-at camera needs a view direction (eye
away from target) and an ``up`` across it: with ``up`` along the view the image's roll would
be picked arbitrarily, so that is an error, not a silent choice. An attached camera's
quaternion is normalised by MuJoCo: zero length is an error, a length far from 1 a warning.
Intrinsics this backend cannot render (fx != fy, an off-centre principal point) are a
warning. A directional or spot light needs a direction.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import Attached, GymConfig, LookAt

__all__ = ["check_cameras", "check_lights"]

#: Characters a camera uid may hold: it names a dataset feature and a video folder.
_SAFE_UID = re.compile(r"[A-Za-z0-9_-]+")
#: How far an attached camera's quaternion may be from unit length before a warning.
_UNIT_TOLERANCE = 1e-3

Vector = Sequence[float]


def _norm(vector: Vector) -> float:
    return math.sqrt(sum(x * x for x in vector))


def _cross(a: Vector, b: Vector) -> tuple[float, float, float]:
    return a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]


def check_cameras(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Camera uids are safe as file names; a look-at camera has a view direction and an up that
    is not along it; an attached camera's quaternion has a length; intrinsics are rendered."""
    for index, camera in enumerate(config.sensor):
        pointer = jp.join("/sensor", index)
        if not _SAFE_UID.fullmatch(camera.uid):
            yield Diagnostic.make(
                "AB623",
                jp.join(pointer, "uid"),
                uid=camera.uid,
                hint="the uid names the camera's dataset feature (observation.images.<uid>) and its video files",
            )
        extrinsics = camera.extrinsics
        if isinstance(extrinsics, LookAt):
            yield from _look_at_problems(camera.uid, extrinsics, jp.join(pointer, "extrinsics"))
        elif isinstance(extrinsics, Attached):
            norm = _norm(extrinsics.quat)
            quat_pointer = jp.join(pointer, "extrinsics", "quat")
            if norm < 1e-9:
                yield Diagnostic.make(
                    "AB626",
                    quat_pointer,
                    camera=camera.uid,
                    hint="the identity orientation is [1, 0, 0, 0] (w, x, y, z)",
                )
            elif abs(norm - 1.0) > _UNIT_TOLERANCE:
                yield Diagnostic.make("AB627", quat_pointer, camera=camera.uid, norm=norm)
        fx, fy, cx, cy = camera.intrinsics
        ignored = []
        if not math.isclose(fx, fy, rel_tol=1e-6):
            ignored.append(f"fx {fx} differs from fy {fy}")
        if abs(cx - camera.width / 2) > 0.5 or abs(cy - camera.height / 2) > 0.5:
            ignored.append(f"the principal point ({cx}, {cy}) is not the image centre")
        if ignored:
            yield Diagnostic.make(
                "AB631",
                jp.join(pointer, "intrinsics"),
                camera=camera.uid,
                reason="; ".join(ignored),
                hint=f"this backend renders a centred pinhole with the vertical field of view of fy; "
                f"use [fy, fy, {camera.width / 2:g}, {camera.height / 2:g}] to record what it renders",
            )


def _look_at_problems(uid: str, look: LookAt, pointer: str) -> Iterator[Diagnostic]:
    view = [t - e for e, t in zip(look.eye, look.target, strict=True)]
    length = _norm(view)
    if length < 1e-9:
        yield Diagnostic.make(
            "AB624",
            jp.join(pointer, "target"),
            camera=uid,
            hint="move target away from eye: the camera looks from eye to target",
        )
        return
    up = _norm(look.up)
    if up < 1e-9 or _norm(_cross(look.up, view)) <= 1e-6 * up * length:
        yield Diagnostic.make(
            "AB625",
            jp.join(pointer, "up"),
            camera=uid,
            up=list(look.up),
            hint="up sets which way is up in the image; give a direction across the view, "
            "e.g. [0, 1, 0] for a camera looking straight down",
        )


def check_lights(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """A directional or spot light points somewhere."""
    for index, light in enumerate(config.light.direct if config.light else []):
        if light.light_type != "point" and _norm(light.direction) < 1e-9:
            yield Diagnostic.make(
                "AB628",
                jp.join("/light/direct", index, "direction"),
                light=light.uid,
                kind=light.light_type,
                hint="e.g. [0, 0, -1] shines straight down",
            )
