"""Scenes built from gym configs: every shipped example compiles, steps and renders without
MuJoCo warnings; cameras get the configured field of view and aim; hollow containers and
particles are where the config puts them."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import mujoco
import numpy as np
import pytest
from helpers import EXAMPLES, mujoco_warnings
from numpy.typing import NDArray

from actionbank.spec.gym_models import GymConfig, LookAt
from sim.config import load_sim_config
from sim.env import ActionbankEnv
from sim.scene import _attaches_models, build_scene, camera_quat, mujoco_refusal

SHIPPED = sorted(EXAMPLES.glob("*/gym_config.yaml"))

Array = NDArray[np.float64]


def _view_direction(data: mujoco.MjData, camera: int) -> Array:
    """The camera's optical axis in the world (MuJoCo cameras look along their -z)."""
    return -np.asarray(data.cam_xmat[camera], dtype=np.float64).reshape(3, 3)[:, 2]


def _angle(a: Array, b: Array) -> float:
    cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return math.acos(min(1.0, max(-1.0, cos)))


@pytest.fixture(scope="module")
def pour_water_env(small_pour_water_config: GymConfig, pour_water_dir: Path) -> Iterator[ActionbankEnv]:
    environment = ActionbankEnv(small_pour_water_config, pour_water_dir, render_images=False)
    environment.reset(seed=0)
    yield environment
    environment.close()


def test_there_is_at_least_one_shipped_scene() -> None:
    assert SHIPPED, f"no gym_config.yaml under {EXAMPLES}"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.parent.name for p in SHIPPED])
def test_a_shipped_scene_compiles_steps_and_renders_without_mujoco_warnings(
    path: Path, small_cameras: Callable[[GymConfig], GymConfig]
) -> None:
    config, _ = load_sim_config(path)
    env = ActionbankEnv(small_cameras(config), path.parent)
    try:
        observation, _ = env.reset(seed=0)
        assert mujoco_warnings(env.data) == {}
        hold = observation["state"].copy()
        for _ in range(20):
            observation, *_ = env.step(hold)
        assert mujoco_warnings(env.data) == {}
        assert np.all(np.isfinite(env.data.qpos))
        for uid, image in observation.get("images", {}).items():
            height, width = env.scene.cameras[uid]
            assert image.shape == (height, width, 3)
            assert image.std() > 5.0, f"{path.parent.name}: camera {uid} renders a blank image"
    finally:
        env.close()


def test_each_cameras_fovy_is_twice_the_half_angle_of_its_image_height(pour_water_config: GymConfig) -> None:
    scene = build_scene(pour_water_config, EXAMPLES / "pour_water")
    for camera in pour_water_config.sensor:
        fovy = math.degrees(2.0 * math.atan(camera.height / 2.0 / camera.intrinsics[1]))
        assert scene.model.cam_fovy[scene.model.camera(camera.uid).id] == pytest.approx(fovy, abs=1e-9)
        assert scene.cameras[camera.uid] == (camera.height, camera.width)


def test_a_look_at_camera_points_its_optical_axis_at_the_target(pour_water_config: GymConfig) -> None:
    # As built, before a reset's camera events move it.
    scene = build_scene(pour_water_config, EXAMPLES / "pour_water")
    data = mujoco.MjData(scene.model)
    mujoco.mj_forward(scene.model, data)
    looking = [(c.uid, c.extrinsics) for c in pour_water_config.sensor if isinstance(c.extrinsics, LookAt)]
    assert looking
    for uid, extrinsics in looking:
        index = scene.model.camera(uid).id
        eye = np.asarray(extrinsics.eye)
        np.testing.assert_allclose(data.cam_xpos[index], eye, atol=1e-9)
        towards = np.asarray(extrinsics.target) - eye
        assert _angle(_view_direction(data, index), towards) < 1e-6


