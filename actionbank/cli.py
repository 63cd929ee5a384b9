"""The ``actionbank`` command line. Each command calls one library function and prints.

Exit codes: 0 clean, 1 problems found, 2 usage or unreadable input.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import click

from actionbank.capacity import MAX_WORKERS, WORKER_MEMORY
from actionbank.compiler import CompileOptions, CompileResult, compile_file
from actionbank.diagnostics import format_json, format_text, has_errors, summary_line
from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import ActionbankError, CompileError, InputError

if TYPE_CHECKING:
    from actionbank.generate import GenerateSummary
    from actionbank.generate.attempt_range import AttemptRange

__all__ = ["main", "run"]

#: Set by :func:`run`, the installed command: the compiler commands may then end the process
#: themselves (:func:`_end`). Off when :data:`main` is called in a process that goes on (tests).
_ENDS_PROCESS = False


def run() -> None:
    """The ``actionbank`` command (and ``python -m actionbank``): :data:`main` in a process of its own."""
    global _ENDS_PROCESS
    _ENDS_PROCESS = True
    main()


def _end(code: int = 0) -> None:
    """End a compiler command (lint, compile, dot, gantt) with exit status ``code``: called
    inside the command, while what it compiled is still referenced (once the command returns,
    unwinding frees it).

    In the installed command the process ends here, as mypy's does, without the interpreter's
    teardown: freeing what a large compile built, object by object (0.05 s for the result of a
    16,000-edge compile, more for its context), then every module, is work nobody waits for.
    Exit handlers still run and the output streams are flushed first; a process with other
    threads (a plugin's) exits the usual way. Otherwise (``main`` called in a process that
    goes on): a non-zero ``code`` raises ``SystemExit``, zero returns.
    """
    if _ENDS_PROCESS and threading.active_count() == 1:
        _leave(code)
    if code:
        sys.exit(code)


def _leave(code: int) -> NoReturn:
    atexit._run_exitfuncs()  # what the interpreter's own exit would run first
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: the interpreter's own exit reports it with status 120
        code = code or 120
    os._exit(code)


def _plugins_loading_the_simulation(first: Path) -> list[Diagnostic]:
    """AB117 for each plugin whose loading imported MuJoCo or ``sim``: lint promises neither."""
    from actionbank.entry_points import plugins_that_loaded_the_simulation

    hint = (
        "import MuJoCo inside the plugin's functions, or name its implementation as 'package.module:attribute' "
        "(declare_event(..., implementation=...)), which only generate imports"
    )
    return [
        Diagnostic.make("AB117", plugin=plugin, hint=hint).at(str(first), None, None)
        for plugin in plugins_that_loaded_the_simulation()
    ]


def _compile_options[F: Callable[..., Any]](function: F) -> F:
    function = click.option(
        "--allow-unknown-functions",
        is_flag=True,
        help="Report function names the registry does not know as warnings, not errors.",
    )(function)
    function = click.option(
        "--no-gym-config",
        is_flag=True,
        help="Do not look for gym_config.* beside FILE.",
    )(function)
    function = click.option(
        "--gym-config",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Gym config that provides environment keys and max_episode_steps; `lint` also checks it "
        "(default: gym_config.{yaml,yml,json} beside FILE, if any).",
    )(function)
    return function


def _allow_outside_assets[F: Callable[..., Any]](function: F) -> F:
    return click.option(
        "--allow-outside-assets",
        is_flag=True,
        help="Let the gym config name files (meshes) outside its own folder: absolute paths, '..', "
        "or links that lead elsewhere.",
    )(function)


def _options(gym_config: Path | None, no_gym_config: bool, allow_unknown_functions: bool) -> CompileOptions:
    if gym_config is not None and no_gym_config:
        raise click.UsageError("--gym-config and --no-gym-config exclude each other")
    chosen: Path | Literal["auto"] | None = None if no_gym_config else (gym_config or "auto")
    return CompileOptions(gym_config=chosen, allow_unknown_functions=allow_unknown_functions)


def _echo_diagnostics(diagnostics: Sequence[Diagnostic], err: bool = True) -> None:
    if diagnostics:
        click.echo(format_text(diagnostics), err=err)


def _compile_or_exit(path: Path, options: CompileOptions) -> CompileResult:
    """Compile, print diagnostics to stderr, and exit 1 when there is no plan.

    In the installed command the cyclic garbage collector stays off from here to the end of
    the process: the compile pauses it anyway, and turning it back on makes the next
    allocation scan everything the compile built (0.04 s at 16,000 edges) in a process that
    is about to end."""
    if _ENDS_PROCESS:
        gc.disable()
    try:
        result = compile_file(path, options)
    except InputError:
        _refuse_wrong_kinds(path, options.gym_config, "FILE")
        raise
    if result.plan_data is None:  # not .plan: that validates the plan's models
        _refuse_wrong_kinds(path, options.gym_config, "FILE")
    _echo_diagnostics(result.diagnostics)
    if result.plan_data is None:
        click.echo(summary_line(result.diagnostics, 1 + (result.environment.source is not None)), err=True)
        _end(1)
    return result


def _refuse_wrong_kinds(action_config: Path, gym_config: str | Path | None, action_role: str) -> None:
    """Exit 2 (AB635) when a config given is the other kind of config, or the two are swapped:
    one line that says which file looks like which, instead of the errors of reading it as the
    wrong kind. ``gym_config``: as given (``"auto"``: the one beside the action config)."""
    from actionbank.spec.config_kind import check_config_kinds
    from actionbank.spec.environment import sibling_gym_config

    gym = sibling_gym_config(action_config) if gym_config == "auto" else gym_config
    gym_role = "the gym config" if gym_config == "auto" else "--gym-config"
    check_config_kinds(action_config, gym, action_role=action_role, gym_role=gym_role)


def _refuse_swapped_gym_file(path: Path, gym_config: Path) -> None:
    """AB635 (exit 2) for ``lint G --gym-config A``: the gym config G given as FILE and the action
    config A as ``--gym-config``, which would otherwise lint G alone and pass."""
    from actionbank.source.loader import load_document
    from actionbank.spec.config_kind import check_config_kinds, config_kind

    document, _ = load_document(gym_config)  # unreadable: the action configs' compile says so
    if document is not None and config_kind(document.data) == "action":
        check_config_kinds(path, gym_config, action_role="FILE")


def _not_yet_reported(found: Sequence[Diagnostic], reported: Sequence[Diagnostic], path: Path) -> list[Diagnostic]:
    """``found`` less what an earlier FILE already reported about a shared gym config.

    Only located diagnostics in another file than ``path`` repeat; an unlocated one is about
    this FILE and always kept.
    """
    earlier = set(reported)
    return [d for d in found if d.file == str(path) or d.line is None or d not in earlier]


class _OutputError(click.ClickException):
    """An output file that must not or cannot be written: exit 2, as an unusable input."""

    exit_code = 2


def _write(
    output: Path | None, content: str | bytes | Sequence[bytes], read: Sequence[str | Path | None] = ()
) -> None:
    """``content`` (text, bytes, or parts of bytes) to ``output`` (atomically), or to stdout;
    never over a file of ``read``, the configs the command read (exit 2, as for an output that
    cannot be written)."""
    from actionbank.output import write_atomic

    if output is None:
        for part in (content,) if isinstance(content, str | bytes) else content:
            click.echo(part, nl=False)
        return
    if any(source is not None and output.resolve() == Path(source).resolve() for source in read):
        raise _OutputError(f"-o {output}: it is a config this command read; choose another file")
    try:
        write_atomic(output, content)
    except OSError as exc:
        raise _OutputError(f"-o {output}: cannot be written: {exc.strerror or exc}") from exc


class _Group(click.Group):
    """Turns our exceptions into messages and exit codes instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (InputError, CompileError) as exc:
            _echo_diagnostics(exc.diagnostics)
            if exc.diagnostics:
                click.echo(summary_line(exc.diagnostics), err=True)
            sys.exit(exc.exit_code)
        except ActionbankError as exc:
            click.echo(f"actionbank: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="actionbank")
def main() -> None:
    """Compile, check and draw robot action banks (EmbodiChain's action-config format)."""
    # The interpreter's last garbage collections walk every object still alive: about 15 ms of
    # pydantic and click after `compile`, 1.5 s of torch's heap after `generate`. Objects frozen
    # at exit are left to the process's end. Registered once, however many commands one
    # process runs (tests).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: file:line:col: CODE message; json: one array of objects.",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "action", "gym"]),
    default="auto",
    show_default=True,
    help="What FILE is: an action config, a gym config, or (auto) whichever its sections say.",
)
@_compile_options
@_allow_outside_assets
def lint(
    files: tuple[Path, ...],
    output_format: str,
    kind: str,
    gym_config: Path | None,
    no_gym_config: bool,
    allow_unknown_functions: bool,
    allow_outside_assets: bool,
) -> None:
    """Report every problem in FILE... and in the gym config they use (exit 1 when there are errors).

    FILE may also be a gym config on its own. A gym config gets the checks `generate` runs
    before anything runs. Exit 2 when a file (an action config or the gym config) cannot be
    read or parsed.
    """
    from actionbank.spec.gym_lint import lint_gym_file, sniff_gym_file

    options = replace(
        _options(gym_config, no_gym_config, allow_unknown_functions),
        check_gym_config=True,
        allow_outside_assets=allow_outside_assets,
    )
    diagnostics: list[Diagnostic] = []
    unreadable = False
    checked: set[Path] = set()  # the files given and the gym configs they were checked with
    for path in files:
        checked.add(path.resolve())
        try:
            if kind == "gym" or (kind == "auto" and sniff_gym_file(path)):
                if gym_config is not None:  # it applies to the action configs given, unless swapped
                    _refuse_swapped_gym_file(path, gym_config)
                found: Sequence[Diagnostic] = lint_gym_file(path, allow_outside_assets=allow_outside_assets)
            else:
                result = compile_file(path, options)
                found = result.diagnostics
                if result.environment.source is not None:
                    checked.add(Path(result.environment.source).resolve())
        except InputError as exc:
            found = exc.diagnostics
            unreadable = True
        except ActionbankError as exc:  # an installed plugin that fails to load: said in the JSON too
            if output_format != "json" or exc.exit_code != 2:
                raise
            diagnostics.append(Diagnostic.make("AB116", reason=str(exc)).at(str(path), None, None))
            unreadable = True
            break  # the same for every file
        diagnostics.extend(_not_yet_reported(found, diagnostics, path))
    diagnostics.extend(_plugins_loading_the_simulation(files[0]))
    if output_format == "json":
        click.echo(format_json(diagnostics))
    else:
        _echo_diagnostics(diagnostics, err=False)
        click.echo(summary_line(diagnostics, len(checked)))
    _end(2 if unreadable else 1 if has_errors(diagnostics) else 0)


