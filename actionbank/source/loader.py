"""Load a JSON or YAML file into a :class:`SourceDocument`."""

from __future__ import annotations

from pathlib import Path

from actionbank.diagnostics.diagnostic import Diagnostic
from actionbank.source.document import SourceDocument
from actionbank.source.json_source import parse_json
from actionbank.source.text import DEFAULT_MAX_BYTES, decode_text, read_bytes

__all__ = ["load_document", "parse_text"]

_JSON_SUFFIXES = {".json"}
_YAML_SUFFIXES = {".yaml", ".yml"}


def parse_text(text: str, display: str, language: str | None = None) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Parse ``text`` as JSON or YAML (sniffed from the first character when not given)."""
    if language is None:
        language = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    if language == "json":
        return parse_json(text, display)
    from actionbank.source.yaml_source import parse_yaml  # ruamel.yaml only for YAML input

    return parse_yaml(text, display)


def load_document(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[SourceDocument | None, list[Diagnostic]]:
    """Read and parse one config file.

    Raises :class:`~actionbank.errors.InputError` when the file cannot be read at all;
    returns ``(None, diagnostics)`` when it can be read but is not a usable document.
    The language follows the suffix (``.json``, ``.yaml``, ``.yml``), else the content.
    """
    display = str(path)
    file_path = Path(path)
    raw = read_bytes(file_path, display, max_bytes)
    suffix = file_path.suffix.lower()
    expected = "JSON" if suffix in _JSON_SUFFIXES else "YAML" if suffix in _YAML_SUFFIXES else "JSON or YAML"
    text, diagnostics = decode_text(raw, display, expected, max_bytes)
    if text is None:
        return None, diagnostics
    language = "json" if suffix in _JSON_SUFFIXES else "yaml" if suffix in _YAML_SUFFIXES else None
    return parse_text(text, display, language)
