"""Shared test helpers: a small valid bank to break, and writing configs to files."""

from __future__ import annotations

import copy
import importlib.util
import json
import struct
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from ruamel.yaml import YAML

from actionbank.compiler import CompileResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = ROOT.parent / "shared" / "reference" / "embodichain"

#: A small valid bank: an arm and its gripper, one sync. Tests copy and break it.
SMALL_BANK: dict[str, Any] = {
    "scope": {
        "right_arm": {"dim": [6], "init": {"method": "current_qpos", "init_node_name": "right_arm_init_qpos"}},
        "right_eef": {
            "dim": [1],
            "init": {"method": "given_qpos", "kwargs": {"given_qpos": [1.0]}, "init_node_name": "open"},
        },
    },
    "node": {
        "right_arm": [
            {
                "grasp_qpos": {
                    "name": "generate_affordances_from_src",
                    "kwargs": {
                        "affordance_infos": [
                            {
                                "src_key": "right_arm_init_qpos",
                                "dst_key": "grasp_qpos",
                                "valid_funcs_name_kwargs_proc": [
                                    {
                                        "name": "no_validation",
                                        "kwargs": {},
                                        "pass_processes": [
                                            {
                                                "name": "get_offset_qpos",
                                                "kwargs": {"offset_value": 0.1, "joint_list_offset": [1]},
                                            }
                                        ],
                                    }
                                ],
                            }
                        ]
                    },
                }
            },
        ],
        "right_eef": [{"open": {"name": "execute_open"}}, {"closed": {"name": "execute_close"}}],
    },
    "edge": {
        "right_arm": [
            {
                "reach": {
                    "src": "right_arm_init_qpos",
                    "sink": "grasp_qpos",
                    "duration": 10,
                    "name": "plan_trajectory",
                    "kwargs": {"keypose_names": ["right_arm_init_qpos", "grasp_qpos"]},
                }
            },
            {
                "back": {
                    "src": "grasp_qpos",
                    "sink": "right_arm_init_qpos",
                    "duration": 8,
                    "name": "plan_trajectory",
                    "kwargs": {"keypose_names": ["grasp_qpos", "right_arm_init_qpos"]},
                }
            },
        ],
        "right_eef": [{"close": {"src": "open", "sink": "closed", "duration": 5, "name": "execute_close"}}],
    },
    "sync": {"close": {"depend_tasks": ["reach"]}, "back": {"depend_tasks": ["close"]}},
}


def small_bank() -> dict[str, Any]:
    return copy.deepcopy(SMALL_BANK)


def write_config(folder: Path, data: Any, name: str = "action_config.json") -> Path:
    path = folder / name
    if name.endswith((".yaml", ".yml")):
        yaml = YAML()
        with path.open("w") as stream:
            yaml.dump(data, stream)
    else:
        path.write_text(json.dumps(data, indent=2))
    return path


def codes(result: CompileResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def small_example(name: str, folder: Path, divisor: int = 4) -> tuple[Path, Path]:
    """Copy example ``name`` into ``folder`` with its cameras ``divisor`` times smaller (same
    field of view); returns the gym and action config paths. The action config is verbatim."""
    copies = load_benchmark("example_copies")
    return copies.copy_example(name, folder, divisor)  # type: ignore[no-any-return]


def load_benchmark(name: str) -> ModuleType:
    """The script ``benchmarks/<name>.py`` as a module (benchmarks are scripts, not a package;
    the folder goes on ``sys.path`` for the ones that import each other)."""
    folder = ROOT / "benchmarks"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


#: What Gymnasium's checker only advises against: joint-range actions, unbounded state and velocity.
ENV_CHECKER_ADVICE = ("symmetric and normalized space", "minimum value is -infinity", "maximum value is infinity")


def env_checker_complaints(env: Any) -> list[str]:
    """Run Gymnasium's ``check_env`` on ``env``; return its warnings other than the advice above."""
    import warnings

    from gymnasium.utils.env_checker import check_env

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env, skip_render_check=True)
    return [str(w.message) for w in caught if not any(advice in str(w.message) for advice in ENV_CHECKER_ADVICE)]


def mujoco_warnings(data: Any) -> dict[str, int]:
    """MuJoCo's warning counters in ``data`` (an ``MjData``) that are not zero, by name."""
    import mujoco

    counts = {
        name: int(data.warning[int(kind)].number)
        for name, kind in mujoco.mjtWarning.__members__.items()
        if name != "mjNWARNING"
    }
    return {name: count for name, count in counts.items() if count}


