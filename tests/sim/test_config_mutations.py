"""Mutated shipped gym configs: the loader answers with located diagnostics or a config that
builds and resets.

Each shipped gym config (the examples and the toy arm's) is broken at random: generic
mutations (:mod:`mutations`: deleted, renamed, retyped, swapped, duplicated keys and items)
and value mutations aimed at a scene (negative, zero, huge and tiny numbers, NaN written as
YAML ``.nan``, zero vectors, empty and misspelt strings, swapped lists). The loader
(:func:`sim.config.load_sim_config`, the checks ``lint`` runs too) must raise nothing but our
errors, each diagnostic located; and a config it accepts must build into a scene that resets.
"""

from __future__ import annotations

import copy
import io
import math
from pathlib import Path
from typing import Any

import mutations
import numpy as np
import pytest
from helpers import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from actionbank.errors import CompileError, InputError
from actionbank.spec.gym_models import GymConfig
from sim.config import load_sim_config
from sim.env import ActionbankEnv

TOY = Path(__file__).parent / "toy_arm"
SHIPPED = {path.parent.name: path for path in [*sorted(EXAMPLES.glob("*/gym_config.yaml")), TOY / "gym_config.yaml"]}
DOCS = {name: YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) for name, path in SHIPPED.items()}

_NUMBERS = st.sampled_from([0, -1, -0.5, 0.0, 1e-12, 1e-300, 1e9, 1e300, 2**40, math.nan, 7.3, 30.0])


def _leaves(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    places: list[tuple[Any, ...]] = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            places += _leaves(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            places += _leaves(value, (*prefix, index))
    return places


def _get(data: Any, place: tuple[Any, ...]) -> Any:
    for token in place:
        data = data[token]
    return data


@st.composite
def _value_mutation(draw: st.DrawFn, doc: Any) -> Any:
    """``doc`` with one value changed the way a person might get a scene wrong."""
    data = copy.deepcopy(doc)
    place = draw(st.sampled_from(_leaves(data)[1:]))
    value = _get(data, place)
    if isinstance(value, bool):
        new: Any = not value
    elif isinstance(value, int | float):
        new = draw(st.one_of(_NUMBERS, st.just(-value), st.just(value * 1000), st.just(value / 1000)))
    elif isinstance(value, str):
        new = draw(st.sampled_from(["", value[:-1], value + "x", value.upper(), "a/b", " "]))
    elif isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        new = draw(
            st.sampled_from(
                [
                    [0] * len(value),
                    list(reversed(value)),
                    value[:-1],
                    [*value, value[-1]],
                    [-v for v in value],
                    [v * 1e6 for v in value],
                ]
            )
        )
    elif isinstance(value, list) and len(value) >= 2:
        new = list(reversed(value))
    elif isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        new = {((k[:-1] or "x") if k == key else k): v for k, v in value.items()}  # a misspelt key
    else:
        new = None
    _get(data, place[:-1])[place[-1]] = new
    return data


def gym_mutated(doc: Any) -> st.SearchStrategy[Any]:
    """A generic or a value mutation of ``doc`` (one to three of them)."""
    return st.one_of(mutations.mutated(doc), _value_mutation(doc), _value_mutation(doc).flatmap(_value_mutation))


def _yaml(data: Any) -> str:
    """YAML text; a NaN is written ``.nan``."""
    yaml = YAML(typ="safe", pure=True)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _load(folder: Path, name: str, data: Any) -> GymConfig | None:
    """Load ``data`` as the gym config beside ``name``'s; ``None`` when it is refused, after
    checking that every diagnostic is located in it."""
    path = folder / "gym_config.yaml"
    path.write_text(_yaml(data), encoding="utf-8")
    try:
        config, warnings = load_sim_config(path)
    except (CompileError, InputError) as error:
        assert error.diagnostics, "refused without a diagnostic"
        for d in error.diagnostics:
            assert d.file == str(path) and d.line is not None and d.column is not None, d
        return None
    for d in warnings:
        assert d.severity != "error" and d.line is not None, d
    return config


@pytest.mark.parametrize("name", sorted(SHIPPED))
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_mutated_gym_config_is_refused_with_located_diagnostics_or_accepted(
    name: str, data: st.DataObject, tmp_path: Path
) -> None:
    _load(tmp_path, name, data.draw(gym_mutated(DOCS[name]), label="gym config"))


@pytest.mark.parametrize("name", sorted(SHIPPED))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_mutated_gym_config_the_loader_accepts_builds_and_resets(
    name: str, data: st.DataObject, tmp_path: Path
) -> None:
    config = _load(tmp_path, name, data.draw(_value_mutation(DOCS[name]), label="gym config"))
    if config is None:
        return
    small = config.model_copy(update={"sensor": [camera.resized(16, 12) for camera in config.sensor]})
    env = ActionbankEnv(small, tmp_path, render_images=False)
    try:
        env.reset(seed=0)
        assert np.all(np.isfinite(env.data.qpos))
    finally:
        env.close()
