"""Provenance hashes every file a run reads from its gym config's folder: the files the gym config
names and the files its robot model file refers to, so that ``generate --resume`` refuses a
changed robot mesh as it refuses a changed object mesh."""

from __future__ import annotations

import hashlib
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


def test_resume_refuses_a_changed_robot_mesh_and_a_dataset_that_never_hashed_it(tmp_path: Path) -> None:
    gym = _arm(tmp_path)
    config, _ = load_sim_config(gym)
    recorded = asset_hashes(config, tmp_path)
    (tmp_path / "meshes" / "shell.stl").write_bytes(TETRAHEDRON.replace(b"\0" * 80, b"x" * 80, 1))
    now = asset_hashes(config, tmp_path)
    text = gym.read_text()
    run = RunInputs(gym, text, tmp_path / "action_config.yaml", "", now, None)
    assert run_differences(_stored(tmp_path / "dataset", text, recorded), run) == [
        f"the asset 'meshes/shell.stl' differs: sha256 {now['meshes/shell.stl']} now "
        f"({tmp_path / 'meshes' / 'shell.stl'}), {recorded['meshes/shell.stl']} when the dataset was made"
    ]
    # A dataset made before the robot model's files were hashed: they cannot be shown unchanged.
    older = _stored(tmp_path / "dataset", text, {"arm.xml": recorded["arm.xml"]})
    assert run_differences(older, run._replace(asset_hashes=recorded)) == [
        f"the asset {key!r} is used now but is not among the dataset's assets (a dataset made before the files "
        "a robot model reads were hashed does not list them: start a new dataset)"
        for key in ("meshes/cover.stl", "meshes/shell.stl", "parts/shell.xml")
    ]
