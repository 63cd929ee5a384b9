"""The files a robot model refers to (:func:`referenced_files`), found without MuJoCo where
MuJoCo finds them: each case puts every listed file where the listing says, and nowhere else,
and MuJoCo must then compile the model; includes outside the allowed folder are never read."""

from __future__ import annotations

import re
from pathlib import Path

import mujoco
import pytest
from helpers import TETRAHEDRON
from PIL import Image

from actionbank.runtime.model_file import ModelFileError, read_model_names
from actionbank.runtime.model_references import referenced_files


def write_stl(path: Path) -> None:
    """A binary STL tetrahedron at ``path`` (folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(TETRAHEDRON)


def _write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":
        Image.new("RGB", (4, 4), (90, 120, 200)).save(path)
    else:
        write_stl(path)


def _compiles(model: Path) -> str | None:
    """MuJoCo's error for the model at ``model``, or ``None`` when it compiles."""
    try:
        mujoco.MjSpec.from_file(str(model)).compile()
    except ValueError as error:
        return str(error)
    return None


def _place_and_compile(folder: Path, model: str, written: dict[str, str]) -> list[tuple[str, str, str]]:
    """Write the model files (``written``: relative path -> text), list what ``model`` refers to,
    put each listed asset at its first candidate, check that MuJoCo compiles it, and return
    (kind, name as written, first candidate relative to ``folder``)."""
    for name, text in written.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    files = referenced_files(folder / model)
    for file in files:
        if file.kind != "include":
            _write(file.candidates[0])
    assert _compiles(folder / model) is None
    return [(f.kind, f.written, f.candidates[0].relative_to(folder, walk_up=True).as_posix()) for f in files]


_BOX = '<worldbody><body><geom type="mesh" mesh="a"/></body></worldbody>'


@pytest.mark.parametrize(
    ("compiler", "asset", "expected"),
    [
        pytest.param("", '<mesh name="a" file="a.stl"/>', [("mesh", "a.stl", "a.stl")], id="no dirs"),
        pytest.param(
            '<compiler meshdir="meshes"/>', '<mesh name="a" file="a.stl"/>', [("mesh", "a.stl", "meshes/a.stl")]
        ),
        pytest.param(
            '<compiler assetdir="assets" texturedir="textures"/>',
            '<mesh name="a" file="a.stl"/><texture name="t" type="2d" file="t.png"/>'
            '<hfield name="h" file="h.png" size="1 1 0.1 0.1"/>',
            [
                ("mesh", "a.stl", "assets/a.stl"),
                ("texture", "t.png", "textures/t.png"),
                ("hfield", "h.png", "assets/h.png"),
            ],
            id="assetdir, texturedir wins",
        ),
        pytest.param(
            '<compiler meshdir="meshes" strippath="true"/>',
            '<mesh name="a" file="from/another/machine/a.stl"/>',
            [("mesh", "from/another/machine/a.stl", "meshes/a.stl")],
            id="strippath",
        ),
        pytest.param(
            '<compiler meshdir="first"/><compiler assetdir="second"/>',
            '<mesh name="a" file="a.stl"/>',
            [("mesh", "a.stl", "second/a.stl")],
            id="the last compiler wins",
        ),
        pytest.param(
            '<compiler texturedir="sky"/>',
            '<mesh name="a" file="a.stl"/><texture name="c" type="cube" fileright="r.png" fileleft="l.png" '
            'fileup="u.png" filedown="d.png" filefront="f.png" fileback="b.png"/>',
            [("mesh", "a.stl", "a.stl")] + [("texture", f"{s}.png", f"sky/{s}.png") for s in "rludfb"],
            id="cube faces",
        ),
    ],
)
def test_mjcf_files_are_listed_where_mujoco_reads_them(
    tmp_path: Path, compiler: str, asset: str, expected: list[tuple[str, str, str]]
) -> None:
    model = f"<mujoco>{compiler}<asset>{asset}</asset>{_BOX}</mujoco>"
    assert _place_and_compile(tmp_path, "robot.xml", {"robot.xml": model}) == expected


