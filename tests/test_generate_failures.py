"""`actionbank generate` when things go wrong: a full disk, SIGINT and SIGTERM, failed task
checks, too many workers, an unusable output folder, a SIGKILL before the first episode.

Real subprocesses (``python -m actionbank generate``) on the toy arm (tests/sim/toy_arm/: a
60-step episode, one 64x48 camera), so that what a user would see on stderr (the workers'
included) is what is checked. Full and read-only disks are small tmpfs mounts: those tests
skip where mounting is not allowed (not root).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT

from actionbank.capacity import MAX_WORKERS, WORKER_MEMORY, TooManyWorkers, available_memory, check_memory
from actionbank.cli import main
from actionbank.generate import discard_reason
from actionbank.rollout import Failure
from recorder import open_dataset, read_episode_records
from recorder.errors import disk_full, disk_full_cause

TOY = ROOT / "tests" / "sim" / "toy_arm"
GENERATE = [sys.executable, "-m", "actionbank", "generate"]
CONFIGS = ["--gym-config", str(TOY / "gym_config.yaml"), "--action-config", str(TOY / "action_config.yaml")]
MAKESPAN = 60  # steps of the toy arm's plan (reach 40, then close 20)


def _start(*flags: str, env: dict[str, str] | None = None, new_session: bool = False) -> subprocess.Popen[str]:
    """``actionbank generate`` on the toy arm with ``flags``, in a process of its own."""
    command = [*GENERATE, *CONFIGS, *flags]
    pipe = subprocess.PIPE
    return subprocess.Popen(
        command, cwd=ROOT, stdout=pipe, stderr=pipe, text=True, env=env, start_new_session=new_session
    )


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 120) -> None:
    """Poll ``condition`` until it holds; fail if ``process`` ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"generate ended early: {process.communicate()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _episodes_logged(root: Path) -> int:
    log = root / "meta" / "actionbank" / "episodes.jsonl"
    return log.read_text().count("\n") if log.is_file() else 0


def _reopened(root: Path) -> int:
    """The episodes LeRobot's loader finds at ``root``, each checked to be whole (0: none yet)."""
    info = json.loads((root / "meta" / "info.json").read_text())
    if info["total_episodes"] == 0:
        return 0
    dataset = open_dataset(f"actionbank/{root.name}", root)
    assert dataset.num_frames == MAKESPAN * dataset.num_episodes
    assert int(dataset[dataset.num_frames - 1]["episode_index"]) == dataset.num_episodes - 1
    assert len(read_episode_records(root)) == dataset.num_episodes
    return int(dataset.num_episodes)


def _clean_stderr(stderr: str) -> None:
    """Nothing on stderr but the progress bar and one last message: no traceback (the workers'
    included), no "leaked semaphore" warning, no encoder's complaint."""
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr
    lines = [line for line in re.split(r"[\r\n]", stderr) if line.strip()]
    assert all(line.startswith("[") for line in lines[:-1]) and lines[-1].startswith("actionbank: "), stderr


