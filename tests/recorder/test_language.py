"""The plan's segmentation and the task's paraphrases in LeRobot's language columns, and what
LeRobot's own merge and delete tools leave of them."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from synthetic_rollouts import EDGE_LABELS, FRAMES, SCOPES, make_spec, running_at, write_episode

from recorder import DatasetSpec, DatasetWriter, edges_at, episode_task, open_dataset
from recorder.language import segmentation_rows, task_aug_rows

PHRASINGS = ("pick up the cube", "grab the cube", "lift the red cube")


def _spec(root: Path, **changes: Any) -> DatasetSpec:
    return dataclasses.replace(make_spec(root, use_videos=False), **changes)


def _write(root: Path, seeds: range, **changes: Any) -> Path:
    with DatasetWriter.create(_spec(root, **changes)) as writer:
        for seed in seeds:
            write_episode(writer, seed)
    return root


@pytest.fixture(scope="module")
def paraphrased(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three episodes (seeds 0, 1, 2) of a task with three phrasings."""
    return _write(tmp_path_factory.mktemp("paraphrased") / "d", range(3), task_phrasings=PHRASINGS)


def _subtasks(rows: list[dict]) -> list[tuple[float, str]]:
    return [(round(float(row["timestamp"]), 3), row["content"]) for row in rows if row["style"] == "subtask"]


def test_segmentation_rows_change_only_where_a_scope_changes_edge(tmp_path):
    edges = np.array([[0, -1], [0, -1], [1, -1], [1, 2], [-1, -1]])
    rows = segmentation_rows(_spec(tmp_path), edges)
    assert [(row["style"], row["timestamp"], row["content"]) for row in rows] == [
        ("subtask", 0.0, "reach"),
        ("motion", 0.0, "right_arm: reach; right_eef: idle"),
        ("subtask", 0.2, "lift"),
        ("motion", 0.2, "right_arm: lift; right_eef: idle"),
        ("subtask", 0.3, "lift; close"),
        ("motion", 0.3, "right_arm: lift; right_eef: close"),
        ("subtask", 0.4, "idle"),
        ("motion", 0.4, "right_arm: idle; right_eef: idle"),
    ]


def test_an_edge_description_replaces_its_name_in_the_subtask_rows(tmp_path):
    spec = _spec(tmp_path, edge_descriptions=("move to the cube", "raise the cube", "close the gripper"))
    rows = segmentation_rows(spec, np.array([[0, 2]]))
    assert rows[0]["content"] == "move to the cube; close the gripper"
    assert rows[1]["content"] == "right_arm: reach; right_eef: close"  # motion rows keep the names


def test_the_episode_task_is_drawn_from_the_paraphrases_with_the_seed_and_the_others_are_task_aug(tmp_path):
    spec = _spec(tmp_path, task_phrasings=PHRASINGS)
    drawn = [episode_task(spec, seed) for seed in range(40)]
    assert drawn == [episode_task(spec, seed) for seed in range(40)]  # the seed decides
    assert set(drawn) == set(PHRASINGS)
    task = episode_task(spec, 3)
    assert [row["content"] for row in task_aug_rows(spec, task)] == [p for p in PHRASINGS if p != task]
    assert all(row["role"] == "user" and row["timestamp"] == 0.0 for row in task_aug_rows(spec, task))
    assert episode_task(_spec(tmp_path), 3) == "pick up the cube"


def test_a_spec_whose_phrasings_do_not_start_with_its_task_is_refused(tmp_path):
    problems = _spec(tmp_path, task_phrasings=("grab the cube",)).check
    with pytest.raises(Exception, match="task_phrasings must start with the task"):
        problems()


def test_episodes_record_their_drawn_task_and_the_other_phrasings_as_task_aug_rows(paraphrased):
    root = paraphrased
    dataset = open_dataset("actionbank/synthetic", root)
    for episode in range(3):
        item = dataset[episode * FRAMES + 1]
        expected = episode_task(_spec(root, task_phrasings=PHRASINGS), episode)
        assert item["task"] == expected
        augmented = [row["content"] for row in item["language_persistent"] if row["style"] == "task_aug"]
        assert sorted(augmented) == sorted(p for p in PHRASINGS if p != expected)


def test_subtask_rows_survive_lerobots_aggregate_on_the_right_episodes_and_frames(tmp_path):
    from lerobot.datasets.aggregate import aggregate_datasets

    first = _write(tmp_path / "first", range(2))
    other_labels = ("right_arm/approach", "right_arm/raise", "right_eef/grip")
    second = _write(tmp_path / "second", range(2), edge_labels=other_labels, task="stack the cube")
    merged = tmp_path / "merged"
    aggregate_datasets(
        ["actionbank/first", "actionbank/second"], "actionbank/merged", roots=[first, second], aggr_root=merged
    )
    dataset = open_dataset("actionbank/merged", merged)
    assert dataset.num_episodes == 4
    for index in range(len(dataset)):
        item = dataset[index]
        episode, step = int(item["episode_index"]), int(item["frame_index"])
        assert index == episode * FRAMES + step
        running = edges_at(item["language_persistent"], float(item["timestamp"]))
        expected = running_at(step)
        if episode >= 2:  # the second dataset's plan names its edges differently
            rename = dict(
                zip((label.partition("/")[2] for label in EDGE_LABELS), ("approach", "raise", "grip"), strict=True)
            )
            expected = {scope: rename.get(edge, edge) for scope, edge in expected.items()}
        assert running == expected, (index, running)
        assert item["task"] == ("pick up the cube" if episode < 2 else "stack the cube")
    assert _subtasks(dataset[2 * FRAMES]["language_persistent"])[1] == (0.4, "raise")
    assert set(running) == set(SCOPES)


def test_subtask_rows_of_kept_episodes_survive_lerobots_delete(paraphrased, tmp_path):
    from lerobot.datasets.dataset_tools import delete_episodes

    root = paraphrased
    source = open_dataset("actionbank/synthetic", root)
    kept = delete_episodes(source, [1], output_dir=tmp_path / "kept", repo_id="actionbank/kept")
    dataset = open_dataset("actionbank/kept", kept.root)
    assert dataset.num_episodes == 2
    spec = _spec(root, task_phrasings=PHRASINGS)
    for new, old_seed in ((0, 0), (1, 2)):
        item = dataset[new * FRAMES + 5]
        assert edges_at(item["language_persistent"], float(item["timestamp"])) == running_at(5)
        assert item["task"] == episode_task(spec, old_seed)