@main.command(name="compile")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan here.")
@_compile_options
def compile_command(
    file: Path, output: Path | None, gym_config: Path | None, no_gym_config: bool, allow_unknown_functions: bool
) -> None:
    """Compile FILE into an execution plan (JSON)."""
    result = _compile_or_exit(file, _options(gym_config, no_gym_config, allow_unknown_functions))
    _write(output, result.plan_json_parts(), (file, result.environment.source))
    _end()


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the DOT here.")
@click.option(
    "--view",
    type=click.Choice(["schedule", "dataflow"]),
    default="schedule",
    show_default=True,
    help="schedule: scopes, edges and sync; dataflow: node generators and the keys between them.",
)
@_compile_options
def dot(
    file: Path,
    output: Path | None,
    view: Literal["schedule", "dataflow"],
    gym_config: Path | None,
    no_gym_config: bool,
    allow_unknown_functions: bool,
) -> None:
    """Draw FILE as a Graphviz DOT graph."""
    from actionbank.render import render_dot

    result = _compile_or_exit(file, _options(gym_config, no_gym_config, allow_unknown_functions))
    assert result.plan is not None
    _write(output, render_dot(result.plan, view), (file, result.environment.source))
    _end()


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Write the SVG picture here."
)
@_compile_options
def gantt(
    file: Path, output: Path, gym_config: Path | None, no_gym_config: bool, allow_unknown_functions: bool
) -> None:
    """Draw the schedule of FILE as a Gantt chart (SVG)."""
    from actionbank.render import render_gantt_svg

    result = _compile_or_exit(file, _options(gym_config, no_gym_config, allow_unknown_functions))
    assert result.plan is not None
    _write(output, render_gantt_svg(result.plan), (file, result.environment.source))
    _end()


