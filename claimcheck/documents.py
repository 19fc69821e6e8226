"""Document readers: text in, prose to lint out, with every offset still pointing into the original.

Each reader returns a ``Document`` whose ``prose`` has the same length as the original
text: what is not prose (code, front matter, URLs, markup) is blanked to spaces and
newlines are kept, so an offset in ``prose`` is an offset in ``text``, and line/column
come from one table. ``blocks`` are the paragraphs, headings, list items and table rows
that sentences never cross.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

from claimcheck.markers import Marker, find_definitions, find_references

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the Markdown parser and editors count lines
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"”’]|\b[\w.+-]+@[\w-]+\.[\w.-]+\w")
_BLANK_LINES = re.compile(r"\n[ \t\r]*\n")
_LIST_ITEM = re.compile(r"\n(?=[ \t]*(?:[-+•▪◦]|\*(?= )|\d{1,3}[.)])[ \t])")


def format_for(path: str) -> str | None:
    """The reader for a file name, or None when claimcheck does not read that kind of file."""
    suffix = PurePath(path).suffix.lower()
    return FORMATS.get(suffix, "text" if suffix == "" else None)


@dataclass(frozen=True)
class Document:
    path: str
    format: str
    text: str
    prose: str
    blocks: tuple[tuple[int, int], ...]
    references: tuple[Marker, ...] = ()
    definitions: tuple[Marker, ...] = ()
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._line_starts.extend([0, *(m.end() for m in _LINE_BREAK.finditer(self.text))])

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


def read_document(text: str, path: str = "<stdin>", format: str = "text") -> Document:
    """Split a document into prose blocks and find its footnote markers."""
    prose, blocks = (_read_markdown if format == "markdown" else _read_text)(text)
    definitions = find_definitions(prose)
    references = find_references(prose, definitions)
    # Markers are structure, not words: blank them so "weeks.¹" tokenizes like "weeks.".
    chars = list(prose)
    for marker in (*definitions, *references):
        _blank(chars, marker.start, marker.end)
    prose = "".join(chars)
    return Document(path, format, text, prose, tuple(blocks), tuple(references), tuple(definitions))


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _split_blocks(prose: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    blocks, cursor = [], start
    for match in separator.finditer(prose, start, end):
        blocks.append((cursor, match.start()))
        cursor = match.end() if separator is _BLANK_LINES else match.start() + 1
    blocks.append((cursor, end))
    return [(s, e) for s, e in blocks if prose[s:e].strip()]


def _read_text(text: str) -> tuple[str, list[tuple[int, int]]]:
    chars = list(text)
    for match in _URL.finditer(text):
        _blank(chars, *match.span())
    prose = "".join(chars)
    paragraphs = _split_blocks(prose, 0, len(prose), _BLANK_LINES)
    return prose, [b for s, e in paragraphs for b in _split_blocks(prose, s, e, _LIST_ITEM)]


# Inline Markdown that is not prose. Links keep their text and lose their target.
_MD_INLINE_CODE = re.compile(r"(`+)[^`]*?\1")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"(?<!\\)\[(?!\^)(?P<text>[^\]\n]*)\](?P<target>\([^)\n]*\)|\[[^\]\n]*\])")
_MD_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^>\n]*>|<(?:https?|mailto):[^>\s]*>", re.DOTALL)
_MD_LINE_SYNTAX = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]|(?:[-+*]|\d{1,9}[.)])[ \t]+|[=-]{2,}[ \t]*$)?", re.MULTILINE
)
_MD_ESCAPE = re.compile(r"\\(?=[!-)+-/:-@\[-\]_`{-~])")  # not before * or ^: escaped markers are still markers
# Footnote definitions the Markdown parser drops when nothing references them.
_MD_FOOTNOTE_DEFINITION = re.compile(r"^[ ]{0,3}\[\^[^\]\s]+\]:.*$", re.MULTILINE)


_MD_CODE = frozenset({"fence", "code_block", "html_block", "front_matter"})


@cache
def _markdown_parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)


def _read_markdown(text: str) -> tuple[str, list[tuple[int, int]]]:
    line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text)), len(text) + 1]
    tokens = _markdown_parser().parse(text)
    line_ranges = {tuple(token.map) for token in tokens if token.type == "inline" and token.map}
    code_lines = {line for t in tokens if t.type in _MD_CODE and t.map for line in range(*t.map)}
    for match in _MD_FOOTNOTE_DEFINITION.finditer(text):
        line = len(_LINE_BREAK.findall(text, 0, match.start()))
        if line not in code_lines and not any(first <= line < last for first, last in line_ranges):
            line_ranges.add((line, line + 1))
    chars = [c if c in "\r\n" else " " for c in text]
    blocks = []
    for first, last in sorted(line_ranges):
        start, end = line_starts[first], min(line_starts[last] - 1, len(text))
        chars[start:end] = text[start:end]
        blocks.append((start, end))
    prose = "".join(chars)
    for pattern in (_MD_HTML, _MD_INLINE_CODE, _MD_IMAGE, _URL, _MD_LINE_SYNTAX, _MD_ESCAPE):
        for match in pattern.finditer(prose):
            _blank(chars, *match.span())
    for match in _MD_LINK.finditer(prose):
        _blank(chars, match.start(), match.start("text"))
        _blank(chars, match.end("text"), match.end())
    prose = "".join(chars)
    return prose, [b for s, e in blocks for b in _split_blocks(prose, s, e, _BLANK_LINES)]
