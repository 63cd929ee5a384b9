"""Our datasets open with LeRobot's default video decoder, torchcodec, on the FFmpeg libraries
the set-up installs: no traceback, no fall-back to PyAV, and the frames decode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from actionbank.cli import main

TOY = Path(__file__).parents[1] / "sim" / "toy_arm"

_OPEN = """
import json, sys
from lerobot.datasets.lerobot_dataset import LeRobotDataset
dataset = LeRobotDataset("local/ds", root=sys.argv[1])
frame = dataset[5]
image = frame["observation.images.overhead"]
print(json.dumps([dataset._video_backend, list(image.shape), float(image.std())]))
"""


def test_a_generated_dataset_decodes_with_torchcodec_and_no_traceback(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--gym-config",
            str(TOY / "gym_config.yaml"),
            "--action-config",
            str(TOY / "action_config.yaml"),
            "--max-episodes",
            "1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output

    opened = subprocess.run([sys.executable, "-c", _OPEN, str(out)], capture_output=True, text=True, timeout=300)

    assert opened.returncode == 0, opened.stderr
    assert "Traceback" not in opened.stderr and "Falling back" not in opened.stderr, opened.stderr
    backend, shape, spread = json.loads(opened.stdout)
    assert backend == "torchcodec"
    assert shape[0] == 3 and spread > 0.0
