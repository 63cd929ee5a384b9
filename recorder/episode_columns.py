"""The recorded numeric columns of one episode, read back from the dataset's parquet files.

What ``actionbank replay`` compares against: ``observation.state``, ``action`` and the other
vector columns a recording holds (velocity, environment state), frame by frame, as the
values LeRobot stored (``float32``). The files are read with pyarrow, filtered on
``episode_index``; LeRobot's loader (which imports torch) is not needed for this. Every path
goes through :mod:`recorder.confine`: ``info.json`` is read checked, the dataset may hold no
symbolic links, and the data files are found under ``data/`` alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from recorder.checked import read_info
from recorder.confine import dataset_path, symlinks_in
from recorder.errors import DatasetCorruptError, DatasetPathError

__all__ = ["read_episode_columns"]

#: Feature dtypes read as numeric vectors.
_NUMERIC = ("float32", "float64", "int32", "int64")


def read_episode_columns(root: Path, episode: int, keys: tuple[str, ...]) -> dict[str, NDArray[Any]]:
    """Each of ``keys`` that the dataset records (a numeric feature of ``info.json``) for episode
    ``episode``: frames × size, in frame order. Keys the dataset does not record are left out.

    :class:`DatasetCorruptError` when the files cannot be read or the episode has no rows, or its
    frames are not numbered 0..n-1; :class:`DatasetPathError` when the dataset holds links.
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    links = list(symlinks_in(root))
    if links:
        raise DatasetPathError(f"{root} holds symbolic links ({', '.join(links[:3])}); a dataset holds none")
    features = read_info(root)["features"]
    wanted = [key for key in keys if isinstance(features.get(key), dict) and features[key].get("dtype") in _NUMERIC]
    data = dataset_path(root, "data")
    files = sorted(data.glob("*/*.parquet")) if data.is_dir() else []
    tables = []
    for path in files:
        dataset_path(root, path.relative_to(root).as_posix())  # stays in the dataset
        try:
            table = pq.read_table(path, columns=["episode_index", "frame_index", *wanted])
        except (OSError, pa.ArrowException, KeyError) as error:
            raise DatasetCorruptError(f"{path} cannot be read: {error}") from None
        mask = pa.compute.equal(table["episode_index"], episode)
        tables.append(table.filter(mask))
    rows = [table for table in tables if table.num_rows]
    if not rows:
        raise DatasetCorruptError(f"{root / 'data'} holds no frames of episode {episode}")
    table = pa.concat_tables(rows)
    order = np.argsort(np.asarray(table["frame_index"]), kind="stable")
    frames = np.asarray(table["frame_index"])[order]
    if not np.array_equal(frames, np.arange(len(frames))):
        raise DatasetCorruptError(
            f"{root / 'data'}: the frames of episode {episode} are not numbered 0..{len(frames) - 1}"
        )
    return {key: _matrix(table[key], order, str(features[key]["dtype"])) for key in wanted}


def _matrix(column: Any, order: NDArray[np.intp], dtype: str) -> NDArray[Any]:
    """A parquet column of fixed-size lists (or scalars: LeRobot stores a length-1 vector as a
    scalar) as frames × size of ``dtype``, rows in ``order``."""
    import pyarrow as pa

    chunk = column.combine_chunks()
    if pa.types.is_list(chunk.type) or pa.types.is_fixed_size_list(chunk.type) or pa.types.is_large_list(chunk.type):
        flat = np.asarray(chunk.flatten().to_numpy(zero_copy_only=False), dtype=dtype)
        array = flat.reshape(len(chunk), -1) if len(chunk) else flat.reshape(0, 0)
    else:
        array = np.asarray(chunk.to_numpy(zero_copy_only=False), dtype=dtype).reshape(-1, 1)
    return np.asarray(array[order])
