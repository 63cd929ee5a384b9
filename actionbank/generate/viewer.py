"""``actionbank generate --preview``: the first attempt in MuJoCo's interactive viewer."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from actionbank.attempts import episode_seed
from actionbank.generate.options import DEFAULT_SEED, GenerateOptions
from actionbank.generate.run_spec import compile_run

if TYPE_CHECKING:
    from actionbank.rollout import Frame, Rollout

__all__ = ["preview"]


def preview(options: GenerateOptions) -> Rollout:
    """Run the first attempt in MuJoCo's interactive viewer, in real time; save nothing.

    Needs a display (the caller checks). Closing the viewer lets the episode finish unseen.
    """
    import mujoco.viewer

    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    config, plan = compile_run(options)
    env = ActionbankEnv(
        config, options.gym_config.parent, render_images=False, allow_outside_assets=options.allow_outside_assets
    )
    period = 1.0 / config.control_freq  # [s] per control step
    before = set(threading.enumerate())
    try:
        with mujoco.viewer.launch_passive(env.model, env.data) as viewer:
            due = time.perf_counter()

            def show(_frame: Frame) -> None:
                nonlocal due
                if viewer.is_running():
                    viewer.sync()
                    due += period
                    time.sleep(max(0.0, due - time.perf_counter()))

            seed = options.seed if options.seed is not None else DEFAULT_SEED
            return run_plan(plan, env, episode_seed(seed, 0), on_frame=show)
    finally:
        # The viewer tears its window down in a thread of its own; leaving before it is done
        # crashes the interpreter at exit (seen with MuJoCo 3.8 on Xvfb).
        for thread in set(threading.enumerate()) - before:
            thread.join(timeout=10)
        env.close()
