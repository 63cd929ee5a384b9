"""Depth and segmentation from one render pass, and the colour image from the same renderer,
equal ``mujoco.Renderer``'s three modes."""

from __future__ import annotations

from pathlib import Path

import mujoco
import numpy as np

from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.flat_render import FlatRenderer

TOY: Path = Path(__file__).parent / "toy_arm"


def _mujoco_image(env: ActionbankEnv, camera: str, mode: str) -> np.ndarray:
    height, width = env.scene.cameras[camera]
    with mujoco.Renderer(env.model, height, width) as renderer:
        if mode == "depth":
            renderer.enable_depth_rendering()
        elif mode == "segmentation":
            renderer.enable_segmentation_rendering()
        renderer.update_scene(env.data, camera=camera)
        return np.array(renderer.render())


def test_one_renderer_gives_mujocos_colour_depth_and_segmentation_of_the_toy_arm_scene() -> None:
    config, _ = load_sim_config(TOY / "gym_config.yaml")
    env = ActionbankEnv(config, TOY)
    env.reset(seed=0)
    ((camera, (height, width)),) = env.scene.cameras.items()
    flat = FlatRenderer(env.model, height, width)
    try:
        images = flat.render(env.data, camera, rgb=True)
        only_depth = flat.render(env.data, camera, segmentation=False)
    finally:
        flat.close()
        env.close()
    assert images.depth is not None and images.segmentation is not None
    assert only_depth.segmentation is None and only_depth.depth is not None and only_depth.rgb is None
    assert images.rgb is not None
    np.testing.assert_array_equal(images.rgb, _mujoco_image(env, camera, "rgb"))
    np.testing.assert_array_equal(images.depth, _mujoco_image(env, camera, "depth"))
    np.testing.assert_array_equal(images.depth, only_depth.depth)
    expected = _mujoco_image(env, camera, "segmentation")
    np.testing.assert_array_equal(images.segmentation, expected)
    types = set(np.unique(expected[..., 1]).tolist())
    assert int(mujoco.mjtObj.mjOBJ_GEOM) in types and len(np.unique(expected[..., 0])) >= 3  # floor, block, arm
    assert 0.1 < float(images.depth.min()) < float(images.depth.max()) < 10.0
