"""What a run is made of, read before anything runs: the gym config and the compiled plan, the
config texts and the assets' hashes (both go into the provenance), and a new dataset's spec."""

from __future__ import annotations

import contextlib
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from actionbank.compiler import CompileOptions, compile_file
from actionbank.diagnostics.diagnostic import Diagnostic, sort_diagnostics
from actionbank.errors import CompileError, InputError
from actionbank.generate.options import GenerateOptions, Report
from actionbank.plan import ExecutionPlan
from actionbank.spec.gym_robot import robot_type_of

if TYPE_CHECKING:
    from actionbank.spec.gym_models import GymConfig
    from recorder.spec import DatasetSpec

__all__ = ["asset_hashes_of", "compile_run", "dataset_spec", "read_config_text"]


def compile_run(options: GenerateOptions, report: Report | None = None) -> tuple[GymConfig, ExecutionPlan]:
    """The gym config and the compiled plan; :class:`CompileError` when the configs have errors.
    Their warnings and notes (what ``lint`` reports of them) go to ``report``."""
    from sim.config import load_sim_config

    config, warnings = load_sim_config(options.gym_config, allow_outside_assets=options.allow_outside_assets)
    compiled = compile_file(options.action_config, CompileOptions(gym_config=options.gym_config))
    if compiled.plan is None:
        raise CompileError([*warnings, *compiled.diagnostics])
    reported = sort_diagnostics([*warnings, *compiled.diagnostics])
    if reported and report is not None:
        report(reported)
    return config, compiled.plan


def read_config_text(path: Path) -> str:
    """A config's text (as stored in the provenance); :class:`InputError` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InputError([Diagnostic.make("AB101", path=str(path), reason=reason).at(str(path), None, None)]) from None


def asset_hashes_of(options: GenerateOptions, config: GymConfig) -> dict[str, str]:
    """sha256 of the files the gym config names, for the provenance; :class:`InputError` when one
    cannot be read or lies outside the config's folder without ``allow_outside_assets``."""
    from actionbank.spec.assets import AssetPathError, asset_hashes

    try:
        return asset_hashes(config, options.gym_config.parent, allow_outside=options.allow_outside_assets)
    except AssetPathError as error:
        reason = f"{error}; allow files outside the gym config's folder explicitly"
    except OSError as error:
        reason = f"{error.filename}: {error.strerror or error}"
    file = str(options.gym_config)
    raise InputError([Diagnostic.make("AB101", path="a file the gym config names", reason=reason).at(file, None, None)])


def dataset_spec(
    options: GenerateOptions,
    config: GymConfig,
    plan: ExecutionPlan,
    gym_text: str,
    action_text: str,
    seed: int,
    assets: dict[str, str],
) -> DatasetSpec:
    """The new dataset's spec: names and sizes from the scene, naming from ``robot_meta`` / ``extra``,
    the config texts, the run's seed and the assets' hashes. Reserves a numbered folder when
    neither ``output`` nor ``resume`` names one."""
    from actionbank.spec.gym_observation_checks import environment_state_names
    from recorder import DatasetSpec, RecorderError, dataset_root
    from sim.env import ActionbankEnv

    env = ActionbankEnv(
        config, options.gym_config.parent, render_images=False, allow_outside_assets=options.allow_outside_assets
    )
    try:
        state_names, cameras = list(env.state_names), dict(env.scene.cameras)
        depth_cameras, mask_cameras = tuple(env.depth_cameras), tuple(env.mask_cameras)
        labels = env.segmentation.labels if mask_cameras else ()
    finally:
        env.close()
    params = config.env.dataset.lerobot.params if config.env.dataset else None
    robot_type = params.robot_meta.robot_type if params else robot_type_of(config)
    extra = dict(params.extra) if params else {}
    package_version = version("actionbank")  # before a numbered folder exists: nothing slow after it
    numbered = options.output is None and options.resume is None
    save_path = None
    if config.env.dataset is not None and config.env.dataset.save_path is not None:
        save_path = Path(config.env.dataset.save_path).expanduser()
        if not save_path.is_absolute():  # as the gym config's other paths: from its folder
            save_path = options.gym_config.parent / save_path
    try:
        root = dataset_root(
            options.resume if options.resume is not None else options.output,  # a resumed folder holding nothing yet
            robot_type,
            str(extra.get("scene_type", "scene")),
            str(extra.get("task_description", config.id)),
            save_path,
        )
    except OSError as error:  # the folder datasets go to cannot be made
        raise RecorderError(f"cannot reserve a dataset folder: {error.strerror or error} ({error.filename})") from error
    try:
        return DatasetSpec(
            repo_id=f"actionbank/{root.name}",
            root=root,
            fps=round(config.control_freq),
            robot_type=robot_type,
            task=params.instruction.phrasings[0] if params else config.id,
            task_phrasings=params.instruction.phrasings if params else (),
            state_names=state_names,
            action_names=state_names,
            cameras=cameras,
            use_videos=params.use_videos if params else True,
            scopes=tuple(s.name for s in plan.scopes),
            edge_labels=tuple(f"{e.scope}/{e.name}" for e in plan.edges),
            edge_descriptions=tuple(e.description for e in plan.edges),
            extra=extra,
            gym_config_text=gym_text,
            action_config_text=action_text,
            package_version=package_version,
            gym_config_name=options.gym_config.name,
            action_config_name=options.action_config.name,
            vcodec=params.vcodec if params else "libsvtav1",
            seed=seed,
            asset_hashes=assets,
            depth_cameras=depth_cameras,
            mask_cameras=mask_cameras,
            segmentation_labels=labels,
            environment_state_names=tuple(environment_state_names(config)),
            attempts=options.attempts,
        )
    except BaseException:  # a stop signal (or a bad value) before the caller holds the folder
        if numbered:  # give the number back
            with contextlib.suppress(OSError):
                root.rmdir()
        raise
