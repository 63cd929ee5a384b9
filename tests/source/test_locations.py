import pytest

from actionbank.source import load_document, parse_text

JSON = '{\n  "a": {"b": [1, {"c": 2}]},\n  "d": 3\n}'
YAML = "a:\n  b: [1, {c: 2}]\nd: 3\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (JSON, {"/a/b/1/c": (2, 19), "/d": (3, 3), "/a/b/1": (2, 18), "": (1, 1)}),
        (YAML, {"/a/b/1/c": (2, 11), "/d": (3, 1), "/a/b/1": (2, 10), "": (1, 1)}),
    ],
    ids=["json", "yaml"],
)
def test_pointers_locate_keys_and_items(text, expected):
    document, diagnostics = parse_text(text, "x")
    assert diagnostics == []
    for pointer, position in expected.items():
        assert document.locate(pointer) == position


def test_a_missing_pointer_falls_back_to_its_nearest_ancestor():
    document, _ = parse_text(JSON, "x.json")
    assert document.locate("/a/zz/1") == document.locate("/a")


def test_escaped_pointer_tokens_are_found():
    document, _ = parse_text('{"a/b": {"~c": 1}}', "x.json")
    assert document.locate("/a~1b/~0c") == (1, 10)


def test_the_language_follows_the_suffix(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text('{"a": 1}')  # JSON is YAML too
    document, _ = load_document(path)
    assert document.language == "yaml" and document.data == {"a": 1}
