"""How many workers a run starts, and what it says when that is fewer than asked for."""

import pytest

from actionbank.capacity import useful_workers


@pytest.mark.parametrize(
    ("requested", "episodes", "attempts", "expected"),
    [
        (4, 10, 40, (4, None)),
        (4, 2, 40, (2, "--num-envs 4: only 2 episodes are left, so 2 attempts run at a time")),
        (4, 1, 40, (1, "--num-envs 4: only 1 episode is left, so 1 attempt runs at a time")),
        (4, 10, 3, (3, "--num-envs 4: only 3 attempts are left, so 3 attempts run at a time")),
        (4, 0, 40, (1, None)),  # a dataset already complete: nothing runs, nothing to say
        (4, 5, 0, (1, None)),
    ],
)
def test_workers_are_no_more_than_what_is_left_and_the_remark_names_what_asked(
    requested: int, episodes: int, attempts: int, expected: tuple[int, str | None]
) -> None:
    assert useful_workers(requested, episodes, attempts) == expected


def test_the_remark_names_the_gym_configs_num_envs_when_that_asked() -> None:
    _, remark = useful_workers(3, 1, 10, "the gym config's num_envs")
    assert remark == "the gym config's num_envs 3: only 1 episode is left, so 1 attempt runs at a time"
