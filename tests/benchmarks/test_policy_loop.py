"""``benchmarks/policy_loop.py`` in miniature: 3 generated episodes, 4 training steps of a tiny
ACT, one short evaluation episode in our scene; its files and numbers are there (rates and
times are not checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import load_benchmark

policy_loop = load_benchmark("policy_loop")


def test_the_quick_loop_generates_trains_evaluates_and_prints_the_policy_next_to_the_expert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("accelerate", reason="LeRobot's training extra (actionbank[train]) is not installed")
    assert policy_loop.main(["--quick", "--output", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    result = json.loads((tmp_path / "policy_loop.json").read_text())
    assert result["episodes"] == 3 and result["train_steps"] == 4
    assert result["eval_seeds"] == [1000] and result["seeds_also_in_training"] == []
    assert len(result["policy_successes"]) == 1 and len(result["expert_successes"]) == 1
    assert result["expert_rate"] == 1.0  # the scripted expert hands the cube over for seed 1000
    assert set(result["stage_seconds"]) == {"generate", "train", "evaluate", "expert"}
    assert "--env.type=actionbank" in result["commands"]["evaluate"]
    model = Path(result["checkpoint"])
    assert (model / "model.safetensors").is_file() and model.parts[-3:] == ("checkpoints", "000004", "pretrained_model")
    assert (tmp_path / "eval" / "eval_info.json").is_file()
    info = json.loads((tmp_path / "dataset" / "meta" / "info.json").read_text())
    assert info["total_episodes"] == 3 and "observation.environment_state" in info["features"]
    assert "ACT policy" in printed and "scripted expert" in printed and "1/1 (100 %)" in printed


def test_an_existing_output_is_refused_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "dataset").mkdir()
    assert policy_loop.main(["--quick", "--output", str(tmp_path)]) == 2
