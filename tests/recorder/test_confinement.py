"""A crafted or damaged dataset never makes the recorder read, write, move, truncate or delete
anything outside it: each escape is refused with a message, and a folder beside the dataset
(holding a sentinel file) is exactly as it was, with no new file in it."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import tree_state
from synthetic_rollouts import make_spec, write_episode

from actionbank.cli import main
from recorder import DatasetWriter, RecorderError, repair_dataset
from recorder.confine import dataset_path, remove_tree
from recorder.errors import DatasetCorruptError, DatasetPathError
from recorder.frame_strip import check_readable
from recorder.staging import MANIFEST, SPOOL_DIR, STAGING_DIR, spool_folder

LOG = "meta/actionbank/episodes.jsonl"
OLD = 1_000_000_000_000_000_000  # an mtime [ns] far in the past: any write changes it


@pytest.fixture(scope="module")
def one_episode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset of one synthetic episode (PNG images: quick to write); copied by each test."""
    root = tmp_path_factory.mktemp("made") / "dataset"
    with DatasetWriter.create(make_spec(root, use_videos=False)) as writer:
        write_episode(writer, seed=0)
    return root


@pytest.fixture
def place(tmp_path: Path, one_episode: Path) -> tuple[Path, Path]:
    """(a copy of the dataset, a folder beside it holding ``sentinel.txt``)."""
    root = tmp_path / "dataset"
    shutil.copytree(one_episode, root, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel.txt").write_text("do not touch\n")
    return root, outside


def _outside(tmp_path: Path) -> dict[str, tuple[object, ...]]:
    return {key: value for key, value in tree_state(tmp_path).items() if not key.startswith("dataset/")}


def _stage(root: Path, files: list[str], staged: dict[str, bytes] | None = None, where: Path | None = None) -> None:
    """A staged commit of episode 1 naming ``files``; ``staged``: files put at staging-relative paths."""
    staging = where or root / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    for name, data in (staged or {}).items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    record = {"episode_index": 1, "length": 12, "seed": 1, "randomization": {}, "initial_poses": {}, "metrics": {}}
    (staging / MANIFEST).write_text(json.dumps({"files": files, "record": record}))


def commit_with_dotdot(root: Path, outside: Path) -> None:
    # the staged copy is inside the dataset; the destination is the sentinel beside it
    _stage(root, ["../outside/sentinel.txt"], {"../outside/sentinel.txt": b"overwritten\n"})


def commit_with_an_absolute_path(root: Path, outside: Path) -> None:
    _stage(root, [str(outside / "sentinel.txt")])


def commit_through_a_linked_folder(root: Path, outside: Path) -> None:
    (root / "data" / "chunk-009").symlink_to(outside, target_is_directory=True)
    _stage(root, ["data/chunk-009/file-000.parquet"], {"data/chunk-009/file-000.parquet": b"PAR1"})


def commit_of_a_file_no_commit_touches(root: Path, outside: Path) -> None:
    _stage(root, ["meta/actionbank/dataset.json"], {"meta/actionbank/dataset.json": b"{}"})


def linked_episode_log(root: Path, outside: Path) -> None:
    victim = outside / "log.jsonl"
    victim.write_bytes((root / LOG).read_bytes() + b'{"torn')  # a "torn" last line to cut
    os.utime(victim, ns=(OLD, OLD))
    (root / LOG).unlink()
    (root / LOG).symlink_to(victim)


def hard_linked_episode_log(root: Path, outside: Path) -> None:
    victim = outside / "log.jsonl"
    victim.write_bytes((root / LOG).read_bytes() + b'{"torn')
    os.utime(victim, ns=(OLD, OLD))
    (root / LOG).unlink()
    os.link(victim, root / LOG)


def linked_spool(root: Path, outside: Path) -> None:
    (outside / "recordings").mkdir()
    (outside / "recordings" / "keep.bin").write_bytes(b"mine")
    (root / SPOOL_DIR).symlink_to(outside / "recordings", target_is_directory=True)


def linked_staging(root: Path, outside: Path) -> None:
    # a commit "staged" outside: repairing it would move the outside file into the dataset
    _stage(root, ["meta/stats.json"], {"meta/stats.json": b"{}"}, where=outside / "staged")
    (root / STAGING_DIR).symlink_to(outside / "staged", target_is_directory=True)


def linked_stored_config(root: Path, outside: Path) -> None:
    (root / "meta/actionbank/gym_config.yaml").unlink()
    (root / "meta/actionbank/gym_config.yaml").symlink_to(outside / "sentinel.txt")


def linked_info_json(root: Path, outside: Path) -> None:
    victim = outside / "info.json"
    victim.write_bytes((root / "meta/info.json").read_bytes())
    (root / "meta/info.json").unlink()
    (root / "meta/info.json").symlink_to(victim)


def escaping_path_template(root: Path, outside: Path) -> None:
    info = json.loads((root / "meta/info.json").read_text())
    info["data_path"] = "../../outside/{chunk_index}-{file_index}.parquet"  # from the staging folder
    (root / "meta/info.json").write_text(json.dumps(info))


CRAFTED: list[tuple[Callable[[Path, Path], None], type[RecorderError], str]] = [
    (commit_with_dotdot, DatasetPathError, "'..'"),
    (commit_with_an_absolute_path, DatasetPathError, "it is absolute"),
    (commit_through_a_linked_folder, DatasetPathError, "data/chunk-009 is a symbolic link"),
    (commit_of_a_file_no_commit_touches, DatasetPathError, "it is not in data/, videos/, meta/episodes/"),
    (linked_episode_log, DatasetPathError, "meta/actionbank/episodes.jsonl is a symbolic link"),
    (hard_linked_episode_log, DatasetPathError, "it is a hard link"),
    (linked_spool, DatasetPathError, ".actionbank_spool is a symbolic link"),
    (linked_staging, DatasetPathError, ".actionbank_staging is a symbolic link"),
    (linked_stored_config, DatasetPathError, "gym_config.yaml is a symbolic link"),
    (linked_info_json, DatasetPathError, "meta/info.json is a symbolic link"),
    (escaping_path_template, DatasetCorruptError, "'data_path' '../../outside/"),
]


@pytest.mark.parametrize(("craft", "error", "message"), CRAFTED, ids=[c[0].__name__ for c in CRAFTED])
def test_resuming_a_crafted_dataset_is_refused_and_touches_nothing(place, tmp_path, craft, error, message):
    root, outside = place
    craft(root, outside)
    os.utime(outside / "sentinel.txt", ns=(OLD, OLD))
    before, dataset_before = _outside(tmp_path), tree_state(root)
    with pytest.raises(error) as raised:
        DatasetWriter.open_for_resume(root)
    assert message in str(raised.value)
    assert raised.value.exit_code == 2
    assert _outside(tmp_path) == before
    assert (outside / "sentinel.txt").read_text() == "do not touch\n"
    assert tree_state(root) == dataset_before  # refused before anything changed


@pytest.mark.parametrize(
    "craft", [commit_with_dotdot, commit_through_a_linked_folder, linked_episode_log, linked_staging, linked_spool]
)
def test_repairing_a_crafted_dataset_without_resuming_is_refused_too(place, tmp_path, craft):
    root, outside = place
    craft(root, outside)
    before = _outside(tmp_path)
    with pytest.raises(DatasetPathError):
        repair_dataset(root)
    assert _outside(tmp_path) == before


def test_a_new_dataset_is_not_created_over_a_linked_spool_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "dataset"
    root.mkdir()
    (root / SPOOL_DIR).symlink_to(outside, target_is_directory=True)
    with pytest.raises(DatasetPathError, match="symbolic link"):
        DatasetWriter.create(make_spec(root))
    with pytest.raises(DatasetPathError, match="symbolic link"):
        spool_folder(root, "attempts")
    assert list(outside.iterdir()) == []
    assert [path.name for path in root.iterdir()] == [SPOOL_DIR]


def test_remove_tree_refuses_a_link_and_leaves_the_folder_it_points_to(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    root = tmp_path / "dataset"
    root.mkdir()
    (root / "spool").symlink_to(target, target_is_directory=True)
    with pytest.raises(DatasetPathError, match="spool is a symbolic link"):
        remove_tree(root, "spool")
    assert (target / "keep.txt").read_text() == "keep" and (root / "spool").is_symlink()
    (root / "real" / "inner").mkdir(parents=True)
    (root / "real" / "inner" / "link").symlink_to(target, target_is_directory=True)
    assert remove_tree(root, "real")  # a link inside the tree is deleted, not followed
    assert (target / "keep.txt").read_text() == "keep" and not (root / "real").exists()
    assert not remove_tree(root, "real")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("../x", "'..'"),
        ("data/../../x", "'..'"),
        ("data/./x", "'.'"),
        ("data//x", "empty parts"),
        ("data\\..\\x", "backslash"),
    ],
)
def test_dataset_path_refuses_names_that_are_not_plain_relative_paths(tmp_path, name, problem):
    with pytest.raises(DatasetPathError, match=re.escape(problem)):
        dataset_path(tmp_path, name)


