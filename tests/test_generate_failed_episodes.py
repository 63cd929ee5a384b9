"""``env.dataset.lerobot.save_failed_episodes: true`` (EmbodiChain's key): failed attempts are
recorded too, with the same writer, in a second LeRobot dataset ``<dataset>_failed`` next to the
main one; each failed episode's provenance says why it failed; ``generate``'s summary says
where; ``--resume`` continues both without recording an attempt twice.

On the toy arm (60-step episodes, one 64x48 camera): its block is moved along x each episode
and the success check wants it on one side, so some seeds fail at the check after a whole
rollout (recorded), whatever the arm does."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT

from actionbank.cli import main
from actionbank.generate import episode_seed
from actionbank.generate.failed import FailedEpisodes, failed_root
from recorder import open_dataset, read_episode_records
from recorder.errors import RunMismatchError
from recorder.provenance import load_spec

TOY = ROOT / "tests" / "sim" / "toy_arm"
MAKESPAN = 60


def _configs(folder: Path, keep: bool = True) -> tuple[Path, Path]:
    data = yaml.safe_load((TOY / "gym_config.yaml").read_text())
    data["env"]["events"] = {
        "slide_block": {
            "func": "randomize_rigid_object_pose",
            "mode": "reset",
            "params": {"entity_cfg": {"uid": "block"}, "position_range": [[-0.1, 0.0, 0.0], [0.1, 0.0, 0.0]]},
        }
    }
    data["env"]["success"] = {
        "func": "object_in_region",
        "params": {"object": "block", "low": [0.3, -1, -1], "high": [1, 1, 1]},
    }
    data["env"]["dataset"] = {
        "lerobot": {
            "save_failed_episodes": keep,
            "params": {"robot_meta": {"robot_type": "toy_arm"}, "instruction": {"lang": "reach"}},
        }
    }
    folder.mkdir(parents=True, exist_ok=True)
    gym = folder / "gym_config.yaml"
    gym.write_text(yaml.safe_dump(data))
    action = folder / "action_config.yaml"
    action.write_text((TOY / "action_config.yaml").read_text())
    return gym, action


def _generate(gym: Path, action: Path, *flags: str) -> str:
    command = ["generate", "--gym-config", str(gym), "--action-config", str(action), "--seed", "1", *flags]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    return result.output


def _episodes(root: Path) -> int:
    dataset = open_dataset(f"actionbank/{root.name}", root)
    assert dataset.num_frames == MAKESPAN * dataset.num_episodes
    return int(dataset.num_episodes)


def _row(output: str, name: str) -> str:
    """The value of row ``name`` of generate's summary table."""
    match = re.search(rf"^{re.escape(name)} +(.+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_failed_attempts_go_to_a_second_dataset_with_their_reason_both_open_in_lerobot_and_resume(
    tmp_path: Path,
) -> None:
    gym, action = _configs(tmp_path / "configs")
    out = tmp_path / "data"
    first = _generate(gym, action, "--max-episodes", "2", "-o", str(out))  # attempts 1-4 fail
    failed = failed_root(out)
    assert failed == tmp_path / "data_failed"
    kept_first = len(read_episode_records(failed))
    assert kept_first == 4  # attempts 1 to 4 of seed 1 leave the block outside the region
    assert _row(first, "failed dataset") == str(failed) and _row(first, "failed kept now") == str(kept_first)

    second = _generate(gym, action, "--max-episodes", "3", "--resume", str(out))  # attempt 6 fails, 7 is valid

    main_records, failed_records = read_episode_records(out), read_episode_records(failed)
    assert _episodes(out) == 3 and _episodes(failed) == len(failed_records) == 5
    assert _row(second, "failed kept now") == str(len(failed_records) - kept_first)
    for record in failed_records:
        assert record["failure"]["stage"] == "task_check" and "block" in record["failure"]["reason"]
        assert record["seed"] == episode_seed(1, int(record["metrics"]["attempt"]))
    assert all("failure" not in record for record in main_records)
    attempts = sorted(int(r["metrics"]["attempt"]) for r in [*main_records, *failed_records])
    assert attempts == list(range(len(attempts))), "each attempt up to the last is in one of them, once"
    assert json.loads((failed / "meta" / "actionbank" / "dataset.json").read_text())["seed"] == 1

    # a failed-episode folder of another run (here: another seed) is refused, untouched
    other = FailedEpisodes(dataclasses.replace(load_spec(out), seed=2))
    with pytest.raises(RunMismatchError, match="failed episodes of another run"):
        other.open_existing()
    assert len(read_episode_records(failed)) == 5


@pytest.mark.parametrize("resume", [False, True], ids=["new dataset", "resume"])
def test_a_failed_episode_folder_that_is_a_link_is_refused_and_nothing_is_written_through_it(
    tmp_path: Path, resume: bool
) -> None:
    gym, action = _configs(tmp_path / "configs")
    root = tmp_path / "dataset"
    if resume:
        _generate(gym, action, "-o", str(root), "--max-episodes", "1")
        if failed_root(root).exists():
            failed_root(root).rename(tmp_path / "moved")  # whatever it held, now elsewhere
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    failed_root(root).symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    flags = ("--resume", str(root)) if resume else ("-o", str(root))
    result = CliRunner().invoke(
        main, ["generate", "--gym-config", str(gym), "--action-config", str(action), "--seed", "1", *flags]
    )

    assert result.exit_code == 2, result.output
    assert f"{failed_root(root)} is a symbolic link" in result.output and "Traceback" not in result.output
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
