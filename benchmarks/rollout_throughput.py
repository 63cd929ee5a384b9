"""How many control steps per second the executor runs, against a bare MuJoCo loop and gym-aloha.

    python benchmarks/rollout_throughput.py [--repeat N] [--aloha-steps N] [--seed S] [--quick]

One run measures three things:

(a) executor: ``sim.executor.run_plan`` on the pour-water example (``examples/pour_water``)
    with its cameras at their configured size: the whole call (reset, node generation with
    IK, timelines, stepping, rendering, success check) per control step. Compiling the plan
    is excluded and reported on its own line; ``setup`` is the part of the call before the
    first frame (reset + nodes + timelines).
(b) bare: the same number of control steps on the same compiled model from the same reset
    state, replaying the controls the executor sent: ``mujoco.mj_step(model, data,
    nstep=substeps)`` and ``Renderer.update_scene`` / ``render`` for the same cameras and
    sizes (one renderer per image size, as the environment has). ``ratio`` is executor over
    bare steps/s; the target is at least 0.80 (PASS / MISS).
(c) gym-aloha's ``gym_aloha/AlohaTransferCube-v0`` (``obs_type="pixels_agent_pos"``, 480x640
    "top" image) next to our environment with one 640x480 overhead camera placed as
    gym-aloha's "top", both holding the home pose for ``--aloha-steps`` steps after a reset.
    Ours runs twice: with the pour-water config's render settings (no shadows, no
    multisampling) and with gym-aloha's (4096 px shadow map, 4 samples). ``ratio`` is ours
    over gym-aloha. gym-aloha renders three 480x640 cameras per step (it keeps one), and its
    scene has a cube where ours has a bottle, a cup and water particles.

Every figure is the best of ``--repeat`` runs. Timings are printed, never checked: the exit
status is 0 when everything ran (a MISS included), 1 when the pour-water rollout failed, 2
when the simulation cannot be imported. ``--quick`` runs once with the pour-water cameras
at a quarter of their size and only a few gym-aloha steps.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import mujoco

    from actionbank.plan import ExecutionPlan
    from actionbank.rollout import Frame
    from actionbank.spec.gym_models import GymConfig
    from sim.env import ActionbankEnv

Array = NDArray[np.float64]
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "pour_water"
TARGET_RATIO = 0.80
DEFAULT_REPEAT, DEFAULT_ALOHA_STEPS = 3, 100
QUICK_ALOHA_STEPS, QUICK_CAMERA_SCALE = 5, 4
#: gym-aloha's start pose, each arm then its gripper (1 = open) [rad].
HOME = (0.0, -0.96, 1.16, 0.0, -0.3, 0.0, 1.0) * 2
#: gym-aloha's "top" camera: 0.8 m above the table centre, looking down, fovy 78°.
TOP_EYE, TOP_TARGET, TOP_FOVY_DEG = (0.0, 0.6, 0.8), (0.0, 0.6, 0.0), 78.0
TOP_WIDTH, TOP_HEIGHT = 640, 480
ALOHA_RENDER = {"shadow_size": 4096, "multisamples": 4}


class Timing(NamedTuple):
    label: str
    cameras: str
    steps: int
    seconds: float  # best wall time of the timed part [s]

    @property
    def steps_per_s(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else math.nan


class ExecutorRun(NamedTuple):
    timing: Timing
    setup_s: float  # reset + nodes + timelines of the best run [s]
    controls: list[Array]  # data.ctrl during each step
    final_qpos: Array
    problems: str  # "" when the rollout was valid


def describe_cameras(config: GymConfig) -> str:
    sizes = [f"{c.width}x{c.height}" for c in config.sensor]
    return f"{len(sizes)} x {sizes[0]}" if len(set(sizes)) == 1 else ", ".join(sizes)


def scale_cameras(config: GymConfig, divisor: int) -> GymConfig:
    """``config`` with every camera's image ``divisor`` times smaller (same field of view)."""
    if divisor == 1:
        return config
    sensors = [
        camera.resized(max(1, camera.width // divisor), max(1, camera.height // divisor)) for camera in config.sensor
    ]
    return config.model_copy(update={"sensor": sensors})


def top_camera_config(config: GymConfig, render: dict[str, int] | None = None) -> GymConfig:
    """``config`` with a single 640x480 camera where gym-aloha has its "top" one."""
    from actionbank.spec.gym_models import Camera, LookAt

    focal = TOP_HEIGHT / 2 / math.tan(math.radians(TOP_FOVY_DEG) / 2)
    camera = Camera(
        uid="overhead",
        width=TOP_WIDTH,
        height=TOP_HEIGHT,
        intrinsics=(focal, focal, TOP_WIDTH / 2, TOP_HEIGHT / 2),
        extrinsics=LookAt(eye=TOP_EYE, target=TOP_TARGET, up=(0.0, 1.0, 0.0)),
    )
    update: dict[str, Any] = {"sensor": [camera]}
    if render is not None:
        update["render"] = config.render.model_copy(update=render)
    return config.model_copy(update=update)


def compile_example() -> tuple[GymConfig, ExecutionPlan, float]:
    """The pour-water gym config, its compiled plan and the compile time [s]."""
    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config

    config, _ = load_sim_config(EXAMPLE / "gym_config.yaml")
    begin = time.perf_counter()
    result = compile_file(EXAMPLE / "action_config.yaml", CompileOptions())
    seconds = time.perf_counter() - begin
    if result.plan is None:
        raise SystemExit(f"the pour-water example does not compile: {[str(d) for d in result.diagnostics]}")
    return config, result.plan, seconds


class _ControlRecorder:
    """A frame sink that keeps the controls each step sent and when the first frame came."""

    def __init__(self, env: ActionbankEnv) -> None:
        self.env = env
        self.controls: list[Array] = []
        self.first_frame_at: float | None = None

    def __call__(self, frame: Frame) -> None:
        if self.first_frame_at is None:
            self.first_frame_at = time.perf_counter()
        else:  # before step k the data holds the controls of step k - 1
            self.controls.append(self.env.data.ctrl.copy())


def time_executor(env: ActionbankEnv, plan: ExecutionPlan, seed: int, repeat: int) -> ExecutorRun:
    from sim.executor import run_plan

    best: ExecutorRun | None = None
    for _ in range(repeat):
        recorder = _ControlRecorder(env)
        begin = time.perf_counter()
        rollout = run_plan(plan, env, seed, on_frame=recorder)
        seconds = time.perf_counter() - begin
        controls = [*recorder.controls, env.data.ctrl.copy()]
        setup = (recorder.first_frame_at or time.perf_counter()) - begin
        problems = "; ".join(str(f) for f in rollout.failures)
        timing = Timing("(a) executor run_plan", describe_cameras(env.config), plan.makespan, seconds)
        run = ExecutorRun(timing, setup, controls, env.data.qpos.copy(), problems)
        if best is None or seconds < best.timing.seconds:
            best = run
    assert best is not None
    return best


def time_bare(env: ActionbankEnv, seed: int, controls: Sequence[Array], repeat: int) -> tuple[Timing, Array]:
    """The bare loop from the state ``env.reset(seed)`` leaves; also its final qpos."""
    import mujoco

    model = env.model
    env.reset(seed=seed)  # the same randomised model and start state as the executor's run
    spec = mujoco.mjtState.mjSTATE_INTEGRATION
    start = np.empty(mujoco.mj_stateSize(model, spec))
    mujoco.mj_getState(model, env.data, start, spec)
    cameras = list(env.scene.cameras.items())
    renderers: dict[tuple[int, int], mujoco.Renderer] = {}
    for _, size in cameras:
        if size not in renderers:
            renderers[size] = mujoco.Renderer(model, *size)
    substeps = env.scene.substeps
    best = math.inf
    data = mujoco.MjData(model)
    try:
        for _ in range(repeat):
            mujoco.mj_setState(model, data, start, spec)
            mujoco.mj_forward(model, data)
            begin = time.perf_counter()
            for ctrl in controls:
                data.ctrl[:] = ctrl
                mujoco.mj_step(model, data, nstep=substeps)
                for uid, size in cameras:
                    renderer = renderers[size]
                    renderer.update_scene(data, camera=uid)
                    renderer.render()
            best = min(best, time.perf_counter() - begin)
    finally:
        for renderer in renderers.values():
            renderer.close()
    timing = Timing("(b) bare mj_step + Renderer", describe_cameras(env.config), len(controls), best)
    return timing, data.qpos.copy()


def _time_steps(step: Callable[[], object], steps: int) -> float:
    begin = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - begin


def time_gym_aloha(steps: int, repeat: int, seed: int) -> Timing | str:
    """gym-aloha's transfer-cube env holding the home pose; a reason string when it cannot run."""
    os.environ.setdefault("MUJOCO_GL", "egl")
    try:
        import gym_aloha  # noqa: F401  (registers the environments)
        import gymnasium as gym
    except ImportError as error:
        return f"gym-aloha cannot be imported: {error}"
    env = gym.make("gym_aloha/AlohaTransferCube-v0", obs_type="pixels_agent_pos")
    best = _best_home_hold(env, steps, repeat, seed)
    return Timing("(c) gym-aloha AlohaTransferCube-v0", f"1 x {TOP_WIDTH}x{TOP_HEIGHT}", steps, best)


def time_ours_top(config: GymConfig, label: str, steps: int, repeat: int, seed: int) -> Timing:
    from sim.env import ActionbankEnv

    env = ActionbankEnv(config, EXAMPLE)
    return Timing(label, describe_cameras(config), steps, _best_home_hold(env, steps, repeat, seed))


def _best_home_hold(env: Any, steps: int, repeat: int, seed: int) -> float:
    """Best time [s] over ``repeat`` runs of ``steps`` steps holding the home pose; closes ``env``."""
    action = np.array(HOME, dtype=np.float32)
    best = math.inf
    try:
        for _ in range(repeat):
            env.reset(seed=seed)
            best = min(best, _time_steps(lambda: env.step(action), steps))
    finally:
        env.close()
    return best


def renderer_name(model: mujoco.MjModel) -> str:
    """The OpenGL renderer MuJoCo draws with (e.g. llvmpipe is the CPU one)."""
    import mujoco

    renderer = mujoco.Renderer(model, 8, 8)
    try:
        from OpenGL import GL

        name = GL.glGetString(GL.GL_RENDERER)
        return name.decode() if isinstance(name, bytes) else str(name)
    except Exception as error:  # only a label for the report
        return f"unknown ({type(error).__name__})"
    finally:
        renderer.close()


HEADER = f"{'run':<42} {'cameras':<14} {'steps':>6} {'time s':>8} {'steps/s':>8} {'ratio':>6}"


def row(timing: Timing, baseline: Timing | None) -> str:
    ratio = timing.steps_per_s / baseline.steps_per_s if baseline is not None else math.nan
    ratio_text = f"{ratio:6.2f}" if math.isfinite(ratio) else f"{'-':>6}"
    return (
        f"{timing.label:<42} {timing.cameras:<14} {timing.steps:>6} {timing.seconds:8.2f} "
        f"{timing.steps_per_s:8.1f} {ratio_text}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported: render offscreen when there is no display
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="runs of each measurement; the best counts")
    parser.add_argument(
        "--aloha-steps", type=int, default=DEFAULT_ALOHA_STEPS, help="steps of (c), gym-aloha and ours (default 100)"
    )
    parser.add_argument("--seed", type=int, default=0, help="episode seed")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"one run, cameras of (a)/(b) {QUICK_CAMERA_SCALE}x smaller, {QUICK_ALOHA_STEPS} steps in (c)",
    )
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    aloha_steps = QUICK_ALOHA_STEPS if args.quick else max(1, args.aloha_steps)

    sys.path.insert(0, str(REPO))
    try:
        # sim first: importing it selects headless rendering before MuJoCo is imported.
        from sim.env import ActionbankEnv
    except ImportError as error:
        print(f"cannot import the simulation (sim): {error}", file=sys.stderr)
        return 2
    import mujoco

    config, plan, compile_s = compile_example()
    config = scale_cameras(config, QUICK_CAMERA_SCALE if args.quick else 1)
    env = ActionbankEnv(config, EXAMPLE)
    try:
        print(
            f"python {sys.version.split()[0]}, mujoco {mujoco.__version__}, MUJOCO_GL={os.environ.get('MUJOCO_GL', '')}, "
            f"OpenGL {renderer_name(env.model)}, {os.cpu_count()} CPUs, repeat {repeat}, seed {args.seed}"
        )
        print(f"compile examples/pour_water: {compile_s * 1e3:.1f} ms (not in the timings below)")
        print()
        executor = time_executor(env, plan, args.seed, repeat)
        bare, bare_qpos = time_bare(env, args.seed, executor.controls, repeat)
    finally:
        env.close()

    print(HEADER)
    print(row(executor.timing, bare))
    print(row(bare, bare))
    print(
        f"{'':>4}setup before the first frame (reset + nodes + timelines) {executor.setup_s * 1e3:.0f} ms; "
        f"bare replay ends {np.max(np.abs(bare_qpos - executor.final_qpos)):.1e} from the executor's final qpos"
    )
    if executor.problems:
        print(f"{'':>4}! the rollout failed: {executor.problems}")

    aloha = time_gym_aloha(aloha_steps, repeat, args.seed)
    baseline = aloha if isinstance(aloha, Timing) else None
    if isinstance(aloha, Timing):
        print(row(aloha, aloha))
    else:
        print(f"{'(c) gym-aloha AlohaTransferCube-v0':<42} skipped: {aloha}")
    plain = top_camera_config(config)
    shadowed = top_camera_config(config, ALOHA_RENDER)
    ours = [
        time_ours_top(plain, "(c) ours, no shadows, no MSAA", aloha_steps, repeat, args.seed),
        time_ours_top(shadowed, "(c) ours, gym-aloha's shadows and MSAA", aloha_steps, repeat, args.seed),
    ]
    for timing in ours:
        print(row(timing, baseline))

    ratio = executor.timing.steps_per_s / bare.steps_per_s
    print()
    print(
        f"{'PASS' if ratio >= TARGET_RATIO else 'MISS'}  executor / bare = {ratio:.2f} (target >= {TARGET_RATIO:.2f})"
    )
    return 1 if executor.problems else 0


if __name__ == "__main__":
    sys.exit(main())
