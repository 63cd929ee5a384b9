import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, small_bank, write_config

from actionbank.cli import main
from actionbank.plan import ExecutionPlan

EXAMPLE = EXAMPLES / "pour_water" / "action_config.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_lint_of_a_clean_file_exits_zero_and_says_so():
    result = run("lint", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 errors, 0 warnings, 0 notes in 2 files"  # and the gym config beside it
    twice = run("lint", str(EXAMPLE), str(EXAMPLE.parent / "gym_config.yaml"))
    assert twice.output.strip() == "0 errors, 0 warnings, 0 notes in 2 files"


def test_lint_prints_file_line_col_code_and_hint_and_exits_one(tmp_path):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["name"] = "plan_trajectry"
    path = write_config(tmp_path, bank)
    result = run("lint", str(path))
    assert result.exit_code == 1
    first, hint = result.output.splitlines()[:2]
    assert first.startswith(f"{path}:")
    assert ": AB206 error: unknown edge function 'plan_trajectry'" in first
    line = int(first.split(":")[1])
    assert '"plan_trajectry"' in path.read_text().splitlines()[line - 1]
    assert hint.strip().startswith("hint: did you mean 'plan_trajectory'?")


def test_lint_json_format_is_one_array_with_the_documented_keys(tmp_path):
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["duration"] = -1
    path = write_config(tmp_path, bank)
    result = run("lint", "--format", "json", str(path), str(EXAMPLE))
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert [set(i) for i in items] == [{"code", "severity", "message", "file", "line", "column", "pointer", "hint"}]
    assert items[0]["code"] == "AB113" and items[0]["pointer"] == "/edge/right_arm/0/reach/duration"


def test_lint_of_a_missing_file_exits_two_but_still_lints_the_others(tmp_path):
    result = run("lint", str(tmp_path / "nope.yaml"), str(EXAMPLE))
    assert result.exit_code == 2
    assert "AB101" in result.output and "no such file" in result.output


def test_compile_writes_a_plan_that_round_trips(tmp_path):
    result = run("compile", str(EXAMPLE), "-o", str(tmp_path / "plan.json"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "plan.json").read_text()
    plan = ExecutionPlan.from_json(text)
    assert plan.to_json() == text
    assert plan.makespan == max(e.span_end for e in plan.edges)


def test_compile_to_stdout_is_byte_identical_across_runs():
    first, second = run("compile", str(EXAMPLE)), run("compile", str(EXAMPLE))
    assert first.exit_code == 0 and first.output == second.output
    assert json.loads(first.output)["format"] == "actionbank.plan/1"


def test_compile_of_a_broken_file_exits_one_with_diagnostics(tmp_path):
    bank = small_bank()
    del bank["edge"]
    result = run("compile", str(write_config(tmp_path, bank)))
    assert result.exit_code == 1
    assert "AB110" in result.output and "missing required key 'edge'" in result.output


def test_gym_config_options_exclude_each_other(tmp_path):
    result = run("compile", str(EXAMPLE), "--gym-config", str(EXAMPLE), "--no-gym-config")
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_no_gym_config_makes_environment_keys_unprovided():
    result = run("lint", "--no-gym-config", str(EXAMPLE))
    assert result.exit_code == 1
    assert "AB301" in result.output and "bottle_pose" in result.output


def test_dot_output_renders_with_graphviz(tmp_path):
    out = tmp_path / "graph.dot"
    assert run("dot", str(EXAMPLE), "-o", str(out)).exit_code == 0
    svg = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True, check=True).stdout
    assert "<svg" in svg and "pre_grasp_to_grasp" in svg
    dataflow = run("dot", "--view", "dataflow", str(EXAMPLE))
    assert dataflow.exit_code == 0 and "bottle_pose" in dataflow.output


def test_gantt_writes_an_svg_with_one_bar_per_edge(tmp_path):
    out = tmp_path / "gantt.svg"
    assert run("gantt", str(EXAMPLE), "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert text.startswith("<svg") or text.startswith("<?xml")
    plan = ExecutionPlan.from_json(run("compile", str(EXAMPLE)).output)
    assert text.count('class="edge"') == len(plan.edges)


def test_an_output_path_in_a_missing_folder_is_a_clean_error(tmp_path):
    result = run("compile", str(EXAMPLE), "-o", str(tmp_path / "no" / "plan.json"))
    assert result.exit_code == 1 or result.exit_code == 2
    assert "Traceback" not in result.output and "plan.json" in result.output


def test_schema_prints_both_schemas():
    for which, title in (("action", "actionbank action config"), ("plan", "actionbank execution plan")):
        result = run("schema", which)
        assert result.exit_code == 0 and json.loads(result.output)["title"] == title


def test_the_module_and_the_console_script_both_run():
    result = subprocess.run([sys.executable, "-m", "actionbank", "lint", str(EXAMPLE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout


def test_usage_errors_exit_two():
    assert run("lint").exit_code == 2
    assert run("compile", str(EXAMPLE), "--bogus").exit_code == 2


def _buffered() -> dict[str, str]:
    """The environment with Python's output buffered, as it is for users (not here)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _command(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "actionbank", *args], capture_output=True, timeout=120, env=_buffered()
    )


def test_the_command_that_ends_its_own_process_leaves_everything_written(tmp_path):
    """The installed command ends the process itself after lint/compile/dot/gantt: the plan,
    however large, and every diagnostic still come out whole, with the right status."""
    from actionbank.compiler import CompileOptions, compile_file

    bank = small_bank()
    scope = bank["edge"]["right_arm"]
    label, edge = next(iter(scope[0].items()))
    for copy in range(400):  # a plan of some size on a pipe: more than any pipe buffer
        scope.append({f"{label}_{copy}": dict(edge)})
    path = write_config(tmp_path, bank)
    expected = compile_file(path, CompileOptions(gym_config=None)).plan
    assert expected is not None
    written = _command("compile", str(path), "-o", str(tmp_path / "plan.json"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "plan.json").read_bytes() == expected.to_json_bytes()
    printed = _command("compile", str(path))
    assert printed.returncode == 0 and printed.stdout == expected.to_json_bytes()
    assert len(printed.stdout) > 1 << 17
    assert printed.stderr.count(b": AB307 info") == 400  # each copy repeats the first edge's pair

    bank["edge"]["right_arm"][0]["reach"]["name"] = "plan_trajectry"
    broken = write_config(tmp_path, bank, "broken.json")
    linted = _command("lint", str(broken))
    assert linted.returncode == 1
    lines = linted.stdout.decode().splitlines()
    assert lines[-1] == "1 error, 399 warnings, 400 notes in 1 file"
    assert sum(": AB" in line for line in lines) == 800
    refused = _command("compile", str(broken), "-o", str(tmp_path / "none.json"))
    assert refused.returncode == 1 and b"AB206" in refused.stderr and not (tmp_path / "none.json").exists()


def test_ending_the_process_runs_exit_handlers_and_keeps_the_status():
    script = (
        "import atexit, sys, threading, time\n"
        "import actionbank.cli as cli\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "if sys.argv[1] == 'thread': threading.Thread(target=time.sleep, args=(0.2,)).start()\n"
        "cli._ENDS_PROCESS = True\n"
        "print('before', end='')\n"
        "cli._end(3)\n"
        "print('not reached')\n"
    )
    for mode in ("alone", "thread"):  # with another thread alive, the usual exit
        command = [sys.executable, "-c", script, mode]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=_buffered())
        assert done.returncode == 3, done.stderr
        assert done.stdout == "beforehandler ran\n"


def test_a_compile_result_keeps_what_the_passes_ran_over(tmp_path):
    from actionbank.compiler import CompileOptions, compile_file

    result = compile_file(EXAMPLE, CompileOptions())
    assert result.context is not None and result.context.bank is result.bank
    assert result.context.document is not None and result.context.document.path == str(EXAMPLE)
    bank = small_bank()
    bank["edge"]["right_arm"][0]["reach"]["duration"] = "long"  # the document does not validate
    invalid = compile_file(write_config(tmp_path, bank), CompileOptions(gym_config=None))
    assert invalid.plan is None and invalid.bank is None and invalid.context is None


@pytest.mark.parametrize("command", ["compile", "dot", "gantt"])
def test_an_output_that_is_a_config_the_command_read_is_refused_and_left_as_it_was(tmp_path, command):
    folder = tmp_path / "pour_water"
    shutil.copytree(EXAMPLES / "pour_water", folder)
    action, gym = folder / "action_config.yaml", folder / "gym_config.yaml"
    before = {path: path.read_bytes() for path in (action, gym)}
    for target in (action, gym):
        result = run(command, str(action), "-o", str(target))
        assert result.exit_code == 2, result.output
        assert f"-o {target}: it is a config this command read; choose another file" in result.output
    assert {path: path.read_bytes() for path in (action, gym)} == before


def test_an_output_that_cannot_be_written_exits_2(tmp_path):
    (tmp_path / "afile").write_text("")
    result = run("compile", str(EXAMPLE), "-o", str(tmp_path / "afile" / "plan.json"))
    assert result.exit_code == 2, result.output
    assert "plan.json" in result.output
