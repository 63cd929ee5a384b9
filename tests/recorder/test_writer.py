import hashlib
import json

import numpy as np
import pytest
from synthetic_rollouts import (
    ACTION_TEXT,
    CAMERAS,
    FRAMES,
    GYM_TEXT,
    JOINTS,
    episode_info,
    make_frame,
    make_spec,
    recorded_episode,
    running_at,
    write_episode,
)

from recorder import (
    DatasetExistsError,
    DatasetInUseError,
    DatasetWriter,
    EpisodeInfo,
    RecorderError,
    load_spec,
    open_dataset,
    read_episode_records,
)
from recorder import edges_at as running_from_rows


def test_the_dataset_reopens_with_lerobot_and_has_the_declared_features(two_episodes):
    spec = load_spec(two_episodes)
    dataset = open_dataset("actionbank/synthetic", two_episodes)
    assert dataset.num_episodes == 2
    assert len(dataset) == 2 * FRAMES
    assert dataset.fps == 10
    features = dataset.features
    assert features["observation.state"]["names"] == JOINTS
    assert features["observation.velocity"]["dtype"] == "float32"
    assert features["action"]["names"] == JOINTS
    assert features["language_persistent"]["dtype"] == "language"
    assert features["language_events"]["dtype"] == "language"
    assert "subtask_index" not in features
    image_dtype = "video" if spec.use_videos else "image"
    for uid, (height, width) in CAMERAS.items():
        feature = features[f"observation.images.{uid}"]
        assert feature["dtype"] == image_dtype
        assert tuple(feature["shape"]) == (height, width, 3)
        assert feature["names"] == ["height", "width", "channels"]
    assert dataset.meta.robot_type == "aloha"


def test_frames_read_back_with_state_action_subtasks_and_non_blank_images(two_episodes):
    dataset = open_dataset("actionbank/synthetic", two_episodes)
    for index in (0, FRAMES - 1, FRAMES, 2 * FRAMES - 1):
        item = dataset[index]
        episode, step = divmod(index, FRAMES)
        assert int(item["episode_index"]) == episode
        assert int(item["frame_index"]) == step
        expected = make_frame(episode, step)
        assert np.allclose(item["observation.state"].numpy(), expected.state)
        assert np.allclose(item["action"].numpy(), expected.action)
        assert running_from_rows(item["language_persistent"], float(item["timestamp"])) == running_at(step)
        assert item["task"] == "pick up the cube"
        for uid, (height, width) in CAMERAS.items():
            image = item[f"observation.images.{uid}"].numpy()
            assert image.shape == (3, height, width)
            assert image.std() > 0.05
            target = np.transpose(expected.images[uid], (2, 0, 1)) / 255.0
            assert np.abs(image - target).mean() < 0.05


def test_each_frame_carries_its_episodes_subtask_rows_at_every_change_of_the_running_edges(two_episodes):
    dataset = open_dataset("actionbank/synthetic", two_episodes)
    rows = dataset[FRAMES + 3]["language_persistent"]
    subtasks = [(row["timestamp"], row["content"]) for row in rows if row["style"] == "subtask"]
    # reach from 0 s, lift from 0.4 s, close joins at 0.6 s, the arm idles from 0.8 s
    assert [(round(t, 3), text) for t, text in subtasks] == [
        (0.0, "reach"),
        (0.4, "lift"),
        (0.6, "lift; close"),
        (0.8, "close"),
    ]
    assert all(row["role"] == "assistant" and row["camera"] is None for row in rows)
    assert not (two_episodes / "meta/subtasks.json").exists()


def test_provenance_keeps_both_configs_verbatim_with_their_hashes_and_versions(two_episodes):
    meta = two_episodes / "meta/actionbank"
    assert (meta / "gym_config.yaml").read_text() == GYM_TEXT
    assert (meta / "action_config.json").read_text() == ACTION_TEXT
    hashes = json.loads((meta / "hashes.json").read_text())
    assert hashes["gym_config.yaml"] == {
        "source": "pick_gym.yaml",
        "sha256": hashlib.sha256(GYM_TEXT.encode()).hexdigest(),
    }
    assert hashes["action_config.json"]["sha256"] == hashlib.sha256(ACTION_TEXT.encode()).hexdigest()
    versions = json.loads((meta / "package.json").read_text())
    assert versions["actionbank"] == "0.1.0"
    assert versions["lerobot"] == "0.6.1"
    assert versions["mujoco"]
    assert load_spec(two_episodes).extra == {"scene_type": "table", "task_description": "pick cube"}


def test_each_episode_has_one_provenance_record(two_episodes):
    records = read_episode_records(two_episodes)
    assert [r["episode_index"] for r in records] == [0, 1]
    assert records[1] == {
        "episode_index": 1,
        "length": FRAMES,
        "seed": 1,
        "randomization": {"cube_xy": [0.1, 0.2]},
        "initial_poses": {"cube": [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]},
        "metrics": {"t": 1.5},
        "config_sha256": {
            "gym_config.yaml": hashlib.sha256(GYM_TEXT.encode()).hexdigest(),
            "action_config.json": hashlib.sha256(ACTION_TEXT.encode()).hexdigest(),
        },
    }


