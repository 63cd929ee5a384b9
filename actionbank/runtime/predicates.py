"""Declarative success predicates: small checks a gym config combines with ``all``/``any``/``not``.

Each predicate is declared here with its typed params model (no MuJoCo), and implemented in
``sim/tasks/predicates.py``. A predicate's :meth:`PredicateParams.subject` names what it is
about (``cube, bin``), so that a failing combination's reason reads
``object_on_object(cube, bin): cube is not above bin``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Literal

from pydantic import Field

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.runtime.params import Declaration, Name, Params, Reference, Vec3, interval_problems

__all__ = [
    "PREDICATES",
    "DistanceBelowParams",
    "ObjectGraspedByParams",
    "ObjectInRegionParams",
    "ObjectLiftedParams",
    "ObjectOnObjectParams",
    "ObjectTouchesParams",
    "PredicateParams",
    "UprightParams",
]

#: A tolerance or distance [m].
Distance = Annotated[float, Field(ge=0, le=100)]
#: An angle [deg].
Degrees = Annotated[float, Field(ge=0, le=180)]


class PredicateParams(Params):
    """Params of a predicate: they say what the predicate is about, for its reasons."""

    def subject(self) -> str:
        """The predicate's arguments in short, e.g. ``cube, bin``."""
        raise NotImplementedError


class ObjectInRegionParams(PredicateParams):
    object: Name = Field(description="The object whose origin must lie in the box.")
    low: Vec3 = Field(description="[x, y, z] low corner of the box [m].")
    high: Vec3 = Field(description="[x, y, z] high corner of the box [m].")
    region_of: Name | None = Field(
        None, description="The object whose frame the box is given in (none: the world frame)."
    )

    def subject(self) -> str:
        return self.object if self.region_of is None else f"{self.object}, {self.region_of}"

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        if self.region_of is not None:
            yield Reference("/region_of", "object", self.region_of)

    def problems(self, where: str) -> Iterator[Diagnostic]:
        yield from interval_problems(
            where, "/low", self.low, self.high, hint="each value of low must be at most the same value of high"
        )


class ObjectOnObjectParams(PredicateParams):
    object: Name = Field(description="The object on top.")
    support: Name = Field(description="The object (or robot body, e.g. a table) it rests on.")
    xy_tolerance: Distance = Field(
        0.0, description="How far the object's origin may lie outside the support's footprint (x, y) [m]."
    )
    z_tolerance: Distance = Field(
        0.005,
        description="Largest gap between the object's lowest point and the support's highest point that "
        "still counts as resting when they do not touch [m].",
    )

    def subject(self) -> str:
        return f"{self.object}, {self.support}"

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        yield Reference("/support", "body", self.support)


class ObjectLiftedParams(PredicateParams):
    object: Name = Field(description="The object lifted.")
    min_height: Distance = Field(description="How far it must be raised [m].")
    above: Name | None = Field(
        None,
        description="A body (e.g. the table) whose top the object's lowest point must be min_height above "
        "(none: the object's origin must be min_height above where it was at reset).",
    )

    def subject(self) -> str:
        return self.object

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        if self.above is not None:
            yield Reference("/above", "body", self.above)


class ObjectGraspedByParams(PredicateParams):
    object: Name = Field(description="The object held.")
    gripper: Name = Field(description="The end-effector control part holding it (e.g. left_eef).")
    both_fingers: bool = Field(
        True,
        description="true: every finger of the gripper touches the object; false: any of its geoms does "
        "(transfer_cube_success's reading of 'holds').",
    )

    def subject(self) -> str:
        return f"{self.object}, {self.gripper}"

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        yield Reference("/gripper", "end effector", self.gripper)


class ObjectTouchesParams(PredicateParams):
    object: Name = Field(description="The object.")
    other: Name = Field(description="The object or body (e.g. the table) it must touch: a contact between their geoms.")
    part: Name | None = Field(
        None, description="Only this part of the object counts, when it is a Compound (none: all its geoms)."
    )
    other_part: Name | None = Field(
        None, description="Only this part of other counts, when it is a Compound object (none: all its geoms)."
    )

    def subject(self) -> str:
        first = self.object if self.part is None else f"{self.object}/{self.part}"
        second = self.other if self.other_part is None else f"{self.other}/{self.other_part}"
        return f"{first}, {second}"

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)
        yield Reference("/other", "body", self.other)
        if self.part is not None:
            yield Reference("/part", "part", self.part, owner=self.object)
        if self.other_part is not None:
            yield Reference("/other_part", "part", self.other_part, owner=self.other)


class UprightParams(PredicateParams):
    object: Name = Field(description="The object that must stand upright.")
    tolerance_deg: Degrees = Field(10.0, description="Largest angle between its axis and the world's z [deg].")
    axis: Literal["x", "y", "z"] = Field("z", description="The object's axis that must point up.")

    def subject(self) -> str:
        return self.object

    def references(self) -> Iterator[Reference]:
        yield Reference("/object", "object", self.object)


class DistanceBelowParams(PredicateParams):
    a: Name = Field(description="An object (its origin) or a robot part (an arm's tcp, a gripper's fingers).")
    b: Name = Field(description="An object or a robot part, as a.")
    max_distance: Distance = Field(description="Largest distance between the two points [m].")

    def subject(self) -> str:
        return f"{self.a}, {self.b}"

    def references(self) -> Iterator[Reference]:
        yield Reference("/a", "point", self.a)
        yield Reference("/b", "point", self.b)


#: Every predicate this package declares, by name.
PREDICATES: Mapping[str, Declaration] = {
    check.name: check
    for check in (
        Declaration(
            "object_in_region",
            ObjectInRegionParams,
            "The object's origin lies in a box, in the world frame or another object's frame.",
        ),
        Declaration(
            "object_on_object",
            ObjectOnObjectParams,
            "The object rests on top of the support: over its footprint, above it, touching it.",
        ),
        Declaration(
            "object_lifted",
            ObjectLiftedParams,
            "The object is raised min_height above where it started (or above a body's top).",
        ),
        Declaration(
            "object_grasped_by",
            ObjectGraspedByParams,
            "The gripper's fingers touch the object.",
        ),
        Declaration(
            "object_touches",
            ObjectTouchesParams,
            "A contact between the object's geoms and the other's (or only those of a named part).",
        ),
        Declaration("upright", UprightParams, "The object's axis points up, within a tolerance."),
        Declaration(
            "distance_below",
            DistanceBelowParams,
            "Two objects or robot parts are no further apart than max_distance.",
        ),
    )
}
