"""The "Add your robot" guide's own configs (its gym config in section 2, its action config in
section 4, with the model arm's ``arm.xml``) lint clean, and what the guide quotes is what the
code prints: the misspelt joint's diagnostic, and the note of a start pose in the floor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from helpers import ROOT, generate_folder

from actionbank.cli import main

GUIDE = ROOT / "docs" / "add_your_robot.md"


def _blocks(section: str) -> list[str]:
    """The fenced blocks of the guide's section whose heading starts with ``section``."""
    text = GUIDE.read_text()
    start = text.index(f"\n## {section}")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```[a-z]*\n(.*?)```", text[start : end if end > 0 else None], re.S)


def _guide_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my_arm"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "sim" / "model_arm" / "arm.xml", folder / "arm.xml")
    (folder / "gym_config.yaml").write_text(_blocks("2.")[0])
    (folder / "action_config.yaml").write_text(_blocks("4.")[0])
    return folder


def _lint(folder: Path) -> str:
    result = CliRunner().invoke(main, ["lint", "action_config.yaml", "--gym-config", "gym_config.yaml"])
    return result.output


def test_the_guides_configs_lint_clean_and_its_misspelling_reads_as_quoted(tmp_path: Path, monkeypatch) -> None:
    folder = _guide_folder(tmp_path)
    monkeypatch.chdir(folder)
    assert _lint(folder).strip() == "0 errors, 0 warnings, 0 notes in 2 files"
    gym = folder / "gym_config.yaml"
    gym.write_text(gym.read_text().replace("hand: [finger]", "hand: [fnger]"))
    quoted = _blocks("3.")[1].strip()  # the block after the lint command
    assert quoted.splitlines()[0].startswith("gym_config.yaml:") and "AB701" in quoted
    assert quoted in _lint(folder)


def test_the_guides_settle_note_is_what_generate_tells(tmp_path: Path) -> None:
    folder = _guide_folder(tmp_path)
    gym = folder / "gym_config.yaml"
    text = gym.read_text()
    assert "init_qpos: [0.0, -0.6, 1.2, 1.0]" in text
    gym.write_text(text.replace("init_qpos: [0.0, -0.6, 1.2, 1.0]", "init_qpos: [0.0, 1.5, 0.0, 1.0]"))
    quoted = next(block for block in _blocks("5.") if "note:" in block).strip()
    result = generate_folder(folder, tmp_path / "dataset")
    assert result.exit_code == 0, result.output
    assert quoted in result.output
