"""Kept for code that imports the readers from here; they live in claimcheck.readers."""

from typing import Any

from claimcheck.readers import FORMATS, Document, format_for, read_document
from claimcheck.text import blanked

__all__ = ["FORMATS", "Document", "blanked", "format_for", "read_document"]  # and read_docx, below


def __getattr__(name: str) -> Any:
    # read_docx, from the Word reader's module only when asked for (see readers._FORMATS).
    if name == "read_docx":
        from claimcheck.readers.docx import read_docx

        return read_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
