"""Copies of the shipped examples for benchmarks and tests: the gym config with its cameras
made smaller (same field of view), optionally edited, and the action config verbatim.

    from example_copies import copy_example
    gym, action = copy_example("transfer_cube", folder, divisor=4)

Benchmarks are scripts, not a package: they import this module as a sibling (their folder
is on ``sys.path`` when they run), as ``tests/helpers.py`` does through ``load_benchmark``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def copy_example(
    name: str, folder: Path, divisor: int = 1, edit: Callable[[Any], None] | None = None
) -> tuple[Path, Path]:
    """Write example ``name``'s configs into ``folder`` (created) and return the gym and action
    config paths: every camera ``divisor`` times smaller (1: as shipped), then ``edit`` applied
    to the gym config's data (a ruamel mapping) when given. The action config is verbatim."""
    from actionbank.spec.gym_models import Camera

    yaml = YAML()
    source = EXAMPLES / name
    gym = yaml.load((source / "gym_config.yaml").read_text(encoding="utf-8"))
    if divisor > 1:
        for camera in gym["sensor"]:
            resized = Camera.model_validate(camera).resized(camera["width"] // divisor, camera["height"] // divisor)
            camera["width"], camera["height"] = resized.width, resized.height
            camera["intrinsics"] = list(resized.intrinsics)
    if edit is not None:
        edit(gym)
    folder.mkdir(parents=True, exist_ok=True)
    gym_path, action_path = folder / "gym_config.yaml", folder / "action_config.yaml"
    with gym_path.open("w", encoding="utf-8") as file:
        yaml.dump(gym, file)
    action_path.write_text((source / "action_config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return gym_path, action_path
