"""Runs an :class:`~actionbank.plan.ExecutionPlan` on an :class:`~sim.env.ActionbankEnv`.

1. reset with the episode seed; the environment registers its affordances;
2. run the node generators in the plan's dataflow order, collecting every failure;
3. lay out each scope's timeline (makespan × dim) from its edges (``still`` / ``scalable``,
   ``span_end``) and assemble the action vector in control-part order;
4. step the environment through the timeline, handing each frame to ``on_frame`` (or keeping
   it in the rollout), then run the gym config's success check.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.functions import FunctionKind, FunctionRegistry
from actionbank.plan import ExecutionPlan, PlanEdge, PlanNode
from actionbank.rollout import Failure, Frame, Rollout
from actionbank.spec.gym_models import SuccessFunction
from sim.env import ActionbankEnv
from sim.functions import EdgeContext, NodeContext, NodeFailure, resolve, runtime_registry
from sim.success import evaluate_success, success_label
from sim.target_watch import GripperWatch, TargetWatch
from sim.timeline import lay_out
from sim.user_code import raised

__all__ = ["FrameSink", "run_plan"]

Array = NDArray[np.float64]

FrameSink = Callable[[Frame], None]
#: Exceptions a function raises on bad values from a config (a singular frame, a wrong index).
_VALUE_ERRORS = (NodeFailure, ValueError, KeyError, IndexError, np.linalg.LinAlgError)
_INSTABILITY = (mujoco.mjtWarning.mjWARN_BADQACC, mujoco.mjtWarning.mjWARN_BADQPOS, mujoco.mjtWarning.mjWARN_BADQVEL)


#: A frame's environment state when the gym config has no observation terms.
_NO_STATE: NDArray[np.float32] = np.zeros(0, np.float32)


def run_plan(
    plan: ExecutionPlan,
    env: ActionbankEnv,
    seed: int,
    *,
    registry: FunctionRegistry | None = None,
    on_frame: FrameSink | None = None,
) -> Rollout:
    """Execute ``plan`` for one episode. Frames go to ``on_frame`` when given, else into the rollout."""
    functions = registry if registry is not None else runtime_registry()
    labels = tuple(f"{e.scope}/{e.name}" for e in plan.edges)
    rollout = Rollout(seed=seed, scopes=tuple(s.name for s in plan.scopes), edge_labels=labels)
    observation, info = env.reset(seed=seed)
    rollout.randomization = info["randomization"]
    if info["settle_drift"] is not None:
        rollout.notes["settle_drift"] = info["settle_drift"]
    rollout.initial_poses = env.object_poses()
    store: dict[str, Any] = dict(info["affordances"])
    starts = _scope_starts(plan, env, store)
    rollout.failures.extend(_generate_nodes(plan, env, store, functions, seed))
    if rollout.failures:
        return rollout
    actions, active, failures = _timelines(plan, env, store, starts, functions)
    if failures:
        rollout.failures.extend(failures)
        return rollout
    actions, clipped = _within_controls(actions, env)
    if clipped is not None:
        rollout.notes["actions_clipped"] = clipped
    sink = on_frame if on_frame is not None else rollout.frames.append
    watch, grippers = TargetWatch(env), GripperWatch(env)
    for step in range(plan.makespan):
        sink(
            Frame(
                state=observation["state"],
                velocity=observation["velocity"],
                images=observation.get("images", {}),
                action=actions[step],
                edges=active[step],
                depth=observation.get("depth", {}),
                segmentation=observation.get("segmentation", {}),
                environment_state=observation.get("environment_state", _NO_STATE),
            )
        )
        observation, *_ = env.step(actions[step])
        watch.see(step, actions[step], observation["state"])
        grippers.see(step, actions[step], observation["state"])
        unstable = [w for w in _INSTABILITY if env.data.warning[w].number > 0]
        if unstable:
            rollout.failures.append(
                Failure("exception", _edges_at(active[step], labels), "mj_step", f"simulation unstable at step {step}")
            )
            return rollout
    rollout.notes.update({**watch.notes(), **grippers.notes()})
    rollout.success, rollout.metrics, reason = _check(env)
    if not rollout.success:
        rollout.failures.append(Failure("task_check", _check_name(env), "success", reason))
    return rollout


def _scope_starts(plan: ExecutionPlan, env: ActionbankEnv, store: dict[str, Any]) -> dict[str, Array]:
    """Each scope's value at step 0; its init key (``init_node_name``) is stored too."""
    starts: dict[str, Array] = {}
    parts = {p.name for p in env.parts}
    for scope in plan.scopes:
        if scope.init_method == "given_qpos" and scope.given_qpos is not None:
            value = np.asarray(scope.given_qpos, dtype=np.float64)
        elif scope.name in parts:
            value = env.part_qpos(scope.name)
        else:
            value = np.zeros(math.prod(scope.shape))
        starts[scope.name] = value
        if scope.init_key:
            store.setdefault(scope.init_key, value)
    return starts


