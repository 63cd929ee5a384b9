"""What the gym config says about the dataset: where and how EmbodiChain saves (mapped to our
options, or noted), and what the recorder cannot write (refused before anything runs)."""

from __future__ import annotations

from collections.abc import Iterator

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source import pointer as jp
from actionbank.spec.gym_available import Available
from actionbank.spec.gym_models import GymConfig

__all__ = ["check_dataset_saving", "check_depth_videos", "check_instruction"]

_PARAMS = "/env/dataset/lerobot/params"


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


def check_depth_videos(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """A camera's depth is recorded as LeRobot's depth *video* feature: it needs ``use_videos``."""
    dataset = config.env.dataset
    if dataset is None or dataset.lerobot.params.use_videos:
        return
    for index, camera in enumerate(config.sensor):
        if camera.enable_depth:
            yield Diagnostic.make(
                "AB636",
                jp.join("/sensor", index, "enable_depth"),
                camera=camera.uid,
                hint=f"set use_videos: true (at {jp.dotted('', _PARAMS)}), or enable_depth: false for this camera",
            )


def check_instruction(config: GymConfig, available: Available) -> Iterator[Diagnostic]:
    """Each phrasing of ``instruction.lang`` holds words: it is each episode's task in the dataset."""
    dataset = config.env.dataset
    if dataset is None:
        return
    lang = dataset.lerobot.params.instruction.lang
    pointer = jp.join(_PARAMS, "instruction", "lang")
    phrasings = [(pointer, lang)] if isinstance(lang, str) else [(jp.join(pointer, i), p) for i, p in enumerate(lang)]
    for at, phrasing in phrasings:
        if not phrasing.strip():
            yield Diagnostic.make(
                "AB113",
                at,
                where=jp.dotted("", at),
                reason="the instruction is blank; it is each episode's task in the dataset",
                hint="write the task in words, e.g. 'pick up the cube'",
            )
