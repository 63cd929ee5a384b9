import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from synthetic_rollouts import (
    FRAMES,
    episode_info,
    make_frame,
    make_spec,
    recorded_episode,
    running_at,
    write_episode,
)

import recorder.staging
from recorder import DatasetWriter, edges_at, open_dataset, read_episode_records, repair_dataset
from recorder.errors import DatasetCorruptError
from recorder.staging import MANIFEST, SPOOL_DIR, STAGING_DIR

SCRIPT = Path(__file__).with_name("synthetic_rollouts.py")


class Killed(BaseException):
    """Stands for SIGKILL inside this process: nothing after it runs."""


def _check_readable(root: Path, episodes: int, unlogged: int = 1) -> None:
    """The dataset opens with ``episodes`` episodes; the last ``unlogged`` may lack their provenance line."""
    dataset = open_dataset("actionbank/synthetic", root)
    assert dataset.num_episodes == episodes
    assert len(dataset) == episodes * FRAMES
    last = dataset[len(dataset) - 1]
    assert int(last["episode_index"]) == episodes - 1
    assert edges_at(last["language_persistent"], float(last["timestamp"])) == running_at(FRAMES - 1)
    assert last["observation.images.top"].numpy().std() > 0.05
    logged = [r["episode_index"] for r in read_episode_records(root)]
    assert logged == list(range(len(logged))) and episodes - unlogged <= len(logged) <= episodes


def _wait_for_records(root: Path, count: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(read_episode_records(root)) < count:
        assert process.poll() is None, "the writer died before saving enough episodes"
        assert time.monotonic() < deadline, "the writer saved too few episodes in time"
        time.sleep(0.02)


def test_a_sigkilled_writer_leaves_a_dataset_that_opens_and_resumes(tmp_path):
    root = tmp_path / "dataset"
    with open(tmp_path / "writer.log", "wb") as log:
        process = subprocess.Popen([sys.executable, str(SCRIPT), str(root), "1000"], stdout=log, stderr=log)
        try:
            _wait_for_records(root, 2, process)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    saved = len(read_episode_records(root))
    assert saved >= 2
    _check_readable(root, open_dataset("actionbank/synthetic", root).num_episodes)

    target = saved + 2
    with DatasetWriter.open_for_resume(root) as writer:
        assert writer.num_episodes in (saved, saved + 1)  # +1: killed between info.json and the log
        while writer.num_episodes < target:
            write_episode(writer, seed=writer.num_episodes)
    _check_readable(root, target)
    assert [r["seed"] for r in read_episode_records(root)] == list(range(target))
    assert not (root / STAGING_DIR).exists()


def test_a_kill_while_recording_an_episode_leaves_the_saved_ones_intact(tmp_path):
    root = tmp_path / "dataset"
    writer = DatasetWriter.create(make_spec(root))
    write_episode(writer, seed=0)
    writer.begin_episode()
    for step in range(5):
        writer.add_frame(make_frame(1, step))
    writer._lock.release()  # the process dies here: its lock goes, its recording stays

    assert any((root / SPOOL_DIR).rglob("*"))  # the recording in progress
    _check_readable(root, 1)
    report = repair_dataset(root)
    assert report.discarded_partial_episode and report.committed_episodes == ()
    assert not (root / STAGING_DIR).exists() and not (root / SPOOL_DIR).exists()
    with DatasetWriter.open_for_resume(root) as resumed:
        assert resumed.num_episodes == 1
        write_episode(resumed, seed=1)
    _check_readable(root, 2)


@pytest.mark.parametrize("moves_before_kill", [0, 2, 4, 6])
def test_a_kill_during_the_commit_is_finished_when_the_dataset_is_reopened(tmp_path, monkeypatch, moves_before_kill):
    root = tmp_path / "dataset"
    writer = DatasetWriter.create(make_spec(root))
    write_episode(writer, seed=0)
    real_move = recorder.staging.move
    moves = []

    def move_then_die(source: Path, destination: Path) -> None:
        if len(moves) == moves_before_kill:
            raise Killed
        moves.append(destination)
        real_move(source, destination)

    monkeypatch.setattr(recorder.staging, "move", move_then_die)
    with pytest.raises(Killed):
        write_episode(writer, seed=1)
    writer._lock.release()
    monkeypatch.setattr(recorder.staging, "move", real_move)

    assert (root / STAGING_DIR / MANIFEST).is_file()
    _check_readable(root, 1)  # info.json, moved last, still counts one episode
    with DatasetWriter.open_for_resume(root) as resumed:
        assert resumed.repair_report.committed_episodes == (1,)
        assert resumed.num_episodes == 2
    _check_readable(root, 2)
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1]


