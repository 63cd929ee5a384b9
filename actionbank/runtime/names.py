"""The MuJoCo names a scene gives what a gym config adds, derived from their uids.

MuJoCo keeps one namespace per element kind (bodies, geoms, joints, meshes, cameras, lights);
two elements of a kind with one name stop the scene from compiling. ``sim/scene.py`` names
its elements with these functions, and the gym config checks use them to find clashes (with
each other and with the robot's model) before anything is built.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

__all__ = [
    "WALL_SEGMENTS",
    "ElementKind",
    "mesh_name",
    "object_joint",
    "object_names",
    "part_geom",
    "particle_body",
    "particle_joint",
    "particles_names",
    "wall_geom",
]

ElementKind = Literal["body", "geom", "joint", "mesh", "camera", "light"]

#: Wall segments around the rim of a hollow cylinder.
WALL_SEGMENTS = 16


def object_joint(uid: str) -> str:
    """The free joint of a dynamic object."""
    return f"{uid}_joint"


def mesh_name(uid: str) -> str:
    """The mesh asset of a Mesh object."""
    return f"{uid}_mesh"


def wall_geom(uid: str, index: int) -> str:
    """Wall segment ``index`` of a hollow cylinder (its base geom is named ``uid``)."""
    return f"{uid}_wall{index}"


def part_geom(uid: str, part: str) -> str:
    """Part ``part`` of a Compound object (a Compound adds no geom named ``uid``)."""
    return f"{uid}/{part}"


def particle_body(uid: str, index: int) -> str:
    """Particle ``index`` of a particle set: its body and its geom."""
    return f"{uid}_{index}"


def particle_joint(uid: str, index: int) -> str:
    return f"{particle_body(uid, index)}_joint"


def object_names(
    uid: str, shape_type: str, hollow: bool, body_type: str, parts: Sequence[str] = ()
) -> Iterator[tuple[ElementKind, str]]:
    """(kind, name) of every element an object adds; ``parts``: a Compound's part names."""
    yield "body", uid
    if shape_type == "Compound":
        for part in parts:
            yield "geom", part_geom(uid, part)
    else:
        yield "geom", uid
    if shape_type in ("Cylinder", "Capsule") and hollow:
        for index in range(WALL_SEGMENTS):
            yield "geom", wall_geom(uid, index)
    if shape_type == "Mesh":
        yield "mesh", mesh_name(uid)
    if body_type == "dynamic":
        yield "joint", object_joint(uid)


def particles_names(uid: str, count: int) -> Iterator[tuple[ElementKind, str]]:
    """(kind, name) of every element a particle set of ``count`` spheres adds."""
    for index in range(count):
        yield "body", particle_body(uid, index)
        yield "geom", particle_body(uid, index)
        yield "joint", particle_joint(uid, index)
