import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from synthetic_rollouts import make_spec

from recorder import ROOT_ENV, DatasetWriter, dataset_root, sanitize


def test_an_explicit_output_is_used_as_is(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "elsewhere"))
    assert dataset_root(tmp_path / "mine", "aloha", "table", "pick cube") == tmp_path / "mine"
    assert not (tmp_path / "elsewhere").exists()


def test_names_join_robot_scene_and_task_with_spaces_made_safe(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    root = dataset_root(None, "aloha", "kitchen table", "pick up/the cube")
    assert root == tmp_path / "aloha_kitchen_table_pick_up_the_cube_000"
    assert root.is_dir() and not any(root.iterdir())
    assert sanitize("  ..a b\tc?*  ") == "a_b_c"
    assert sanitize("///") == "unnamed"


def test_numbers_increase_past_the_largest_taken_one(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    names = [dataset_root(None, "aloha", "table", "pick").name for _ in range(3)]
    assert names == ["aloha_table_pick_000", "aloha_table_pick_001", "aloha_table_pick_002"]
    (tmp_path / "aloha_table_pick_007").mkdir()
    (tmp_path / "aloha_table_pick_other_000").mkdir()  # another prefix does not count
    assert dataset_root(None, "aloha", "table", "pick").name == "aloha_table_pick_008"


def test_without_the_environment_variable_datasets_go_to_the_home_cache(tmp_path, monkeypatch):
    monkeypatch.delenv(ROOT_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    root = dataset_root(None, "aloha", "table", "pick")
    assert root == tmp_path / ".cache" / "actionbank_datasets" / "aloha_table_pick_000"


def test_concurrent_threads_never_get_the_same_number(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    barrier = threading.Barrier(8)
    roots: list[Path] = []

    def reserve() -> None:
        barrier.wait()
        roots.append(dataset_root(None, "aloha", "table", "pick"))

    threads = [threading.Thread(target=reserve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(root.name[-3:] for root in roots) == [f"{n:03d}" for n in range(8)]


def test_concurrent_processes_never_get_the_same_number(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))  # inherited by the spawned workers
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        roots = list(pool.map(dataset_root, [None] * 8, ["aloha"] * 8, ["table"] * 8, ["pick"] * 8))
    assert len(set(roots)) == 8
    assert sorted(root.name for root in roots) == [f"aloha_table_pick_{n:03d}" for n in range(8)]


def test_a_reserved_folder_becomes_the_dataset(tmp_path, monkeypatch):
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    root = dataset_root(None, "aloha", "table", "pick")
    DatasetWriter.create(make_spec(root)).finalize()
    assert (root / "meta" / "info.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aloha_table_pick_000"]
    assert dataset_root(None, "aloha", "table", "pick").name == "aloha_table_pick_001"
