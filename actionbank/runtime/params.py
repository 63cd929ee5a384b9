"""The contract of a declared function's ``params``: a typed, frozen pydantic model.

A params model is validated against the ``params`` object of an event or success check
(unknown keys are errors, so ``position_rang`` is reported at its line). Beyond what its
fields say, a model names the scene entities it refers to (:meth:`Params.references`: an
object uid, a light uid, a control part …), which the gym config checks look up, and yields
its own value problems (:meth:`Params.problems`, e.g. a range whose low end is above its
high end) with JSON pointers relative to the params object.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationInfo, field_validator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp

__all__ = [
    "RGB",
    "Bounded",
    "ColorRange",
    "Coordinate",
    "Declaration",
    "EntityCfg",
    "Interval",
    "Kind",
    "Name",
    "Params",
    "Range3",
    "Reference",
    "Unit",
    "Vec3",
    "interval_problems",
]

Name = Annotated[str, StringConstraints(min_length=1)]
#: A coordinate or offset [m]; bounded so that a drawn pose stays a number MuJoCo can step.
Coordinate = Annotated[float, Field(ge=-100, le=100)]
Vec3 = Annotated[tuple[Coordinate, Coordinate, Coordinate], Strict(False)]
Unit = Annotated[float, Field(ge=0, le=1)]
RGB = Annotated[tuple[Unit, Unit, Unit], Strict(False)]
#: A drawn scalar; bounded so that ``high - low`` stays finite.
Bounded = Annotated[float, Field(ge=-1e6, le=1e6)]
#: ``[low, high]`` of a scalar (a list in the config).
Interval = Annotated[tuple[Bounded, Bounded], Strict(False)]
#: ``[[x, y, z] low, [x, y, z] high]`` [m].
Range3 = Annotated[tuple[Vec3, Vec3], Strict(False)]
#: ``[[r, g, b] low, [r, g, b] high]``, each in [0, 1].
ColorRange = Annotated[tuple[RGB, RGB], Strict(False)]

#: What a name in params refers to; the gym config checks know where each kind lives.
Kind = Literal[
    "object",  # a rigid_object, background or rigid_object_group member uid
    "movable object",  # an object whose body_type is dynamic or kinematic
    "cylinder",  # an object whose shape is a Cylinder
    "light",  # a light.direct uid
    "camera",  # a sensor uid
    "robot",  # the robot's uid
    "control part",  # one of env.control_parts
    "robot part",  # a control part of the robot type
    "end effector",  # an eef control part of the robot type
    "point",  # an object, or a control part of the robot type (an arm's tcp, a gripper's fingers)
    "particles",  # a particles uid
    "body",  # an object, or a body of the robot's model (e.g. ALOHA's table)
    "part",  # a part of the Compound object named by the reference's owner
    "group",  # a rigid_object_group uid
]


class Reference(NamedTuple):
    """A name in params (at ``pointer``, relative to the params object) that must be a ``kind``."""

    pointer: str
    kind: Kind
    name: str
    #: For a ``part``: the object whose part it is.
    owner: str | None = None
    #: For a ``group``: how many of its members the params ask for at most (the group must
    #: have as many); the name itself is checked by the group's own reference.
    asked: int | None = None


def _is_tuple(annotation: Any) -> bool:
    """Whether ``annotation`` is a tuple type, or a union holding one (``tuple[float, float] | None``)."""
    if get_origin(annotation) is tuple or annotation is tuple:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_is_tuple(arg) for arg in get_args(annotation))
    return False


class Params(BaseModel):
    """Base of every params model: frozen, unknown keys forbidden, types strict. A field declared
    as a tuple takes a list too (YAML and JSON write lists), as the shared aliases (``Vec3``,
    ``Interval``) do at any depth."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _lists_as_tuples(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, list) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and _is_tuple(field.annotation):
                return tuple(value)
        return value

    def references(self) -> Iterator[Reference]:
        """The scene entities these params name."""
        return iter(())

    def problems(self, where: str) -> Iterator[Diagnostic]:
        """Value problems the fields' types cannot say; pointers relative to the params object,
        messages naming the params object as ``where`` (e.g. ``env.events.place.params``)."""
        return iter(())


class EntityCfg(Params):
    """EmbodiChain's ``entity_cfg``: which scene entity an event acts on."""

    uid: Name = Field(description="The uid of the entity.")


class Declaration(NamedTuple):
    """A function a gym config may name (an event or a success check) and its params model."""

    name: str
    params: type[Params]
    doc: str

    def parse(self, params: Mapping[str, Any]) -> Params:
        """The validated params. Raises pydantic's ``ValidationError``: the gym config checks
        report those as located diagnostics before anything runs, so in the simulation a raise
        means an unchecked config."""
        return self.params.model_validate(dict(params))


def interval_problems(
    where: str,
    pointer: str,
    low: Sequence[float] | float,
    high: Sequence[float] | float,
    hint: str = "write the range as [low, high], low <= high",
) -> Iterator[Diagnostic]:
    """AB613 when any component of ``low`` is above the same component of ``high`` (the range
    at ``pointer``, relative to the params object ``where``)."""
    lows = list(low) if isinstance(low, Sequence) else [low]
    highs = list(high) if isinstance(high, Sequence) else [high]
    where = jp.dotted(where, pointer)
    for axis, (a, b) in enumerate(zip(lows, highs, strict=True)):
        if a > b:
            component = f"[{axis}]" if len(lows) > 1 else ""
            yield Diagnostic.make(
                "AB613",
                pointer,
                where=where + component,
                low=a,
                high=b,
                hint=hint,
            )
