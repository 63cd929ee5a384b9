"""Reading inputs: bytes → text → plain data with a source map (JSON pointer → line:col)."""

from actionbank.source.document import Locator, SourceDocument
from actionbank.source.loader import load_document, parse_text
from actionbank.source.pointer import join as join_pointer

__all__ = ["Locator", "SourceDocument", "join_pointer", "load_document", "parse_text"]
