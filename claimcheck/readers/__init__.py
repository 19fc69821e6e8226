"""Document readers: text in, prose to lint out, with every offset still pointing into the original.

A Reader knows one format: its file suffixes and editor language ids, how to read it into
a Document, how a claimcheck directive is written as its comment, and where a paragraph of
its own goes. READERS is the registry; a new format is one module here and one line in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import ClassVar, Protocol

from claimcheck.readers.document import Comment, Document
from claimcheck.readers.docx import DocxReader, read_docx
from claimcheck.readers.html import HtmlReader
from claimcheck.readers.markdown import MarkdownReader
from claimcheck.readers.mdx import MdxReader
from claimcheck.readers.text import ReadOptions, TextReader

__all__ = [
    "FORMATS",
    "READERS",
    "Comment",
    "Document",
    "ReadOptions",
    "Reader",
    "for_format",
    "for_language",
    "for_path",
    "format_for",
    "read_document",
    "read_docx",
]


class Reader(Protocol):
    format: ClassVar[str]  # Document.format
    suffixes: ClassVar[tuple[str, ...]]  # the file names it reads
    language_ids: ClassVar[tuple[str, ...]]  # what editors call the format (LSP languageId)
    comment_indent: ClassVar[re.Pattern[str]]  # what a comment line written above a line repeats of it
    never_written: ClassVar[str]  # why `check --fix` leaves files of this format alone, if it does

    def read_path(self, path: Path) -> tuple[str, Document | None]: ...
    def read(self, text: str, path: str, options: ReadOptions) -> Document: ...
    def comment(self, body: str) -> str: ...
    def insert_paragraph(self, text: str, paragraph: str, where: str) -> tuple[int, str]: ...


READERS: dict[str, Reader] = {
    reader.format: reader for reader in (TextReader(), MarkdownReader(), MdxReader(), HtmlReader(), DocxReader())
}
FORMATS = {suffix: reader.format for reader in READERS.values() for suffix in reader.suffixes}


def format_for(path: str) -> str | None:
    """The format of a file name, or None when claimcheck does not read that kind of file.

    A name without a suffix is plain text.
    """
    suffix = PurePath(path).suffix.lower()
    return FORMATS.get(suffix, "text" if suffix == "" else None)


def for_path(path: str) -> Reader | None:
    """The reader for a file name, or None when claimcheck does not read that kind of file."""
    format = format_for(path)
    return READERS[format] if format else None


def for_format(format: str) -> Reader:
    return READERS[format]


def for_language(language_id: str) -> Reader | None:
    """The reader for an editor's language id ("markdown", "plaintext"), if any."""
    return next((reader for reader in READERS.values() if language_id in reader.language_ids), None)


def read_document(
    text: str,
    path: str = "<stdin>",
    format: str = "text",
    front_matter_fields: Sequence[str] = ReadOptions.front_matter_fields,
    html_skip: Sequence[str] = (),
) -> Document:
    """Split a document into prose blocks and find its footnote markers and directive comments.

    `front_matter_fields`: the Markdown front matter keys whose values are prose.
    `html_skip`: HTML elements not linted besides script, style and code (e.g. nav, footer).
    """
    options = ReadOptions(tuple(front_matter_fields), tuple(html_skip))
    return READERS[format].read(text, path, options)
