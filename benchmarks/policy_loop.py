"""The loop closed in LeRobot: generate transfer-cube episodes, train ACT on them, evaluate it in our scene.

    python benchmarks/policy_loop.py [--episodes 50] [--steps 20000] [--train-minutes 35]
                                     [--eval-episodes 50] [--output DIR] [--dataset DIR] [--quick]

Three commands, each run as a subprocess and printed as run:

1. ``actionbank generate`` records ``--episodes`` transfer-cube episodes (run seed ``--seed``)
   with ``benchmarks/policy_loop_gym_config.yaml`` (``--dataset``: use one generated before):
   the transfer-cube scene without a camera, observing the joint state and
   ``observation.environment_state`` (the cube's pose and both tool poses), so that ACT trains
   on a CPU.
2. ``lerobot-train`` trains LeRobot's ACT on them on the CPU (no downloads: no pretrained
   backbone, no hub; torch on one thread) for ``--steps`` steps, saving a checkpoint every
   ``--save-every`` steps; after ``--train-minutes`` it is stopped and the last checkpoint is used.
3. ``lerobot-eval --env.type=actionbank`` runs the policy in the same scene for
   ``--eval-episodes`` episodes seeded ``--eval-seed``, ``--eval-seed`` + 1, …; none is the seed
   of a training episode (checked against the dataset's provenance).

The scripted expert (the action config's plan through ``sim.executor.run_plan``, what
``generate`` records) then runs the same seeds, and its success rate is printed next to the
policy's, with each stage's wall time. The numbers go to ``OUTPUT/policy_loop.json`` too.
Rates and times are printed, never checked: exit status 0 when every stage ran, 1 when one
failed (its output's tail is printed). ``--quick``: 3 episodes, 4 training steps of a tiny ACT,
1 evaluation episode of 20 steps: the wiring only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[1]
GYM_CONFIG = REPO / "benchmarks" / "policy_loop_gym_config.yaml"
ACTION_CONFIG = REPO / "examples" / "transfer_cube" / "action_config.yaml"
#: Where the issue wants the policy: this success rate from 50 episodes and an hour of CPU training.
TARGET_RATE = 0.60
#: ACT for a state-only input on a CPU: smaller than LeRobot's default (dim 512, 4 encoder
#: layers, chunks of 100), re-planning every 10 steps, a higher learning rate for few steps.
ACT_ARGS = (
    "--policy.dim_model=128",
    "--policy.dim_feedforward=512",
    "--policy.n_encoder_layers=1",
    "--policy.chunk_size=20",
    "--policy.n_action_steps=10",
    "--policy.optimizer_lr=1e-4",
)
#: A few-second ACT for ``--quick``.
TINY_ACT_ARGS = (
    "--policy.dim_model=32",
    "--policy.dim_feedforward=64",
    "--policy.n_encoder_layers=1",
    "--policy.n_vae_encoder_layers=1",
    "--policy.chunk_size=10",
    "--policy.n_action_steps=10",
)
#: Offline, and torch on one thread per process: on a small shared machine torch's default (a
#: thread per core) made an ACT update ten times slower (0.24 s → 2.7 s per batch of 8, measured).
SUBPROCESS_ENV = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "WANDB_MODE": "disabled", "OMP_NUM_THREADS": "1"}


class Stage(NamedTuple):
    name: str
    command: list[str]
    seconds: float  # wall time [s]
    returncode: int  # the process's exit status (-9 when stopped at the time budget)
    tail: str  # the end of its output


def _environment() -> dict[str, str]:
    """This process's environment, offline, with the checkout first on the path (so that the
    subprocesses import this checkout's actionbank and lerobot_env_actionbank)."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **SUBPROCESS_ENV, "PYTHONPATH": path, "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}


def run_stage(name: str, command: list[str], log: Path, timeout_s: float | None = None) -> Stage:
    """Run ``command``, its output to ``log``; stopped (status -9) after ``timeout_s`` [s]."""
    print(f"$ {' '.join(command)}", flush=True)
    start = time.perf_counter()
    with log.open("w") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=_environment(), cwd=REPO)
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            returncode = -9
    seconds = time.perf_counter() - start
    tail = log.read_text(errors="replace")[-3000:]
    print(f"  {name}: exit {returncode} after {seconds:.0f} s (log: {log})", flush=True)
    return Stage(name, command, seconds, returncode, tail)


