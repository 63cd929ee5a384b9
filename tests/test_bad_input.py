"""Bad input never crashes actionbank: every problem comes out as located diagnostics.

The library raises nothing but :class:`~actionbank.errors.InputError`, and only for files
that cannot be read at all; the command line never prints a traceback and exits 0 (clean),
1 (problems found) or 2 (usage or unreadable input).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import traceback
from pathlib import Path
from typing import Any

import mutations
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from actionbank.cli import main
from actionbank.compiler import CompileOptions, CompileResult, compile_file
from actionbank.diagnostics import CODES, Diagnostic
from actionbank.errors import InputError
from actionbank.source.loader import load_document
from actionbank.source.text import DEFAULT_MAX_BYTES

VALID_CONFIGS: dict[str, Any] = mutations.valid_configs()
EXAMPLE = mutations.VALID_CONFIG_FILES["example_pour_water"]
REFERENCE_BANK = mutations.VALID_CONFIG_FILES["reference_action_bank"]


# -- the contract, checked on one result ---------------------------------------------------


def assert_diagnostics_contract(result: CompileResult, path: Path, text: str) -> None:
    """Registered codes; errors located in ``path``; a plan exactly when there is no error."""
    lines = text.count("\n") + 1
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.code in CODES, f"unregistered code {d.code}"
        assert d.severity in ("error", "warning", "info"), d
        assert isinstance(d.message, str) and d.message, d
        assert d.pointer == "" or d.pointer.startswith("/"), d
        if d.severity != "error":
            continue
        if d.code == "AB406":  # the makespan limit: located at max_episode_steps in the gym config
            assert d.file == str(result.environment.source) and isinstance(d.line, int), d
            continue
        assert d.file == str(path), d
        assert isinstance(d.line, int) and isinstance(d.column, int), f"error without a location: {d}"
        assert 1 <= d.line <= lines and d.column >= 1, d
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert (result.plan is None) == bool(errors), [d.code for d in errors]


def _yaml_text(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


# -- mutated valid configs -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VALID_CONFIGS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_config_gives_located_diagnostics_and_never_an_exception(
    name: str, data: st.DataObject, tmp_path: Path
) -> None:
    doc = data.draw(mutations.mutated(VALID_CONFIGS[name]), label="document")
    language = data.draw(st.sampled_from(["json", "json", "json", "yaml"]), label="language")
    allow_unknown = data.draw(st.booleans(), label="allow_unknown_functions")
    if language == "json":
        indent = data.draw(st.sampled_from([None, 2]), label="indent")
        text = json.dumps(doc, indent=indent, ensure_ascii=data.draw(st.booleans(), label="ascii"))
    else:
        text = _yaml_text(doc)
    path = tmp_path / f"action_config.{language}"
    path.write_text(text, encoding="utf-8")

    result = compile_file(path, CompileOptions(gym_config=None, allow_unknown_functions=allow_unknown))

    assert_diagnostics_contract(result, path, text)


def test_the_unmutated_configs_satisfy_the_contract_too(tmp_path: Path) -> None:
    assert VALID_CONFIGS, "no valid config found to mutate"
    for name, doc in VALID_CONFIGS.items():
        for allow_unknown in (False, True):
            text = json.dumps(doc, indent=2)
            path = tmp_path / f"{name}.json"
            path.write_text(text, encoding="utf-8")
            result = compile_file(path, CompileOptions(gym_config=None, allow_unknown_functions=allow_unknown))
            assert_diagnostics_contract(result, path, text)


# -- hostile files through the command line ------------------------------------------------


def run_cli(*args: str | Path) -> Result:
    """Invoke ``actionbank``; fail with the traceback if anything but SystemExit escaped."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"actionbank {' '.join(map(str, args))} raised:\n{trace}")
    assert "Traceback" not in result.output
    return result


def _deep_yaml(levels: int) -> bytes:
    return "".join("  " * i + "k:\n" for i in range(levels)).encode() + b"  " * levels + b"v\n"


