"""An edge's ``description`` reaches the plan; ``instruction.lang`` takes a list of paraphrases."""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import small_bank, write_config

from actionbank.compiler import CompileOptions, compile_file
from actionbank.spec.bank import describe_edge
from actionbank.spec.gym_config import load_gym_config

SCENE = """\
id: Test-v0
max_episode_steps: 100
env:
  control_parts: [arm, eef]
  dataset:
    lerobot:
      params:
        robot_meta: {robot_type: toy_arm}
        instruction:
"""


def test_an_edge_without_description_is_described_by_its_name_in_words() -> None:
    assert describe_edge("pre_grasp_to_grasp") == "pre grasp to grasp"
    assert describe_edge("move-up") == "move up"


def test_an_edge_description_is_carried_into_the_plan_and_others_are_derived(tmp_path: Path) -> None:
    bank = small_bank()
    ((label, edge),) = bank["edge"]["right_eef"][0].items()
    edge["description"] = "close the gripper on the cube"
    result = compile_file(write_config(tmp_path, bank), CompileOptions(gym_config=None))
    assert result.plan is not None, [d.message for d in result.diagnostics]
    described = {e.name: e.description for e in result.plan.edges}
    assert described[label] == "close the gripper on the cube"
    assert all(text == describe_edge(name) for name, text in described.items() if name != label)


def test_an_empty_edge_description_is_a_schema_error(tmp_path: Path) -> None:
    bank = small_bank()
    next(iter(bank["edge"]["right_eef"][0].values()))["description"] = ""
    result = compile_file(write_config(tmp_path, bank), CompileOptions(gym_config=None))
    assert result.plan is None
    assert any(d.pointer.endswith("/description") for d in result.diagnostics)


def _scene(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / "gym.yaml"
    path.write_text(SCENE + textwrap.indent(f"lang: {lang}\n", " " * 10) + "robot: {uid: bot, robot_type: toy_arm}\n")
    return path


def test_lang_may_be_a_list_of_paraphrases(tmp_path: Path) -> None:
    result = load_gym_config(_scene(tmp_path, '["pour the water", "fill the cup"]'))
    assert result.diagnostics == []
    assert result.config is not None and result.config.env.dataset is not None
    instruction = result.config.env.dataset.lerobot.params.instruction
    assert instruction.phrasings == ("pour the water", "fill the cup")


def test_a_plain_lang_string_is_its_one_phrasing(tmp_path: Path) -> None:
    result = load_gym_config(_scene(tmp_path, "pour the water"))
    assert result.config is not None and result.config.env.dataset is not None
    assert result.config.env.dataset.lerobot.params.instruction.phrasings == ("pour the water",)


def test_an_empty_or_non_string_lang_list_is_an_error_at_its_line(tmp_path: Path) -> None:
    for lang in ("[]", "[pour, 3]", '[""]'):
        result = load_gym_config(_scene(tmp_path, lang))
        assert result.config is None, lang
        assert [d.line for d in result.diagnostics if d.severity == "error"] and all(
            d.line == 10 for d in result.diagnostics if d.severity == "error"
        ), (lang, [(d.code, d.line, d.message) for d in result.diagnostics])
