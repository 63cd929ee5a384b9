"""Which OpenGL backend MuJoCo renders with, chosen by the process that renders.

MuJoCo reads ``MUJOCO_GL`` (and PyOpenGL ``PYOPENGL_PLATFORM``) once, when ``mujoco`` is first
imported, so the choice belongs to a program's entry point, before anything imports MuJoCo:
``actionbank generate`` calls :func:`prefer_headless_gl` before it builds environments, and so
do the tests. Importing ``sim`` changes nothing in the process environment.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

__all__ = ["prefer_headless_gl"]


def prefer_headless_gl(environ: MutableMapping[str, str] | None = None) -> None:
    """Select headless EGL rendering when there is no display and no backend was chosen (a
    ``MUJOCO_GL`` already set is kept). Has no effect once ``mujoco`` has been imported."""
    environ = os.environ if environ is None else environ
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        environ.setdefault("MUJOCO_GL", "egl")
        environ.setdefault("PYOPENGL_PLATFORM", environ["MUJOCO_GL"])
