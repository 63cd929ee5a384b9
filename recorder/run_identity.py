"""Whether a run would make the same data as the one that made a dataset: ``--resume``'s gate.

A dataset's episodes share one gym config (scene, randomisation, control rate [Hz], episode
length, video codec), one action config (the plan), the files the gym config names (meshes)
and the run's seed (attempt ``a`` is seeded from it and ``a``), and the range of attempt indices
the run was limited to, if any (``--attempts``: a shard's identity). Appending episodes made from
anything else would mix two datasets under one ``meta/``, so :func:`check_same_run` refuses
it, naming every difference: for a config text, the first line that differs in each text;
for an asset, its sha256 on both sides; for the seed and the range, both values. Options that
do not change the data (worker count, attempt bound) are not part of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from recorder.errors import RunMismatchError
from recorder.provenance import PROVENANCE_DIR, config_file_names
from recorder.spec import DatasetSpec

__all__ = ["LineDifference", "RunInputs", "check_same_run", "first_difference", "resume_seed", "run_differences"]

#: Characters of a line shown in a message.
_SHOWN = 120


class RunInputs(NamedTuple):
    """What a new run makes its data from. ``seed`` is None when the user did not give one;
    ``attempts`` the range of attempt indices ``(start, stop)`` it is limited to (None: none)."""

    gym_config: Path
    gym_config_text: str
    action_config: Path
    action_config_text: str
    asset_hashes: Mapping[str, str]
    seed: int | None
    attempts: tuple[int, int] | None = None


class LineDifference(NamedTuple):
    """The first line where two texts differ: 1-based ``line`` in the old text, ``new_line`` in
    the new one (the same unless a ``num_envs`` line was passed over); None stands for "past
    the end"."""

    line: int
    old: str | None
    new: str | None
    new_line: int | None = None

    @property
    def line_in_new(self) -> int:
        return self.line if self.new_line is None else self.new_line


#: A config's ``num_envs`` line: how many workers ``generate`` starts by default, which changes
#: nothing the workers make (the data is the same for any number), so it is no part of a run's
#: identity: a shard made with another ``num_envs`` resumes and merges.
_NUM_ENVS_LINE = re.compile(r'\s*("num_envs"|num_envs)\s*:')


def _compared_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` of ``text``'s lines, its ``num_envs`` lines left out."""
    return [(number, line) for number, line in enumerate(text.split("\n"), 1) if not _NUM_ENVS_LINE.match(line)]


def first_difference(old: str, new: str) -> LineDifference | None:
    """The first line where ``old`` and ``new`` differ (None when they are equal, or differ only
    in their ``num_envs`` lines).

    Lines are split at ``\\n`` only, so a different line ending or final newline shows up
    too (as ``'\\r'`` or an empty last line).
    """
    if old == new:
        return None
    old_lines, new_lines = _compared_lines(old), _compared_lines(new)
    for index in range(max(len(old_lines), len(new_lines))):
        a = old_lines[index] if index < len(old_lines) else None
        b = new_lines[index] if index < len(new_lines) else None
        if a is None or b is None or a[1] != b[1]:
            old_number = a[0] if a is not None else old.count("\n") + 2
            new_number = b[0] if b is not None else new.count("\n") + 2
            return LineDifference(
                old_number,
                None if a is None else a[1],
                None if b is None else b[1],
                None if new_number == old_number else new_number,
            )
    return None


def _shown(line: str | None) -> str:
    if line is None:
        return "(end of file)"
    text = repr(line)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 4] + "…" + text[-1]


def _text_difference(what: str, new_path: Path, stored_path: Path, old: str, new: str) -> str | None:
    found = first_difference(old, new)
    if found is None:
        return None
    return (
        f"{what} differs; first at line {found.line_in_new}:\n"
        f"      {new_path} line {found.line_in_new}: {_shown(found.new)}\n"
        f"      {stored_path} line {found.line}: {_shown(found.old)}"
    )


def run_differences(stored: DatasetSpec, run: RunInputs) -> list[str]:
    """One message per way ``run`` would make other data than the dataset ``stored`` describes."""
    gym_name, action_name = config_file_names(stored)
    folder = stored.root / PROVENANCE_DIR
    found = [
        _text_difference(
            "the gym config (scene, randomisation, control rate, episode length, video codec)",
            run.gym_config,
            folder / gym_name,
            stored.gym_config_text,
            run.gym_config_text,
        ),
        _text_difference(
            "the action config (the plan)",
            run.action_config,
            folder / action_name,
            stored.action_config_text,
            run.action_config_text,
        ),
    ]
    problems = [message for message in found if message is not None]
    for fpath in sorted(set(stored.asset_hashes) | set(run.asset_hashes)):
        here, there = run.asset_hashes.get(fpath), stored.asset_hashes.get(fpath)
        if here == there:
            continue
        if there is None:
            problems.append(
                f"the asset {fpath!r} is used now but is not among the dataset's assets (a dataset made before "
                "the files a robot model reads were hashed does not list them: start a new dataset)"
            )
        elif here is None:
            problems.append(f"the asset {fpath!r} of the dataset is not used now")
        else:
            problems.append(
                f"the asset {fpath!r} differs: sha256 {here} now ({run.gym_config.parent / fpath}), "
                f"{there} when the dataset was made"
            )
    if run.seed is not None and stored.seed is not None and run.seed != stored.seed:
        problems.append(f"--seed {run.seed} differs from the dataset's seed {stored.seed}")
    if _pair(run.attempts) != _pair(stored.attempts):
        problems.append(f"{_range_text(run.attempts)} now differs from the dataset's {_range_text(stored.attempts)}")
    return problems


def _pair(attempts: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if attempts is None else (int(attempts[0]), int(attempts[1]))


def _range_text(attempts: tuple[int, int] | None) -> str:
    return "no --attempts range" if attempts is None else f"--attempts {attempts[0]}:{attempts[1]}"


def check_same_run(stored: DatasetSpec, run: RunInputs) -> None:
    """Raise :class:`RunMismatchError` naming every difference between ``run`` and the dataset's
    run, or when neither gives a seed."""
    problems = run_differences(stored, run)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        remedies = []
        if any(problem.startswith("the ") for problem in problems):  # a config or an asset
            remedies.append(
                f"the configs and files the dataset was made with (copies are in {stored.root / PROVENANCE_DIR})"
            )
        if run.seed is not None and stored.seed is not None and run.seed != stored.seed:
            remedies.append(f"--seed {stored.seed} or no --seed")
        if _pair(run.attempts) != _pair(stored.attempts):
            remedies.append(_range_text(stored.attempts).replace("no --attempts range", "no --attempts"))
        raise RunMismatchError(
            f"cannot resume {stored.root}: this run would make other data than the dataset holds:\n{listed}\n"
            f"resume with {' and '.join(remedies)}, or start a new dataset with --output"
        )
    resume_seed(stored, run.seed)


def resume_seed(stored: DatasetSpec, given: int | None) -> int:
    """The seed a resumed run uses: the one given, else the dataset's. :class:`RunMismatchError`
    when they differ or when there is none (a dataset that did not record its seed)."""
    if given is not None and stored.seed is not None and given != stored.seed:
        raise RunMismatchError(
            f"cannot resume {stored.root}: --seed {given} differs from the dataset's seed {stored.seed}"
        )
    if given is not None:
        return given
    if stored.seed is None:
        raise RunMismatchError(
            f"cannot resume {stored.root}: it does not record the seed it was made with; give --seed"
        )
    return stored.seed
