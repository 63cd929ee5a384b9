"""What the gym config says about where and how EmbodiChain saves: mapped to our options, or noted."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import GymConfig

__all__ = ["check_dataset_saving"]


def check_dataset_saving(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """A note for ``save_path`` (where datasets go by default) and for ``save_failed_episodes``
    (where failed episodes go)."""
    dataset = config.env.dataset
    if dataset is None:
        return
    if dataset.save_path is not None:
        yield Diagnostic.make(
            "AB761",
            "/env/dataset/save_path",
            path=dataset.save_path,
            hint="pass --output DIR to write one dataset at DIR instead",
        )
    if dataset.lerobot.save_failed_episodes:
        yield Diagnostic.make(
            "AB760",
            "/env/dataset/lerobot/save_failed_episodes",
            hint="`generate`'s summary names the folder; set it to false to keep valid episodes only",
        )
