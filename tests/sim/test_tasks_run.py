"""The shipped tasks run through the executor with the cameras on: transfer_cube succeeds for
seeds 0-2 and its top camera sees the cube where the physics has it, first on the table and
last at the hand-over; pour_water's wrist camera records a changing, non-blank view;
insertion (cameras off) ends with the peg in the socket, against its pin, for seeds 0-1.

Cameras are shrunk (the cost of a frame is MuJoCo's per-render overhead, hardly its size)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers import EXAMPLES
from numpy.typing import NDArray

from actionbank.compiler import CompileOptions, compile_file
from actionbank.plan import ExecutionPlan
from actionbank.rollout import Frame
from actionbank.spec.gym_models import GymConfig
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.executor import run_plan

TRANSFER_CUBE: Path = EXAMPLES / "transfer_cube"
INSERTION: Path = EXAMPLES / "insertion"
#: The top camera's image [px]: the 4 cm cube covers about 4 x 4 pixels from 0.6-0.8 m.
TOP_WIDTH, TOP_HEIGHT = 128, 96
#: Pixels of the red cube: red channel above RED_MIN (0-255) and at least RED_DOMINANCE times
#: green and blue (the lamp brightens the cube's top face without changing its hue).
RED_MIN, RED_DOMINANCE = 100, 2.0
#: Each image's standard deviation over its pixels and channels is at least this (0-255).
MIN_STD = 10.0
#: And it holds at least this many different colours.
MIN_COLOURS = 20


@pytest.fixture(scope="module")
def transfer_cube_plan() -> ExecutionPlan:
    result = compile_file(
        TRANSFER_CUBE / "action_config.yaml", CompileOptions(gym_config=TRANSFER_CUBE / "gym_config.yaml")
    )
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    return result.plan


@pytest.fixture(scope="module")
def transfer_cube_env(small_cameras: Callable[..., GymConfig]) -> Iterator[ActionbankEnv]:
    """The transfer-cube scene with its top camera at 128x96, its rendering events off (these
    tests find the cube by its red colour where the configured camera and lamp see it) and the
    cube's pose recorded each step (``environment_state``)."""
    config, _ = load_sim_config(TRANSFER_CUBE / "gym_config.yaml")
    rendering = {
        "randomize_visual_material",
        "randomize_light",
        "randomize_camera_extrinsics",
        "randomize_camera_intrinsics",
    }
    data = config.model_dump()
    data["env"]["events"] = {label: e for label, e in data["env"]["events"].items() if e["func"] not in rendering}
    data["env"]["observations"] = {
        "red_box_pose": {"func": "get_rigid_object_pose", "params": {"entity_cfg": {"uid": "red_box"}}}
    }
    environment = ActionbankEnv(small_cameras(GymConfig.model_validate(data), TOP_WIDTH, TOP_HEIGHT), TRANSFER_CUBE)
    yield environment
    environment.close()


@pytest.fixture(scope="module")
def pour_water_wrist_env(small_pour_water_config: GymConfig, pour_water_dir: Path) -> Iterator[ActionbankEnv]:
    """The pour-water scene with only its camera on the right gripper (64x48)."""
    wrist = [camera for camera in small_pour_water_config.sensor if camera.uid == "cam_right_wrist"]
    assert len(wrist) == 1
    environment = ActionbankEnv(small_pour_water_config.model_copy(update={"sensor": wrist}), pour_water_dir)
    yield environment
    environment.close()


def _images(frames: Sequence[Frame], camera: str) -> NDArray[np.uint8]:
    return np.stack([frame.images[camera] for frame in frames])


def _assert_not_blank(images: NDArray[np.uint8], shape: tuple[int, int]) -> None:
    assert images.dtype == np.uint8
    assert images.shape[1:] == (*shape, 3)
    stds = images.reshape(len(images), -1).std(axis=1)
    assert stds.min() > MIN_STD, f"frame {int(stds.argmin())} is nearly blank (std {stds.min():.1f})"
    for index in range(0, len(images), 25):
        colours = np.unique(images[index].reshape(-1, 3), axis=0)
        assert len(colours) >= MIN_COLOURS, f"frame {index} has only {len(colours)} colours"


def _red_centre(image: NDArray[np.uint8]) -> tuple[float, float]:
    """The mean (column, row) of the cube's red pixels [px]."""
    rgb = image.astype(np.float64)
    red = (rgb[..., 0] > RED_MIN) & (rgb[..., 0] > RED_DOMINANCE * np.maximum(rgb[..., 1], rgb[..., 2]))
    rows, columns = np.nonzero(red)
    assert len(rows) >= 4, f"the cube covers {len(rows)} pixels"
    return float(columns.mean()), float(rows.mean())


