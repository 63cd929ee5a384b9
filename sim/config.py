"""Loading a gym config for the simulation: the same checks ``lint`` runs, against what this
backend provides.

Everything the simulation cannot honour (an unknown robot type, a missing or unreadable mesh,
an event or success function it does not have or params it cannot take, a camera on a link
that does not exist, values MuJoCo cannot build or record) is a located diagnostic naming what
is available, before anything runs. The checks are
:func:`actionbank.spec.gym_config.load_gym_config` with :data:`actionbank.runtime.RUNTIME`,
the declarations of what ``sim`` implements, exactly as ``lint`` runs them.
"""

from __future__ import annotations

from pathlib import Path

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.errors import CompileError, InputError
from actionbank.runtime import RUNTIME
from actionbank.spec.gym_config import GymConfig, load_gym_config

__all__ = ["load_sim_config"]


def load_sim_config(path: str | Path, *, allow_outside_assets: bool = False) -> tuple[GymConfig, list[Diagnostic]]:
    """The validated gym config and its warnings; :class:`CompileError` when it has errors,
    :class:`InputError` when it cannot be read or parsed. ``allow_outside_assets``: its files
    may lie outside its folder."""
    result = load_gym_config(path, runtime=RUNTIME, allow_outside_assets=allow_outside_assets)
    if result.document is None:
        raise InputError(result.diagnostics)
    if result.config is None:
        raise CompileError(result.diagnostics)
    return result.config, list(result.diagnostics)
