"""The plan a compile returns as plain data is the plan model's own dump, to the byte.

``compile`` writes the plan from :attr:`CompileResult.plan_data` without validating it into
models (:meth:`CompileResult.plan_json`); these tests hold that data to the model: same
fields in the same order, every value of the model's type, the same JSON bytes.
"""

from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES, REFERENCE, small_bank, write_config

from actionbank.compiler import CompileOptions, CompileResult, compile_file

CONFIGS = [*sorted(EXAMPLES.glob("*/action_config.*")), REFERENCE / "pour_water" / "action_config.json"]


def _ordered(value: Any) -> Any:
    """``value`` with each mapping as its list of items: equality then also checks key order."""
    if isinstance(value, dict):
        return [(key, _ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return (type(value), value)


def _assert_data_is_the_models_dump(result: CompileResult) -> None:
    assert result.plan_data is not None and result.plan is not None
    assert _ordered(result.plan_data) == _ordered(result.plan.model_dump())
    assert result.plan_json() == result.plan.to_json_bytes()


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_shipped_plan_as_data_is_the_models_dump(path: Path) -> None:
    _assert_data_is_the_models_dump(compile_file(path, CompileOptions()))


@pytest.mark.parametrize("name", ["action_config.json", "action_config.yaml"])
def test_values_the_model_would_convert_are_already_its_types(tmp_path: Path, name: str) -> None:
    """Integers where the plan holds floats (``given_qpos``), YAML's own scalars: the data
    carries the validated spec's values, not the text's."""
    bank = small_bank()
    bank["scope"]["right_eef"]["init"]["kwargs"]["given_qpos"] = [1]
    path = write_config(tmp_path, bank, name)
    result = compile_file(path, CompileOptions(gym_config=None))
    _assert_data_is_the_models_dump(result)
    assert result.plan is not None and result.plan.scopes[1].given_qpos == [1.0]
    assert b'"given_qpos": [\n        1.0\n      ]' in result.plan_json()


def test_no_plan_has_no_json(tmp_path: Path) -> None:
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["sink"] = "nowhere"
    result = compile_file(write_config(tmp_path, bank), CompileOptions(gym_config=None))
    assert result.plan_data is None and result.plan is None and not result.ok
    with pytest.raises(ValueError, match="no plan"):
        result.plan_json()