@main.command()
@click.argument("which", type=click.Choice(["action", "gym", "plan"]), default="action")
def schema(which: str) -> None:
    """Print the JSON Schema of action configs, gym configs or plans."""
    from actionbank.schemas import SCHEMAS

    click.echo(SCHEMAS[which](), nl=False)


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class _ProgressLine:
    """The progress bar: one line on stderr, redrawn in place (``\\r``) until :meth:`end`."""

    def __init__(self) -> None:
        self.open = False

    def show(self, summary: GenerateSummary, elapsed: float) -> None:
        """Episodes in the dataset of the target (those saved before this run counted apart)."""
        rate = summary.frames_per_second
        left = summary.target - summary.saved
        remaining = left * (elapsed / summary.saved_now) if summary.saved_now else 0.0
        bar = "#" * round(20 * summary.saved / max(summary.target, 1))
        earlier = f" ({summary.already} earlier)" if summary.already else ""
        click.echo(
            f"\r[{bar:<20}] {summary.saved}/{summary.target} valid{earlier}, {sum(summary.discarded.values())} "
            f"discarded, {rate:.0f} frames/s, ETA {remaining:.0f} s ",
            nl=False,
            err=True,
        )
        self.open = True

    def end(self) -> None:
        """End the line, so that what is printed next (a summary, an error) starts on its own."""
        if self.open:
            click.echo("", err=True)
            self.open = False

    def note(self, text: str) -> None:
        """Print a remark on a line of its own."""
        self.end()
        click.echo(f"actionbank: note: {text}", err=True)


