"""Checks of ``env.observations``: every term is one the simulation records.

A term whose function is not registered (AB740, with a did-you-mean), whose mode its function
does not support (AB741), or whose components another term records already (AB742) is
reported at its line, by ``lint`` and by ``generate`` alike: a term is never silently
dropped. Its params are checked with the other functions' (:mod:`actionbank.spec.gym_params_checks`).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.diagnostics.hints import choices_hint
from actionbank.runtime import RUNTIME, ObservationParams, Runtime
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import GymConfig

__all__ = ["check_observation_terms", "environment_state_names"]


def check_observation_terms(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """AB740 / AB741 / AB742 for each term that cannot be recorded as written."""
    if available.runtime is None:
        return
    terms = available.runtime.observations
    recorded: dict[str, str] = {}  # component → the term that records it
    for label, term in config.env.observations.items():
        pointer = jp.join("/env/observations", label)
        declaration = terms.get(term.func)
        if declaration is None:
            yield Diagnostic.make(
                "AB740",
                jp.join(pointer, "func"),
                term=label,
                name=term.func,
                hint=choices_hint(term.func, terms, "available observation functions"),
            )
            continue
        modes = getattr(declaration.params, "modes", ("add",))
        if term.mode not in modes:
            yield Diagnostic.make(
                "AB741",
                jp.join(pointer, "mode"),
                term=label,
                name=term.func,
                mode=term.mode,
                modes=", ".join(repr(mode) for mode in modes),
                hint=choices_hint(term.mode, modes, "modes"),
            )
            continue
        try:
            params = declaration.parse(term.params)
        except ValidationError:
            continue  # reported by check_observation_params
        if not isinstance(params, ObservationParams):
            continue
        for component in params.components(term.name or label):
            other = recorded.setdefault(component, label)
            if other != label:
                yield Diagnostic.make(
                    "AB742",
                    jp.join(pointer, "name" if term.name is not None else "func"),
                    term=label,
                    component=component,
                    other=other,
                    hint="give the term a different 'name'",
                )
                break


def environment_state_names(config: GymConfig, runtime: Runtime = RUNTIME) -> list[str]:
    """The names of ``observation.environment_state``'s components: each term's, in declared
    order (empty: the config has no observation terms). The config is assumed checked."""
    names: list[str] = []
    for label, term in config.env.observations.items():
        params = runtime.observations[term.func].parse(term.params)
        if isinstance(params, ObservationParams):
            names.extend(params.components(term.name or label))
    return names