def generate_command(episodes: int, seed: int, dataset: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "actionbank", "generate"),
        *("--gym-config", str(GYM_CONFIG), "--action-config", str(ACTION_CONFIG)),
        *("--max-episodes", str(episodes), "--seed", str(seed), "--output", str(dataset)),
    ]


def input_features(dataset: Path) -> dict[str, dict[str, Any]]:
    """ACT's inputs: the dataset's state and environment state, as ``--policy.input_features``."""
    features = json.loads((dataset / "meta" / "info.json").read_text())["features"]
    return {
        key: {"type": kind, "shape": list(features[key]["shape"])}
        for key, kind in (("observation.state", "STATE"), ("observation.environment_state", "ENV"))
    }


def train_command(
    dataset: Path, out: Path, steps: int, save_every: int, batch: int, quick: bool, workers: int = 0
) -> list[str]:
    return [
        *(sys.executable, "-m", "lerobot.scripts.lerobot_train"),
        f"--dataset.repo_id=actionbank/{dataset.name}",
        f"--dataset.root={dataset}",
        "--policy.type=act",
        f"--policy.input_features={json.dumps(input_features(dataset))}",
        *("--policy.device=cpu", "--policy.push_to_hub=false", "--policy.pretrained_backbone_weights=null"),
        *(TINY_ACT_ARGS if quick else ACT_ARGS),
        *(f"--steps={steps}", f"--save_freq={save_every}", f"--batch_size={batch}", f"--num_workers={workers}"),
        *("--wandb.enable=false", "--log_freq=100", f"--output_dir={out}"),
    ]


def eval_command(model: Path, out: Path, episodes: int, seed: int, episode_length: int | None) -> list[str]:
    length = [] if episode_length is None else [f"--env.episode_length={episode_length}"]
    return [
        *(sys.executable, "-m", "lerobot.scripts.lerobot_eval"),
        f"--policy.path={model}",
        "--policy.device=cpu",
        "--env.discover_packages_path=lerobot_env_actionbank",
        "--env.type=actionbank",
        f"--env.gym_config={GYM_CONFIG}",
        f"--env.action_config={ACTION_CONFIG}",
        *length,
        *(f"--eval.n_episodes={episodes}", "--eval.batch_size=1", f"--seed={seed}", f"--output_dir={out}"),
    ]


def last_checkpoint(train_dir: Path) -> tuple[int, Path] | None:
    """The latest saved ``(step, pretrained_model folder)`` of a training run, if any."""
    found = sorted(
        (int(p.name), p / "pretrained_model")
        for p in (train_dir / "checkpoints").glob("[0-9]*")
        if (p / "pretrained_model" / "model.safetensors").is_file()
    )
    return found[-1] if found else None


def training_seeds(dataset: Path) -> set[int]:
    """The episode seeds of the dataset's episodes (its provenance)."""
    lines = (dataset / "meta" / "actionbank" / "episodes.jsonl").read_text().splitlines()
    return {int(json.loads(line)["seed"]) for line in lines if line.strip()}


def policy_successes(eval_dir: Path) -> list[bool]:
    """Per evaluation episode, in seed order: did the success check pass (``lerobot-eval``'s record)."""
    info = json.loads((eval_dir / "eval_info.json").read_text())
    return [bool(s) for task in info["per_task"] for s in task["metrics"]["successes"]]


def expert_successes(seeds: Sequence[int]) -> list[bool]:
    """Per seed: does the scripted expert (the plan through ``run_plan``, as ``generate``) succeed."""
    from actionbank.compiler import CompileOptions, compile_file
    from sim.config import load_sim_config
    from sim.env import ActionbankEnv
    from sim.executor import run_plan

    config, _ = load_sim_config(GYM_CONFIG)
    plan = compile_file(ACTION_CONFIG, CompileOptions(gym_config=GYM_CONFIG)).plan
    assert plan is not None, "the benchmark's configs compile (tests/benchmarks/test_policy_loop.py)"
    env = ActionbankEnv(config, GYM_CONFIG.parent, render_images=False)
    try:
        return [run_plan(plan, env, seed).valid for seed in seeds]
    finally:
        env.close()


