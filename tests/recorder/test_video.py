"""Camera videos encoded while an episode runs: LeRobot's codec settings, every frame, the sample."""

from __future__ import annotations

import time

import av
import numpy as np
import pytest

from recorder.lerobot_api import depth_encoder, rgb_encoder
from recorder.video import CODECS, DEPTH_CODEC, ENCODER_THREADS, VideoEncoding, statistics_sample, video_statistics


@pytest.mark.parametrize("vcodec", sorted(CODECS))
def test_each_codec_has_lerobots_own_settings(vcodec):
    lerobot = rgb_encoder(vcodec)
    ours = CODECS[vcodec]
    assert (ours.encoder, ours.pix_fmt) == (lerobot.vcodec, lerobot.pix_fmt)
    assert ours.options == lerobot.get_codec_options(ENCODER_THREADS, as_strings=True)


def test_the_depth_codec_is_lerobots_depth_encoder_as_recorded_in_info_json():
    lerobot = depth_encoder()
    assert (DEPTH_CODEC.encoder, DEPTH_CODEC.pix_fmt) == (lerobot.vcodec, lerobot.pix_fmt)
    assert DEPTH_CODEC.options == lerobot.get_codec_options(ENCODER_THREADS, as_strings=True)
    assert "lossless=1" in DEPTH_CODEC.options["x265-params"].split(":")


def test_the_statistics_sample_is_lerobots():
    from lerobot.datasets.compute_stats import sample_indices

    for frames in [*range(1, 130), 365, 499, 500, 1000, 2000, 5000, 20_000, 10**6]:
        assert statistics_sample(frames) == frozenset(sample_indices(frames)), frames


def _frames(count: int) -> list[np.ndarray]:
    """A smooth picture (video codecs blur noise away) moving one pixel per frame."""
    rows, columns = np.mgrid[0:48, 0:64]
    base = np.stack([columns * 4, rows * 5, 255 - columns * 2], axis=-1).astype(np.uint8)
    base[16:32, 20:40] = (250, 30, 30)
    return [np.roll(base, step, axis=1) for step in range(count)]


@pytest.mark.parametrize("vcodec", ["libsvtav1", "h264"])
def test_every_frame_is_encoded_and_the_sampled_ones_are_kept(tmp_path, vcodec):
    frames = _frames(30)
    sample = statistics_sample(len(frames))
    encoding = VideoEncoding(["observation.images.top"], tmp_path, 10, vcodec, sample)
    for image in frames:
        encoding.add("observation.images.top", image)
    video = encoding.finish()["observation.images.top"]
    with av.open(str(video.path)) as container:
        decoded = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert len(decoded) == 30 and decoded[0].shape == (48, 64, 3)
    assert np.abs(decoded[7].astype(int) - frames[7]).mean() < 12  # lossy, but the same picture
    kept = video.sampled_frames()
    assert len(kept) == len(sample) and np.array_equal(kept, np.stack([frames[i] for i in sorted(sample)]))
    stats = video_statistics(kept)
    assert stats is not None and stats["count"][0] == len(sample) * 48 * 64
    assert np.allclose(stats["mean"], np.stack(frames)[sorted(sample)].reshape(-1, 3).mean(axis=0))


def test_a_cancelled_encoding_stops_without_raising(tmp_path):
    encoding = VideoEncoding(["observation.images.top"], tmp_path, 10, "h264")
    for image in _frames(5):
        encoding.add("observation.images.top", image)
    encoding.cancel()
    assert video_statistics(np.zeros((1, 4, 4, 3), np.uint8)) is None  # fewer than two frames


def test_a_cancelled_av1_encoding_prints_nothing(tmp_path, capfd, monkeypatch):
    # SVT-AV1 prints "deinit called without sending EOS!" (on the terminal, over generate's
    # progress line) when an encoder is dropped without its end of stream
    monkeypatch.setenv("SVT_LOG", "1")  # errors only, as generate sets it
    encoding = VideoEncoding(["observation.images.top"], tmp_path, 10, "libsvtav1")
    for image in _frames(20):
        encoding.add("observation.images.top", image)
    deadline = time.monotonic() + 10
    while not (tmp_path / "observation.images.top" / "video.mp4").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the encoder has started: frames are inside SVT-AV1 when it is dropped
    time.sleep(0.3)
    encoding.cancel()
    captured = capfd.readouterr()
    assert "EOS" not in captured.err and "Svt[error]" not in captured.err
