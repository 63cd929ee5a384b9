"""What a function sees when it runs: the affordance store, the robot's kinematics, its edge.

The functions in this package import only numpy: kinematics reach them through the
:class:`Kinematics` protocol, which the environment implements with MuJoCo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from actionbank.errors import ActionbankError
from actionbank.references import HandleRef, is_reference, parse_reference

if TYPE_CHECKING:
    from actionbank.functions import FunctionRegistry

__all__ = ["EdgeContext", "IKSolution", "Kinematics", "NodeContext", "NodeFailure", "resolve"]

Array = NDArray[np.float64]


class NodeFailure(ActionbankError):
    """A node (or edge) function cannot produce its value; ``stage`` is ``node``, ``ik`` or ``edge``."""

    def __init__(self, reason: str, stage: str = "node") -> None:
        super().__init__(reason)
        self.reason = reason
        self.stage = stage


class IKSolution(Protocol):
    @property
    def success(self) -> bool: ...
    @property
    def qpos(self) -> Array: ...
    @property
    def position_error(self) -> float: ...
    @property
    def rotation_error(self) -> float: ...


class Kinematics(Protocol):
    """The robot as the functions see it: per control part FK, IK and joint limits."""

    def fk(self, part: str, qpos: Array) -> Array: ...
    def ik(self, part: str, target: Array, seed: Array | None) -> IKSolution: ...
    def limits(self, part: str) -> tuple[Array, Array]: ...


def resolve(value: Any, store: Mapping[str, Any]) -> Any:
    """``value`` with every ``env.affordance_datas[...]`` reference replaced by its value.

    Handles such as ``env.robot.compute_ik`` resolve to ``None``: our functions reach the
    robot through the context instead. Nothing is evaluated.
    """
    if is_reference(value):
        reference = parse_reference(value)
        if isinstance(reference, HandleRef):
            return None
        try:
            return _as_array(reference.resolve(store))
        except KeyError:
            raise NodeFailure(f"affordance {reference.key!r} is not available") from None
        except (IndexError, TypeError, ValueError) as error:
            raise NodeFailure(f"{reference} cannot be indexed that way: {error}") from None
    if isinstance(value, list):
        return [resolve(item, store) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, store) for key, item in value.items()}
    return value


def _as_array(value: Any) -> Any:
    return np.asarray(value, dtype=np.float64) if isinstance(value, list | tuple) else value


@dataclass
class NodeContext:
    """A node generator's view: the store it reads and writes, the robot, its label and scope.

    IK results are cached per (part, target, seed) so a validator and a process asking for the
    same solve share one (the reference solves twice per key pose).
    """

    store: dict[str, Any]
    robot: Kinematics
    label: str = ""
    scope: str = ""
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    #: Declarations of the functions it may call (validators' ``validates_ik``); None: the compiler's.
    functions: FunctionRegistry | None = None
    _ik_cache: dict[tuple[str, bytes, bytes], IKSolution] = field(default_factory=dict)

    def ik(self, part: str, target: Array, seed: Array | None) -> IKSolution:
        target = np.asarray(target, dtype=np.float64)
        seed_array = None if seed is None else np.asarray(seed, dtype=np.float64).reshape(-1)
        key = (part, target.tobytes(), b"" if seed_array is None else seed_array.tobytes())
        cached = self._ik_cache.get(key)
        if cached is None:
            cached = self._ik_cache[key] = self.robot.ik(part, target, seed_array)
        return cached


@dataclass
class EdgeContext:
    """An edge function's view: where its scope starts, how long it runs, and the store.

    ``start_value`` is the scope's value when the edge begins [rad or gripper 0..1];
    ``duration`` the number of steps the returned motion must have.
    """

    store: Mapping[str, Any]
    scope: str
    name: str
    src: str
    sink: str
    duration: int
    start_value: Array
    dim: int

    def value(self, key: str) -> Array:
        if key not in self.store:
            raise NodeFailure(f"affordance {key!r} is not available", stage="edge")
        array = np.asarray(self.store[key], dtype=np.float64).reshape(-1)
        if array.shape != (self.dim,):
            raise NodeFailure(
                f"affordance {key!r} has {array.size} values; scope {self.scope!r} needs {self.dim}", stage="edge"
            )
        return array