def rate(outcomes: Sequence[bool]) -> str:
    return f"{sum(outcomes)}/{len(outcomes)} ({100 * sum(outcomes) / len(outcomes):.0f} %)" if outcomes else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=50, help="episodes to generate and train on")
    parser.add_argument("--seed", type=int, default=0, help="generate's run seed")
    parser.add_argument("--steps", type=int, default=20000, help="training steps")
    parser.add_argument("--save-every", type=int, default=500, help="checkpoint every N training steps")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="lerobot-train's data-loading processes")
    parser.add_argument("--dataset", type=Path, help="train on this generated dataset instead of generating one")
    parser.add_argument("--train-minutes", type=float, default=35.0, help="stop training after this [min]")
    parser.add_argument("--eval-episodes", type=int, default=50)
    parser.add_argument("--eval-seed", type=int, default=1000, help="the first evaluation seed")
    parser.add_argument("--episode-length", type=int, help="evaluation steps per episode (default: the env's)")
    parser.add_argument("--output", type=Path, default=REPO / "out" / "policy_loop")
    parser.add_argument("--quick", action="store_true", help="the wiring only: tiny data, model and evaluation")
    args = parser.parse_args(argv)
    if args.quick:
        args.episodes, args.steps, args.save_every, args.batch_size = 3, 4, 4, 2
        args.eval_episodes, args.episode_length, args.workers = 1, args.episode_length or 20, 0
    out: Path = args.output.resolve()
    out.mkdir(parents=True, exist_ok=True)
    dataset, train_dir, eval_dir = out / "dataset", out / "train", out / "eval"
    for stale in (train_dir, eval_dir) if args.dataset else (dataset, train_dir, eval_dir):
        if stale.exists():
            print(f"{stale} exists: choose another --output or remove it", file=sys.stderr)
            return 2
    stages: list[Stage] = []
    if args.dataset is not None:
        dataset = args.dataset.resolve()
    else:
        stages.append(run_stage("generate", generate_command(args.episodes, args.seed, dataset), out / "generate.log"))
        if stages[-1].returncode != 0:
            return _failed(stages[-1])
    episodes = json.loads((dataset / "meta" / "info.json").read_text())["total_episodes"]
    train = train_command(dataset, train_dir, args.steps, args.save_every, args.batch_size, args.quick, args.workers)
    stages.append(run_stage("train", train, out / "train.log", timeout_s=args.train_minutes * 60))
    checkpoint = last_checkpoint(train_dir)
    if checkpoint is None:
        return _failed(stages[-1])
    step, model = checkpoint
    evaluate = eval_command(model, eval_dir, args.eval_episodes, args.eval_seed, args.episode_length)
    stages.append(run_stage("evaluate", evaluate, out / "eval.log"))
    if stages[-1].returncode != 0:
        return _failed(stages[-1])
    seeds = list(range(args.eval_seed, args.eval_seed + args.eval_episodes))
    overlap = sorted(set(seeds) & training_seeds(dataset))
    policy = policy_successes(eval_dir)
    start = time.perf_counter()
    expert = expert_successes(seeds)
    expert_s = time.perf_counter() - start
    result = {
        "episodes": episodes,
        "train_steps": step,
        "checkpoint": str(model),
        "eval_seeds": seeds,
        "seeds_also_in_training": overlap,
        "policy_successes": policy,
        "expert_successes": expert,
        "policy_rate": sum(policy) / len(policy),
        "expert_rate": sum(expert) / len(expert),
        "stage_seconds": {s.name: round(s.seconds, 1) for s in stages} | {"expert": round(expert_s, 1)},
        "commands": {s.name: s.command for s in stages},
    }
    (out / "policy_loop.json").write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(f"transfer cube, {episodes} generated episodes, ACT trained {step} steps on a CPU")
    print(f"evaluation seeds {seeds[0]}..{seeds[-1]} (in training: {overlap or 'none'})")
    print(f"{'':<16}{'success':>16}")
    print(f"{'ACT policy':<16}{rate(policy):>16}   target >= {TARGET_RATE:.0%}")
    print(f"{'scripted expert':<16}{rate(expert):>16}")
    print("wall time [s]: " + ", ".join(f"{k} {v:.0f}" for k, v in result["stage_seconds"].items()))
    print(f"results: {out / 'policy_loop.json'}")
    return 0


def _failed(stage: Stage) -> int:
    print(f"{stage.name} failed (exit {stage.returncode}); its output ends:\n{stage.tail}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