@pytest.mark.parametrize("up", [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0), (0.0, 0.0, -1.0)])
def test_camera_quat_looks_at_the_target_even_when_up_is_along_the_view(up: tuple[float, float, float]) -> None:
    eye, target = np.array([0.1, -0.2, 0.9]), np.array([0.1, -0.2, 0.0])  # straight down
    matrix = np.zeros(9)
    mujoco.mju_quat2Mat(matrix, camera_quat(eye, target, np.asarray(up)))
    forward = -matrix.reshape(3, 3)[:, 2]
    assert _angle(forward, target - eye) < 1e-9
    np.testing.assert_allclose(matrix.reshape(3, 3).T @ matrix.reshape(3, 3), np.eye(3), atol=1e-12)


def test_hollow_objects_are_a_floor_and_wall_segments(pour_water_env: ActionbankEnv) -> None:
    hollow = [o for o in pour_water_env.config.rigid_object if o.shape.hollow]
    assert {o.uid for o in hollow} >= {"bottle", "cup"}
    for item in hollow:
        names = {pour_water_env.model.geom(g).name for g in pour_water_env.geoms_of(item.uid)}
        walls = names - {item.uid}
        assert item.uid in names
        assert len(walls) >= 8
        assert walls == {f"{item.uid}_wall{i}" for i in range(len(walls))}


def test_particles_exist_and_start_inside_their_container(pour_water_env: ActionbankEnv) -> None:
    for particles in pour_water_env.config.particles:
        names = pour_water_env.scene.particles[particles.uid]
        assert len(names) == particles.count
        assert pour_water_env.scene.particles_in[particles.container] == names
        container = next(o for o in pour_water_env.config.rigid_object if o.uid == particles.container)
        assert container.shape.radius is not None and container.shape.height is not None
        radius = container.shape.radius * container.body_scale[0]
        height = container.shape.height * container.body_scale[2]
        inverse = np.linalg.inv(pour_water_env.object_pose(container.uid))
        for name in names:
            local = inverse @ np.append(pour_water_env.data.body(name).xpos, 1.0)
            assert math.hypot(local[0], local[1]) < radius, f"{name} is outside {container.uid}"
            assert -height / 2 < local[2] < height / 2, f"{name} is above or below {container.uid}"


