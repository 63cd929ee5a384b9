"""What one executed episode produced: the contract between the executor and the recorder.

The simulation (:mod:`sim.executor`) produces these types and the recorder consumes them; both
import them from here, the layer below them both, so that neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["Failure", "FailureStage", "Frame", "Rollout"]

#: Where a rollout failed: a node generator, IK inside a node, an edge function, the task check,
#: or an exception raised by the simulation while stepping.
FailureStage = Literal["node", "ik", "edge", "task_check", "exception"]


@dataclass(frozen=True, slots=True)
class Failure:
    """One reason a rollout is invalid: the stage, the node / edge / check name, and why."""

    stage: FailureStage
    name: str
    function: str
    reason: str

    def __str__(self) -> str:
        return f"{self.stage} {self.name!r} ({self.function}): {self.reason}"


@dataclass(frozen=True, slots=True)
class Frame:
    """One control step: the observation before the action, and the action sent.

    ``state`` are the joint positions in control-part order (grippers normalised, 1 = open),
    ``velocity`` their rates, ``images`` one RGB ``uint8`` array (height × width × 3) per
    camera, ``action`` the command, ``edges`` the index of the active edge per scope
    (into :attr:`Rollout.edge_labels`; -1 when the scope is idle). As the gym config asks:
    ``depth`` per camera (height × width, ``float32`` [m]), ``segmentation`` per camera
    (height × width, ``uint16`` ids) and ``environment_state`` (the observation terms' values).
    """

    state: NDArray[np.float32]
    velocity: NDArray[np.float32]
    images: dict[str, NDArray[np.uint8]]
    action: NDArray[np.float32]
    edges: NDArray[np.int32]
    depth: dict[str, NDArray[np.float32]] = field(default_factory=dict)
    segmentation: dict[str, NDArray[np.uint16]] = field(default_factory=dict)
    environment_state: NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))


@dataclass(slots=True)
class Rollout:
    """An episode: its seed, frames, success and, when it failed, why.

    ``edge_labels`` lists ``scope/edge`` for every edge of the plan, in plan order;
    ``scopes`` the scope names in the order of :attr:`Frame.edges`. ``randomization`` holds
    the values the events sampled (by event name) and ``initial_poses`` each object's pose at
    the first frame (position + quaternion wxyz), enough to replay the episode. ``notes``: remarks
    for the user about how the episode ran, by topic (``settle_drift``: the robot left its start
    pose at reset; ``actions_clipped``; ``arm_off_target``; ``gripper_out_of_range``; ``gripper_stuck``), one line each; a
    run tells each topic once.
    """

    seed: int
    scopes: tuple[str, ...]
    edge_labels: tuple[str, ...]
    frames: list[Frame] = field(default_factory=list)
    success: bool = False
    failures: list[Failure] = field(default_factory=list)
    randomization: dict[str, Any] = field(default_factory=dict)
    initial_poses: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.success and not self.failures
