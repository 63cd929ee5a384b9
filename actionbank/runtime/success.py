"""Success-check declarations: the checks ``env.success.func`` may name, with typed params.

The simulation implements each one (``sim/tasks``) taking the validated params model. Besides
the task checks below, :data:`SUCCESS_CHECKS` holds the declarative predicates of
:mod:`actionbank.runtime.predicates` (``object_in_region``, ``object_lifted`` …), which a gym
config combines with ``all``/``any``/``not``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated

from pydantic import Field

from actionbank.runtime.params import Declaration, Name, Params, Reference, Unit
from actionbank.runtime.predicates import PREDICATES

__all__ = ["SUCCESS_CHECKS", "PourWaterSuccessParams", "TransferCubeSuccessParams"]


class PourWaterSuccessParams(Params):
    particles: Name = Field("water", description="The particle set poured.")
    cup: Name = Field("cup", description="The receiving object (a Cylinder: its radius and height bound 'inside').")
    bottle: Name = Field("bottle", description="The object poured from; it must end upright on the table.")
    min_fraction: Unit = Field(0.5, description="Fraction of the particles that must end inside the cup.")
    upright_tolerance_deg: Annotated[float, Field(ge=0, le=180)] = Field(
        20.0, description="Largest tilt of the bottle from upright at the end [deg]."
    )
    lift_tolerance: Annotated[float, Field(ge=0, le=100)] = Field(
        0.02, description="Largest height of the bottle above where it started, at the end [m]."
    )

    def references(self) -> Iterator[Reference]:
        yield Reference("/particles", "particles", self.particles)
        yield Reference("/cup", "cylinder", self.cup)
        yield Reference("/bottle", "object", self.bottle)


class TransferCubeSuccessParams(Params):
    object: Name = Field("red_box", description="The object handed over.")
    receiver: Name = Field("left_eef", description="The robot part that must hold the object at the end.")
    giver: Name = Field("right_eef", description="The robot part that must have let go at the end.")
    table: Name = Field("table", description="The body the object must not touch at the end.")

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        yield Reference("/receiver", "robot part", self.receiver)
        yield Reference("/giver", "robot part", self.giver)
        yield Reference("/table", "body", self.table)


#: Every success check this package declares, by name.
SUCCESS_CHECKS: Mapping[str, Declaration] = {
    **{
        check.name: check
        for check in (
            Declaration(
                "pour_water_success",
                PourWaterSuccessParams,
                "Enough particles in the cup, and the bottle upright and back on the table.",
            ),
            Declaration(
                "transfer_cube_success",
                TransferCubeSuccessParams,
                "The receiver holds the object off the table, and the giver has let go.",
            ),
        )
    },
    **PREDICATES,
}
