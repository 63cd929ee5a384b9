"""Materials and textures for the material events, added to the scene before it is compiled.

A material event (its params have ``materials()``, :class:`actionbank.runtime.events.MaterialRequest`)
needs MuJoCo materials it can put on an object's geoms at run time: a plain one
(``<uid>:mat``), and one per texture (``<uid>:tex:<source>``, ``source`` a procedural texture's
name or an image's path as written; a folder contributes each of its ``*.png`` files, sorted).
Image paths are relative to the gym config's folder and confined to it like every other asset,
each PNG of a folder too (:func:`actionbank.spec.assets.texture_images`, the files ``lint`` checks).
"""

from __future__ import annotations

from pathlib import Path

import mujoco
import numpy as np
from numpy.typing import NDArray

from actionbank.runtime.events import MaterialRequest
from actionbank.spec.assets import material_requests as event_material_requests
from actionbank.spec.assets import texture_images
from actionbank.spec.gym_models import GymConfig

__all__ = ["apply_material", "material_names", "material_requests", "prepare_materials"]

#: Side of a procedural texture [px].
_TEXTURE_SIDE = 64
_BUILTIN = {
    "checker": mujoco.mjtBuiltin.mjBUILTIN_CHECKER,
    "gradient": mujoco.mjtBuiltin.mjBUILTIN_GRADIENT,
    "flat": mujoco.mjtBuiltin.mjBUILTIN_FLAT,
}


def material_requests(config: GymConfig) -> list[MaterialRequest]:
    """The material requests of the config's events, in declared order."""
    return [request for _label, request in event_material_requests(config)]


def prepare_materials(spec: mujoco.MjSpec, config: GymConfig, base_dir: Path, *, allow_outside: bool = False) -> None:
    """Add the textures and materials the config's material events need to ``spec``."""
    added: set[str] = set()
    for request in material_requests(config):
        sources: list[tuple[str, Path | None]] = [(name, None) for name in request.procedural]
        for image in request.images:
            sources.extend(texture_images(image, base_dir, allow_outside=allow_outside))
        plain = f"{request.uid}:mat"
        if plain not in added:
            spec.add_material(name=plain)
            added.add(plain)
        for source, file in sources:
            name = f"{request.uid}:tex:{source}"
            if name in added:
                continue
            if file is None:
                spec.add_texture(
                    name=name,
                    type=mujoco.mjtTexture.mjTEXTURE_2D,
                    builtin=_BUILTIN[source],
                    rgb1=[1.0, 1.0, 1.0],
                    rgb2=[0.35, 0.35, 0.35],
                    width=_TEXTURE_SIDE,
                    height=_TEXTURE_SIDE,
                )
            else:
                spec.add_texture(name=name, type=mujoco.mjtTexture.mjTEXTURE_2D, file=str(file))
            material = spec.add_material(name=name, texrepeat=[2.0, 2.0], texuniform=True)
            material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = name
            added.add(name)


def material_names(model: mujoco.MjModel, uid: str) -> list[str]:
    """The plain material of object ``uid`` first, then its textured ones, in the model's order."""
    head = f"{uid}:tex:"
    names = [model.material(i).name for i in range(model.nmat)]
    return [f"{uid}:mat", *(name for name in names if name.startswith(head))]


def apply_material(
    model: mujoco.MjModel,
    geoms: NDArray[np.int64],
    material: str,
    rgba: NDArray[np.float64],
    metallic: float | None = None,
    roughness: float | None = None,
) -> None:
    """Put ``material`` on ``geoms``, tinted ``rgba``; ``metallic`` sets its reflectance and
    ``roughness`` its shininess (1 - roughness), both in [0, 1]."""
    index = model.material(material).id
    model.geom_matid[geoms] = index
    model.geom_rgba[geoms] = rgba
    model.mat_rgba[index] = rgba
    if metallic is not None:
        model.mat_reflectance[index] = metallic
    if roughness is not None:
        model.mat_shininess[index] = 1.0 - roughness
