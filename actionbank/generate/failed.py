"""Failed attempts kept (the gym config's ``env.dataset.lerobot.save_failed_episodes``): a
second LeRobot dataset next to the main one, ``<dataset folder>_failed``, written with the
same writer and spec, each episode's provenance saying why it failed (``failure``).

It is created with its first failed episode (a run in which nothing fails leaves none) and,
with ``--resume``, reopened when it exists, checked to come from the same run as the main one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actionbank.attempts import AttemptResult
    from recorder.spec import DatasetSpec
    from recorder.writer import DatasetWriter

__all__ = ["FAILED_SUFFIX", "FailedEpisodes", "failed_root"]

#: Appended to the main dataset's folder name to name the folder of the failed episodes.
FAILED_SUFFIX = "_failed"


def failed_root(root: Path) -> Path:
    """The folder of the failed episodes of the dataset at ``root``."""
    return root.with_name(root.name + FAILED_SUFFIX)


class FailedEpisodes:
    """The failed-episode dataset of a run, opened or created when first needed."""

    def __init__(self, spec: DatasetSpec) -> None:
        """:class:`~recorder.errors.DatasetPathError` when the folder is a symbolic link: reading or
        writing through it would leave the folder the dataset belongs to."""
        from recorder.errors import DatasetPathError

        root = failed_root(spec.root)
        if root.is_symlink():
            raise DatasetPathError(
                f"{root} is a symbolic link; the failed episodes of {spec.root} are kept in a folder of its own "
                "beside it: remove the link"
            )
        self.spec = dataclasses.replace(spec, root=root)
        self._main = spec
        self.writer: DatasetWriter | None = None
        #: Failed episodes saved by this run.
        self.saved_now = 0

    @property
    def root(self) -> Path:
        return self.spec.root

    def open_existing(self) -> DatasetWriter | None:
        """Reopen the dataset when a run before this one made it (``--resume``); None if there is none."""
        from recorder import DatasetWriter

        if self.writer is None and (self.root / "meta" / "info.json").exists():
            self.writer = DatasetWriter.open_for_resume(self.root, check=self._same_run)
        return self.writer

    def _same_run(self, stored: DatasetSpec) -> None:
        """Raise :class:`~recorder.errors.RunMismatchError` unless ``stored`` (the failed
        dataset's spec) comes from the run of the main dataset: same configs, assets, seed and attempt range."""
        from recorder.errors import RunMismatchError

        main = self._main
        fields = ("gym_config_text", "action_config_text", "asset_hashes", "seed", "attempts")
        differ = [name for name in fields if getattr(stored, name) != getattr(main, name)]
        if differ:
            raise RunMismatchError(
                f"{self.root} holds failed episodes of another run than {main.root} (its {', '.join(differ)} differ); "
                "move it away to resume"
            )

    def save(self, result: AttemptResult) -> None:
        """Commit the recording of a failed attempt (created on the first one)."""
        from recorder import DatasetWriter

        if result.episode is None:
            return
        if self.writer is None and self.open_existing() is None:
            self.writer = DatasetWriter.create(self.spec)
        assert self.writer is not None
        self.writer.save_recorded(result.episode, result.info)
        self.saved_now += 1

    def finalize(self) -> None:
        if self.writer is not None:
            self.writer.finalize()
