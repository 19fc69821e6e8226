"""Document readers: text in, prose to lint out, with every offset still pointing into the original.

A Reader knows one format: how to read it into a Document, how a claimcheck directive is
written as its comment, and where a paragraph of its own goes. _FORMATS is the registry: where
each format's reader lives, the file names it reads and what editors call it; a new format is
one module here and one line in it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import ClassVar, NamedTuple, Protocol

from claimcheck.readers.document import Comment, Document
from claimcheck.readers.text import ReadOptions

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
]


class Reader(Protocol):
    format: ClassVar[str]  # Document.format
    comment_indent: ClassVar[re.Pattern[str]]  # what a comment line written above a line repeats of it
    never_written: ClassVar[str]  # why `check --fix` leaves files of this format alone, if it does

    def read_path(self, path: Path) -> tuple[str, Document | None]: ...
    def read(self, text: str, path: str, options: ReadOptions) -> Document: ...
    def comment(self, body: str) -> str: ...
    def insert_paragraph(self, text: str, paragraph: str, where: str) -> tuple[int, str]: ...


class _Format(NamedTuple):
    reader: str  # "module:class"
    suffixes: tuple[str, ...]  # the file names it reads
    language_ids: tuple[str, ...]  # what editors call it (LSP languageId)


# A reader's module is imported when a file of its format is first read: a run over plain text
# never imports the HTML parser, markdown-it or the Word reader (some 6% of a no-fire page's time).
_FORMATS = {
    "text": _Format("claimcheck.readers.text:TextReader", (".txt", ".text"), ("plaintext", "text")),
    "markdown": _Format(
        "claimcheck.readers.markdown:MarkdownReader", (".md", ".markdown", ".mdown", ".mkd"), ("markdown",)
    ),
    "mdx": _Format("claimcheck.readers.mdx:MdxReader", (".mdx",), ("mdx",)),
    "html": _Format("claimcheck.readers.html:HtmlReader", (".html", ".htm"), ("html",)),
    "docx": _Format("claimcheck.readers.docx:DocxReader", (".docx",), ()),
}
FORMATS = {suffix: format for format, entry in _FORMATS.items() for suffix in entry.suffixes}


class _Readers(Mapping[str, Reader]):
    """Each format's Reader, made when it is first asked for."""

    def __init__(self) -> None:
        self._made: dict[str, Reader] = {}

    def __getitem__(self, format: str) -> Reader:
        reader = self._made.get(format)
        if reader is None:
            module, name = _FORMATS[format].reader.split(":")
            reader = self._made[format] = getattr(importlib.import_module(module), name)()
        return reader

    def __iter__(self) -> Iterator[str]:
        return iter(_FORMATS)

    def __len__(self) -> int:
        return len(_FORMATS)


READERS: Mapping[str, Reader] = _Readers()


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
    return next((READERS[format] for format, entry in _FORMATS.items() if language_id in entry.language_ids), None)


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
