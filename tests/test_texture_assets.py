"""The PNG images of a texture folder (``randomize_visual_material``'s ``texture_path``) are
confined to the gym config's folder like every other asset, each image too: one that is a
symbolic link leading out of it is refused by ``lint``, by ``generate`` before anything runs and
by the scene itself, unless outside assets are allowed. Each image is in the dataset's
provenance, so ``generate --resume`` refuses a changed texture as it refuses a changed mesh.

The scene is the toy arm (tests/sim/toy_arm) whose block gets a texture from the folder."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from pathlib import Path

import mujoco
import pytest
from click.testing import CliRunner, Result
from helpers import ROOT, tree_state

from actionbank.cli import main
from actionbank.spec.assets import AssetPathError
from sim.config import load_sim_config
from sim.event_materials import prepare_materials

TOY = ROOT / "tests" / "sim" / "toy_arm"
EVENT = """  events:
    paint_block:
      func: randomize_visual_material
      mode: reset
      params:
        entity_cfg: {uid: block}
        random_texture_prob: 1.0
        texture_path: textures
"""


def png(rgb: tuple[int, int, int], side: int = 4) -> bytes:
    """A ``side`` x ``side`` [px] PNG image of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rgb) * side for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_configs(folder: Path, *, outside: bool = False) -> tuple[Path, Path]:
    """The toy arm's configs with a texture folder of one image (``textures/a.png``) and, when
    ``outside``, a second one (``textures/b.png``) that is a symbolic link to ``shared/b.png``
    beside ``folder``; (gym, action)."""
    (folder / "textures").mkdir(parents=True)
    (folder / "textures" / "a.png").write_bytes(png((200, 40, 40)))
    if outside:
        (folder.parent / "shared").mkdir()
        (folder.parent / "shared" / "b.png").write_bytes(png((40, 200, 40)))
        (folder / "textures" / "b.png").symlink_to(folder.parent / "shared" / "b.png")
    gym, action = folder / "gym_config.yaml", folder / "action_config.yaml"
    gym.write_text((TOY / "gym_config.yaml").read_text().replace("  affordances:\n", EVENT + "  affordances:\n"))
    action.write_text(
        (TOY / "action_config.yaml")
        .read_text()
        .replace("duration: 40", "duration: 8")
        .replace("duration: 20", "duration: 4")
    )
    return gym, action


def lint(gym: Path, *flags: str) -> Result:
    return CliRunner().invoke(main, ["lint", str(gym), "--format", "json", *flags])


def generate(gym: Path, action: Path, *flags: str) -> Result:
    return CliRunner().invoke(main, ["generate", "--gym-config", str(gym), "--action-config", str(action), *flags])


def test_lint_refuses_a_texture_image_linked_outside_the_folder_naming_it_and_the_flag(tmp_path: Path) -> None:
    gym, _ = write_configs(tmp_path / "configs", outside=True)
    result = lint(gym)
    assert result.exit_code == 1, result.output
    [found] = json.loads(result.output)
    assert found["code"] == "AB753"
    assert found["pointer"] == "/env/events/paint_block/params/texture_path"
    assert "'textures/b.png'" in found["message"] and str(tmp_path / "shared" / "b.png") in found["message"]
    assert "--allow-outside-assets" in found["message"]


def test_lint_accepts_a_texture_image_linked_outside_the_folder_when_outside_assets_are_allowed(tmp_path: Path) -> None:
    gym, _ = write_configs(tmp_path / "configs", outside=True)
    result = lint(gym, "--allow-outside-assets")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_lint_refuses_a_texture_image_that_links_to_nothing(tmp_path: Path) -> None:
    gym, _ = write_configs(tmp_path / "configs")
    (gym.parent / "textures" / "c.png").symlink_to(gym.parent / "gone.png")
    [found] = json.loads(lint(gym).output)
    assert found["code"] == "AB753" and "'textures/c.png', which does not exist" in found["message"]


def test_generate_refuses_a_texture_image_linked_outside_the_folder_before_anything_runs(tmp_path: Path) -> None:
    gym, action = write_configs(tmp_path / "configs", outside=True)
    out = tmp_path / "dataset"
    result = generate(gym, action, "--max-episodes", "1", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "AB753" in result.output and "'textures/b.png'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_the_scene_reads_no_texture_image_linked_outside_the_folder_unless_allowed(tmp_path: Path) -> None:
    gym, _ = write_configs(tmp_path / "configs", outside=True)
    config, _warnings = load_sim_config(gym, allow_outside_assets=True)
    with pytest.raises(AssetPathError, match=re.escape("'textures/b.png'")):
        prepare_materials(mujoco.MjSpec(), config, gym.parent)
    spec = mujoco.MjSpec()
    prepare_materials(spec, config, gym.parent, allow_outside=True)
    model = spec.compile()
    names = [model.texture(i).name for i in range(model.ntex)]
    assert names == ["block:tex:textures/a.png", "block:tex:textures/b.png"]


def test_resume_refuses_a_changed_texture_image_naming_it_and_changes_nothing(tmp_path: Path) -> None:
    gym, action = write_configs(tmp_path / "configs")
    root = tmp_path / "dataset"
    made = generate(gym, action, "--seed", "5", "--max-episodes", "1", "-o", str(root))
    assert made.exit_code == 0, made.output
    hashes = json.loads((root / "meta" / "actionbank" / "hashes.json").read_text())["assets"]
    image = gym.parent / "textures" / "a.png"
    old = hashlib.sha256(image.read_bytes()).hexdigest()
    assert hashes["textures/a.png"] == {"sha256": old}
    image.write_bytes(png((40, 40, 200)))
    new = hashlib.sha256(image.read_bytes()).hexdigest()
    before = tree_state(root)
    result = generate(gym, action, "--resume", str(root), "--max-episodes", "2")
    assert result.exit_code == 2, result.output
    assert f"the asset 'textures/a.png' differs: sha256 {new} now ({image}), {old} when the dataset was made" in (
        result.output
    )
    assert tree_state(root) == before
