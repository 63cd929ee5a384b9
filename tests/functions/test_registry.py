import textwrap

import pytest
from helpers import codes, small_bank

from actionbank.functions import (
    FunctionConflictError,
    FunctionRegistry,
    FunctionSpec,
    default_registry,
    register_function,
)
from actionbank.functions import registry as registry_module


def test_builtins_cover_the_reference_function_names():
    registry = default_registry()
    for name in (
        "generate_affordances_from_src",
        "no_validation",
        "get_ik_ret",
        "is_qpos_exceed",
        "is_qpos_flip",
        "is_pose_axis_align",
        "get_ik_qpos",
        "get_fk_xpos",
        "get_offset_pose",
        "get_replaced_pose",
        "get_rotated_pose",
        "get_rotation_replaced_pose",
        "get_frame_changed_pose",
        "get_offset_qpos",
        "get_replaced_qpos",
        "plan_trajectory",
        "execute_open",
        "execute_close",
        "stand_still",
    ):
        assert name in registry, name


def test_a_decorated_plugin_is_seen_by_the_compiler(compile_data):
    @register_function("edge", reads=("waypoints/*",))
    def wave_hello_test_plugin(*args, **kwargs):
        """Wave."""

    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["name"] = "wave_hello_test_plugin"
    bank["edge"]["right_arm"][0]["reach"]["kwargs"] = {"waypoints": ["grasp_qpos"]}
    assert codes(compile_data(bank)) == []
    assert default_registry().get("wave_hello_test_plugin").summary == "Wave."


def test_two_functions_under_one_name_conflict():
    registry = FunctionRegistry([FunctionSpec("f", ("edge",), origin="a")])
    with pytest.raises(FunctionConflictError, match="'f'"):
        registry.register(FunctionSpec("f", ("node",), origin="b"))


def test_entry_points_register_functions(tmp_path, monkeypatch):
    dist = tmp_path / "abplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: abplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[actionbank.functions]\nmine = abplugin_mod:SPEC\n")
    (tmp_path / "abplugin_mod.py").write_text(
        textwrap.dedent("""
        from actionbank.functions import FunctionSpec
        SPEC = FunctionSpec("entry_point_edge", ("edge",), origin="abplugin")
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    fresh = FunctionRegistry()
    monkeypatch.setattr(registry_module, "_GLOBAL", fresh)
    monkeypatch.setattr(registry_module, "_entry_points_loaded", False)
    assert "entry_point_edge" in default_registry()
