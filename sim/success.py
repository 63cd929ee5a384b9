"""Evaluating a gym config's success check: one function, or ``all``/``any``/``not`` of checks.

A function is a registered task check (``transfer_cube_success``) or a declarative predicate
(``object_lifted``); each returns ``(success, metrics, reason)``. A combination evaluates
every member (so that its metrics are complete) and its reason names the members that
decided the outcome, e.g. ``object_on_object(cube, bin): cube is not above bin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actionbank.runtime import RUNTIME, Params
from actionbank.runtime.predicates import PredicateParams
from actionbank.spec.gym_models import AllOf, AnyOf, SuccessCheck, SuccessFunction
from sim.tasks import success_check
from sim.user_code import called, checked_result

if TYPE_CHECKING:
    from sim.env import ActionbankEnv

__all__ = ["evaluate_success", "success_label"]

Result = tuple[bool, dict[str, float], str]


def success_label(check: SuccessCheck) -> str:
    """A short name of a check: ``object_lifted(cube)``, ``transfer_cube_success``,
    ``all(upright(cup), not(object_lifted(cup)))``."""
    if isinstance(check, SuccessFunction):
        params = RUNTIME.success_checks[check.func].parse(check.params)
        return f"{check.func}({params.subject()})" if isinstance(params, PredicateParams) else check.func
    if isinstance(check, AllOf):
        return f"all({', '.join(success_label(item) for item in check.all)})"
    if isinstance(check, AnyOf):
        return f"any({', '.join(success_label(item) for item in check.any)})"
    return f"not({success_label(check.not_)})"


def evaluate_success(env: ActionbankEnv, check: SuccessCheck | None) -> Result:
    """``(success, metrics, reason)`` of ``check`` on the env's current state (``None``: success).
    A top-level task check keeps its own metric names and reason; everything else is named by
    its label (``object_lifted(cube).height``, ``object_lifted(cube): …``)."""
    if check is None:
        return True, {}, ""
    if isinstance(check, SuccessFunction):
        params = RUNTIME.success_checks[check.func].parse(check.params)
        if not isinstance(params, PredicateParams):
            return _run(check.func, env, params)
    return _evaluate(env, check)


def _run(name: str, env: ActionbankEnv, params: Params) -> Result:
    """The success check ``name``'s result, checked; its raising said as its own."""
    what = f"success check {name!r} (env.success)"
    return checked_result(what, called(what, success_check(name), env, params))


def _evaluate(env: ActionbankEnv, check: SuccessCheck) -> Result:
    if isinstance(check, SuccessFunction):
        label = success_label(check)
        params = RUNTIME.success_checks[check.func].parse(check.params)
        ok, metrics, reason = _run(check.func, env, params)
        named = {f"{label}.{key}": value for key, value in metrics.items()}
        return ok, named, "" if ok else f"{label}: {reason}"
    if isinstance(check, AllOf | AnyOf):
        items = check.all if isinstance(check, AllOf) else check.any
        results = [_evaluate(env, item) for item in items]
        metrics = {key: value for _, item_metrics, _ in results for key, value in item_metrics.items()}
        failed = [reason for ok, _, reason in results if not ok]
        if isinstance(check, AllOf):
            return not failed, metrics, "; ".join(failed)
        ok = len(failed) < len(results)
        return ok, metrics, "" if ok else "none of: " + " | ".join(failed)
    ok, metrics, _ = _evaluate(env, check.not_)
    return not ok, metrics, f"not({success_label(check.not_)}): it succeeded" if ok else ""
