"""``actionbank generate``: compile a config pair, run episodes in MuJoCo, record valid ones.

Episode attempt ``a`` uses the seed derived from ``(seed, a)``; the dataset holds the first
valid attempts in attempt order, so the same configs and seed give the same episodes.
Invalid rollouts are never written: frames stream into the writer's episode buffer and are
discarded when the rollout fails. MuJoCo and LeRobot are imported only when a job runs, so
the compiler's commands stay light.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from actionbank.compiler import CompileOptions, compile_file
from actionbank.errors import ActionbankError, CompileError

__all__ = ["GenerateOptions", "GenerateSummary", "episode_seed", "generate"]

#: How a failed rollout is counted in the summary, by the stage that failed.
DISCARD_REASONS = {
    "node": "node failure",
    "ik": "IK failure",
    "task_check": "task check failed",
    "edge": "exception in an edge",
    "exception": "exception in an edge",
}


class GenerationFailed(ActionbankError):
    """The target number of valid episodes was not reached within the attempts."""

    exit_code = 1


@dataclass(frozen=True)
class GenerateOptions:
    gym_config: Path
    action_config: Path
    max_episodes: int | None = None
    seed: int = 0
    output: Path | None = None
    resume: Path | None = None
    max_attempts: int | None = None
    save: bool = True


@dataclass
class GenerateSummary:
    root: Path | None
    saved: int = 0
    discarded: Counter[str] = field(default_factory=Counter)
    frames: int = 0
    wall_time: float = 0.0
    target: int = 0

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.wall_time if self.wall_time else 0.0


def episode_seed(seed: int, attempt: int) -> int:
    """The seed of attempt ``attempt`` of a run seeded ``seed`` (stable across runs and machines)."""
    digest = hashlib.sha256(f"actionbank/{seed}/{attempt}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


Progress = Callable[[GenerateSummary, float], None]


def generate(options: GenerateOptions, progress: Progress | None = None) -> GenerateSummary:
    """Run the job; raises :class:`CompileError` on config errors (nothing runs then) and
    :class:`GenerationFailed` when too many attempts fail (what was saved stays valid)."""
    os.environ.setdefault("SVT_LOG", "1")  # LeRobot's AV1 encoder: errors only on stderr
    import datasets  # type: ignore[import-untyped]

    datasets.disable_progress_bars()  # LeRobot's per-episode "Map" bars would break our progress line
    from recorder import DatasetSpec, DatasetWriter, dataset_root, read_episode_records
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    config, _warnings = load_sim_config(options.gym_config)
    compiled = compile_file(options.action_config, CompileOptions(gym_config=options.gym_config))
    if compiled.plan is None:
        raise CompileError(compiled.diagnostics)
    plan = compiled.plan
    target = options.max_episodes if options.max_episodes is not None else config.max_episodes
    max_attempts = options.max_attempts if options.max_attempts is not None else max(4 * target, target + 4)
    params = config.env.dataset.lerobot.params if config.env.dataset else None
    env = ActionbankEnv(config, options.gym_config.parent)
    summary = GenerateSummary(root=None, target=target)
    writer = None
    first_attempt = 0
    try:
        if options.save:
            if options.resume is not None:
                writer = DatasetWriter.open_for_resume(options.resume)
                records = read_episode_records(options.resume)
                first_attempt = 1 + max((int(r.get("metrics", {}).get("attempt", -1)) for r in records), default=-1)
                summary.root = options.resume
            else:
                robot_type = params.robot_meta.robot_type if params else config.robot.robot_type
                extra = dict(params.extra) if params else {}
                root = dataset_root(
                    options.output,
                    robot_type,
                    str(extra.get("scene_type", "scene")),
                    str(extra.get("task_description", config.id)),
                )
                spec = DatasetSpec(
                    repo_id=f"actionbank/{root.name}",
                    root=root,
                    fps=round(config.control_freq),
                    robot_type=robot_type,
                    task=params.instruction.lang if params else config.id,
                    state_names=env.state_names,
                    action_names=env.state_names,
                    cameras=dict(env.scene.cameras),
                    use_videos=params.use_videos if params else True,
                    scopes=tuple(s.name for s in plan.scopes),
                    edge_labels=tuple(f"{e.scope}/{e.name}" for e in plan.edges),
                    extra=extra,
                    gym_config_text=options.gym_config.read_text(encoding="utf-8"),
                    action_config_text=options.action_config.read_text(encoding="utf-8"),
                    package_version=version("actionbank"),
                    gym_config_name=options.gym_config.name,
                    action_config_name=options.action_config.name,
                )
                writer = DatasetWriter.create(spec)
                summary.root = root
            summary.saved = writer.num_episodes
        began = time.perf_counter()
        attempt = first_attempt
        while summary.saved < target and attempt - first_attempt < max_attempts:
            if writer is not None:
                writer.begin_episode()
            rollout = run_plan(
                plan,
                env,
                episode_seed(options.seed, attempt),
                on_frame=writer.add_frame if writer is not None else None,
            )
            rollout.metrics["attempt"] = float(attempt)
            if rollout.valid:
                if writer is not None:
                    writer.save_episode(rollout)
                summary.saved += 1
                summary.frames += plan.makespan
            else:
                if writer is not None:
                    writer.discard_episode()
                stage = rollout.failures[0].stage if rollout.failures else "task_check"
                summary.discarded[DISCARD_REASONS[stage]] += 1
            attempt += 1
            summary.wall_time = time.perf_counter() - began
            if progress is not None:
                progress(summary, summary.wall_time)
    finally:
        env.close()
        if writer is not None:
            writer.finalize()
    if summary.saved < target:
        reasons = ", ".join(f"{n} {reason}" for reason, n in summary.discarded.most_common()) or "none"
        raise GenerationFailed(
            f"only {summary.saved} of {target} episodes are valid after {max_attempts} attempts (discarded: {reasons}); "
            f"what was saved is in {summary.root}"
        )
    return summary
