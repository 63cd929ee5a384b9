"""MuJoCo execution of compiled plans: scenes from gym configs, kinematics, the function
library, the Gymnasium environment and the plan executor.

Importing this package selects headless EGL rendering when no display is present (MuJoCo
reads ``MUJOCO_GL`` when it is first imported).
"""

from __future__ import annotations

import os

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("MUJOCO_GL", "egl")
    os.environ.setdefault("PYOPENGL_PLATFORM", os.environ["MUJOCO_GL"])