def test_nothing_but_lerobot_folders_is_left_after_finalize(two_episodes):
    expected = ["data", "meta", "videos"] if load_spec(two_episodes).use_videos else ["data", "meta"]
    assert sorted(p.name for p in two_episodes.iterdir()) == expected
    assert [p.name for p in two_episodes.parent.iterdir()] == ["dataset"]


def test_a_discarded_episode_leaves_no_trace(tmp_path):
    root = tmp_path / "dataset"
    with DatasetWriter.create(make_spec(root)) as writer:
        writer.begin_episode()
        for step in range(5):
            writer.add_frame(make_frame(9, step))
        writer.discard_episode()
        assert writer.num_episodes == 0
        assert not any((root / ".actionbank_staging" / "images").rglob("*.png"))
        write_episode(writer, seed=3)
        writer.begin_episode()
        writer.add_frame(make_frame(9, 0))  # left open: finalize drops it
    dataset = open_dataset("actionbank/synthetic", root)
    assert dataset.num_episodes == 1
    assert len(dataset) == FRAMES
    assert [r["seed"] for r in read_episode_records(root)] == [3]
    assert sorted(p.name for p in root.iterdir()) == ["data", "meta", "videos"]


def test_a_dataset_without_cameras_but_with_use_videos_reopens_for_resume(tmp_path):
    # LeRobot writes its video_path template even with no video feature; with no camera to
    # fill it in, it names no file and must not be read as leading outside videos/
    from dataclasses import replace

    root = tmp_path / "dataset"
    spec = replace(make_spec(root, use_videos=True), cameras={})
    with DatasetWriter.create(spec) as writer:
        writer.begin_episode()
        for step in range(FRAMES):
            frame = make_frame(1, step)
            writer.add_frame(replace(frame, images={}))
        writer.save_episode(EpisodeInfo(1, {}, {}, {}))
    with DatasetWriter.open_for_resume(root) as writer:
        assert writer.num_episodes == 1
    assert json.loads((root / "meta/info.json").read_text())["video_path"] is not None