class _AttemptsType(click.ParamType["AttemptRange"]):
    """``START:STOP``, a range of attempt indices (:func:`~actionbank.generate.attempt_range.parse_attempt_range`)."""

    name = "START:STOP"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> AttemptRange:
        from actionbank.generate.attempt_range import AttemptRange, parse_attempt_range

        if isinstance(value, AttemptRange):
            return value
        try:
            return parse_attempt_range(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


@main.command()
@click.option(
    "--gym-config",
    "--gym_config",
    "gym_config",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
)
@click.option(
    "--action-config",
    "--action_config",
    "action_config",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
)
@click.option(
    "--max-episodes",
    "--max_episodes",
    type=click.IntRange(min=1),
    help="Valid episodes to save (default: the gym config's max_episodes).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Episode attempt i uses a seed derived from this and i (default: 0; with --resume, the dataset's seed).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Dataset folder (default: a new numbered folder). Not with --resume.",
)
@click.option(
    "--num-envs",
    "--num_envs",
    type=click.IntRange(min=1, max=MAX_WORKERS),
    default=None,
    help=f"Parallel worker processes, 1 to {MAX_WORKERS} (default: the gym config's num_envs, else 1). Each takes "
    f"about {WORKER_MEMORY // 2**20} MiB: more than the available memory holds are refused; more than the episodes "
    "(or attempts) left are not started. With --executor ray: Ray actors, anywhere in the cluster.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where attempts run: local processes, or actors of a Ray cluster (pip install 'actionbank[ray]').",
)
@click.option(
    "--ray-address",
    "--ray_address",
    "ray_address",
    metavar="ADDRESS",
    help="With --executor ray: the cluster to join, HOST:PORT of its head or 'auto' (the one `ray start` made "
    "here); default: a Ray runtime started for this job.",
)
@click.option(
    "--max-attempts",
    "--max_attempts",
    type=click.IntRange(min=1),
    help="Bound on episode attempts (default: 4 x target).",
)
@click.option(
    "--attempts",
    type=_AttemptsType(),
    default=None,
    help="Run only attempt indices START to STOP-1 (each with its own seed), e.g. one shard of a SLURM array; "
    "ends at STOP or at --max-episodes valid episodes, whichever comes first. Not with --max-attempts.",
)
@click.option(
    "--resume",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Continue this dataset to the target count, with the configs, assets and seed it was made with.",
)
@click.option(
    "--headless/--preview", default=True, help="--preview opens MuJoCo's viewer on the first episode and saves nothing."
)
@click.option("--filter-dataset-saving", "--filter_dataset_saving", is_flag=True, help="Run everything, write nothing.")
@click.option("--device", default="cpu", show_default=True, help="Only 'cpu' (MuJoCo runs on the CPU).")
@click.option("--enable-rt", "--enable_rt", is_flag=True, hidden=True)
@click.option(
    "--validate-first/--no-validate-first",
    default=True,
    show_default=True,
    help="Run each attempt without cameras first and render only those that pass (the same dataset, faster "
    "when attempts fail). Off with save_failed_episodes, which records every attempt.",
)
@_allow_outside_assets
def generate(
    gym_config: Path,
    action_config: Path,
    max_episodes: int | None,
    seed: int | None,
    output: Path | None,
    num_envs: int | None,
    executor: Literal["local", "ray"],
    ray_address: str | None,
    max_attempts: int | None,
    attempts: AttemptRange | None,
    resume: Path | None,
    headless: bool,
    filter_dataset_saving: bool,
    device: str,
    enable_rt: bool,
    validate_first: bool,
    allow_outside_assets: bool,
) -> None:
    """Run the action config on the gym config's scene and record valid episodes as a LeRobot dataset.

    \b
    Exit codes: 0 done; 1 config errors, target not reached or disk full; 2 bad flags or an
    unusable output folder; 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM. When a run stops
    early, what it saved is valid and --resume DIR continues it.
    """
    if device != "cpu":
        raise click.UsageError(f"--device {device!r}: this backend runs MuJoCo on the CPU; use --device cpu")
    if enable_rt:
        raise click.UsageError("--enable_rt: this backend has no ray-traced rendering (MuJoCo renders with OpenGL)")
    if not headless and not _has_display():
        raise click.UsageError("--preview needs a display (none found: DISPLAY and WAYLAND_DISPLAY are unset)")
    if output is not None and resume is not None:
        raise click.UsageError("--output and --resume exclude each other: --resume continues the dataset in its folder")
    if attempts is not None and max_attempts is not None:
        raise click.UsageError("--attempts and --max-attempts exclude each other: the range bounds the attempts")
    if ray_address is not None and executor != "ray":
        raise click.UsageError("--ray-address is for --executor ray")
    # The pipeline (and what it imports) only for this command: the compiler's commands start fast.
    from actionbank.generate import GenerateOptions
    from actionbank.generate import generate as run_generation
    from actionbank.generate import preview as run_preview
    from actionbank.generate.options import configured_num_envs
    from actionbank.interrupts import interrupt_on_signals

    num_envs_from = "--num-envs"
    if num_envs is None:  # the gym config's num_envs (EmbodiChain's key), else 1
        configured = configured_num_envs(gym_config)
        num_envs, num_envs_from = (
            (1, num_envs_from) if configured is None else (configured, "the gym config's num_envs")
        )
        # a value beyond MAX_WORKERS is an error of the gym config's checks, at its line, before anything runs

    options = GenerateOptions(
        gym_config=gym_config,
        action_config=action_config,
        max_episodes=max_episodes,
        seed=seed,
        output=output,
        resume=resume,
        max_attempts=max_attempts,
        save=not filter_dataset_saving,
        num_envs=num_envs,
        num_envs_from=num_envs_from,
        allow_outside_assets=allow_outside_assets,
        attempts=attempts,
        executor=executor,
        ray_address=ray_address,
        validate_first=validate_first,
    )
    if not headless:
        try:
            rollout = run_preview(options)
        except (CompileError, InputError):
            _refuse_wrong_kinds(action_config, gym_config, "--action-config")
            raise
        for text in rollout.notes.values():  # as generate tells them (the settle drift at reset)
            click.echo(f"actionbank: note: {text}", err=True)
        outcome = "valid" if rollout.valid else "invalid: " + "; ".join(str(f) for f in rollout.failures)
        click.echo(f"preview of attempt 0 (seed {rollout.seed}): {outcome}; nothing was saved")
        return
    line = _ProgressLine()
    try:
        with interrupt_on_signals():
            summary = run_generation(options, progress=line.show, note=line.note, report=_echo_diagnostics)
    except (CompileError, InputError):  # a config of the other kind, or the two swapped: say so
        _refuse_wrong_kinds(action_config, gym_config, "--action-config")
        raise
    finally:
        line.end()  # before the summary, or the error message _Group prints
    rows = [
        ("saved now", str(summary.saved_now)),
        ("earlier", str(summary.already)),
        ("total", str(summary.saved)),
        *((f"discarded: {reason}", str(n)) for reason, n in sorted(summary.discarded.items())),
        ("frames", str(summary.frames)),
        ("wall time", f"{summary.wall_time:.1f} s"),
        ("frames/s", f"{summary.frames_per_second:.1f}"),
        ("seed", str(summary.seed)),
        ("dataset", str(summary.root) if summary.root else "(not saved)"),
    ]
    if summary.failed_root is not None:  # save_failed_episodes
        rows.append(("failed kept now", str(summary.failed_saved)))
        exists = summary.failed_root.exists()
        rows.append(("failed dataset", str(summary.failed_root) if exists else f"{summary.failed_root} (none failed)"))
    if summary.validated_first and summary.unrendered:  # validate-first, and it spared some rendering
        rows.append(("validated first", _validation_line(summary)))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name:<{width}}  {value}")