def test_an_absolute_meshdir_and_an_absolute_file_are_used_as_written(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    model = (
        f'<mujoco><compiler meshdir="{elsewhere}"/><asset><mesh name="a" file="a.stl"/>'
        f'<mesh name="b" file="{tmp_path}/b.stl"/></asset>{_BOX}</mujoco>'
    )
    found = _place_and_compile(tmp_path / "robot", "robot.xml", {"robot.xml": model})
    assert [f[2] for f in found] == ["../elsewhere/a.stl", "../b.stl"]


def test_an_includes_settings_and_files_are_read_from_the_main_model_files_folder(tmp_path: Path) -> None:
    part = '<mujoco><compiler meshdir="meshes"/><asset><mesh name="a" file="a.stl"/></asset></mujoco>'
    found = _place_and_compile(
        tmp_path,
        "robot.xml",
        {"robot.xml": f'<mujoco><include file="parts/part.xml"/>{_BOX}</mujoco>', "parts/part.xml": part},
    )
    assert found == [("include", "parts/part.xml", "parts/part.xml"), ("mesh", "a.stl", "meshes/a.stl")]


def test_a_file_an_include_names_is_then_looked_for_beside_that_include(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part.xml").write_text('<mujoco><asset><mesh name="a" file="a.stl"/></asset></mujoco>')
    (tmp_path / "robot.xml").write_text(f'<mujoco><include file="parts/part.xml"/>{_BOX}</mujoco>')
    write_stl(tmp_path / "parts" / "a.stl")  # not in the main model's folder: MuJoCo's fallback
    [_include, mesh] = referenced_files(tmp_path / "robot.xml")
    assert mesh.candidates == (tmp_path / "a.stl", tmp_path / "parts" / "a.stl")
    assert mesh.path == tmp_path / "parts" / "a.stl"
    assert _compiles(tmp_path / "robot.xml") is None
    (tmp_path / "parts" / "a.stl").unlink()
    assert "a.stl" in str(_compiles(tmp_path / "robot.xml"))


def _urdf(mujoco_section: str, visual: str) -> str:
    inertial = (
        '<inertial><mass value="1"/><inertia ixx="0.01" iyy="0.01" izz="0.01" ixy="0" ixz="0" iyz="0"/></inertial>'
    )
    collision = '<collision><geometry><mesh filename="meshes/col.stl"/></geometry></collision>'
    visual_mesh = f'<visual><geometry><mesh filename="{visual}"/></geometry></visual>'
    return f'<robot name="r">{mujoco_section}<link name="base">{inertial}{collision}{visual_mesh}</link></robot>'


def test_a_urdfs_collision_meshes_are_listed_and_its_visual_meshes_only_when_kept(tmp_path: Path) -> None:
    (tmp_path / "arm.urdf").write_text(_urdf("", "missing_visual.stl"))
    [collision] = referenced_files(tmp_path / "arm.urdf")
    # MuJoCo keeps a URDF's file paths from 3.7.0 on; before, it kept only the file's name.
    strips = tuple(int(part) for part in mujoco.__version__.split(".")[:2]) < (3, 7)
    assert (collision.kind, collision.written) == ("collision mesh", "meshes/col.stl")
    assert collision.candidates == (tmp_path / ("col.stl" if strips else "meshes/col.stl"),)
    write_stl(collision.path)
    assert _compiles(tmp_path / "arm.urdf") is None  # the missing visual mesh is discarded unread

    kept = '<mujoco><compiler discardvisual="false" meshdir="meshes" strippath="true"/></mujoco>'
    (tmp_path / "arm.urdf").write_text(_urdf(kept, "visual/arm_visual.stl"))
    found = referenced_files(tmp_path / "arm.urdf")
    assert [(f.kind, f.candidates) for f in found] == [
        ("collision mesh", (tmp_path / "meshes" / "col.stl",)),
        ("visual mesh", (tmp_path / "meshes" / "arm_visual.stl",)),
    ]
    write_stl(tmp_path / "meshes" / "col.stl")
    assert "arm_visual.stl" in str(_compiles(tmp_path / "arm.urdf"))
    write_stl(found[1].path)
    assert _compiles(tmp_path / "arm.urdf") is None


def test_an_include_outside_the_allowed_folder_is_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (tmp_path / "secret.xml").write_text("this is not XML <")
    (folder / "robot.xml").write_text('<mujoco><include file="../secret.xml"/><worldbody/></mujoco>')
    with pytest.raises(ModelFileError) as raised:
        read_model_names(folder / "robot.xml", within=folder)
    assert raised.value.reason == (
        f"its include '../secret.xml' leads out of the folder it must stay in ({tmp_path / 'secret.xml'}), "
        "so it was not read"
    )
    [include] = referenced_files(folder / "robot.xml", within=folder)
    assert (include.kind, include.path) == ("include", folder / "../secret.xml")
    with pytest.raises(ModelFileError, match=re.escape("its include '../secret.xml' is not readable XML")):
        read_model_names(folder / "robot.xml")  # no limit: it is read, and would have failed


def test_a_missing_include_is_listed_and_the_names_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "robot.xml").write_text('<mujoco><include file="parts.xml"/><worldbody/></mujoco>')
    [include] = referenced_files(tmp_path / "robot.xml", within=tmp_path)
    assert include.candidates == (tmp_path / "parts.xml",) and not include.path.exists()
    with pytest.raises(ModelFileError, match=re.escape("its include 'parts.xml' does not exist")):
        read_model_names(tmp_path / "robot.xml", within=tmp_path)


def test_textures_are_not_listed_when_an_mjcf_discards_visuals(tmp_path: Path) -> None:
    model = '<mujoco><compiler discardvisual="true"/><asset><texture name="t" type="2d" file="t.png"/></asset></mujoco>'
    (tmp_path / "robot.xml").write_text(model)
    assert referenced_files(tmp_path / "robot.xml") == ()
    assert _compiles(tmp_path / "robot.xml") is None
