"""The pieces of ``--resume``'s gate on their own: the first differing line of two texts, and
which seed a resumed run uses."""

import dataclasses
from pathlib import Path

import pytest
from synthetic_rollouts import ACTION_TEXT, GYM_TEXT, make_spec

from recorder.errors import RunMismatchError
from recorder.run_identity import LineDifference, RunInputs, check_same_run, first_difference, resume_seed


def test_equal_texts_have_no_first_difference():
    assert first_difference("a\nb\n", "a\nb\n") is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a\nb\nc\n", "a\nB\nc\n", LineDifference(2, "b", "B")),
        ("a\nb\n", "a\nb\nc\n", LineDifference(3, "", "c")),  # a line added at the end
        ("a\nb", "a", LineDifference(2, "b", None)),  # the new text ends before
        ("a\nb\n", "a\r\nb\n", LineDifference(1, "a", "a\r")),  # another line ending shows
        ("a\nb\n", "a\nb", LineDifference(3, "", None)),  # only the final newline is missing
    ],
)
def test_the_first_differing_line_is_found_with_its_number(old, new, expected):
    assert first_difference(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: a\nx: 1\n", "id: a\nnum_envs: 4\nx: 1\n", None),  # only the workers: the same run
        ("id: a\nnum_envs: 1\nx: 1\n", "id: a\nnum_envs: 2\nx: 1\n", None),
        ('{\n  "num_envs": 2,\n  "x": 1\n}', '{\n  "num_envs": 3,\n  "x": 1\n}', None),
        # a difference after a num_envs line only one text has: each text's own line number
        ("id: a\nx: 1\n", "id: a\nnum_envs: 4\nx: 2\n", LineDifference(2, "x: 1", "x: 2", 3)),
        ("id: a\nnum_envs: 4\n", "id: a\n", None),
    ],
)
def test_a_num_envs_line_is_no_difference_and_lines_after_it_keep_their_numbers(old, new, expected):
    assert first_difference(old, new) == expected


def _run(seed: int | None, gym: str = GYM_TEXT, assets: dict[str, str] | None = None) -> RunInputs:
    return RunInputs(Path("/cfg/gym.yaml"), gym, Path("/cfg/act.json"), ACTION_TEXT, assets or {}, seed)


def test_a_resumed_run_takes_the_datasets_seed_unless_given_one_and_refuses_another(tmp_path):
    spec = dataclasses.replace(make_spec(tmp_path), seed=7)
    assert resume_seed(spec, None) == 7
    assert resume_seed(spec, 7) == 7
    with pytest.raises(RunMismatchError, match="--seed 8 differs from the dataset's seed 7"):
        resume_seed(spec, 8)
    unknown = make_spec(tmp_path)  # made without generate: no seed recorded
    assert resume_seed(unknown, 3) == 3
    with pytest.raises(RunMismatchError, match="does not record the seed it was made with; give --seed"):
        resume_seed(unknown, None)


def test_every_difference_is_listed_in_one_refusal(tmp_path):
    spec = dataclasses.replace(make_spec(tmp_path), seed=7, asset_hashes={"m.obj": "a" * 64})
    check_same_run(spec, _run(None, assets={"m.obj": "a" * 64}))  # the same run: accepted
    with pytest.raises(RunMismatchError) as raised:
        check_same_run(spec, _run(8, GYM_TEXT.replace("table\n", "desk\n", 1), {"m.obj": "b" * 64, "n.obj": "c" * 64}))
    message = str(raised.value)
    assert "/cfg/gym.yaml line 2: '  scene: desk'" in message
    assert f"{tmp_path}/meta/actionbank/gym_config.yaml line 2: '  scene: table'" in message
    assert (
        f"the asset 'm.obj' differs: sha256 {'b' * 64} now (/cfg/m.obj), {'a' * 64} when the dataset was made"
        in message
    )
    assert "the asset 'n.obj' is used now but is not among the dataset's assets" in message
    assert "--seed 8 differs from the dataset's seed 7" in message
    assert "action config" not in message


def test_the_attempt_range_is_part_of_the_run(tmp_path):
    spec = dataclasses.replace(make_spec(tmp_path), seed=7, attempts=(0, 1000))
    check_same_run(spec, _run(7)._replace(attempts=(0, 1000)))
    for given, said in (((1000, 2000), "--attempts 1000:2000 now"), (None, "no --attempts range now")):
        with pytest.raises(RunMismatchError, match=f"{said} differs from the dataset's --attempts 0:1000"):
            check_same_run(spec, _run(7)._replace(attempts=given))
    with pytest.raises(RunMismatchError, match="--attempts 0:10 now differs from the dataset's no --attempts range"):
        check_same_run(make_spec(tmp_path), _run(7)._replace(attempts=(0, 10)))
