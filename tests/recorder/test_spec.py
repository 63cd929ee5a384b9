import dataclasses

import pytest
from synthetic_rollouts import make_spec

from recorder import RecorderError, lerobot_features, spec_errors


def test_a_good_spec_has_no_problems(tmp_path):
    assert list(spec_errors(make_spec(tmp_path))) == []


def test_every_problem_of_a_spec_is_reported_at_once(tmp_path):
    spec = dataclasses.replace(
        make_spec(tmp_path),
        fps=0,
        state_names=["a", "a"],
        cameras={"top.left": (48, 64)},
        edge_labels=("right_arm/reach", "left_arm/reach", "lonely"),
        gym_config_name="configs/gym.yaml",
    )
    problems = list(spec_errors(spec))
    assert problems == [
        "fps must be positive, got 0",
        "state_names repeats ['a']",
        "camera uid 'top.left' must be non-empty and hold neither '/' nor '.'",
        "edge label 'left_arm/reach' names scope 'left_arm'; scopes are ['right_arm', 'right_eef']",
        "edge label 'lonely' is not 'scope/edge'",
        "gym_config_name must be a bare file name, got 'configs/gym.yaml'",
    ]
    with pytest.raises(RecorderError, match="fps must be positive"):
        spec.check()


def test_images_are_videos_or_pngs_as_the_spec_says(tmp_path):
    assert lerobot_features(make_spec(tmp_path))["observation.images.top"]["dtype"] == "video"
    features = lerobot_features(make_spec(tmp_path, use_videos=False))
    assert features["observation.images.top"] == {
        "dtype": "image",
        "shape": (48, 64, 3),
        "names": ["height", "width", "channels"],
    }
    assert features["language_persistent"] == {"dtype": "language", "shape": (1,), "names": None}


def test_an_attempt_range_is_stored_read_back_and_checked(tmp_path):
    from recorder import DatasetSpec

    spec = dataclasses.replace(make_spec(tmp_path), attempts=(1000, 2000))
    stored = spec.to_json()
    assert stored["attempts"] == [1000, 2000]
    assert DatasetSpec.from_json(stored, tmp_path, spec.gym_config_text, spec.action_config_text) == spec
    unbounded = make_spec(tmp_path)
    assert unbounded.to_json()["attempts"] is None
    assert (
        DatasetSpec.from_json(
            {k: v for k, v in unbounded.to_json().items() if k != "attempts"}, tmp_path, "", ""
        ).attempts
        is None
    )
    for bad in ((3, 3), (-1, 2), (5, 1)):
        assert any("attempts" in problem for problem in spec_errors(dataclasses.replace(spec, attempts=bad)))
    with pytest.raises(RecorderError, match="attempts"):
        DatasetSpec.from_json({**stored, "attempts": [1, "2"]}, tmp_path, "", "")