def test_dataset_path_keeps_a_plain_name_in_the_allowed_folders(tmp_path):
    allowed = ("data/", "meta/info.json")
    assert (
        dataset_path(tmp_path, "data/chunk-000/file-000.parquet", allowed)
        == tmp_path / "data/chunk-000/file-000.parquet"
    )
    assert dataset_path(tmp_path, "meta/info.json", allowed) == tmp_path / "meta/info.json"
    with pytest.raises(DatasetPathError, match=re.escape("not in data/, meta/info.json")):
        dataset_path(tmp_path, "meta/info.json.bak", allowed)
    with pytest.raises(DatasetPathError, match="not in data/"):
        dataset_path(tmp_path, "database/x", allowed)


def test_strip_refuses_a_dataset_holding_a_link_and_writes_no_picture(place, tmp_path):
    root, outside = place
    data = next((root / "data").rglob("*.parquet"))
    shutil.copy2(data, outside / "file.parquet")
    data.unlink()
    data.symlink_to(outside / "file.parquet")
    with pytest.raises(DatasetPathError, match="symbolic links"):
        check_readable(root)
    picture = tmp_path / "strip.png"
    result = CliRunner().invoke(main, ["strip", str(root), "-o", str(picture)])
    assert result.exit_code == 2, result.output
    assert "holds symbolic links (data/chunk-000/file-000.parquet)" in result.output
    assert "Traceback" not in result.output and not picture.exists()
