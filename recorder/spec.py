"""What a dataset holds: the one description the writer, the features and the provenance share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recorder.checked import BOOL, INT, INT_OR_NULL, OBJECT, STR, STR_LIST, Kind, field_problems
from recorder.errors import DatasetCorruptError, RecorderError

__all__ = ["VIDEO_CODECS", "DatasetSpec", "spec_errors"]

#: Video codecs a dataset can use (LeRobot's names; ``av1`` is its alias of ``libsvtav1``).
VIDEO_CODECS = ("libsvtav1", "av1", "h264", "hevc")


@dataclass(frozen=True)
class DatasetSpec:
    """Everything fixed for the whole dataset; every episode shares it.

    ``fps`` is the control rate [frames/s]; ``cameras`` maps a camera uid to its image size
    (height, width) [px]; ``scopes`` are the plan's scopes in the order of
    :attr:`actionbank.rollout.Frame.edges`, ``edge_labels`` its ``scope/edge`` table in plan order.
    ``extra`` is the gym config's ``extra`` metadata (scene type, task description, …);
    ``vcodec`` is the video codec (LeRobot's name; its settings for it). The two config
    texts are stored verbatim under the names ``*_config_name`` (the file
    names they were read from: the extension is kept).

    What else makes the data, fixed for the whole dataset: ``seed``, the run's seed (episode
    attempt ``a`` uses one derived from it and ``a``; None when the dataset was not made by
    ``generate``), and ``asset_hashes``, the sha256 of each file the gym config names
    (meshes), keyed by the path as written in it. ``task_phrasings`` are the instruction's
    paraphrases (empty: ``task`` alone; else ``task`` is the first): each episode's task is drawn
    from them with its seed (:func:`recorder.language.episode_task`). ``edge_descriptions``
    are the edges' descriptions in natural language, in the order of ``edge_labels`` (empty:
    derived from the labels). The video codec is set by the gym config,
    whose text (hence hash) covers it. ``--resume`` refuses a run that differs in any of them.

    Observations beyond RGB, as the gym config asks: ``depth_cameras`` record depth [m],
    ``mask_cameras`` segmentation ids whose names are ``segmentation_labels`` (id ``i`` is
    ``segmentation_labels[i]``), and ``environment_state_names`` name the components of
    ``observation.environment_state`` (none: no such feature).

    ``attempts``: the attempt indices ``(start, stop)`` (``stop`` excluded) the dataset's run
    was limited to (``generate --attempts``; for a merged dataset, the span of its parts'),
    None when it was not; part of what ``--resume`` checks.
    """

    repo_id: str
    root: Path
    fps: int
    robot_type: str
    task: str
    state_names: list[str]
    action_names: list[str]
    cameras: dict[str, tuple[int, int]]
    use_videos: bool
    scopes: tuple[str, ...]
    edge_labels: tuple[str, ...]
    extra: dict[str, Any]
    gym_config_text: str
    action_config_text: str
    package_version: str
    gym_config_name: str = "gym_config.json"
    action_config_name: str = "action_config.json"
    vcodec: str = "libsvtav1"
    seed: int | None = None
    asset_hashes: dict[str, str] = field(default_factory=dict)
    depth_cameras: tuple[str, ...] = ()
    mask_cameras: tuple[str, ...] = ()
    segmentation_labels: tuple[str, ...] = ()
    environment_state_names: tuple[str, ...] = ()
    task_phrasings: tuple[str, ...] = ()
    edge_descriptions: tuple[str, ...] = ()
    attempts: tuple[int, int] | None = None

    def check(self) -> None:
        """Raise :class:`RecorderError` listing every problem of this spec, if it has any."""
        problems = list(spec_errors(self))
        if problems:
            raise RecorderError("invalid dataset spec: " + "; ".join(problems))

    def to_json(self) -> dict[str, Any]:
        """The spec as stored in ``meta/actionbank/dataset.json`` (no root, no config texts, no asset
        hashes: those are in ``hashes.json``)."""
        return {
            "repo_id": self.repo_id,
            "fps": self.fps,
            "robot_type": self.robot_type,
            "task": self.task,
            "state_names": list(self.state_names),
            "action_names": list(self.action_names),
            "cameras": {uid: list(size) for uid, size in self.cameras.items()},
            "use_videos": self.use_videos,
            "scopes": list(self.scopes),
            "edge_labels": list(self.edge_labels),
            "extra": self.extra,
            "package_version": self.package_version,
            "gym_config_name": self.gym_config_name,
            "action_config_name": self.action_config_name,
            "vcodec": self.vcodec,
            "seed": self.seed,
            "depth_cameras": list(self.depth_cameras),
            "mask_cameras": list(self.mask_cameras),
            "segmentation_labels": list(self.segmentation_labels),
            "environment_state_names": list(self.environment_state_names),
            "task_phrasings": list(self.task_phrasings),
            "edge_descriptions": list(self.edge_descriptions),
            "attempts": list(self.attempts) if self.attempts is not None else None,
        }

    @classmethod
    def from_json(
        cls,
        data: Any,
        root: Path,
        gym_config_text: str,
        action_config_text: str,
        asset_hashes: Mapping[str, str] | None = None,
    ) -> DatasetSpec:
        """Rebuild the spec written by :meth:`to_json`, for the dataset at ``root``.

        Raises :class:`DatasetCorruptError` listing every missing key and value of the wrong type.
        """
        problems = field_problems(data, _JSON_FIELDS)
        if isinstance(data, Mapping) and isinstance(data.get("cameras"), Mapping):
            problems += [
                f"cameras.{uid} must be [height, width] (two integers), not {size!r}"
                for uid, size in data["cameras"].items()
                if not (isinstance(size, list) and len(size) == 2 and all(INT.accepts(value) for value in size))
            ]
        if problems:
            raise DatasetCorruptError("; ".join(problems))
        return cls(
            repo_id=data["repo_id"],
            root=root,
            fps=int(data["fps"]),
            robot_type=data["robot_type"],
            task=data["task"],
            state_names=list(data["state_names"]),
            action_names=list(data["action_names"]),
            cameras={uid: (int(size[0]), int(size[1])) for uid, size in data["cameras"].items()},
            use_videos=bool(data["use_videos"]),
            scopes=tuple(data["scopes"]),
            edge_labels=tuple(data["edge_labels"]),
            extra=dict(data["extra"]),
            gym_config_text=gym_config_text,
            action_config_text=action_config_text,
            package_version=data["package_version"],
            gym_config_name=data["gym_config_name"],
            action_config_name=data["action_config_name"],
            vcodec=str(data.get("vcodec", "libsvtav1")),
            seed=data.get("seed"),
            asset_hashes=dict(asset_hashes or {}),
            depth_cameras=tuple(data.get("depth_cameras", ())),
            mask_cameras=tuple(data.get("mask_cameras", ())),
            segmentation_labels=tuple(data.get("segmentation_labels", ())),
            environment_state_names=tuple(data.get("environment_state_names", ())),
            task_phrasings=tuple(data.get("task_phrasings", ())),
            edge_descriptions=tuple(data.get("edge_descriptions", ())),
            attempts=(int(data["attempts"][0]), int(data["attempts"][1])) if data.get("attempts") else None,
        )


#: An attempt range as stored: ``[start, stop]``, or null (no range).
_ATTEMPTS = Kind(
    "[start, stop] (two integers) or null",
    lambda value: value is None or (isinstance(value, list) and len(value) == 2 and all(INT.accepts(v) for v in value)),
)

#: The keys of ``dataset.json`` and what each holds (``vcodec`` and ``seed`` came later: optional).
_JSON_FIELDS: dict[str, tuple[Kind, bool]] = {
    "repo_id": (STR, True),
    "fps": (INT, True),
    "robot_type": (STR, True),
    "task": (STR, True),
    "state_names": (STR_LIST, True),
    "action_names": (STR_LIST, True),
    "cameras": (OBJECT, True),
    "use_videos": (BOOL, True),
    "scopes": (STR_LIST, True),
    "edge_labels": (STR_LIST, True),
    "extra": (OBJECT, True),
    "package_version": (STR, True),
    "gym_config_name": (STR, True),
    "action_config_name": (STR, True),
    "vcodec": (STR, False),
    "seed": (INT_OR_NULL, False),
    "depth_cameras": (STR_LIST, False),
    "mask_cameras": (STR_LIST, False),
    "segmentation_labels": (STR_LIST, False),
    "environment_state_names": (STR_LIST, False),
    "task_phrasings": (STR_LIST, False),
    "edge_descriptions": (STR_LIST, False),
    "attempts": (_ATTEMPTS, False),
}


def _duplicates(names: list[str] | tuple[str, ...]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for name in names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


def spec_errors(spec: DatasetSpec) -> Iterator[str]:
    """Yield one message per problem of ``spec`` (the caller decides whether to raise)."""
    if spec.fps <= 0:
        yield f"fps must be positive, got {spec.fps}"
    if not spec.repo_id.strip():
        yield "repo_id is empty"
    for what, names in (("state_names", spec.state_names), ("action_names", spec.action_names)):
        if not names:
            yield f"{what} is empty"
        if dup := _duplicates(names):
            yield f"{what} repeats {dup}"
    for uid, size in spec.cameras.items():
        if not uid or "/" in uid or "." in uid:
            yield f"camera uid {uid!r} must be non-empty and hold neither '/' nor '.'"
        if len(size) != 2 or min(size) <= 0:
            yield f"camera {uid!r} needs a positive (height, width), got {size}"
    if not spec.scopes:
        yield "scopes is empty: the subtask rows need at least one scope"
    if dup := _duplicates(spec.scopes):
        yield f"scopes repeats {dup}"
    if dup := _duplicates(spec.edge_labels):
        yield f"edge_labels repeats {dup}"
    for label in spec.edge_labels:
        scope, sep, edge = label.partition("/")
        if not sep or not edge:
            yield f"edge label {label!r} is not 'scope/edge'"
        elif scope not in spec.scopes:
            yield f"edge label {label!r} names scope {scope!r}; scopes are {list(spec.scopes)}"
    for what, uids in (("depth_cameras", spec.depth_cameras), ("mask_cameras", spec.mask_cameras)):
        if unknown := [uid for uid in uids if uid not in spec.cameras]:
            yield f"{what} {unknown} are not cameras of the dataset ({sorted(spec.cameras)})"
    if spec.depth_cameras and not spec.use_videos:
        yield "depth_cameras need use_videos (depth is LeRobot's depth video feature)"
    if spec.mask_cameras and not spec.segmentation_labels:
        yield "mask_cameras need segmentation_labels (id 0 at least)"
    if len(spec.segmentation_labels) > 65536:
        yield f"{len(spec.segmentation_labels)} segmentation labels do not fit uint16 ids"
    if dup := _duplicates(spec.environment_state_names):
        yield f"environment_state_names repeats {dup}"
    if spec.task_phrasings and spec.task_phrasings[0] != spec.task:
        yield f"task_phrasings must start with the task {spec.task!r}, got {spec.task_phrasings[0]!r}"
    if any(not phrase.strip() for phrase in spec.task_phrasings):
        yield "task_phrasings holds an empty phrasing"
    if spec.edge_descriptions and len(spec.edge_descriptions) != len(spec.edge_labels):
        yield f"edge_descriptions has {len(spec.edge_descriptions)} entries for {len(spec.edge_labels)} edge labels"
    if spec.attempts is not None and not 0 <= spec.attempts[0] < spec.attempts[1]:
        yield f"attempts {list(spec.attempts)} must be [start, stop] with 0 <= start < stop"
    if spec.vcodec not in VIDEO_CODECS:
        yield f"vcodec {spec.vcodec!r} is not one of {list(VIDEO_CODECS)}"
    for what, name in (("gym_config_name", spec.gym_config_name), ("action_config_name", spec.action_config_name)):
        if not name or Path(name).name != name:
            yield f"{what} must be a bare file name, got {name!r}"
