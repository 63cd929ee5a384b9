"""Which kind of config a file is, by its top-level sections, and AB635 for one of the other kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from actionbank.errors import InputError
from actionbank.source.loader import parse_text
from actionbank.spec.config_kind import check_config_kinds, config_kind
from actionbank.spec.environment import environment_from_gym

ACTION = "# an action config\nscope: {}\nnode: {}\nedge: {}\n"
GYM = "id: T-v0\nmax_episode_steps: 10\nenv: {control_parts: [arm]}\nrobot: {uid: bot, robot_type: toy_arm}\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"scope": {}, "node": {}, "edge": {}}, "action"),
        ({"edge": {}}, "action"),
        ({"env": {}, "robot": {}}, "gym"),
        ({"scope": {}, "env": {}}, None),
        ({"max_episode_steps": 10}, None),
        ([1, 2], None),
    ],
)
def test_a_config_is_told_by_its_top_level_sections(data: object, kind: str | None) -> None:
    assert config_kind(data) == kind


def test_an_action_config_read_as_the_gym_config_is_refused_at_its_first_section() -> None:
    document, _ = parse_text(ACTION, "swapped.yaml")
    assert document is not None

    with pytest.raises(InputError) as raised:
        environment_from_gym(document)

    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.file, problem.line, problem.column) == ("AB635", "swapped.yaml", 2, 1)
    assert problem.message == (
        "the gym config swapped.yaml is an action config (top-level scope, node, edge), not a gym config"
    )


def _write(folder: Path, action: str, gym: str) -> tuple[Path, Path]:
    (folder / "a.yaml").write_text(action)
    (folder / "g.yaml").write_text(gym)
    return folder / "a.yaml", folder / "g.yaml"


def test_configs_of_the_right_kinds_pass(tmp_path: Path) -> None:
    action, gym = _write(tmp_path, ACTION, GYM)
    check_config_kinds(action, gym)
    check_config_kinds(action, None)


def test_two_swapped_configs_are_said_in_one_diagnostic_in_the_gym_config_given(tmp_path: Path) -> None:
    action, gym = _write(tmp_path, ACTION, GYM)

    with pytest.raises(InputError) as raised:
        check_config_kinds(gym, action)

    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.file, problem.line) == ("AB635", str(action), 2)
    assert problem.message.endswith(f"; --action-config {gym} is a gym config: the two are swapped")


def test_a_gym_config_given_as_the_action_config_is_located_at_its_first_gym_section(tmp_path: Path) -> None:
    _, gym = _write(tmp_path, ACTION, GYM)

    with pytest.raises(InputError) as raised:
        check_config_kinds(gym, gym, action_role="FILE")

    (problem,) = raised.value.diagnostics
    assert (problem.file, problem.line, problem.column) == (str(gym), 3, 1)
    assert problem.message == f"FILE {gym} is a gym config (top-level env, robot), not an action config"


def test_a_file_that_does_not_parse_is_left_to_its_own_diagnostics(tmp_path: Path) -> None:
    action, gym = _write(tmp_path, "scope: [\n", GYM)
    check_config_kinds(action, gym)
