"""The compile pipeline: document → spec → passes → schedule → :class:`ExecutionPlan`."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from actionbank.diagnostics.diagnostic import Diagnostic, has_errors, sort_diagnostics
from actionbank.errors import InputError
from actionbank.functions.registry import FunctionRegistry, default_registry
from actionbank.passes import PASSES, CompileContext
from actionbank.plan import PLAN_FORMAT, ExecutionPlan, plan_json_parts
from actionbank.schedule import fill_gaps, schedule_edges
from actionbank.source.document import SourceDocument
from actionbank.source.loader import load_document
from actionbank.spec.bank import ActionBank
from actionbank.spec.environment import Environment, environment_from_gym, sibling_gym_config
from actionbank.spec.validate import validate_action_config

__all__ = ["CompileOptions", "CompileResult", "compile_document", "compile_file", "load_environment"]


@dataclass(frozen=True)
class CompileOptions:
    """``gym_config``: a path, ``None`` for none, or ``"auto"`` for ``gym_config.*`` beside the file.

    ``check_gym_config``: also check the whole gym config (schema, uids, shapes, files, and
    everything the simulation provides: robot types, events, success checks and their params)
    and report its problems, not only read the environment keys from it. ``lint`` does, with
    the same checks ``generate`` runs. ``allow_outside_assets``: the gym config's files may lie
    outside its folder.
    """

    gym_config: str | Path | Literal["auto"] | None = "auto"
    allow_unknown_functions: bool = False
    registry: FunctionRegistry | None = None
    check_gym_config: bool = False
    allow_outside_assets: bool = False


@dataclass(frozen=True)
class CompileResult:
    """``plan_data``: the plan as plain data, exactly as ``ExecutionPlan.model_dump`` gives it
    (field order included), ``None`` when there is no plan; :attr:`plan` is it as a model,
    validated when first asked for, and :meth:`plan_json` its canonical JSON straight from the
    data (the ``compile`` command writes a 16,000-edge plan without building 20,000 models).

    ``context``: what the passes ran over (the document, the bank and the facts derived
    from them), ``None`` when the document did not validate. Kept with the result, so that
    what a compile built is freed when the result is, not as the compile returns: a command
    line that ends right after a large compile never frees it (:func:`actionbank.cli.run`)."""

    plan_data: Mapping[str, Any] | None
    diagnostics: tuple[Diagnostic, ...]
    bank: ActionBank | None = None
    environment: Environment = field(default_factory=Environment)
    timings: Mapping[str, float] = field(default_factory=dict)  # stage → seconds
    context: CompileContext | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.plan_data is not None and not has_errors(self.diagnostics)

    @cached_property
    def plan(self) -> ExecutionPlan | None:
        return None if self.plan_data is None else ExecutionPlan.model_validate(self.plan_data)

    def plan_json(self) -> bytes:
        """The plan's canonical JSON (the bytes of ``plan.to_json_bytes()``); there must be a plan."""
        return b"".join(self.plan_json_parts())

    def plan_json_parts(self) -> tuple[bytes, bytes]:
        """:meth:`plan_json` in the parts a writer writes one after the other (joining them
        copies the plan once more)."""
        if self.plan_data is None:
            raise ValueError("no plan: the compile found errors")
        return plan_json_parts(self.plan_data)


def load_environment(
    action_path: str | Path | None,
    gym_config: str | Path | Literal["auto"] | None,
    *,
    check: bool = False,
    allow_outside_assets: bool = False,
) -> tuple[Environment, list[Diagnostic]]:
    """The environment facts from the gym config.

    Raises ``InputError`` when the gym config cannot be read or parsed (as ``generate``
    does: exit code 2), so that nothing is reported about an action config whose
    environment is unknown. With ``check``, the diagnostics also hold every problem of the
    gym config itself, found by the checks ``generate`` runs
    (:func:`actionbank.spec.gym_config.validate_gym_config` with
    :data:`actionbank.runtime.RUNTIME`).
    """
    path = sibling_gym_config(action_path) if gym_config == "auto" and action_path else gym_config
    if path is None or path == "auto":
        return Environment(), []
    document, diagnostics = load_document(path)
    if document is None:
        raise InputError(diagnostics)
    environment, found = environment_from_gym(document)
    if not check:
        return environment, found
    # The scene models and the runtime's declarations: only when asked (neither imports MuJoCo).
    from actionbank.runtime import RUNTIME
    from actionbank.spec.gym_config import validate_gym_config

    checked = validate_gym_config(
        document, base_dir=Path(path).parent, runtime=RUNTIME, allow_outside_assets=allow_outside_assets
    ).diagnostics
    return environment, [*checked, *(d for d in found if not _covered(d, checked))]


def _covered(diagnostic: Diagnostic, checked: list[Diagnostic]) -> bool:
    """Whether the full check already reports about the value ``diagnostic`` (an AB601) is about."""

    def related(pointer: str, other: str) -> bool:
        return pointer == other or (bool(other) and pointer.startswith(other + "/"))

    return diagnostic.code == "AB601" and any(
        related(diagnostic.pointer, d.pointer) or related(d.pointer, diagnostic.pointer) for d in checked
    )