def _validation_line(summary: GenerateSummary) -> str:
    """What validating before rendering did, e.g. "3 failed attempts were never rendered, saving ~4.2 s"."""
    saved = summary.validation_saved_s
    effect = f"saving ~{saved:.1f} s" if saved >= 0 else f"costing ~{-saved:.1f} s"
    attempts = "attempt was" if summary.unrendered == 1 else "attempts were"
    return f"{summary.unrendered} failed {attempts} never rendered, {effect}"


main.add_command(generate, name="run-env")


@main.command()
@click.argument("dataset", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="PNG to write.")
@click.option("--episode", type=click.IntRange(min=0), default=0, show_default=True, help="Episode index.")
@click.option("--frames", type=click.IntRange(min=1), default=6, show_default=True, help="Frames per camera.")
@click.option("--camera", "cameras", multiple=True, help="Camera uid (repeatable; default: every camera).")
def strip(dataset: Path, output: Path, episode: int, frames: int, cameras: tuple[str, ...]) -> None:
    """Draw frames of a recorded episode side by side, one row per camera, as a PNG."""
    from recorder.frame_strip import write_frame_strip

    width, height = write_frame_strip(dataset, output, episode, frames, list(cameras) or None)
    click.echo(f"{output}: {width}x{height} px, {frames} frames of episode {episode}")