def test_a_compound_object_is_one_body_with_a_geom_per_part_and_its_mass_shared_by_volume() -> None:
    config, _ = load_sim_config(EXAMPLES / "insertion" / "gym_config.yaml")
    model = build_scene(config, EXAMPLES / "insertion").model
    socket = model.body("socket").id
    geoms = {model.geom(g).name: g for g in range(model.ngeom) if model.geom_bodyid[g] == socket}

    assert set(geoms) == {"socket/bottom", "socket/top", "socket/side_left", "socket/side_right", "socket/pin"}
    np.testing.assert_allclose(model.geom_pos[geoms["socket/top"]], [0.0, 0.0, 0.02])
    np.testing.assert_allclose(model.geom_size[geoms["socket/pin"]], [0.04, 0.01, 0.01])
    np.testing.assert_allclose(model.geom_rgba[geoms["socket/pin"]], [1.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(model.geom_rgba[geoms["socket/top"]], [0.0, 0.0, 1.0, 1.0])
    assert model.body_mass[socket] == pytest.approx(0.05)
    # The body's inertia is that of each box with mass 0.05 kg x its share of the volume (the
    # pin: 3.2 of 10.112 cm³), about the body's origin (the parts are symmetric about it).
    volumes = {name: 8 * float(np.prod(model.geom_size[g])) for name, g in geoms.items()}
    inertia = np.zeros(3)
    for name, g in geoms.items():
        mass = 0.05 * volumes[name] / sum(volumes.values())
        half, offset = model.geom_size[g], model.geom_pos[g]
        for axis in range(3):
            others = [a for a in range(3) if a != axis]
            inertia[axis] += mass * sum(half[a] ** 2 for a in others) / 3 + mass * sum(offset[a] ** 2 for a in others)
    assert volumes["socket/pin"] / sum(volumes.values()) == pytest.approx(3.2 / 10.112)
    np.testing.assert_allclose(model.body_ipos[socket], [0.0, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(sorted(model.body_inertia[socket]), sorted(inertia), rtol=1e-6)


def test_a_compound_part_is_turned_and_scaled_with_its_object() -> None:
    config, _ = load_sim_config(EXAMPLES / "insertion" / "gym_config.yaml")
    socket = config.rigid_object[1]
    assert socket.shape.parts is not None
    turned = socket.shape.parts[4].model_copy(update={"pos": (0.01, 0.0, 0.0), "rot": (0.0, 0.0, 90.0)})
    shape = socket.shape.model_copy(update={"parts": [*socket.shape.parts[:4], turned]})
    scaled = socket.model_copy(update={"shape": shape, "body_scale": (2.0, 1.0, 1.0)})
    model = build_scene(config.model_copy(update={"rigid_object": [config.rigid_object[0], scaled]}), Path(".")).model

    pin = model.geom("socket/pin").id
    np.testing.assert_allclose(model.geom_pos[pin], [0.02, 0.0, 0.0])
    np.testing.assert_allclose(model.geom_quat[pin], [math.cos(math.pi / 4), 0.0, 0.0, math.sin(math.pi / 4)])
    np.testing.assert_allclose(model.geom_size[pin], [0.08, 0.01, 0.01])


def _refusal(folder: Path, files: dict[str, str], *, add_object: bool = False) -> ValueError:
    for name, text in files.items():
        (folder / name).write_text(text)
    spec = mujoco.MjSpec.from_file(str(folder / "main.xml"))
    if add_object:
        spec.worldbody.add_body(name="obj").add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=[0.1] * 3, mass=-1)
    with pytest.raises(ValueError) as caught:
        spec.compile()
    return caught.value


_BOX = '<body name="b"><geom type="box" size=".1 .1 .1"{extra}/></body>'


def test_a_mujoco_refusal_names_the_file_its_line_is_in(tmp_path: Path) -> None:
    main = "<mujoco>\n<worldbody>\n" + _BOX.format(extra=' mass="-1"') + "\n</worldbody>\n</mujoco>\n"
    error = _refusal(tmp_path, {"main.xml": main})
    assert mujoco_refusal(error, "arm/main.xml", reading=True) == (
        "mass, inertia or density are negative in geom; Element name '', id 0, line 3 of arm/main.xml"
    )


def test_a_line_of_a_model_that_attaches_others_may_be_in_one_of_them(tmp_path: Path) -> None:
    """MuJoCo gives the line of an attached model's element without its file: before, it was
    said to be in the model file the config names."""
    gripper = "<mujoco>\n<worldbody>\n" + _BOX.format(extra=' mass="-1"') + "\n</worldbody>\n</mujoco>\n"
    arm = (
        '<mujoco><asset><model name="g" file="gripper.xml"/></asset>'
        '<worldbody><body name="a"><geom size="0.1"/><attach model="g" body="b" prefix="g_"/></body></worldbody></mujoco>'
    )
    error = _refusal(tmp_path, {"gripper.xml": gripper, "main.xml": arm})
    assert mujoco_refusal(error, "arm/main.xml", reading=True, attaches=True).endswith(
        "line 3 of arm/main.xml or of a model it attaches"
    )
    assert _attaches_models(tmp_path / "main.xml") and not _attaches_models(tmp_path / "gripper.xml")


def test_line_0_is_an_included_file_while_reading_and_the_scene_once_built(tmp_path: Path) -> None:
    main = '<mujoco>\n<include file="part.xml"/>\n<worldbody>' + _BOX.format(extra="") + "</worldbody>\n</mujoco>\n"
    part = '<mujoco><default><geom rgba="1 0 0"/></default></mujoco>'
    with pytest.raises(ValueError) as caught:
        (tmp_path / "main.xml").write_text(main)
        (tmp_path / "part.xml").write_text(part)
        mujoco.MjSpec.from_file(str(tmp_path / "main.xml"))
    assert mujoco_refusal(caught.value, "main.xml", reading=True).endswith(
        "Element 'geom', in a file main.xml includes"
    )
    added = _refusal(tmp_path, {"part.xml": part.replace('"1 0 0"', '"1 0 0 1"')}, add_object=True)
    assert (
        mujoco_refusal(added, "main.xml", reading=False)
        == "mass, inertia or density are negative in geom; Element name '', id 1"
    )