def tree_state(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Everything under ``folder`` (links not followed): file → its bytes and mtime [ns], link →
    its target, folder → nothing. Equal states mean nothing was written, added or removed."""
    import os

    state: dict[str, tuple[Any, ...]] = {}
    for here, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(here) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[key] = ("link", os.readlink(path))
            elif path.is_dir():
                state[key] = ("folder",)
            else:
                state[key] = ("file", path.read_bytes(), path.stat().st_mtime_ns)
    return state


def binary_stl(triangles: list[tuple[tuple[float, float, float], ...]]) -> bytes:
    """A binary STL file of ``triangles`` (three vertices [m] each)."""
    data = b"\0" * 80 + struct.pack("<I", len(triangles))
    for triangle in triangles:
        data += struct.pack("<3f", 0, 0, 0) + b"".join(struct.pack("<3f", *v) for v in triangle) + b"\0\0"
    return data


_TET = [(0.0, 0.0, 0.0), (0.1, 0.0, 0.0), (0.0, 0.1, 0.0), (0.0, 0.0, 0.1)]
#: A tetrahedron with 10 cm legs as a binary STL file: the smallest mesh MuJoCo builds.
TETRAHEDRON = binary_stl(
    [(_TET[0], _TET[2], _TET[1]), (_TET[0], _TET[1], _TET[3]), (_TET[0], _TET[3], _TET[2]), (_TET[1], _TET[2], _TET[3])]
)


def write_distribution(folder: Path, name: str, entry_points: dict[str, dict[str, str]]) -> Path:
    """Write a minimal installed distribution ``name`` (its dist-info: metadata and entry points)
    into ``folder``, which a process puts on its path to see it; returns ``folder``."""
    info = folder / f"{name}-0.1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1.0\n")
    sections = [
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in items.items()) for group, items in entry_points.items()
    ]
    (info / "entry_points.txt").write_text("\n".join(sections))
    return folder


def checkout_distribution(folder: Path) -> Path:
    """``actionbank``'s dist-info with this checkout's entry points (pyproject.toml), so that a
    subprocess sees them even where the installed metadata is older; returns ``folder``."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = {group: dict(items) for group, items in project.get("entry-points", {}).items()}
    return write_distribution(folder, "actionbank", groups)


def compiled_drive(model: Any, index: int) -> str:
    """What actuator ``index``'s control means in the compiled model (the rule of
    :mod:`actionbank.runtime.actuator_drive`, on the fields MuJoCo compiled)."""
    import mujoco

    gain, bias, dynamics = model.actuator_gaintype[index], model.actuator_biastype[index], model.actuator_dyntype[index]
    if model.actuator_plugin[index] >= 0 or model.actuator_trntype[index] == mujoco.mjtTrn.mjTRN_BODY:
        return "other"  # a plugin's input; adhesion (a body's)
    if gain != mujoco.mjtGain.mjGAIN_FIXED:
        return "other"
    if bias == mujoco.mjtBias.mjBIAS_NONE:
        return "torque" if dynamics == mujoco.mjtDyn.mjDYN_NONE else "other"
    filters = (mujoco.mjtDyn.mjDYN_NONE, mujoco.mjtDyn.mjDYN_FILTER, mujoco.mjtDyn.mjDYN_FILTEREXACT)
    pulls = model.actuator_biasprm[index, 1] < 0
    return "servo" if bias == mujoco.mjtBias.mjBIAS_AFFINE and dynamics in filters and pulls else "other"


def model_arm_copy(tmp_path: Path, replace: dict[str, str] | None = None) -> Path:
    """``tests/sim/model_arm`` copied to ``tmp_path / "arm"``, each key of ``replace`` in its
    ``arm.xml`` (which must hold it) replaced by its value."""
    import shutil

    folder = tmp_path / "arm"
    shutil.copytree(ROOT / "tests" / "sim" / "model_arm", folder)
    text = (folder / "arm.xml").read_text()
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "arm.xml").write_text(text)
    return folder


def generate_folder(folder: Path, out: Path, episodes: int = 1) -> Any:
    """``actionbank generate`` of the configs in ``folder`` (``gym_config.yaml`` and
    ``action_config.yaml``) into ``out``, ``episodes`` at most: click's result."""
    from click.testing import CliRunner

    from actionbank.cli import main

    arguments = ["generate", "--gym-config", str(folder / "gym_config.yaml")]
    arguments += ["--action-config", str(folder / "action_config.yaml")]
    return CliRunner().invoke(main, [*arguments, "--max-episodes", str(episodes), "-o", str(out)])