@main.command()
@click.argument("dataset", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML to write.")
@click.option(
    "--episode", type=click.IntRange(min=0), default=0, show_default=True, help="Episode whose trajectories are drawn."
)
def report(dataset: Path, output: Path, episode: int) -> None:
    """Write one self-contained HTML page showing DATASET (made by `generate`) at a glance."""
    from actionbank.report import write_report

    size = write_report(dataset, output, episode)
    click.echo(f"{output}: {size / 1e6:.1f} MB, report of {dataset}")


@main.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option("--episode", type=click.IntRange(min=0), default=0, show_default=True, help="Episode index.")
@click.option(
    "--gym-config",
    "--gym_config",
    "gym_config",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The gym config the dataset was made from, for the files it names (meshes): checked against the "
    "dataset's copy and hashes (default: the dataset's copy, when it names no file).",
)
@click.option("--actions", is_flag=True, help="Replay the recorded actions open-loop and report each joint's drift.")
@click.option(
    "--video",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write what the cameras see during the replay to this MP4 file (cameras side by side).",
)
@_allow_outside_assets
def replay(
    dataset: Path, episode: int, gym_config: Path | None, actions: bool, video: Path | None, allow_outside_assets: bool
) -> None:
    """Re-simulate an episode of a dataset from its provenance and compare it with the recording.

    \b
    Exit codes: 0 bit-identical; 1 it differs (each column's largest difference is shown);
    2 no such dataset or episode, damaged provenance, or a gym config that is not the dataset's.
    """
    from actionbank.replay import ReplayOptions
    from actionbank.replay import replay as run_replay
    from actionbank.replay.summary import summary_lines

    def note(text: str) -> None:
        click.echo(f"actionbank: note: {text}", err=True)

    options = ReplayOptions(dataset, episode, gym_config, actions, video, allow_outside_assets)
    report = run_replay(options, note=note)
    for line in summary_lines(report):
        click.echo(line)
    if not report.identical:
        sys.exit(1)


@main.command()
@click.argument("output", type=click.Path(path_type=Path, file_okay=False))
@click.argument("datasets", nargs=-1, required=True, metavar="DATASET...", type=click.Path(path_type=Path))
def merge(output: Path, datasets: tuple[Path, ...]) -> None:
    """Merge DATASET... (shards of one run: `generate --attempts`) into the new dataset OUTPUT.

    \b
    The datasets must come from the same configs, assets and seed, with attempt ranges that
    neither overlap nor leave a gap, each from a generate run that finished; failed-episode
    datasets (`<dataset>_failed`) merge only with each other. Episodes are put in attempt
    order. OUTPUT must not exist or be empty.
    Exit codes: 0 merged; 2 refused (nothing is written) or unreadable input.
    """
    import shlex

    from actionbank.generate.failed import failed_root
    from recorder.merge import merge_datasets

    def episodes(count: int) -> str:
        return f"{count} episode{'' if count == 1 else 's'}"

    summary = merge_datasets(output, list(datasets))
    for root, attempts, count in summary.parts:
        span = f"{attempts[0]}:{attempts[1]}" if attempts is not None else "-"
        click.echo(f"  {root}  attempts {span}  {episodes(count)}")
    span = f"{summary.attempts[0]}:{summary.attempts[1]}" if summary.attempts is not None else "(no range)"
    click.echo(f"merged {episodes(summary.episodes)} ({summary.frames} frames, attempts {span}) into {summary.root}")
    left_out = [failed_root(root) for root, _, _ in summary.parts if failed_root(root).is_dir()]
    if left_out:
        command = shlex.join(["actionbank", "merge", str(failed_root(output)), *map(str, left_out)])
        click.echo(
            f"actionbank: note: the failed episodes ({', '.join(map(str, left_out))}) were not merged; "
            f"to merge them: {command}",
            err=True,
        )
