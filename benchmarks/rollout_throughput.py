"""How many control steps per second the executor runs on every example, against a bare
MuJoCo loop and gym-aloha.

    python benchmarks/rollout_throughput.py [--example NAME ...] [--repeat N] [--aloha-steps N]
                                            [--seed S] [--quick]

One run measures, for every example folder in ``examples/`` (each with a ``gym_config.yaml``
and an ``action_config.yaml``; ``--example NAME``, repeatable, picks some), side by side with
its robot's name:

(a) executor: ``sim.executor.run_plan`` on the example with its cameras at their configured
    size: the whole call (reset, node generation with IK, timelines, stepping, rendering,
    success check) per control step. Compiling the plan is excluded and reported on its own
    line; ``setup`` is the part of the call before the first frame (reset + nodes + timelines).
(b) bare: the same number of control steps on the same compiled model from the same reset
    state, replaying the controls the executor sent: ``mujoco.mj_step(model, data,
    nstep=substeps)`` and ``Renderer.update_scene`` / ``render`` for the same cameras and
    sizes (one renderer per image size, as the environment has). ``ratio`` is executor over
    bare steps/s; the target is at least 0.80 (PASS / MISS), per example.

and, when ``pour_water`` is among them (its ALOHA scene is the one gym-aloha has):

(c) gym-aloha's ``gym_aloha/AlohaTransferCube-v0`` (``obs_type="pixels_agent_pos"``, 480x640
    "top" image) next to our environment with one 640x480 overhead camera placed as
    gym-aloha's "top", both holding the home pose for ``--aloha-steps`` steps after a reset.
    Ours runs twice: with the pour-water config's render settings (no shadows, no
    multisampling) and with gym-aloha's (4096 px shadow map, 4 samples). ``ratio`` is ours
    over gym-aloha. gym-aloha renders three 480x640 cameras per step (it keeps one), and its
    scene has a cube where ours has a bottle, a cup and water particles.

Every figure is the best of ``--repeat`` runs. Timings are printed, never checked: the exit
status is 0 when everything ran (a MISS included), 1 when an example's rollout failed, 2
when the simulation cannot be imported or an example named does not exist. ``--quick`` runs
once with every camera at a quarter of its size and only a few gym-aloha steps.
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
EXAMPLES = REPO / "examples"
EXAMPLE = EXAMPLES / "pour_water"
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


def examples(names: Sequence[str] | None = None) -> list[Path]:
    """Every example folder (a ``gym_config.yaml`` and an ``action_config.yaml``), sorted by
    name, or the ones ``names`` gives in that order; raises ``KeyError`` naming the choices for
    a name that is not one."""
    found = {
        folder.name: folder
        for folder in sorted(EXAMPLES.iterdir())
        if (folder / "gym_config.yaml").is_file() and (folder / "action_config.yaml").is_file()
    }
    if not names:
        return list(found.values())
    unknown = [name for name in names if name not in found]
    if unknown:
        raise KeyError(f"no example {', '.join(map(repr, unknown))}; the examples are: {', '.join(found)}")
    return [found[name] for name in dict.fromkeys(names)]


def robot_name(config: GymConfig) -> str:
    """The robot an example runs: its registered type, or the model file it declares."""
    robot = config.robot
    return robot.robot_type or f"{robot.uid} ({Path(robot.fpath or '').name})"


def compile_example(example: Path = EXAMPLE) -> tuple[GymConfig, ExecutionPlan, float]:
    """``example``'s gym config, its compiled plan and the compile time [s]."""
    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config

    config, _ = load_sim_config(example / "gym_config.yaml")
    begin = time.perf_counter()
    result = compile_file(example / "action_config.yaml", CompileOptions())
    seconds = time.perf_counter() - begin
    if result.plan is None:
        raise SystemExit(f"the {example.name} example does not compile: {[str(d) for d in result.diagnostics]}")
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
EXAMPLE_HEADER = f"{'example':<18} {'robot':<14} " + HEADER