@contextlib.contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at ``folder`` with ``options`` (skip when this user cannot mount)."""
    folder.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({done.stderr.decode().strip()}); these tests need root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# ── A full disk ──────────────────────────────────────────────────────────────


def test_a_full_disk_stops_generate_with_exit_1_a_message_and_only_whole_episodes(tmp_path):
    with _tmpfs(tmp_path / "small", "size=2400k") as disk:
        out = disk / "dataset"
        process = _start("--max-episodes", "40", "--num-envs", "2", "-o", str(out))
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 1, stderr
        _clean_stderr(stderr)
        message = stderr.split("\r")[-1].strip().splitlines()[-1]
        assert message.startswith("actionbank: no space is left on the device while "), message
        saved = re.search(r"(\d+) episodes? (is|are) saved in (\S+);", message)
        assert saved is not None and saved.group(3) == str(out), message
        assert f"--resume {out} continues it" in message
        assert _reopened(out) == int(saved.group(1)) >= 1  # the message counts what LeRobot finds
        assert sorted(path.name for path in out.iterdir()) == ["data", "meta", "videos"]  # no spool, no staging


def test_a_full_disk_is_recognised_by_its_errno_through_a_chain_or_by_the_text_a_library_keeps():
    full = OSError(errno.ENOSPC, "No space left on device", "/data/x.mp4")
    try:
        try:
            raise full
        except OSError as error:
            raise RuntimeError("the dataset could not be built") from error  # as Hugging Face datasets does
    except RuntimeError as wrapped:
        assert disk_full_cause(wrapped) is full
        assert (
            str(disk_full(wrapped, "while saving"))
            == "no space is left on the device while saving (writing /data/x.mp4)"
        )
    quota = disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"), "while recording")
    assert str(quota) == "the disk quota is exceeded on the device while recording"
    assert disk_full_cause(OSError("Not enough disk space. Needed: Unknown size")) is not None  # datasets' own check
    assert disk_full_cause(OSError(errno.EACCES, "Permission denied")) is None
    assert disk_full_cause(ValueError("No space left on device")) is None  # only file-system errors count


# ── SIGINT and SIGTERM ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("stop", "executor"),
    [(signal.SIGINT, "local"), (signal.SIGTERM, "local"), (signal.SIGTERM, "ray")],
    ids=["ctrl-c", "sigterm", "sigterm-ray"],  # ray: its runtime installs a SIGTERM handler of its own
)
def test_a_stop_signal_after_the_first_episode_exits_fast_with_what_was_saved(tmp_path, stop, executor):
    out = tmp_path / "dataset"
    # Ctrl-C at a terminal signals the whole process group (the workers too); SIGTERM the command.
    flags = ("--max-episodes", "20", "--num-envs", "2", "--executor", executor, "-o", str(out))
    process = _start(*flags, new_session=True)
    _wait_for(lambda: _episodes_logged(out) >= 1, process)
    sent = time.monotonic()
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 5
    assert process.returncode == 128 + stop
    _clean_stderr(stderr)
    saved = _reopened(out)
    episodes = "1 episode is" if saved == 1 else f"{saved} episodes are"
    assert stderr.split("\n")[-2:] == [  # on a line of its own, the progress bar's ended
        f"actionbank: stopped by {stop.name}: {episodes} saved in {out}; "
        f"the same command with --resume {out} continues it",
        "",
    ], stderr
    if stop == signal.SIGTERM:
        return
    result = CliRunner().invoke(main, ["generate", *CONFIGS, "--max-episodes", str(saved + 1), "--resume", str(out)])
    assert result.exit_code == 0, result.output
    assert _reopened(out) == saved + 1


def test_a_ctrl_c_while_generate_starts_leaves_no_folder_or_an_empty_dataset(tmp_path):
    datasets = tmp_path / "datasets"
    process = _start(
        "--max-episodes", "2", "--num-envs", "2", env={**os.environ, "ACTIONBANK_DATASET_ROOT": str(datasets)}
    )
    _wait_for(lambda: datasets.is_dir() and any(datasets.iterdir()), process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    _clean_stderr(stderr)
    left = list(datasets.iterdir())
    if "nothing was saved" in stderr:
        assert left == []  # the numbered folder it had reserved is given back
    else:
        assert len(left) == 1 and _reopened(left[0]) == 0 and "0 episodes are saved" in stderr


# ── Why attempts were discarded ──────────────────────────────────────────────


def test_a_failed_task_check_is_counted_with_its_reason_on_a_line_of_its_own(tmp_path):
    gym = tmp_path / "gym_config.yaml"
    success = "  success:\n    func: transfer_cube_success\n    params: {object: block, receiver: eef, giver: arm, table: world}\n"
    text = (
        (TOY / "gym_config.yaml")
        .read_text()
        .replace("  control_parts: [arm, eef]\n", f"  control_parts: [arm, eef]\n{success}")
    )
    gym.write_text(text)
    command = ["generate", "--gym-config", str(gym), "--action-config", str(TOY / "action_config.yaml")]
    result = CliRunner().invoke(
        main, [*command, "--max-episodes", "1", "--max-attempts", "2", "--filter-dataset-saving"]
    )
    assert result.exit_code == 1, result.output
    assert "(discarded: 2 task check failed: eef does not hold the cube; the cube touches the table)" in result.output
    # The progress line is ended before the message: it starts a line of its own.
    assert "ETA 0 s \nactionbank: only 0 of 1 episodes are valid after 2 attempts" in result.output


def test_the_discard_reason_of_a_task_check_is_the_checks_own_and_other_stages_keep_their_name():
    check = Failure("task_check", "transfer_cube_success", "success", "left_eef does not hold the cube")
    assert discard_reason(check) == "task check failed: left_eef does not hold the cube"
    assert discard_reason(Failure("ik", "grasp", "get_ik_qpos", "no solution within 100 iterations")) == "IK failure"
    assert discard_reason(None) == "task check failed"


# ── How many workers ─────────────────────────────────────────────────────────


def test_workers_beyond_the_episodes_left_are_not_started_and_a_note_says_so(tmp_path):
    flags = ["--max-episodes", "1", "--num-envs", "3", "--filter-dataset-saving"]
    result = CliRunner().invoke(main, ["generate", *CONFIGS, *flags])
    assert result.exit_code == 0, result.output
    assert "actionbank: note: --num-envs 3: only 1 episode is left, so 1 attempt runs at a time\n" in result.output


def test_more_workers_than_the_memory_holds_are_refused_before_anything_starts(tmp_path, monkeypatch):
    available = available_memory()
    too_many = (available or 0) // WORKER_MEMORY + 1
    if available is None or too_many > MAX_WORKERS:
        pytest.skip(f"this machine holds {MAX_WORKERS} workers or cannot say how much memory it has")
    monkeypatch.setenv("ACTIONBANK_DATASET_ROOT", str(tmp_path / "datasets"))
    flags = ["--max-episodes", str(too_many), "--num-envs", str(too_many)]
    result = CliRunner().invoke(main, ["generate", *CONFIGS, *flags])
    assert result.exit_code == 2, result.output
    assert f"actionbank: --num-envs {too_many}: {too_many} worker processes need about" in result.output
    assert f"use --num-envs {too_many - 1} or fewer" in result.output
    assert not (tmp_path / "datasets").exists()


def test_the_memory_check_names_how_many_workers_fit():
    check_memory(4, available=4 * WORKER_MEMORY)
    with pytest.raises(TooManyWorkers, match=r"use --num-envs 2 or fewer"):
        check_memory(3, available=2 * WORKER_MEMORY + 1)


def test_the_help_of_generate_states_the_bound_on_workers():
    result = CliRunner().invoke(main, ["generate", "--help"])
    assert f"1 to {MAX_WORKERS}" in result.output and f"{WORKER_MEMORY // 2**20} MiB" in result.output
    assert CliRunner().invoke(main, ["generate", *CONFIGS, "--num-envs", str(MAX_WORKERS + 1)]).exit_code == 2


# ── A run that cannot start, a run killed as it starts ───────────────────────


def test_an_output_under_a_regular_file_exits_2_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep me")
    result = CliRunner().invoke(main, ["generate", *CONFIGS, "--num-envs", "2", "-o", str(blocker / "dataset")])
    assert result.exit_code == 2, result.output
    assert f"actionbank: cannot write the dataset at {blocker / 'dataset'}: Not a directory" in result.output
    assert "Traceback" not in result.output
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"] and blocker.read_text() == "keep me"


def test_a_dataset_root_under_a_regular_file_exits_2_and_leaves_nothing(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("keep me")
    monkeypatch.setenv("ACTIONBANK_DATASET_ROOT", str(tmp_path / "notes.txt" / "datasets"))
    result = CliRunner().invoke(main, ["generate", *CONFIGS])
    assert result.exit_code == 2, result.output
    assert "actionbank: cannot reserve a dataset folder: Not a directory" in result.output
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_a_read_only_output_exits_2_and_leaves_nothing(tmp_path):
    with _tmpfs(tmp_path / "read_only", "ro,size=64k") as disk:
        result = CliRunner().invoke(main, ["generate", *CONFIGS, "-o", str(disk / "a" / "dataset")])
        assert result.exit_code == 2, result.output
        assert f"actionbank: cannot write the dataset at {disk / 'a' / 'dataset'}: Read-only file system" in (
            result.output
        )
        assert list(disk.iterdir()) == []


def test_a_run_killed_before_its_first_episode_is_continued_by_the_same_command_or_by_resume(tmp_path):
    out = tmp_path / "dataset"
    process = _start("--max-episodes", "2", "--num-envs", "2", "-o", str(out))
    _wait_for(out.is_dir, process)
    process.kill()
    process.communicate()
    assert _episodes_logged(out) == 0
    again = tmp_path / "again"
    shutil.copytree(out, again, symlinks=True)
    # A create cut by a kill leaves its hidden building folder beside the dataset.
    stale = tmp_path / f".dataset.creating-{_dead_pid()}-0badc0de"
    (stale / "meta").mkdir(parents=True)

    same = CliRunner().invoke(main, ["generate", *CONFIGS, "--max-episodes", "1", "-o", str(out)])
    assert same.exit_code == 0, same.output
    assert _reopened(out) == 1 and not stale.exists()
    resumed = CliRunner().invoke(main, ["generate", *CONFIGS, "--max-episodes", "1", "--resume", str(again)])
    assert resumed.exit_code == 0, resumed.output
    assert f"actionbank: note: {again} holds no dataset yet" in resumed.output
    assert _reopened(again) == 1
    for root in (out, again):
        assert sorted(path.name for path in root.iterdir()) == ["data", "meta", "videos"]


def _dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