_BOMB = b"".join(
    [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
)

#: (file name, content, {code: positions "line:col" that must be reported, () for "somewhere"}).
HOSTILE = [
    pytest.param("empty.json", b"", {"AB102": ("1:1",)}, id="empty file"),
    pytest.param("blank.yaml", b"  \n\t\n   \n", {"AB102": ("1:1",)}, id="whitespace only"),
    pytest.param("binary.json", b'{"scope": \x00\x01\x02}', {"AB103": ("1:1",)}, id="binary with NULs"),
    pytest.param("latin1.json", '{"scope": "café"}'.encode("latin-1"), {"AB104": ("1:15",)}, id="latin-1 byte 0xE9"),
    pytest.param("trailing.json", b'{\n  "scope": {},\n}\n', {"AB105": ("3:1",)}, id="JSON trailing comma"),
    pytest.param("unclosed.json", b'{\n  "scope": {"a": 1}\n', {"AB105": ()}, id="JSON unclosed brace"),
    pytest.param("indent.yaml", b"scope:\n  a: 1\n b: 2\n", {"AB105": ("3:2",)}, id="YAML bad indentation"),
    pytest.param("flow.yaml", b"scope: [1, 2\nnode: 3\n", {"AB105": ()}, id="YAML unclosed flow list"),
    pytest.param(
        "dup.json",
        b'{\n  "scope": {"a": 1, "a": 2},\n  "node": {},\n  "node": {}\n}\n',
        {"AB106": ("2:21", "4:3")},
        id="JSON duplicate keys",
    ),
    pytest.param(
        "dup.yaml", b"scope:\n  a: 1\n  a: 2\nnode: {}\nnode: {}\n", {"AB106": ("3:3", "5:1")}, id="YAML duplicate keys"
    ),
    pytest.param(
        "dup_broken.json",
        b'{\n  "scope": {"a": 1, "a": 2},\n  "node": [1,}\n',
        {"AB105": ("3:14",)},
        id="JSON duplicate key, then a syntax error",
    ),
    pytest.param(
        "dup_unclosed.json", b'{"scope": {"a": 1, "a": 2}', {"AB105": ("1:27",)}, id="JSON duplicate key, then the end"
    ),
    pytest.param("list.json", b"[1, 2]\n", {"AB112": ("1:1",)}, id="JSON list document"),
    pytest.param("number.json", b"42\n", {"AB112": ("1:1",)}, id="JSON number document"),
    pytest.param("deep.json", b"[" * 100_000 + b"]" * 100_000, {"AB108": ("1:1",)}, id="JSON 100000 levels"),
    pytest.param("deep100.json", b"[" * 100 + b"]" * 100, {"AB108": ("1:1",)}, id="JSON 100 levels"),
    pytest.param("deep.yaml", _deep_yaml(200), {"AB108": ()}, id="YAML 200 block levels"),
    pytest.param("date.yaml", b"scope:\n  x: 2001-01-01\n", {"AB109": ("2:6",)}, id="YAML timestamp"),
    pytest.param("inf.yaml", b"scope:\n  x: .inf\n", {"AB109": ("2:6",)}, id="YAML infinity"),
    pytest.param(
        "pyname.yaml",
        b'scope: !!python/name:os.system ""\n',
        {"AB109": ("1:8",)},
        id="YAML python/name tag on a scalar",
    ),
    pytest.param("local.yaml", b"scope: !foo bar\n", {"AB109": ("1:8",)}, id="YAML local tag on a scalar"),
    pytest.param(
        "pyobject.yaml",
        b"scope: !!python/object:os.system {}\n",
        {"AB109": ("1:8",)},
        id="YAML python/object tag on a mapping",
    ),
    pytest.param("intkey.yaml", b"1: x\n", {"AB112": ("1:1",)}, id="YAML integer key"),
    pytest.param("nan.json", b'{"scope": NaN}', {"AB105": ("1:11",)}, id="JSON NaN"),
    pytest.param("infinity.json", b'{"scope": -Infinity}', {"AB105": ("1:11",)}, id="JSON -Infinity"),
    pytest.param("overflow.json", b'{"scope": 1e999}', {"AB105": ("1:11",)}, id="JSON float overflow"),
]

#: Hostile files that take seconds to refuse: run once, through ``lint`` only.
HOSTILE_SLOW = [
    pytest.param(
        "deepflow.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, {"AB108": ()}, id="YAML 100000 flow levels"
    ),
    pytest.param("bomb.yaml", _BOMB, {"AB107": ("7:4",)}, id="YAML billion laughs"),
]

#: Content problems whose code is the implementer's choice: only "exit 1, located, no traceback".
HOSTILE_ANY_CODE = [
    pytest.param("badint.yaml", b"scope: !!int abc\n", id="YAML !!int on a non-number"),
    pytest.param("badfloat.yaml", b"scope: !!float xyz\n", id="YAML !!float on a non-number"),
    pytest.param("badbool.yaml", b"scope: !!bool maybe\n", id="YAML !!bool on a non-boolean"),
    pytest.param("longint.json", b'{"scope": ' + b"1" * 5000 + b"}", id="JSON 5000-digit integer"),
    pytest.param("longint.yaml", b"scope: " + b"1" * 5000 + b"\n", id="YAML 5000-digit integer"),
    pytest.param("merge.yaml", b"base: &b {dim: [6]}\n<<: *b\nscope: {}\n", id="YAML merge key"),
    pytest.param("surrogate.json", b'{"\\ud800": 1}', id="JSON lone surrogate escape in a key"),
    pytest.param("multi.yaml", b"a: 1\n---\nb: 2\n", id="YAML two documents"),
    pytest.param("alias.yaml", b"a: *nowhere\n", id="YAML undefined alias"),
]


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("command", "name", "content", "expected"),
    [
        pytest.param(command, *case.values, id=f"{command}-{case.id}")
        for command in ("lint", "compile")
        for case in HOSTILE
    ]
    + [pytest.param("lint", *case.values, id=f"lint-{case.id}") for case in HOSTILE_SLOW],
)
def test_a_hostile_file_gives_its_code_at_its_location_and_exit_1(
    tmp_path: Path, command: str, name: str, content: bytes, expected: dict[str, tuple[str, ...]]
) -> None:
    path = _write(tmp_path, name, content)

    result = run_cli(command, "--no-gym-config", path)

    assert result.exit_code == 1, result.output
    for code, positions in expected.items():
        assert re.search(rf"{re.escape(str(path))}:\d+:\d+: {code} error", result.output), result.output
        for position in positions:
            assert f"{path}:{position}: {code} error" in result.output, result.output