def test_a_kill_after_info_json_but_before_the_log_line_is_completed_on_reopen(tmp_path, monkeypatch):
    root = tmp_path / "dataset"
    writer = DatasetWriter.create(make_spec(root))
    write_episode(writer, seed=0)

    def die(path: Path, line: str) -> None:
        raise Killed

    monkeypatch.setattr(recorder.staging, "append_line", die)
    with pytest.raises(Killed):
        write_episode(writer, seed=1)
    writer._lock.release()
    monkeypatch.undo()
    _check_readable(root, 2)
    assert len(read_episode_records(root)) == 1
    report = repair_dataset(root)
    assert report.committed_episodes == (1,)
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1]


def test_a_torn_provenance_line_is_cut_before_resuming(tmp_path):
    root = tmp_path / "dataset"
    with DatasetWriter.create(make_spec(root)) as writer:
        write_episode(writer, seed=0)
    with open(root / "meta/actionbank/episodes.jsonl", "a") as log:
        log.write('{"episode_index":1,"len')
    with DatasetWriter.open_for_resume(root) as resumed:
        assert resumed.repair_report.cut_torn_log_line
        assert resumed.num_episodes == 1
        write_episode(resumed, seed=1)
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1]


def test_each_saved_episode_is_complete_on_disk_before_the_next_begins(tmp_path):
    root = tmp_path / "dataset"
    with DatasetWriter.create(make_spec(root, use_videos=False)) as writer:
        for seed in range(2):
            write_episode(writer, seed)
            _check_readable(root, seed + 1)  # read while the writer is still open
        writer.begin_episode()
        writer.add_frame(make_frame(2, 0))
        _check_readable(root, 2)
        first = open_dataset("actionbank/synthetic", root)[0]
        assert np.array_equal(first["observation.state"].numpy(), make_frame(0, 0).state)


def _killed_in_a_batch_commit(root: Path, monkeypatch, name: str, calls_before_kill: int) -> None:
    """Episode 0 saved, then episodes 1-3 committed together, the process killed when
    ``recorder.staging.<name>`` is called for the ``calls_before_kill + 1``-th time."""
    spec = make_spec(root)
    writer = DatasetWriter.create(spec)
    write_episode(writer, seed=0)
    real, calls = getattr(recorder.staging, name), []

    def then_die(*args):
        if len(calls) == calls_before_kill:
            raise Killed
        calls.append(args)
        real(*args)

    monkeypatch.setattr(recorder.staging, name, then_die)
    with pytest.raises(Killed):
        writer.save_recorded_batch([(recorded_episode(spec, seed), episode_info(seed)) for seed in (1, 2, 3)])
    writer._lock.release()
    monkeypatch.setattr(recorder.staging, name, real)


@pytest.mark.parametrize(("name", "calls_before_kill"), [("move", 0), ("move", 5), ("move", 10), ("append_line", 1)])
def test_a_kill_during_a_batch_commit_is_finished_for_all_its_episodes(tmp_path, monkeypatch, name, calls_before_kill):
    root = tmp_path / "dataset"
    _killed_in_a_batch_commit(root, monkeypatch, name, calls_before_kill)
    assert (root / STAGING_DIR / MANIFEST).is_file()
    counted = 4 if name == "append_line" else 1  # info.json, moved last, counts the batch or not
    _check_readable(root, counted, unlogged=3)
    with DatasetWriter.open_for_resume(root) as resumed:
        assert resumed.repair_report.committed_episodes == (1, 2, 3)
        assert resumed.num_episodes == 4
        write_episode(resumed, seed=4)
    _check_readable(root, 5)
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1, 2, 3, 4]


def test_a_commit_staged_by_an_earlier_version_with_one_record_is_finished(tmp_path, monkeypatch):
    """COMMIT.json with ``record`` (one episode), as written before batches: read as a list of one."""
    import json

    root = tmp_path / "dataset"
    writer = DatasetWriter.create(make_spec(root))
    write_episode(writer, seed=0)
    monkeypatch.setattr(recorder.staging, "move", lambda source, destination: (_ for _ in ()).throw(Killed))
    with pytest.raises(Killed):
        write_episode(writer, seed=1)
    writer._lock.release()
    monkeypatch.undo()
    manifest = json.loads((root / STAGING_DIR / MANIFEST).read_text())
    (root / STAGING_DIR / MANIFEST).write_text(
        json.dumps({"files": manifest["files"], "record": manifest["records"][0]})
    )
    assert repair_dataset(root).committed_episodes == (1,)
    _check_readable(root, 2)


def test_a_staged_commit_whose_records_do_not_follow_each_other_is_refused_untouched(tmp_path, monkeypatch):
    import json

    root = tmp_path / "dataset"
    _killed_in_a_batch_commit(root, monkeypatch, "move", 0)
    path = root / STAGING_DIR / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["records"][2]["episode_index"] = 7
    path.write_text(json.dumps(manifest))
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    with pytest.raises(DatasetCorruptError, match=r"records\[2\]: 'episode_index' is 7, expected 3"):
        DatasetWriter.open_for_resume(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    _check_readable(root, 1)
