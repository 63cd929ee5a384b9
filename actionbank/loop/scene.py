"""What a LeRobot environment needs from a gym config: the checked config, the episode length,
and the features ``actionbank generate`` records for it (one source: :mod:`recorder.features`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from actionbank.errors import ActionbankError, CompileError, InputError

if TYPE_CHECKING:
    from actionbank.spec.gym_models import GymConfig

__all__ = ["EPISODE_SLACK", "LoopScene", "LoopSceneError", "load_scene", "policy_features", "recorded_features"]

#: With an action config, an episode may last this many times the plan's makespan, so that a
#: policy a little slower than the scripted expert still has time to finish.
EPISODE_SLACK = 1.25


class LoopSceneError(ActionbankError):
    """The gym or action config given to the LeRobot environment cannot be used: exit code 2.
    The message says which file and why (diagnostics as ``file:line:col: CODE …`` lines)."""

    exit_code = 2


class LoopScene(NamedTuple):
    config: GymConfig
    gym_config: Path  # the gym config file, absolute
    action_config: Path | None  # the action config file, absolute (None: not given)
    episode_length: int  # control steps per episode
    task: str  # the instruction, as the dataset's task
    features: dict[str, dict[str, Any]]  # dataset features: state, velocity, action, images, environment state


def _message(error: InputError | CompileError) -> str:
    from actionbank.diagnostics.report import format_text

    return format_text([d for d in error.diagnostics if d.severity == "error"]) or str(error)


def load_scene(
    gym_config: str | Path | None,
    action_config: str | Path | None = None,
    episode_length: int | None = None,
    *,
    allow_outside_assets: bool = False,
) -> LoopScene:
    """Read and check ``gym_config`` (and ``action_config``, which sets the default episode
    length: :data:`EPISODE_SLACK` × the plan's makespan; without it, the gym config's
    ``max_episode_steps``). :class:`LoopSceneError` for a missing or bad config."""
    from sim.config import load_sim_config

    if gym_config is None or str(gym_config) == "":
        raise LoopSceneError("no gym config given: pass --env.gym_config=PATH (a gym_config.yaml)")
    gym = Path(gym_config).expanduser().resolve()
    if not gym.is_file():
        raise LoopSceneError(f"gym config {gym_config}: no such file")
    try:
        config, _warnings = load_sim_config(gym, allow_outside_assets=allow_outside_assets)
    except (InputError, CompileError) as error:
        raise LoopSceneError(f"gym config {gym_config} cannot be used:\n{_message(error)}") from None
    action = None
    length = config.max_episode_steps
    if action_config is not None and str(action_config) != "":
        action = Path(action_config).expanduser().resolve()
        length = math.ceil(EPISODE_SLACK * _makespan(action, gym))
    if episode_length is not None:
        if episode_length < 1:
            raise LoopSceneError(f"episode length {episode_length} must be at least 1 control step")
        length = episode_length
    params = config.env.dataset.lerobot.params if config.env.dataset else None
    task = params.instruction.phrasings[0] if params else config.id
    features = recorded_features(config, gym.parent, allow_outside_assets=allow_outside_assets)
    return LoopScene(config, gym, action, length, task, features)


def _makespan(action: Path, gym: Path) -> int:
    """The compiled plan's length [control steps]."""
    from actionbank.compiler import CompileOptions, compile_file

    if not action.is_file():
        raise LoopSceneError(f"action config {action}: no such file")
    compiled = compile_file(action, CompileOptions(gym_config=gym))
    if compiled.plan is None:
        errors = CompileError(compiled.diagnostics)
        raise LoopSceneError(f"action config {action} does not compile:\n{_message(errors)}")
    return compiled.plan.makespan


def recorded_features(
    config: GymConfig, base_dir: Path, *, allow_outside_assets: bool = False
) -> dict[str, dict[str, Any]]:
    """The features ``actionbank generate`` records for ``config`` that a policy reads or writes:
    ``observation.state``, ``observation.velocity``, ``action``, ``observation.images.<camera>``
    (height × width × 3) and ``observation.environment_state`` (when the config has observation
    terms), each as in the dataset's ``info.json`` (dtype, shape, names). Depth, segmentation and
    the language columns are left out. Built by :func:`recorder.features.lerobot_features`
    from the scene's names and sizes, read as ``generate`` reads them."""
    from actionbank.spec.gym_observation_checks import environment_state_names
    from recorder.features import ACTION, ENVIRONMENT_STATE, IMAGE_PREFIX, STATE, VELOCITY, lerobot_features
    from recorder.spec import DatasetSpec
    from sim.env import ActionbankEnv

    env = ActionbankEnv(config, base_dir, render_images=False, allow_outside_assets=allow_outside_assets)
    try:
        state_names, cameras = list(env.state_names), dict(env.scene.cameras)
    finally:
        env.close()
    layout = DatasetSpec(
        repo_id="",
        root=Path(),
        fps=round(config.control_freq),
        robot_type="",
        task="",
        state_names=state_names,
        action_names=state_names,
        cameras=cameras,
        use_videos=True,
        scopes=(),
        edge_labels=(),
        extra={},
        gym_config_text="",
        action_config_text="",
        package_version="",
        environment_state_names=tuple(environment_state_names(config)),
    )
    kept = (STATE, VELOCITY, ACTION, ENVIRONMENT_STATE)
    return {k: v for k, v in lerobot_features(layout).items() if k in kept or k.startswith(IMAGE_PREFIX)}


#: A dataset feature's key → the key of the environment's observation (LeRobot's
#: ``preprocess_observation`` maps it back): ``pixels/<camera>`` for images.
_ENV_KEYS = {
    "observation.state": "agent_pos",
    "observation.environment_state": "environment_state",
    "action": "action",
}


def policy_features(
    features: dict[str, dict[str, Any]],
) -> tuple[dict[str, tuple[str, tuple[int, ...]]], dict[str, str]]:
    """LeRobot's ``EnvConfig.features`` and ``features_map`` for the dataset ``features``:
    ``{env key: (FeatureType name, shape)}`` and ``{env key: dataset key}``. The velocity stays
    out of the table (the observation still holds it, as ``observation.velocity``)."""
    from recorder.features import IMAGE_PREFIX

    table: dict[str, tuple[str, tuple[int, ...]]] = {}
    mapping: dict[str, str] = {}
    for key, feature in features.items():
        shape = tuple(int(n) for n in feature["shape"])
        if key.startswith(IMAGE_PREFIX):
            env_key, kind = "pixels/" + key.removeprefix(IMAGE_PREFIX), "VISUAL"
        elif key in _ENV_KEYS:
            env_key = _ENV_KEYS[key]
            kind = {"agent_pos": "STATE", "environment_state": "ENV", "action": "ACTION"}[env_key]
        else:
            continue
        table[env_key] = (kind, shape)
        mapping[env_key] = key
    return table, mapping
