"""The commands that read a dataset (``report``, ``strip``, ``replay``, ``merge``): an output they
cannot or must not write, and a dataset file that is missing or damaged, each end in one line
naming the path and why, exit code 2, with nothing half-written and nothing downloaded.

One episode of the toy arm (test_resume's configs, 12 steps) serves every test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_resume import write_configs

from actionbank.cli import main
from recorder.durable import write_atomic
from recorder.errors import OutputPathError
from recorder.output_file import output_problem

VIDEO = "videos/observation.images.overhead/chunk-000/file-000.mp4"
FILES = [
    "data/chunk-000/file-000.parquet",
    VIDEO,
    "meta/episodes/chunk-000/file-000.parquet",
    "meta/tasks.parquet",
]


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("toy")
    gym, action = write_configs(folder / "configs")
    flags = ["--seed", "3", "--max-episodes", "1", "--output", str(folder / "dataset")]
    result = CliRunner().invoke(main, ["generate", "--gym-config", str(gym), "--action-config", str(action), *flags])
    assert result.exit_code == 0, result.output
    return {"gym": gym, "root": folder / "dataset"}


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _refused(result: Result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# -- outputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("afile.txt/o.png", "afile.txt is a file, not a folder"),
        ("noext", "no extension is not an image type"),
        ("o.x", "the extension '.x' is not an image type"),
    ],
)
def test_strip_refuses_an_output_it_cannot_write(toy, tmp_path, name, expected):
    (tmp_path / "afile.txt").write_text("kept")
    result = _invoke("strip", str(toy["root"]), "-o", str(tmp_path / name))
    _refused(result, f"-o {tmp_path / name}", expected)
    assert _files(tmp_path) == ["afile.txt"] and (tmp_path / "afile.txt").read_text() == "kept"


def test_strip_to_a_file_system_that_refuses_it_exits_2(toy):
    _refused(_invoke("strip", str(toy["root"]), "-o", "/proc/strip.png"), "/proc/strip.png cannot be written")


def test_strip_refuses_to_write_inside_the_dataset_it_reads(toy):
    before = _files(toy["root"])
    result = _invoke("strip", str(toy["root"]), "-o", str(toy["root"] / "meta" / "strip.png"))
    _refused(result, "inside the dataset")
    assert _files(toy["root"]) == before


def test_strip_still_writes_a_picture(toy, tmp_path):
    result = _invoke("strip", str(toy["root"]), "-o", str(tmp_path / "new" / "s.png"))
    assert result.exit_code == 0, result.output
    assert _files(tmp_path) == ["new", "new/s.png"]


def test_replay_refuses_to_overwrite_the_recorded_video(toy):
    recorded = (toy["root"] / VIDEO).read_bytes()
    result = _invoke("replay", str(toy["root"]), "--gym-config", str(toy["gym"]), "--video", str(toy["root"] / VIDEO))
    _refused(result, "--video", "inside the dataset")
    assert (toy["root"] / VIDEO).read_bytes() == recorded


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_replay_refuses_a_video_it_cannot_write_and_leaves_no_partial_file(toy, tmp_path, where):
    (tmp_path / "afile.txt").write_text("kept")
    video = tmp_path / "afile.txt" / "v.mp4" if where == "under-a-file" else Path("/proc/v.mp4")
    result = _invoke("replay", str(toy["root"]), "--gym-config", str(toy["gym"]), "--video", str(video))
    _refused(result, f"--video {video}")
    assert _files(tmp_path) == ["afile.txt"]
    assert not Path("/proc/.v.mp4.partial").exists()


@pytest.mark.parametrize("name", ["afile.txt/merged", "/proc/merged"])
def test_merge_refuses_an_output_it_cannot_make(toy, tmp_path, name):
    (tmp_path / "afile.txt").write_text("kept")
    output = tmp_path / name
    result = _invoke("merge", str(output), str(toy["root"]))
    _refused(result, f"{output} cannot be made")
    assert _files(tmp_path) == ["afile.txt"]


def test_the_shared_rule_refuses_a_path_inside_a_dataset_and_accepts_one_beside_it(tmp_path):
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    assert "inside the dataset" in (output_problem(dataset / "x" / "y.png", [dataset], make_folders=True) or "")
    assert output_problem(tmp_path / "y.png", [dataset]) is None
    assert output_problem(tmp_path / "no" / "y.png", [dataset]) == f"the folder {tmp_path / 'no'} does not exist"
    assert issubclass(OutputPathError, Exception) and OutputPathError.exit_code == 2


def test_an_atomic_write_that_fails_leaves_no_temporary_file(tmp_path, monkeypatch):
    import os

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomic(tmp_path / "f.bin", b"data")
    assert _files(tmp_path) == []


# -- damaged or missing dataset files ---------------------------------------------------------

DAMAGES: dict[str, Callable[[Path], None]] = {
    "missing": lambda path: path.unlink(),
    "garbage": lambda path: path.write_bytes(b"not what it should be\n" * 4),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:300]),
}


@pytest.fixture
def damaged(toy, tmp_path) -> Callable[[str, str], Path]:
    def make(name: str, damage: str) -> Path:
        root = tmp_path / "dataset"
        shutil.copytree(toy["root"], root)
        DAMAGES[damage](root / name)
        return root

    return make


@pytest.mark.parametrize("damage", sorted(DAMAGES))
@pytest.mark.parametrize("name", FILES)
def test_every_reading_command_names_a_missing_or_damaged_file_and_downloads_nothing(
    toy, damaged, tmp_path, name, damage, monkeypatch
):
    import huggingface_hub

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the Hub was asked")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", no_network)
    root = damaged(name, damage)
    why = "is missing" if damage == "missing" else "cannot be"
    commands = [
        ("report", str(root), "-o", str(tmp_path / "r.html")),
        ("strip", str(root), "-o", str(tmp_path / "s.png")),
        ("replay", str(root), "--gym-config", str(toy["gym"])),
        ("merge", str(tmp_path / "merged"), str(root)),
    ]
    for command in commands:
        _refused(_invoke(*command), str(root / name), why)
    assert not any((tmp_path / left).exists() for left in ("r.html", "s.png", "merged"))