def _project(env: ActionbankEnv, camera: str, point: Sequence[float]) -> tuple[float, float]:
    """Where the world point [m] appears in ``camera``'s image (column, row) [px]: a MuJoCo
    camera looks along its -z with y up; its focal length follows from the vertical fovy."""
    height, width = env.scene.cameras[camera]
    cam = env.data.cam(camera)
    local = cam.xmat.reshape(3, 3).T @ (np.asarray(point, dtype=np.float64) - cam.xpos)
    focal = height / 2 / math.tan(math.radians(float(env.model.cam(camera).fovy[0])) / 2)
    return width / 2 + focal * local[0] / -local[2], height / 2 - focal * local[1] / -local[2]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_transfer_cube_succeeds_and_its_top_camera_sees_the_cube_move_to_the_hand_over(
    transfer_cube_env: ActionbankEnv, transfer_cube_plan: ExecutionPlan, seed: int
) -> None:
    env, plan = transfer_cube_env, transfer_cube_plan
    rollout = run_plan(plan, env, seed)

    assert rollout.valid, [str(f) for f in rollout.failures]
    assert rollout.success
    assert len(rollout.frames) == plan.makespan
    actions = np.stack([frame.action for frame in rollout.frames])
    assert actions.shape == (plan.makespan, 14)
    assert np.all(np.isfinite(actions))
    assert all(set(frame.images) == {"top"} for frame in rollout.frames)
    images = _images(rollout.frames, "top")
    _assert_not_blank(images, (TOP_HEIGHT, TOP_WIDTH))

    start = rollout.initial_poses["red_box"][:3]
    end = env.data.body("red_box").xpos.copy()
    assert np.linalg.norm(end - start) > 0.1  # handed over, not left where it was
    np.testing.assert_allclose(_red_centre(images[0]), _project(env, "top", start), atol=2.0)
    # At the meeting point, before the left gripper's fingers cover the cube's top face.
    met = next(edge.end for edge in plan.edges if edge.name == "grasp_to_meet") - 1
    there = rollout.frames[met].environment_state[:3]
    assert np.linalg.norm(there - start) > 0.1
    np.testing.assert_allclose(_red_centre(images[met]), _project(env, "top", there), atol=2.0)
    np.testing.assert_allclose(_red_centre(images[-1]), _project(env, "top", end), atol=2.0)


def test_pour_water_succeeds_and_its_wrist_camera_view_changes_as_the_arm_moves(
    pour_water_wrist_env: ActionbankEnv, pour_water_plan: ExecutionPlan
) -> None:
    rollout = run_plan(pour_water_plan, pour_water_wrist_env, 0)

    assert rollout.valid, [str(f) for f in rollout.failures]
    actions = np.stack([frame.action for frame in rollout.frames])
    assert actions.shape == (pour_water_plan.makespan, 14)
    images = _images(rollout.frames, "cam_right_wrist")
    assert len(images) == pour_water_plan.makespan
    _assert_not_blank(images, pour_water_wrist_env.scene.cameras["cam_right_wrist"])
    change = np.abs(images.astype(np.int16) - images[0]).mean(axis=(1, 2, 3))
    assert change.max() > 20.0, f"the wrist view changes by at most {change.max():.1f} of 255 per pixel"


@pytest.fixture(scope="module")
def insertion_plan() -> ExecutionPlan:
    result = compile_file(INSERTION / "action_config.yaml", CompileOptions(gym_config=INSERTION / "gym_config.yaml"))
    assert result.plan is not None, [str(d) for d in result.diagnostics]
    return result.plan


@pytest.fixture(scope="module")
def insertion_env() -> Iterator[ActionbankEnv]:
    config, _ = load_sim_config(INSERTION / "gym_config.yaml")
    environment = ActionbankEnv(config, INSERTION, render_images=False)
    yield environment
    environment.close()


@pytest.mark.parametrize("seed", [0, 1])
def test_insertion_ends_with_the_peg_in_the_socket_against_its_pin(
    insertion_env: ActionbankEnv, insertion_plan: ExecutionPlan, seed: int
) -> None:
    env = insertion_env
    rollout = run_plan(insertion_plan, env, seed)

    assert rollout.valid, [str(f) for f in rollout.failures]
    assert rollout.success
    start = rollout.initial_poses
    assert start["peg"][2] < 0.02 and start["socket"][2] < 0.03  # both started on the table
    # In the socket's frame the peg lies along its axis, its centre 10 cm out: the peg's end
    # (6 cm from its centre) at the pin's end (4 cm from the socket's centre).
    peg = np.linalg.inv(env.object_pose("socket")) @ env.object_pose("peg")
    np.testing.assert_allclose(peg[:3, 3], [0.10, 0.0, 0.0], atol=0.005)
    assert peg[0, 0] > math.cos(math.radians(5))
    assert env.data.body("socket").xpos[2] > 0.15  # held up at the meeting point