def row(timing: Timing, baseline: Timing | None) -> str:
    ratio = timing.steps_per_s / baseline.steps_per_s if baseline is not None else math.nan
    ratio_text = f"{ratio:6.2f}" if math.isfinite(ratio) else f"{'-':>6}"
    return (
        f"{timing.label:<42} {timing.cameras:<14} {timing.steps:>6} {timing.seconds:8.2f} "
        f"{timing.steps_per_s:8.1f} {ratio_text}"
    )


class ExampleResult(NamedTuple):
    """(a) and (b) of one example."""

    example: str
    robot: str
    compile_s: float  # compiling its plan [s]
    executor: ExecutorRun
    bare: Timing
    bare_gap: float  # largest |qpos| difference between the bare replay's end and the executor's [rad or m]

    @property
    def ratio(self) -> float:
        return self.executor.timing.steps_per_s / self.bare.steps_per_s


def measure_example(example: Path, seed: int, repeat: int, camera_scale: int) -> ExampleResult:
    """Compile ``example``, run (a) and (b) on it."""
    from sim.env import ActionbankEnv

    config, plan, compile_s = compile_example(example)
    config = scale_cameras(config, camera_scale)
    env = ActionbankEnv(config, example)
    try:
        executor = time_executor(env, plan, seed, repeat)
        bare, bare_qpos = time_bare(env, seed, executor.controls, repeat)
    finally:
        env.close()
    gap = float(np.max(np.abs(bare_qpos - executor.final_qpos)))
    return ExampleResult(example.name, robot_name(config), compile_s, executor, bare, gap)


def main(argv: Sequence[str] | None = None) -> int:
    from sim.gl import prefer_headless_gl

    prefer_headless_gl()  # before MuJoCo is imported: render offscreen when there is no display
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--example",
        action="append",
        metavar="NAME",
        help="an example folder in examples/ (repeatable; default: every one)",
    )
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
    try:
        chosen = examples(args.example)
    except KeyError as error:
        print(f"rollout_throughput: {error.args[0]}", file=sys.stderr)
        return 2

    sys.path.insert(0, str(REPO))
    try:
        from sim.env import ActionbankEnv
    except ImportError as error:
        print(f"cannot import the simulation (sim): {error}", file=sys.stderr)
        return 2
    import mujoco

    from sim.config import load_sim_config

    probe = ActionbankEnv(load_sim_config(chosen[0] / "gym_config.yaml")[0], chosen[0])
    try:
        print(
            f"python {sys.version.split()[0]}, mujoco {mujoco.__version__}, MUJOCO_GL={os.environ.get('MUJOCO_GL', '')}, "
            f"OpenGL {renderer_name(probe.model)}, {os.cpu_count()} CPUs, repeat {repeat}, seed {args.seed}"
        )
    finally:
        probe.close()
    results: list[ExampleResult] = []
    for example in chosen:
        result = measure_example(example, args.seed, repeat, QUICK_CAMERA_SCALE if args.quick else 1)
        print(
            f"{result.example} ({result.robot}): compile {result.compile_s * 1e3:.1f} ms (not in the timings), "
            f"setup before the first frame {result.executor.setup_s * 1e3:.0f} ms, bare replay ends "
            f"{result.bare_gap:.1e} from the executor's final qpos",
            flush=True,
        )
        results.append(result)

    print()
    print(EXAMPLE_HEADER)
    for result in results:
        for timing in (result.executor.timing, result.bare):
            print(f"{result.example:<18} {result.robot:<14} {row(timing, result.bare)}")
    for result in results:
        if result.executor.problems:
            print(f"{'':>4}! the {result.example} rollout failed: {result.executor.problems}")

    if any(example.name == EXAMPLE.name for example in chosen):
        print()
        print(f"gym-aloha next to ours on the {EXAMPLE.name} scene (ALOHA), holding the home pose:")
        print(HEADER)
        config, _ = load_sim_config(EXAMPLE / "gym_config.yaml")
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

    print()
    for result in results:
        verdict = "PASS" if result.ratio >= TARGET_RATIO else "MISS"
        print(
            f"{verdict}  {result.example} ({result.robot}): executor / bare = {result.ratio:.2f} "
            f"(target >= {TARGET_RATIO:.2f})"
        )
    return 1 if any(result.executor.problems for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