@pytest.mark.parametrize(("name", "content", "expected"), HOSTILE)
def test_the_library_reports_a_hostile_file_as_diagnostics(
    tmp_path: Path, name: str, content: bytes, expected: dict[str, tuple[str, ...]]
) -> None:
    path = _write(tmp_path, name, content)

    result = compile_file(path, CompileOptions(gym_config=None))

    assert result.plan is None
    assert set(expected) <= {d.code for d in result.diagnostics}
    assert_diagnostics_contract(result, path, content.decode("utf-8", errors="replace"))


@pytest.mark.parametrize(("name", "content"), HOSTILE_ANY_CODE)
def test_an_odd_file_gives_located_errors_and_exit_1_never_a_traceback(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = _write(tmp_path, name, content)

    result = run_cli("lint", "--no-gym-config", path)

    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: AB\d\d\d error", result.output), result.output


@pytest.mark.parametrize(("name", "content"), HOSTILE_ANY_CODE)
def test_the_library_reports_an_odd_file_as_diagnostics(tmp_path: Path, name: str, content: bytes) -> None:
    path = _write(tmp_path, name, content)

    result = compile_file(path, CompileOptions(gym_config=None))

    assert result.plan is None
    assert_diagnostics_contract(result, path, content.decode("utf-8", errors="replace"))


def test_yaml_tags_never_construct_python_objects(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    content = f'scope: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    path = _write(tmp_path, "apply.yaml", content)

    result = run_cli("lint", "--no-gym-config", path)

    assert result.exit_code == 1
    assert not marker.exists()


@pytest.mark.parametrize("command", ["lint", "compile"])
def test_a_missing_file_exits_2_with_ab101(tmp_path: Path, command: str) -> None:
    path = tmp_path / "nowhere.json"

    result = run_cli(command, "--no-gym-config", path)

    assert result.exit_code == 2, result.output
    assert f"{path}: AB101 error" in result.output
    assert "no such file" in result.output


@pytest.mark.parametrize("command", ["lint", "compile"])
def test_a_directory_exits_2_with_ab101(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "action_config.json"
    folder.mkdir()

    result = run_cli(command, "--no-gym-config", folder)

    assert result.exit_code == 2, result.output
    assert f"{folder}: AB101 error" in result.output


def test_a_file_without_read_permission_exits_2_with_ab101(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "secret.json", b"{}")
    path.chmod(0)
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        # root reads files whatever their mode: raise what the OS raises for other users
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = run_cli("lint", "--no-gym-config", path)

    assert result.exit_code == 2, result.output
    assert f"{path}: AB101 error: cannot read {path}: permission denied" in result.output


def test_lint_still_reports_the_readable_files_when_one_is_missing(tmp_path: Path) -> None:
    broken = _write(tmp_path, "dup.json", b'{"scope": 1, "scope": 2}')

    result = run_cli("lint", "--no-gym-config", broken, tmp_path / "nowhere.json")

    assert result.exit_code == 2
    assert "AB106" in result.output and "AB101" in result.output


def test_the_library_raises_input_error_only_for_unreadable_files(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.json", tmp_path):
        with pytest.raises(InputError) as raised:
            compile_file(path, CompileOptions(gym_config=None))
        assert raised.value.exit_code == 2
        assert [d.code for d in raised.value.diagnostics] == ["AB101"]
        assert raised.value.diagnostics[0].file == str(path)


def test_a_file_just_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: no disk is spent on it
        handle.truncate(DEFAULT_MAX_BYTES + 1)

    result = run_cli("lint", "--no-gym-config", path)

    assert result.exit_code == 1, result.output
    assert f"{path}:1:1: AB107 error" in result.output


def test_load_document_honours_a_smaller_size_limit(tmp_path: Path) -> None:
    text = b'{"scope": {}}'
    at_limit = _write(tmp_path, "at.json", text)
    over_limit = _write(tmp_path, "over.json", text + b" ")

    document, diagnostics = load_document(at_limit, max_bytes=len(text))
    assert document is not None and diagnostics == []

    document, diagnostics = load_document(over_limit, max_bytes=len(text))
    assert document is None
    assert [(d.code, d.file, d.line, d.column) for d in diagnostics] == [("AB107", str(over_limit), 1, 1)]


def test_a_lone_surrogate_escape_in_kwargs_never_breaks_the_plan_output(tmp_path: Path) -> None:
    # Valid JSON syntax (RFC 8259 allows the escape) that is not valid Unicode: the plan
    # must either refuse it with a diagnostic or be writable.
    path = _write(
        tmp_path,
        "action_config.json",
        b"""{
  "scope": {"gripper": {"dim": [1], "init": {"method": "given_qpos", "kwargs": {"given_qpos": [1.0]},
                                             "init_node_name": "opened"}}},
  "node": {"gripper": [{"closed": {"name": "execute_close"}}]},
  "edge": {"gripper": [{"close": {"src": "opened", "sink": "closed", "duration": 5, "name": "my_motion",
                                  "kwargs": {"note": "\\ud800"}}}]}
}""",
    )
    options = CompileOptions(gym_config=None, allow_unknown_functions=True)

    result = compile_file(path, options)
    if result.plan is not None:
        json.loads(result.plan.to_json())
    cli = run_cli("compile", "--no-gym-config", "--allow-unknown-functions", path, "-o", tmp_path / "plan.json")

    assert cli.exit_code in (0, 1), cli.output


# -- a byte-order mark is accepted ---------------------------------------------------------


@pytest.mark.skipif(not REFERENCE_BANK.is_file(), reason="the shared reference configs are absent")
def test_a_json_config_with_a_utf8_bom_compiles_as_without(tmp_path: Path) -> None:
    plain = _write(tmp_path, "plain.json", REFERENCE_BANK.read_bytes())
    with_bom = _write(tmp_path, "bom.json", b"\xef\xbb\xbf" + REFERENCE_BANK.read_bytes())
    options = ("--no-gym-config", "--allow-unknown-functions")

    expected = run_cli("compile", *options, plain)
    result = run_cli("compile", *options, with_bom)

    assert expected.exit_code == 0, expected.output
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout


def test_a_yaml_config_with_a_utf8_bom_compiles_as_without(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE.parent / "gym_config.yaml", tmp_path / "gym_config.yaml")
    with_bom = _write(tmp_path, "action_config.yaml", b"\xef\xbb\xbf" + EXAMPLE.read_bytes())

    expected = run_cli("compile", EXAMPLE)
    result = run_cli("compile", with_bom)

    assert expected.exit_code == 0, expected.output
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout


# -- --format json -------------------------------------------------------------------------

_JSON_KEYS = {"code", "severity", "message", "file", "line", "column", "pointer", "hint"}


@pytest.mark.parametrize(
    ("name", "content", "exit_code"),
    [
        pytest.param("dup.yaml", b"scope:\n  a: 1\n  a: 2\n", 1, id="duplicate keys"),
        pytest.param(
            "schema.json", b'{"scope": {"arm": {"dim": "six"}}, "node": [], "extra": 1}', 1, id="schema errors"
        ),
        pytest.param("empty.json", b"", 1, id="empty"),
        pytest.param("surrogate.json", b'{"\\ud800": 1}', 1, id="lone surrogate escape in a key"),
        pytest.param(None, b"", 2, id="missing file"),
    ],
)
def test_json_format_prints_one_array_of_diagnostic_objects(
    tmp_path: Path, name: str | None, content: bytes, exit_code: int
) -> None:
    path = _write(tmp_path, name, content) if name else tmp_path / "nowhere.json"

    result = run_cli("lint", "--no-gym-config", "--format", "json", path)

    assert result.exit_code == exit_code, result.output
    diagnostics = json.loads(result.stdout)
    assert isinstance(diagnostics, list) and diagnostics
    for d in diagnostics:
        assert isinstance(d, dict) and set(d) == _JSON_KEYS
        assert d["code"] in CODES and d["severity"] in ("error", "warning", "info")
        assert d["file"] == str(path)
        assert d["line"] is None or (isinstance(d["line"], int) and d["line"] >= 1)
        assert d["column"] is None or (isinstance(d["column"], int) and d["column"] >= 1)
        assert isinstance(d["pointer"], str) and isinstance(d["message"], str)
        assert d["hint"] is None or isinstance(d["hint"], str)


@pytest.mark.skipif(not REFERENCE_BANK.is_file(), reason="the shared reference configs are absent")
def test_json_format_of_a_config_with_warnings_only_exits_0() -> None:
    result = run_cli("lint", "--no-gym-config", "--allow-unknown-functions", "--format", "json", REFERENCE_BANK)

    assert result.exit_code == 0, result.output
    diagnostics = json.loads(result.stdout)
    assert diagnostics and all(set(d) == _JSON_KEYS and d["severity"] != "error" for d in diagnostics)


# -- output safety -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compile", "dot", "gantt"])
@pytest.mark.parametrize(
    ("content", "exit_code"),
    [
        pytest.param(b'{"scope": {}, "scope": {}}', 1, id="broken input"),
        pytest.param(None, 2, id="missing input"),
    ],
)
def test_a_failed_run_leaves_an_existing_output_untouched(
    tmp_path: Path, command: str, content: bytes | None, exit_code: int
) -> None:
    source = _write(tmp_path, "action_config.json", content) if content is not None else tmp_path / "gone.json"
    output = _write(tmp_path, "out.txt", b"previous content\n")
    before = sorted(p.name for p in tmp_path.iterdir())

    result = run_cli(command, "--no-gym-config", source, "-o", output)

    assert result.exit_code == exit_code, result.output
    assert output.read_bytes() == b"previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left behind
