"""Reopening a dataset decides, then acts: :func:`check_for_resume` reads and checks all of it,
as a cut commit will leave it, and changes nothing; only :meth:`DatasetWriter.open_checked`
repairs. A dataset killed in the middle of a commit is checked with the commit's files where
they are (staged or moved), and refused, untouched, when one of those is damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tree_state
from synthetic_rollouts import episode_info, make_spec, recorded_episode, write_episode

import recorder.staging
from recorder import DatasetWriter, read_episode_records
from recorder.errors import DatasetCorruptError, RunMismatchError
from recorder.lock import DirLock
from recorder.reopen import check_for_resume
from recorder.staging import MANIFEST, SPOOL_DIR, STAGING_DIR


class Killed(BaseException):
    """Stands for SIGKILL inside this process: nothing after it runs."""


def _killed_mid_commit(root: Path, monkeypatch: pytest.MonkeyPatch, moves_before_kill: int) -> None:
    """Episode 0 saved, then episodes 1-2 committed together, killed after ``moves_before_kill`` renames."""
    spec = make_spec(root)
    writer = DatasetWriter.create(spec)
    write_episode(writer, seed=0)
    real, moves = recorder.staging.move, []

    def move_then_die(source: Path, destination: Path) -> None:
        if len(moves) == moves_before_kill:
            raise Killed
        moves.append(destination)
        real(source, destination)

    monkeypatch.setattr(recorder.staging, "move", move_then_die)
    with pytest.raises(Killed):
        writer.save_recorded_batch([(recorded_episode(spec, seed), episode_info(seed)) for seed in (1, 2)])
    writer._lock.release()
    monkeypatch.setattr(recorder.staging, "move", real)
    assert (root / STAGING_DIR / MANIFEST).is_file()


def _refuse(stored: object) -> None:
    raise RunMismatchError("another run")


@pytest.mark.parametrize("moves_before_kill", [0, 3, 6, 9])
def test_checking_a_dataset_cut_mid_commit_changes_nothing_and_sees_it_finished(
    tmp_path, monkeypatch, moves_before_kill
):
    root = tmp_path / "dataset"
    _killed_mid_commit(root, monkeypatch, moves_before_kill)
    before = tree_state(root)
    with pytest.raises(RunMismatchError):
        check_for_resume(root, _refuse)
    assert tree_state(root) == before
    checked = check_for_resume(root)
    assert checked.plan.episodes == 3 and [r["seed"] for r in checked.plan.records] == [0, 1, 2]
    assert tree_state(root) == before
    checked.release()
    DirLock(root).release()  # the refusal and the release gave the lock back
    with DatasetWriter.open_checked(check_for_resume(root)) as writer:
        assert writer.repair_report.committed_episodes == (1, 2) and writer.num_episodes == 3
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1, 2]


def test_a_damaged_staged_file_of_a_cut_commit_is_refused_before_anything_moves(tmp_path, monkeypatch):
    root = tmp_path / "dataset"
    _killed_mid_commit(root, monkeypatch, 0)
    manifest = json.loads((root / STAGING_DIR / MANIFEST).read_text())
    video = next(name for name in manifest["files"] if name.endswith(".mp4"))
    staged = root / STAGING_DIR / video
    staged.write_bytes(staged.read_bytes()[:-20])
    before = tree_state(root)
    with pytest.raises(DatasetCorruptError, match="cannot be decoded: it is cut short") as refused:
        DatasetWriter.open_for_resume(root)
    assert str(staged) in str(refused.value)
    assert tree_state(root) == before


def test_a_staged_commit_of_episodes_from_other_configs_is_refused_before_it_is_finished(tmp_path, monkeypatch):
    root = tmp_path / "dataset"
    _killed_mid_commit(root, monkeypatch, 2)
    path = root / STAGING_DIR / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["records"][1]["config_sha256"] = {"pick_gym.yaml": "0" * 64}
    path.write_text(json.dumps(manifest))
    before = tree_state(root)
    with pytest.raises(DatasetCorruptError, match="episode 2 was recorded with configs"):
        DatasetWriter.open_for_resume(root)
    assert tree_state(root) == before


def test_a_link_in_a_killed_runs_recording_is_removed_not_followed(tmp_path):
    root, outside = tmp_path / "dataset", tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    with DatasetWriter.create(make_spec(root)) as writer:
        write_episode(writer, seed=0)
    (root / SPOOL_DIR / "episode-0").mkdir(parents=True)
    (root / SPOOL_DIR / "episode-0" / "link").symlink_to(outside, target_is_directory=True)
    with DatasetWriter.open_for_resume(root) as resumed:
        assert resumed.repair_report.discarded_partial_episode
    assert not (root / SPOOL_DIR).exists() and (outside / "keep.txt").read_text() == "keep"