def _generate_nodes(
    plan: ExecutionPlan, env: ActionbankEnv, store: dict[str, Any], functions: FunctionRegistry, seed: int
) -> list[Failure]:
    failures: list[Failure] = []
    missing: dict[str, str] = {}  # key → the failed node that should have written it
    validators = _implementations(functions, "validator")
    processes = _implementations(functions, "process")
    for node in plan.node_order:
        blocked = [k for k in node.reads if k in missing]
        if blocked:
            failures.append(
                Failure(
                    "node", node.label, node.function, f"needs {blocked[0]!r} from failed node {missing[blocked[0]]!r}"
                )
            )
            missing.update({k: node.label for k in node.writes})
            continue
        failure = _run_node(node, env, store, functions, validators, processes, seed)
        if failure is not None:
            failures.append(failure)
            missing.update({k: node.label for k in node.writes})
    return failures


def _implementations(functions: FunctionRegistry, kind: FunctionKind) -> dict[str, Any]:
    """Name → implementation of the registered functions of ``kind`` that have one."""
    return {
        name: spec.implementation
        for name in functions.names(kind)
        if (spec := functions.get(name)) and spec.implementation
    }


def _run_node(
    node: PlanNode,
    env: ActionbankEnv,
    store: dict[str, Any],
    functions: FunctionRegistry,
    validators: dict[str, Any],
    processes: dict[str, Any],
    seed: int,
) -> Failure | None:
    spec = functions.get(node.function)
    if spec is None or spec.implementation is None:
        return Failure("node", node.label, node.function, "no implementation is registered for this function")
    ctx = NodeContext(
        store=store,
        robot=env,
        label=node.label,
        scope=node.scope,
        rng=np.random.default_rng(seed),
        functions=functions,
    )
    try:
        if spec.steps is not None:  # runs step by step and resolves each step's references itself
            written = spec.implementation(ctx, extra_validators=validators, extra_processes=processes, **node.kwargs)
        else:
            written = spec.implementation(ctx, **resolve(node.kwargs, store))
    except NodeFailure as failure:
        return Failure("ik" if failure.stage == "ik" else "node", node.label, node.function, failure.reason)
    except _VALUE_ERRORS as error:
        return Failure("node", node.label, node.function, f"{type(error).__name__}: {error}")
    except Exception as error:  # the function's bug (a plugin's, or ours): said, not a crash
        raise raised(f"node function {node.function!r} (node {node.label!r})", error) from error
    written = dict(written or {})
    store.update(written)
    if node.label not in written and written:
        store[node.label] = list(written.values())[-1]
    return None


