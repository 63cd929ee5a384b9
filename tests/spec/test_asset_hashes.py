"""Provenance hashes every file a run reads from its gym config's folder: the files the gym config
names and the files its robot model file refers to, so that ``generate --resume`` refuses a
changed robot mesh as it refuses a changed object mesh."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from helpers import TETRAHEDRON

from actionbank.spec.assets import AssetPathError, asset_hashes
from recorder.run_identity import RunInputs, run_differences
from recorder.spec import DatasetSpec
from sim.config import load_sim_config

MODEL_ARM = Path(__file__).parents[1] / "sim" / "model_arm"
#: The model arm's meshes: one in meshdir, one from an include in a subfolder.
_MESHES = (
    '<compiler meshdir="meshes"/><include file="parts/shell.xml"/><asset><mesh name="cover" file="cover.stl"/></asset>'
)


def _arm(folder: Path, mjcf: str = _MESHES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("gym_config.yaml", "action_config.yaml"):
        shutil.copy(MODEL_ARM / name, folder / name)
    (folder / "arm.xml").write_text((MODEL_ARM / "arm.xml").read_text().replace("</default>", f"</default>{mjcf}"))
    (folder / "parts").mkdir()
    (folder / "parts" / "shell.xml").write_text('<mujoco><asset><mesh name="shell" file="shell.stl"/></asset></mujoco>')
    (folder / "meshes").mkdir()
    for name in ("cover.stl", "shell.stl"):
        (folder / "meshes" / name).write_bytes(TETRAHEDRON)
    return folder / "gym_config.yaml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_robot_models_includes_and_meshes_are_hashed_by_their_path_in_the_folder(tmp_path: Path) -> None:
    gym = _arm(tmp_path)
    config, _ = load_sim_config(gym)
    assert asset_hashes(config, tmp_path) == {
        "arm.xml": _sha(tmp_path / "arm.xml"),
        "parts/shell.xml": _sha(tmp_path / "parts" / "shell.xml"),
        "meshes/shell.stl": _sha(tmp_path / "meshes" / "shell.stl"),
        "meshes/cover.stl": _sha(tmp_path / "meshes" / "cover.stl"),
    }


def test_a_robot_mesh_outside_the_folder_is_hashed_by_its_absolute_path_only_when_allowed(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "cover.stl").write_bytes(TETRAHEDRON)
    gym = _arm(tmp_path / "config", '<asset><mesh name="cover" file="../shared/cover.stl"/></asset>')
    config, _ = load_sim_config(gym, allow_outside_assets=True)
    hashes = asset_hashes(config, gym.parent, allow_outside=True)
    assert hashes[str(tmp_path / "shared" / "cover.stl")] == _sha(tmp_path / "shared" / "cover.stl")
    with pytest.raises(AssetPathError, match="leads out of the gym config's folder"):
        asset_hashes(config, gym.parent)


def _stored(root: Path, gym_text: str, hashes: dict[str, str]) -> DatasetSpec:
    """A dataset's spec as ``--resume`` compares it: its gym config and asset hashes."""
    names = ["joint1", "joint2", "joint3", "hand"]
    return DatasetSpec(
        "actionbank/model_arm", root, 50, "my_arm", "reach", names, names, {}, False, ("arm", "hand"), (), {},
        gym_text, "", "0.1.0", gym_config_name="gym_config.yaml", asset_hashes=hashes,
    )  # fmt: skip


def _after_a_change(gym: Path, relative: str, data: bytes) -> tuple[dict[str, str], RunInputs]:
    """The hashes a dataset of ``gym`` recorded, and the inputs of a resume after the file
    ``relative`` (in the gym config's folder) became ``data``; checks that resume names that
    file, and only it, as changed."""
    folder = gym.parent
    config, _ = load_sim_config(gym)
    recorded = asset_hashes(config, folder)
    (folder / relative).write_bytes(data)
    now = asset_hashes(config, folder)
    text = gym.read_text()
    run = RunInputs(gym, text, folder / "action_config.yaml", "", now, None)
    assert run_differences(_stored(folder / "dataset", text, recorded), run) == [
        f"the asset {relative!r} differs: sha256 {now[relative]} now "
        f"({folder / relative}), {recorded[relative]} when the dataset was made"
    ]
    return recorded, run


def test_resume_refuses_a_changed_robot_mesh_and_a_dataset_that_never_hashed_it(tmp_path: Path) -> None:
    gym = _arm(tmp_path)
    text = gym.read_text()
    recorded, run = _after_a_change(gym, "meshes/shell.stl", TETRAHEDRON.replace(b"\0" * 80, b"x" * 80, 1))
    # A dataset made before the robot model's files were hashed: they cannot be shown unchanged.
    older = _stored(tmp_path / "dataset", text, {"arm.xml": recorded["arm.xml"]})
    assert run_differences(older, run._replace(asset_hashes=recorded)) == [
        f"the asset {key!r} is used now but is not among the dataset's assets (a dataset made before the files "
        "a robot model reads were hashed does not list them: start a new dataset)"
        for key in ("meshes/cover.stl", "meshes/shell.stl", "parts/shell.xml")
    ]


#: A block and a material event that textures it from the images of folder ``textures``.
_TEXTURED = {
    "env:\n": (
        "env:\n  events:\n    paint_block:\n      func: randomize_visual_material\n      mode: reset\n"
        "      params: {entity_cfg: {uid: block}, random_texture_prob: 1.0, texture_path: textures}\n"
    ),
    "sensor:\n": "rigid_object:\n  - {uid: block, shape: {shape_type: Box, size: [0.01, 0.01, 0.01]}}\nsensor:\n",
}


def _textured(folder: Path) -> Path:
    """The model arm's gym config with a block textured from ``textures/a.png`` and ``textures/b.png``."""
    gym = _arm(folder)
    text = gym.read_text()
    for old, new in _TEXTURED.items():
        text = text.replace(old, new, 1)
    gym.write_text(text)
    (folder / "textures").mkdir()
    for name in ("a.png", "b.png"):
        (folder / "textures" / name).write_bytes(name.encode())
    return gym


def test_each_image_of_a_texture_folder_is_hashed_by_its_path_in_the_folder(tmp_path: Path) -> None:
    gym = _textured(tmp_path)
    config, _ = load_sim_config(gym)
    hashes = asset_hashes(config, tmp_path)
    assert {key: hashes[key] for key in ("textures/a.png", "textures/b.png")} == {
        "textures/a.png": _sha(tmp_path / "textures" / "a.png"),
        "textures/b.png": _sha(tmp_path / "textures" / "b.png"),
    }
    assert list(hashes) == ["arm.xml", "textures/a.png", "textures/b.png", *list(hashes)[3:]]


def test_a_texture_image_linked_outside_the_folder_is_hashed_by_its_absolute_path_only_when_allowed(
    tmp_path: Path,
) -> None:
    gym = _textured(tmp_path / "config")
    (tmp_path / "shared.png").write_bytes(b"shared")
    (gym.parent / "textures" / "c.png").symlink_to(tmp_path / "shared.png")
    config, _ = load_sim_config(gym, allow_outside_assets=True)
    assert asset_hashes(config, gym.parent, allow_outside=True)[str(tmp_path / "shared.png")] == _sha(
        tmp_path / "shared.png"
    )
    with pytest.raises(
        AssetPathError, match=re.escape("'textures/c.png' (an image of texture folder 'textures') leads out")
    ):
        asset_hashes(config, gym.parent)


def test_resume_refuses_a_changed_texture_image(tmp_path: Path) -> None:
    _after_a_change(_textured(tmp_path), "textures/b.png", b"changed")
