"""A model's joint ranges and actuator control ranges are read (without MuJoCo) as MuJoCo compiles
them: default classes (nested, ``class``, ``childclass`` on bodies and frames, several top-level
``<default>``, in included files), ``limited`` / ``ctrllimited`` with ``autolimits``, degrees or
radians, ``inheritrange``. Every case is checked against the model MuJoCo compiles from the same
file."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import mujoco
import pytest
from helpers import compiled_drive

from actionbank.runtime.model_file import ModelFileError, ModelNames, read_model_names
from actionbank.runtime.model_robots import MODEL_ROBOTS
from actionbank.runtime.package_files import package_file
from sim.assets import aloha_assets_dir
from sim.robots import ROBOTS

Span = tuple[float, float]


def _compiled(model: mujoco.MjModel) -> tuple[dict[str, Span], list[Span | None], dict[str, set[str]]]:
    """The compiled model's limited joints' ranges, each actuator's control range (``None``: not
    limited) in order, and its named joints, bodies, geoms and sites."""

    def span(values: Any) -> Span:
        return float(values[0]), float(values[1])

    ranges = {model.joint(i).name: span(model.jnt_range[i]) for i in range(model.njnt) if model.jnt_limited[i]}
    controls = [span(model.actuator_ctrlrange[i]) if model.actuator_ctrllimited[i] else None for i in range(model.nu)]
    counts = {"joint": model.njnt, "body": model.nbody, "geom": model.ngeom, "site": model.nsite}
    named = {kind: {getattr(model, kind)(i).name for i in range(n)} - {"", "world"} for kind, n in counts.items()}
    return ranges, controls, named


_KINDS = {
    mujoco.mjtJoint.mjJNT_HINGE: "hinge",
    mujoco.mjtJoint.mjJNT_SLIDE: "slide",
    mujoco.mjtJoint.mjJNT_BALL: "ball",
    mujoco.mjtJoint.mjJNT_FREE: "free",
}


def _assert_read_as_compiled(names: ModelNames, model: mujoco.MjModel, tolerance: float = 1e-6) -> None:
    assert [a.drive for a in names.actuators] == [compiled_drive(model, i) for i in range(model.nu)]
    kinds = {model.joint(i).name: _KINDS[model.jnt_type[i]] for i in range(model.njnt) if model.joint(i).name}
    assert names.joint_kinds == kinds
    ranges, controls, named = _compiled(model)
    assert set(names.joint_ranges) == set(ranges), "the joints MuJoCo limits"
    for joint, stated in names.joint_ranges.items():
        assert stated == pytest.approx(ranges[joint], abs=tolerance), joint
    read = [actuator.ctrlrange for actuator in names.actuators]
    assert [c is None for c in read] == [c is None for c in controls], "the actuators MuJoCo limits"
    for actuator, clamped, compiled in zip(names.actuators, read, controls, strict=True):
        assert clamped == (None if compiled is None else pytest.approx(compiled, abs=tolerance)), actuator.name
    assert set(names.joints) == named["joint"]
    assert {b for b in names.bodies if not b.startswith("#")} == named["body"]
    assert (set(names.geoms), set(names.sites)) == (named["geom"], named["site"])


# -- the shipped robots -----------------------------------------------------------------------


def _source(robot_type: str) -> Path:
    if robot_type == "aloha":
        return aloha_assets_dir() / "bimanual_viperx_transfer_cube.xml"
    shipped = MODEL_ROBOTS[robot_type]
    return package_file(shipped.package, shipped.relative, shipped.distribution)


@pytest.mark.parametrize("robot_type", ["aloha", *sorted(MODEL_ROBOTS)])
def test_a_shipped_robots_model_file_reads_as_mujoco_compiles_it(robot_type: str) -> None:
    path = _source(robot_type)
    _assert_read_as_compiled(read_model_names(path), mujoco.MjSpec.from_file(str(path)).compile())


@pytest.mark.parametrize("robot_type", sorted(ROBOTS))
def test_the_mjcf_mujoco_writes_for_each_shipped_robot_reads_as_the_robot_compiles(
    robot_type: str, tmp_path: Path
) -> None:
    spec = ROBOTS[robot_type].build()
    model = spec.compile()
    (tmp_path / "robot.xml").write_text(spec.to_xml())  # classes and childclass kept, in radians
    # MuJoCo writes numbers with 6 significant digits.
    _assert_read_as_compiled(read_model_names(tmp_path / "robot.xml"), model, tolerance=1e-5)


# -- small models, one rule each --------------------------------------------------------------


def _body(*joints: str, childclass: str = "", inner: str = "") -> str:
    """A body holding the first of ``joints``, with a child body (no childclass) for each next one
    (joints side by side would make the model singular); ``inner`` goes in the innermost."""
    attribute = f' childclass="{childclass}"' if childclass else ""
    rest = _body(*joints[1:], inner=inner) if len(joints) > 1 else inner
    return f'<body{attribute}><geom size="0.05"/>{"".join(joints[:1])}{rest}</body>'


def _model(*sections: str, bodies: tuple[str, ...] = ()) -> str:
    return f"<mujoco>{''.join(sections)}<worldbody>{''.join(bodies)}</worldbody></mujoco>"


_TWO_CLASSES = (
    '<default><default class="x"><joint range="0 30"/></default><default class="y"><joint range="0 60"/></default>'
    "</default>"
)

CASES = [
    pytest.param(
        {
            "robot.xml": _model(
                # The nested class comes before its parent's <joint>, and still inherits its range.
                '<default><default class="arm"><default class="wrist"><joint damping="1"/></default>'
                '<joint range="-90 90"/></default></default>',
                bodies=(
                    _body('<joint name="a" class="arm"/>', '<joint name="b" class="wrist"/>', '<joint name="c"/>'),
                ),
            )
        },
        {"a", "b"},
        id="a nested class inherits its parent's values",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                _TWO_CLASSES,
                bodies=(
                    _body(
                        '<joint name="a"/>',
                        childclass="x",
                        inner=_body('<joint name="b"/>', childclass="y")
                        + '<frame childclass="y">'
                        + _body('<joint name="c"/>')
                        + '<site name="s"/></frame>'
                        + _body('<joint name="d"/>'),
                    ),
                ),
            )
        },
        {"a", "b", "c", "d"},
        id="the nearest body's or frame's childclass applies",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                _TWO_CLASSES,
                bodies=(_body('<joint name="a" class="y"/>', '<joint name="b" class="main"/>', childclass="x"),),
            )
        },
        {"a"},
        id="the class on the element wins over childclass",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<default><default class="x"><joint type="slide" range="0 0.3"/></default></default>',
                bodies=(
                    _body(
                        '<joint name="a" class="x" type="hinge" range="0 45"/>',
                        '<joint name="b" class="x" limited="false"/>',
                        '<joint name="c" class="x"/>',
                    ),
                ),
            )
        },
        {"a", "c"},
        id="attributes on the element win over the class",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<default><joint range="0 10" limited="false"/></default>',
                bodies=(_body('<joint name="a"/>', '<joint name="b" limited="auto"/>'),),
            )
        },
        {"b"},
        id="limited set in a class",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<compiler autolimits="false"/><default><default class="c"><joint limited="true"/></default></default>',
                '<actuator><motor name="m" joint="a" ctrllimited="true" ctrlrange="-1 1"/><motor name="n" joint="b"/>'
                "</actuator>",
                bodies=(
                    _body('<joint name="a" range="0 30"/>', childclass="c"),
                    _body('<joint name="b" range="0 30" limited="false"/>'),
                ),
            )
        },
        {"a"},
        id="autolimits off limits only what says limited",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<default><default class="x"><position inheritrange="0.5"/></default></default>',
                "<actuator>"
                '<position name="p" joint="a" class="x"/><general name="g" joint="a" class="x"/>'
                '<velocity name="v" joint="a" class="x"/><position name="t" tendon="t" class="x"/>'
                '<position name="q" joint="a" inheritrange="2"/>'
                "</actuator>",
                '<tendon><fixed name="t" range="0 0.2"><joint joint="s" coef="1"/></fixed></tendon>',
                bodies=(_body('<joint name="a" range="-90 90"/>'), _body('<joint name="s" type="slide"/>')),
            )
        },
        {"a"},
        id="inheritrange scales the joint's or tendon's range for position and general",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<default><motor ctrlrange="-1 1"/><default class="loose"><motor ctrllimited="false"/></default>'
                "</default>",
                '<actuator><motor name="m" joint="a"/><position name="p" joint="a" kp="5"/>'
                '<motor name="n" joint="a" class="loose"/><motor name="o" joint="a" ctrlrange="0 2"/></actuator>',
                bodies=(_body('<joint name="a"/>'),),
            )
        },
        set(),
        id="every actuator element shares the class's one actuator",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<default><default class="x"><joint damping="1"/></default></default>'
                '<default><joint range="0 20"/></default>',
                bodies=(_body('<joint name="a" class="x"/>', '<joint name="b"/>'),),
            )
        },
        {"b"},
        id="several top-level defaults add to main, and a class copies it when defined",
    ),
    pytest.param(
        {
            "robot.xml": _model(
                '<include file="defaults.xml"/><default><include file="nested.xml"/></default>',
                bodies=(_body('<joint name="a" class="x"/>', '<joint name="b" class="y"/>', '<joint name="c"/>'),),
            ),
            "defaults.xml": '<mujoco><compiler angle="radian"/><default><default class="x"><joint range="0 1"/>'
            '</default></default><default><joint range="0 2"/></default></mujoco>',
            "nested.xml": '<mujoco><default class="y"><joint range="0 3"/></default></mujoco>',
        },
        {"a", "b", "c"},
        id="defaults and compiler settings in included files",
    ),
    pytest.param(
        {"robot.xml": _model(bodies=(_body('<freejoint name="free"/>'),))},
        set(),
        id="a named freejoint is a joint",
    ),
]


@pytest.mark.parametrize(("files", "limited"), CASES)
def test_a_models_ranges_read_as_mujoco_compiles_them(files: dict[str, str], limited: set[str], tmp_path: Path) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    names = read_model_names(tmp_path / "robot.xml")
    assert set(names.joint_ranges) == limited
    _assert_read_as_compiled(names, mujoco.MjSpec.from_file(str(tmp_path / "robot.xml")).compile())


_TYPED = (
    '<default><default class="s"><joint type="slide"/></default><default class="b"><joint type="ball"/></default>'
    "</default>"
)


@pytest.mark.parametrize(
    ("before", "after", "degrees"),
    [
        pytest.param("", "", True, id="degrees when no compiler says"),
        pytest.param('<compiler angle="radian"/>', "", False, id="radians"),
        pytest.param('<compiler angle="degree"/>', "", True, id="degrees"),
        pytest.param(
            '<compiler angle="radian"/>',
            '<compiler autolimits="true"/>',
            False,
            id="a later compiler that does not say",
        ),
        pytest.param('<compiler angle="radian"/>', '<compiler angle="degree"/>', True, id="the last compiler wins"),
    ],
)
def test_hinge_and_ball_ranges_are_read_in_the_compilers_angle_unit_and_slides_never(
    before: str, after: str, degrees: bool, tmp_path: Path
) -> None:
    joints = (
        _body('<joint name="hinge" range="-30 60"/>'),
        _body('<joint name="slide" type="slide" range="0 0.3"/>'),
        _body('<joint name="typed_slide" class="s" range="0 0.5"/>'),
        _body('<joint name="ball" class="b" range="0 45"/>'),
    )
    # ``after`` stands after the worldbody: MuJoCo reads every <compiler> before it compiles.
    text = _model(before, _TYPED, bodies=joints).replace("</mujoco>", f"{after}</mujoco>")
    (tmp_path / "robot.xml").write_text(text)
    names = read_model_names(tmp_path / "robot.xml")
    scale = math.pi / 180 if degrees else 1.0
    assert names.joint_ranges["hinge"] == pytest.approx((-30 * scale, 60 * scale))
    assert names.joint_ranges["ball"] == pytest.approx((0.0, 45 * scale))
    assert (names.joint_ranges["slide"], names.joint_ranges["typed_slide"]) == ((0.0, 0.3), (0.0, 0.5))
    _assert_read_as_compiled(names, mujoco.MjSpec.from_file(str(tmp_path / "robot.xml")).compile())


_ARM_CLASS = '<default><default class="arm"><joint damping="1"/></default></default>'


@pytest.mark.parametrize(
    ("bodies", "after", "named"),
    [
        pytest.param((_body('<joint name="a" class="wrist"/>'),), "", "<joint class='wrist'>", id="a joint's class"),
        pytest.param(
            (_body('<joint name="a"/>', childclass="wrist"),), "", "<body childclass='wrist'>", id="childclass"
        ),
        pytest.param(
            ('<body><geom size="0.05" class="wrist"/><joint name="a"/></body>',), "", "<geom class='wrist'>", id="geom"
        ),
        pytest.param(
            (_body('<joint name="a"/>'),),
            '<actuator><position joint="a" class="wrist"/></actuator>',
            "<position class='wrist'>",
            id="an actuator's class",
        ),
    ],
)
def test_a_class_the_model_does_not_define_is_refused_as_mujoco_refuses_it(
    bodies: tuple[str, ...], after: str, named: str, tmp_path: Path
) -> None:
    text = _model(_ARM_CLASS, bodies=bodies).replace("</mujoco>", f"{after}</mujoco>")
    (tmp_path / "robot.xml").write_text(text)
    with pytest.raises(ValueError, match="unknown default"):
        mujoco.MjSpec.from_file(str(tmp_path / "robot.xml")).compile()
    with pytest.raises(ModelFileError) as refused:
        read_model_names(tmp_path / "robot.xml")
    assert refused.value.reason == (
        f"{named} names a default class the model does not define, which MuJoCo refuses; its classes: main, arm"
    )


def test_the_class_names_inside_default_sections_are_definitions_not_references(tmp_path: Path) -> None:
    (tmp_path / "robot.xml").write_text(_model(_ARM_CLASS, bodies=(_body('<joint name="a" class="arm"/>'),)))
    _assert_read_as_compiled(
        read_model_names(tmp_path / "robot.xml"), mujoco.MjSpec.from_file(str(tmp_path / "robot.xml")).compile()
    )


@pytest.mark.parametrize(
    "joint",
    ['range="1 -1"', 'range="1 1"', 'range="-1 1" limited="false"', 'range="-1 1"', ""],
    ids=["reversed", "empty", "not limited", "limited", "no range"],
)
def test_a_range_limits_where_mujoco_limits_it(joint: str, tmp_path: Path) -> None:
    """With autolimits, MuJoCo leaves an empty or reversed range unlimited."""
    path = tmp_path / "model.xml"
    path.write_text(
        f'<mujoco><compiler angle="radian"/><worldbody><body><joint name="j" {joint}/><geom size=".1"/></body>'
        '</worldbody><actuator><motor name="m" jointinparent="j" ctrlrange="2 -2"/></actuator></mujoco>'
    )
    _assert_read_as_compiled(read_model_names(path), mujoco.MjModel.from_xml_path(str(path)))
    assert read_model_names(path).actuator_of_joint("j") is not None  # jointinparent names the joint too


@pytest.mark.parametrize(
    ("joint", "actuator", "refused"),
    [
        ('limited="true"', '<motor joint="j"/>', "<joint name='j'> is limited (\"true\") but its range is none"),
        (
            'limited="true" range="1 -1"',
            '<motor joint="j"/>',
            "<joint name='j'> is limited (\"true\") but its range is 1 -1",
        ),
        (
            'range="-1 1"',
            '<motor name="m" joint="j" ctrllimited="true"/>',
            "the control of <motor name='m'> is limited",
        ),
    ],
)
def test_a_limit_without_a_range_is_refused_as_mujoco_refuses_it(
    joint: str, actuator: str, refused: str, tmp_path: Path
) -> None:
    path = tmp_path / "model.xml"
    path.write_text(
        f'<mujoco><compiler angle="radian"/><worldbody><body><joint name="j" {joint}/><geom size=".1"/></body>'
        f"</worldbody><actuator>{actuator}</actuator></mujoco>"
    )
    with pytest.raises(ValueError):
        mujoco.MjModel.from_xml_path(str(path))
    with pytest.raises(ModelFileError, match="MuJoCo needs a low end below the high end") as caught:
        read_model_names(path)
    assert refused in str(caught.value)
