"""A name used twice within one of MuJoCo's namespaces (two meshes, two joints, two actuators)
is refused by the model reader, so by ``lint``, exactly where MuJoCo refuses the model; the
same name in two namespaces, in ``<default>`` or made unique by ``<replicate>`` is fine. Each
case is held to MuJoCo compiling the same file. Before, lint passed robosuite's Robotiq
gripper (a mesh declared twice) and generate then failed without a location."""

from __future__ import annotations

from pathlib import Path

import mujoco
import pytest
from helpers import TETRAHEDRON

from actionbank.runtime.model_file import ModelFileError, read_model_names

_BASE = """<mujoco>
  <asset>
    <mesh name="m" file="m.stl"/>
    {asset}
  </asset>
  <worldbody>
    <body name="b">
      <joint name="j" axis="0 0 1"/>
      <geom name="g" type="box" size="0.1 0.1 0.1"/>
      <site name="s"/>
      {body}
    </body>
    {world}
  </worldbody>
  <tendon><fixed name="t"><joint joint="j" coef="1"/></fixed>{tendon}</tendon>
  <actuator><motor name="a" joint="j"/>{actuator}</actuator>
  <sensor><jointpos name="p" joint="j"/>{sensor}</sensor>
  {extra}
</mujoco>
"""

CASES = {
    "two meshes": ({"asset": '<mesh name="m" file="m.stl"/>'}, "mesh", "m"),
    "a mesh and a texture": (
        {"asset": '<texture name="m" type="2d" builtin="checker" width="8" height="8"/>'},
        None,
        "",
    ),
    "two bodies": ({"world": '<body name="b"><geom size="0.1"/></body>'}, "body", "b"),
    "a body and a geom": ({"world": '<geom name="b" size="0.1"/>'}, None, ""),
    "a joint and a free joint": (
        {"world": '<body name="c"><freejoint name="j"/><geom size="0.1"/></body>'},
        "joint",
        "j",
    ),
    "two geoms": ({"world": '<geom name="g" size="0.1"/>'}, "geom", "g"),
    "two sites": ({"body": '<body name="c"><site name="s"/></body>'}, "site", "s"),
    "two lights": ({"world": '<light name="l"/><light name="l"/>'}, "light", "l"),
    "two actuators of two kinds": ({"actuator": '<position name="a" joint="j"/>'}, "actuator", "a"),
    "an actuator named like a joint": ({"actuator": '<velocity name="j" joint="j"/>'}, None, ""),
    "two tendons": ({"tendon": '<fixed name="t"><joint joint="j" coef="2"/></fixed>'}, "tendon", "t"),
    "two sensors": ({"sensor": '<jointvel name="p" joint="j"/>'}, "sensor", "p"),
    "two equalities": (
        {
            "world": '<body name="c"><joint name="k"/><geom size="0.1"/></body>',
            "extra": '<equality><joint name="e" joint1="j" joint2="k"/><joint name="e" joint1="k" joint2="j"/></equality>',
        },
        "equality",
        "e",
    ),
    "a name repeated in a default class": (
        {"extra": '<default><default class="x"><geom size="0.1"/></default><default class="y"/></default>'},
        None,
        "",
    ),
    "a replicated body": (
        {"world": '<replicate count="2" offset="1 0 0"><body name="r"><geom size="0.1"/></body></replicate>'},
        None,
        "",
    ),
}


@pytest.mark.parametrize(("parts", "kind", "name"), CASES.values(), ids=CASES.keys())
def test_a_repeated_name_is_refused_where_mujoco_refuses_it(
    tmp_path: Path, parts: dict[str, str], kind: str | None, name: str
) -> None:
    (tmp_path / "m.stl").write_bytes(TETRAHEDRON)
    model = tmp_path / "model.xml"
    slots = dict.fromkeys(("asset", "body", "world", "tendon", "actuator", "sensor", "extra"), "")
    model.write_text(_BASE.format(**(slots | parts)))
    try:
        mujoco.MjModel.from_xml_path(str(model))
        refused = None
    except ValueError as error:
        refused = str(error)
    if kind is None:
        assert refused is None
        read_model_names(model)
        return
    assert refused is not None and f"repeated name '{name}'" in refused
    with pytest.raises(ModelFileError) as caught:
        read_model_names(model)
    assert caught.value.reason == f"two {kind} elements are named {name!r}; MuJoCo refuses a repeated name"


def _refused_by_both(folder: Path, files: dict[str, str]) -> ModelFileError:
    """Write ``files`` (the model file last) and a mesh ``m.stl``: MuJoCo refuses the model for
    the repeated name 'm', and so does the reader, whose error this is."""
    (folder / "m.stl").write_bytes(TETRAHEDRON)
    for name, text in files.items():
        (folder / name).write_text(text)
    model = folder / list(files)[-1]
    with pytest.raises(ValueError, match="repeated name 'm'"):
        mujoco.MjModel.from_xml_path(str(model))
    with pytest.raises(ModelFileError) as caught:
        read_model_names(model)
    return caught.value


def test_a_name_repeated_in_an_included_file_names_the_file(tmp_path: Path) -> None:
    refused = _refused_by_both(
        tmp_path,
        {
            "gripper.xml": '<mujoco><asset><mesh name="m" file="m.stl"/></asset></mujoco>',
            "model.xml": '<mujoco><asset><mesh name="m" file="m.stl"/></asset><include file="gripper.xml"/>'
            '<worldbody><geom type="mesh" mesh="m"/></worldbody></mujoco>',
        },
    )
    assert (
        refused.reason == "two mesh elements are named 'm' (one of them in gripper.xml); MuJoCo refuses a repeated name"
    )


def test_a_name_repeated_in_an_attached_model_names_each_model_on_the_way(tmp_path: Path) -> None:
    """robosuite's Robotiq file, attached by the arm's file, attached by the scene: before, the
    message named only the scene's file."""
    refused = _refused_by_both(
        tmp_path,
        {
            "gripper.xml": '<mujoco><asset><mesh name="m" file="m.stl"/><mesh name="m" file="m.stl"/></asset>'
            '<worldbody><body name="g"><geom type="mesh" mesh="m"/></body></worldbody></mujoco>',
            "arm.xml": '<mujoco><asset><model name="grip" file="gripper.xml"/></asset><worldbody><body name="a">'
            '<geom size="0.1"/><attach model="grip" body="g" prefix="g_"/></body></worldbody></mujoco>',
            "scene.xml": '<mujoco><asset><model name="arm" file="arm.xml"/></asset>'
            '<worldbody><attach model="arm" body="a" prefix="a_"/></worldbody></mujoco>',
        },
    )
    assert refused.reason == (
        "its <model name='arm' file='arm.xml'>: its <model name='grip' file='gripper.xml'>: two mesh elements are "
        "named 'm'; MuJoCo refuses a repeated name"
    )