def _plan(ctx: CompileContext) -> tuple[dict[str, Any], float]:
    """The plan as the plain data of :class:`ExecutionPlan` (its fields in order, every value of
    the type the model holds: the bank's values were validated by the spec models), and the
    seconds scheduling took. Validating it as a model is left to :attr:`CompileResult.plan`:
    a large plan costs as much to validate as to write, and the tests hold the data to the
    model (the plan JSON written from either is the same bytes)."""
    bank = ctx.bank
    began = time.perf_counter()
    schedule = schedule_edges(ctx.scheduled_edges, ctx.depends_on, ctx.precedence)
    spans = fill_gaps(schedule, [s.name for s in bank.scopes], bank.misc.unit_pairs, ctx.depends_on)
    scheduled = time.perf_counter() - began
    flows = {flow.node.index: flow for flow in ctx.dataflow.flows}
    order = ctx.dataflow.order or ()
    needed = sorted({k for flow in ctx.dataflow.flows for k, _ in flow.reads} & set(ctx.provided_keys))
    start, end, slack = schedule.start, schedule.end, schedule.slack
    plan = {
        "format": PLAN_FORMAT,
        "makespan": schedule.makespan,
        "scopes": [
            {
                "name": s.name,
                "shape": list(s.shape),
                "dtype": s.dtype,
                "init_method": s.init_method,
                "given_qpos": None if s.given_qpos is None else list(s.given_qpos),
                "init_key": s.init_key,
            }
            for s in bank.scopes
        ],
        "edges": [
            {
                "scope": e.scope,
                "name": e.label,
                "function": e.function,
                "src": e.src,
                "sink": e.sink,
                "start": start[i],
                "end": end[i],
                "span_end": spans[i],
                "duration": e.duration,
                "fill_type": e.fill_type,
                "slack": slack[i],
                "critical": slack[i] == 0,
                "kwargs": e.kwargs,
                "description": e.description,
            }
            for i, e in enumerate(schedule.edges)
        ],
        "node_order": [
            {
                "label": n.label,
                "scope": n.scope,
                "function": n.function,
                "kwargs": n.kwargs,
                "reads": [k for k, _ in flows[n.index].reads],
                "writes": [k for k, _ in flows[n.index].writes],
            }
            for n in order
        ],
        "sync": [{"edge": r.edge, "after": list(r.depends_on)} for r in bank.sync],
        "critical_path": [schedule.edges[i].label for i in schedule.critical_path],
        "environment_keys": needed,
    }
    return plan, scheduled


def compile_document(
    document: SourceDocument, options: CompileOptions = CompileOptions(), environment: Environment | None = None
) -> CompileResult:
    """Validate, check and schedule one parsed action config."""
    timings: dict[str, float] = {}
    began = time.perf_counter()
    spec, diagnostics = validate_action_config(document)
    timings["validate"] = time.perf_counter() - began
    environment = environment or Environment()
    if spec is None:
        return CompileResult(None, tuple(diagnostics), None, environment, timings)
    began = time.perf_counter()
    bank = ActionBank.from_spec(spec)
    timings["build"] = time.perf_counter() - began
    began = time.perf_counter()
    ctx = CompileContext(
        bank, options.registry or default_registry(), environment, options.allow_unknown_functions, document
    )
    found: list[Diagnostic] = []
    for _, check in PASSES:
        found.extend(check(ctx))
    timings["passes"] = time.perf_counter() - began
    began = time.perf_counter()
    diagnostics.extend(document.place_all(found))
    timings["locate"] = time.perf_counter() - began
    if has_errors(diagnostics):
        return CompileResult(None, tuple(sort_diagnostics(diagnostics)), bank, environment, timings, ctx)
    began = time.perf_counter()
    plan, timings["schedule"] = _plan(ctx)
    too_long = environment.makespan_problem(plan["makespan"], document.path)  # AB406, at max_episode_steps
    if too_long is not None:
        diagnostics.append(too_long)
        timings["plan"] = time.perf_counter() - began - timings["schedule"]
        return CompileResult(None, tuple(sort_diagnostics(diagnostics)), bank, environment, timings, ctx)
    timings["plan"] = time.perf_counter() - began - timings["schedule"]
    return CompileResult(plan, tuple(sort_diagnostics(diagnostics)), bank, environment, timings, ctx)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while compiling.

    A large bank is millions of small acyclic objects; with the collector on, every
    allocation-heavy step rescans them (about a third of the time at 16,000 edges).
    Nothing we build is cyclic garbage, and the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compile_file(path: str | Path, options: CompileOptions = CompileOptions()) -> CompileResult:
    """Load and compile one action config file (raises ``InputError`` when a file cannot be read,
    or when its gym config cannot be parsed either)."""
    with _collector_paused():
        return _compile_file(path, options)


def _compile_file(path: str | Path, options: CompileOptions) -> CompileResult:
    began = time.perf_counter()
    environment, gym_diagnostics = load_environment(
        path, options.gym_config, check=options.check_gym_config, allow_outside_assets=options.allow_outside_assets
    )
    document, diagnostics = load_document(path)
    load_time = time.perf_counter() - began
    if document is None:
        return CompileResult(None, tuple(gym_diagnostics + diagnostics), None, environment, {"load": load_time})
    result = compile_document(document, options, environment)
    all_diagnostics = tuple(sort_diagnostics([*gym_diagnostics, *result.diagnostics]))
    plan = None if has_errors(all_diagnostics) else result.plan_data
    timings = {"load": load_time, **result.timings}
    return CompileResult(plan, all_diagnostics, result.bank, environment, timings, result.context)