def _timelines(
    plan: ExecutionPlan,
    env: ActionbankEnv,
    store: dict[str, Any],
    starts: dict[str, Array],
    functions: FunctionRegistry,
) -> tuple[NDArray[np.float32], NDArray[np.int32], list[Failure]]:
    index = {(e.scope, e.name): i for i, e in enumerate(plan.edges)}
    failures: list[Failure] = []
    columns: dict[str, Array] = {}
    active = np.full((plan.makespan, len(plan.scopes)), -1, dtype=np.int32)

    def motion_of(edge: PlanEdge, value: Array) -> Array:
        spec = functions.get(edge.function)
        if spec is None or spec.implementation is None:
            raise _EdgeFailure(edge, "no implementation is registered for this function")
        ctx = EdgeContext(store, edge.scope, edge.name, edge.src, edge.sink, edge.duration, value, value.size)
        try:
            motion = np.asarray(spec.implementation(ctx, **resolve(edge.kwargs, store)), dtype=np.float64)
        except NodeFailure as failure:
            raise _EdgeFailure(edge, failure.reason) from None
        except _VALUE_ERRORS as error:
            raise _EdgeFailure(edge, f"{type(error).__name__}: {error}") from None
        except Exception as error:  # the function's bug: said, not a crash
            raise raised(f"edge function {edge.function!r} (edge {edge.scope}/{edge.name})", error) from error
        if motion.shape != (edge.duration, value.size):
            raise _EdgeFailure(edge, f"returned shape {motion.shape}, expected ({edge.duration}, {value.size})")
        return motion

    for column, scope in enumerate(plan.scopes):
        edges = [e for e in plan.edges if e.scope == scope.name]
        try:
            columns[scope.name], active[:, column] = lay_out(
                edges, starts[scope.name], plan.makespan, motion_of, lambda e: index[(e.scope, e.name)]
            )
        except _EdgeFailure as failure:
            edge = failure.edge
            failures.append(Failure("edge", f"{edge.scope}/{edge.name}", edge.function, failure.reason))
    actions = np.empty((plan.makespan, sum(p.dim for p in env.parts)), dtype=np.float32)
    offset = 0
    for part in env.parts:
        if part.name in columns:
            actions[:, offset : offset + part.dim] = columns[part.name]
        else:
            actions[:, offset : offset + part.dim] = env.part_qpos(part.name)
        offset += part.dim
    return actions, active, failures


#: How far a commanded value may lie outside its control range before it counts as clipped.
_CLIP_TOLERANCE = 1e-5


def _within_controls(actions: NDArray[np.float32], env: ActionbankEnv) -> tuple[NDArray[np.float32], str | None]:
    """``actions`` clipped to the environment's action space (the actuators' control ranges,
    which MuJoCo clamps every control to), so that the dataset records the actions applied; and
    a note when the plan commanded beyond them (a joint target outside its joint's range, say)."""
    space = env.action_space
    assert isinstance(space, gym.spaces.Box)
    low, high = space.low, space.high
    clipped = np.clip(actions, low, high).astype(np.float32)
    excess = np.abs(clipped - actions)
    over = np.flatnonzero((excess > _CLIP_TOLERANCE).any(axis=0))
    if over.size == 0:
        return actions, None
    column = int(over[np.argmax(excess[:, over].max(axis=0))])
    step = int(np.argmax(excess[:, column]))
    name = env.state_names[column]
    more = f" (and {over.size - 1} more value{'s' if over.size > 2 else ''})" if over.size > 1 else ""
    note = (
        f"the plan commands {name} to {float(actions[step, column]):.4g}, outside its control range "
        f"[{float(low[column]):.4g}, {float(high[column]):.4g}]{more}: the actions are clipped to the range, as "
        "MuJoCo clips them, and recorded so; check the targets the action config moves to (its joint affordances)"
    )
    return clipped, note


class _EdgeFailure(Exception):
    def __init__(self, edge: PlanEdge, reason: str) -> None:
        super().__init__(reason)
        self.edge = edge
        self.reason = reason


def _edges_at(active: NDArray[np.int32], labels: tuple[str, ...]) -> str:
    return ", ".join(labels[i] for i in active if i >= 0) or "(idle)"


def _check(env: ActionbankEnv) -> tuple[bool, dict[str, float], str]:
    return evaluate_success(env, env.config.env.success)


def _check_name(env: ActionbankEnv) -> str:
    """The success check's function name, or the label of a combination."""
    success = env.config.env.success
    if success is None:
        return "none"
    return success.func if isinstance(success, SuccessFunction) else success_label(success)