def test_create_refuses_a_folder_with_content_but_takes_an_empty_one(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "note.txt").write_text("x")
    with pytest.raises(DatasetExistsError, match="--resume"):
        DatasetWriter.create(make_spec(tmp_path / "full"))
    (tmp_path / "empty").mkdir()
    DatasetWriter.create(make_spec(tmp_path / "empty")).finalize()
    assert (tmp_path / "empty" / "meta" / "info.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "full"]


def test_a_second_writer_on_the_same_dataset_is_refused(tmp_path):
    root = tmp_path / "dataset"
    with DatasetWriter.create(make_spec(root)), pytest.raises(DatasetInUseError):
        DatasetWriter.open_for_resume(root)
    DatasetWriter.open_for_resume(root).finalize()


def test_misuse_of_the_episode_calls_is_reported(tmp_path):
    with DatasetWriter.create(make_spec(tmp_path / "dataset")) as writer:
        with pytest.raises(RecorderError, match="no episode is open"):
            writer.add_frame(make_frame(0, 0))
        writer.begin_episode()
        with pytest.raises(RecorderError, match="already open"):
            writer.begin_episode()
        with pytest.raises(RecorderError, match="without frames"):
            writer.save_episode(EpisodeInfo(0))
        bad = make_frame(0, 0)
        with pytest.raises(RecorderError, match="cameras"):
            writer.add_frame(type(bad)(bad.state, bad.velocity, {"top": bad.images["top"]}, bad.action, bad.edges))


@pytest.mark.parametrize("use_videos", [True, False], ids=["videos", "images"])
def test_the_writers_shortcuts_write_lerobots_bytes(tmp_path, monkeypatch, use_videos):
    """One-batch embedding, unhashed tables, the light episode read, the task-index memo and one
    file per episode (recorder.lerobot_api) change no byte of what LeRobot writes."""
    import contextlib
    import json

    from recorder import lerobot_api

    written = {}
    for name in ("shortcuts", "lerobot's own"):
        if name == "lerobot's own":
            for shortcut in (
                "embedding_in_one_batch",
                "unhashed_datasets",
                "episode_rows_read_lightly",
                "each_episode_as_if_resumed",
            ):
                monkeypatch.setattr(lerobot_api, shortcut, contextlib.nullcontext)
            monkeypatch.setattr(
                lerobot_api, "save_episode", lambda dataset: dataset.save_episode(parallel_encoding=False)
            )
        root = tmp_path / name
        with DatasetWriter.create(make_spec(root, use_videos=use_videos)) as writer:
            for seed in (1, 2, 3):
                write_episode(writer, seed)
        written[name] = _dataset_files(root)
    ours, theirs = written["shortcuts"], written["lerobot's own"]
    assert sorted(ours) == sorted(theirs)
    assert any(name.startswith("data/") for name in ours) and any(name.startswith("meta/episodes/") for name in ours)
    # stats.json's key order follows a set of strings in LeRobot's aggregate_stats (hash-seeded)
    assert json.loads(ours.pop("meta/stats.json")) == json.loads(theirs.pop("meta/stats.json"))
    different = [name for name in ours if ours[name] != theirs[name]]
    assert not different


def test_an_episode_summarized_where_it_was_recorded_commits_the_same_files(tmp_path):
    """A Ray actor computes its videos' statistics before shipping (RecordedEpisode.summarized):
    the committed dataset is the one the writer makes computing them itself."""
    written = {}
    for name in ("summarized", "by the writer"):
        root = tmp_path / name
        spec = make_spec(root)
        with DatasetWriter.create(spec) as writer:
            for seed in (1, 2):
                episode = recorded_episode(spec, seed)
                if name == "summarized":
                    samples = [video.samples_path for video in episode.videos.values()]
                    episode = episode.summarized()
                    assert all(not path.exists() for path in samples)
                    assert all(v.samples == 0 and v.statistics is not None for v in episode.videos.values())
                writer.save_recorded(episode, EpisodeInfo(seed, {}, {}, {}))
        written[name] = _dataset_files(root)
    ours, theirs = written["summarized"], written["by the writer"]
    assert sorted(ours) == sorted(theirs) and any(name.startswith("videos/") for name in ours)
    stats = json.loads(ours.pop("meta/stats.json"))
    assert stats == json.loads(theirs.pop("meta/stats.json"))
    assert stats["observation.images.top"]["mean"]  # image statistics were written
    assert [name for name in ours if ours[name] != theirs[name]] == []


def _dataset_files(root):
    """Every file of the dataset at ``root`` but the provenance (which holds its creation time): name → bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "actionbank" not in p.relative_to(root).parts
    }


@pytest.mark.parametrize("use_videos", [True, False], ids=["videos", "images"])
def test_episodes_committed_together_are_the_files_of_episodes_committed_one_by_one(tmp_path, use_videos):
    """save_recorded_batch: one commit for several episodes, and the same dataset as one commit each
    (every episode in data, video and episode-metadata files of its own, the same statistics,
    language rows and provenance)."""
    written, logs = {}, {}
    for name, batches in (("one by one", [[1], [2], [3], [4], [5]]), ("together", [[1, 2, 3], [4, 5]])):
        root = tmp_path / name
        spec = make_spec(root, use_videos=use_videos)
        with DatasetWriter.create(spec) as writer:
            for batch in batches:
                recorded = [(recorded_episode(spec, seed), episode_info(seed)) for seed in batch]
                assert writer.save_recorded_batch(recorded) == range(batch[0] - 1, batch[-1])
            assert writer.num_episodes == 5
        assert not any((root / ".actionbank_spool").glob("*"))  # the recordings are gone
        written[name], logs[name] = _dataset_files(root), read_episode_records(root)
    ours, theirs = written["together"], written["one by one"]
    assert sorted(ours) == sorted(theirs)
    for folder in ("data/", "meta/episodes/", *(("videos/",) * use_videos)):
        assert len([name for name in ours if name.startswith(folder)]) == 5 * (2 if folder == "videos/" else 1)
    assert json.loads(ours.pop("meta/stats.json")) == json.loads(theirs.pop("meta/stats.json"))
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert logs["together"] == logs["one by one"] and [r["seed"] for r in logs["together"]] == [1, 2, 3, 4, 5]
    dataset = open_dataset("actionbank/synthetic", tmp_path / "together")
    assert dataset.num_episodes == 5 and len(dataset) == 5 * FRAMES
    last = dataset[len(dataset) - 1]
    assert int(last["episode_index"]) == 4 and float(last["observation.state"][0]) == 5.0
    assert running_from_rows(last["language_persistent"], float(last["timestamp"])) == running_at(FRAMES - 1)


def test_a_batch_that_fails_leaves_none_of_its_episodes(tmp_path, monkeypatch):
    """All or nothing: LeRobot failing on the second episode of a commit leaves the dataset as it
    was, and the recordings are removed."""
    from recorder import lerobot_api

    root = tmp_path / "dataset"
    spec = make_spec(root)
    with DatasetWriter.create(spec) as writer:
        write_episode(writer, 0)
        real_save, saved = lerobot_api.save_episode, []

        def fail_on_the_second(dataset):
            if saved:
                raise OSError("the disk went away")
            saved.append(real_save(dataset))

        monkeypatch.setattr(lerobot_api, "save_episode", fail_on_the_second)
        recorded = [(recorded_episode(spec, seed), episode_info(seed)) for seed in (1, 2)]
        with pytest.raises(OSError, match="went away"):
            writer.save_recorded_batch(recorded)
        assert all(not episode.folder.exists() for episode, _info in recorded)
        assert writer.num_episodes == 1
        monkeypatch.undo()
        write_episode(writer, 1)
    assert [r["seed"] for r in read_episode_records(root)] == [0, 1]
    assert open_dataset("actionbank/synthetic", root).num_episodes == 2
