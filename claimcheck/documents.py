"""Kept for code that imports the readers from here; they live in claimcheck.readers."""

from claimcheck.readers import FORMATS, Document, format_for, read_document, read_docx
from claimcheck.text import blanked

__all__ = ["FORMATS", "Document", "blanked", "format_for", "read_document", "read_docx"]
