"""A recorded episode as bytes, to move it between machines that share no file system.

A :class:`~recorder.episode.RecordedEpisode` points at files in its recording's folder (the
videos with their statistics samples, or raw image files). :func:`pack` reads those files into
a :class:`ShippedEpisode` (small numbers and bytes, picklable, with paths relative to the
folder) and deletes the folder; :func:`unpack` writes the files into a folder of the receiving
machine and gives back an episode the dataset writer commits as if it had been recorded there.
The bytes are the recording's own: the committed videos are bit for bit those the worker
encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

if TYPE_CHECKING:
    from recorder.episode import RecordedEpisode
    from recorder.video import EncodedVideo

__all__ = ["ShippedEpisode", "pack", "unpack"]


@dataclass(frozen=True)
class ShippedEpisode:
    """A recording's content: ``frames``, its numeric ``columns``, its videos and raw image
    files with paths relative to the recording's folder, and every file of that folder
    (relative POSIX path → bytes)."""

    frames: int
    columns: dict[str, NDArray[Any]]
    videos: dict[str, EncodedVideo]
    raw_images: dict[str, str]
    files: dict[str, bytes]

    @property
    def size(self) -> int:
        """Bytes of the files shipped."""
        return sum(len(data) for data in self.files.values())


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def pack(episode: RecordedEpisode) -> ShippedEpisode:
    """Read ``episode``'s files into a :class:`ShippedEpisode`, then delete its folder."""
    folder = episode.folder
    try:
        files = {_relative(path, folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}
        videos = {
            key: video._replace(
                path=Path(_relative(video.path, folder)), samples_path=Path(_relative(video.samples_path, folder))
            )
            for key, video in episode.videos.items()
        }
        raw = {key: _relative(path, folder) for key, path in episode.raw_images.items()}
    finally:
        episode.discard()
    return ShippedEpisode(episode.frames, dict(episode.columns), videos, raw, files)


def _inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refused when ``relative`` would lead outside ``folder``."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or any(part in ("..", "") for part in parts):
        raise ValueError(f"a shipped recording names the file {relative!r}, outside its folder")
    return folder.joinpath(*parts)


def unpack(shipped: ShippedEpisode, folder: Path) -> RecordedEpisode:
    """Write ``shipped``'s files into ``folder`` (created; it must not exist) and describe them as a
    :class:`~recorder.episode.RecordedEpisode`. :class:`~recorder.errors.DiskFullError` when
    the disk fills up (nothing is left behind)."""
    from recorder.episode import RecordedEpisode
    from recorder.errors import removed_on_failure

    with removed_on_failure(folder, f"while receiving a recording into {folder}"):
        folder.mkdir(parents=True)
        for relative, data in shipped.files.items():
            path = _inside(folder, relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    videos = {
        key: video._replace(
            path=_inside(folder, video.path.as_posix()), samples_path=_inside(folder, video.samples_path.as_posix())
        )
        for key, video in shipped.videos.items()
    }
    raw = {key: _inside(folder, relative) for key, relative in shipped.raw_images.items()}
    return RecordedEpisode(shipped.frames, shipped.columns, videos, raw, folder)
