"""Plain text: paragraphs split at blank lines and list items; URLs left out.

Directives are lines of their own that start with ``#`` or ``//``::

    # claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03

This module also holds what the other readers share: the base class with the plain-text
behaviour they override, block splitting and paragraph placement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from claimcheck.readers.document import Comment, Document, assemble
from claimcheck.sources import read_text
from claimcheck.text import blanked, newline_of, trailing_breaks

# Web addresses start at a literal, so each attempt is short. An e-mail address is found from its
# "@" and its local part read leftwards (at most 64 characters, RFC 5321): the one regex
# "[\w.+-]+@..." tried from every word boundary of "a.a.a.a..." scanned to the run's end each
# time, quadratic in its length.
_WEB_ADDRESS = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"”’]")
_EMAIL_DOMAIN = re.compile(r"@[\w-]+\.[\w.-]+\w")
_LOCAL_PART = re.compile(r"[\w.+-]{1,64}\Z")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the text holds a web or e-mail address (not prose: "www.cure-pain.com")."""
    spans = [match.span() for match in _WEB_ADDRESS.finditer(text)]
    for match in _EMAIL_DOMAIN.finditer(text):
        local = _LOCAL_PART.search(text, max(0, match.start() - 64), match.start())
        if local:
            start = local.start() + len(local[0]) - len(local[0].lstrip(".+-"))  # it starts at a word character
            if start < match.start():
                spans.append((start, match.end()))
    return sorted(spans)


BLANK_LINES = re.compile(r"\n[ \t\r]*\n")
_LIST_ITEM = re.compile(r"\n(?=[ \t]*(?:[-+•▪◦]|\*(?= )|\d{1,3}[.)])[ \t])")
_LINE_DIRECTIVE = re.compile(
    r"(?:^|(?<=\r))[ \t]*(?:#|//)[ \t]*(?P<body>claimcheck-[^\r\n]*?)[ \t]*(?=[\r\n]|\Z)", re.MULTILINE
)
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.DOTALL
)


@dataclass(frozen=True)
class ReadOptions:
    """What the config says about reading (see config: front_matter_fields, html_skip)."""

    front_matter_fields: tuple[str, ...] = ("title", "description")  # Markdown front matter linted as prose
    html_skip: tuple[str, ...] = ()  # HTML elements not linted, besides script, style and code


class TextReader:
    """The Reader for plain text, and the defaults the other readers inherit."""

    format: ClassVar[str] = "text"
    # What a comment line written above a line repeats of that line (its indentation).
    comment_indent: ClassVar[re.Pattern[str]] = re.compile(r"[ \t]*")
    directive: ClassVar[re.Pattern[str]] = _LINE_DIRECTIVE  # a comment holding a directive; group "body"
    never_written: ClassVar[str] = ""  # why `check --fix` leaves files of this format alone, if it does

    def read_path(self, path: Path) -> tuple[str, Document | None]:
        """The text to lint from a file and, for a format read whole from its bytes, its Document."""
        return read_text(path), None

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        prose = blanked(text, url_spans(text))
        paragraphs = split_blocks(prose, 0, len(prose), BLANK_LINES)
        blocks = [b for s, e in paragraphs for b in split_blocks(prose, s, e, _LIST_ITEM)]
        return assemble(path, self.format, text, prose, blocks, comments=self.comments(text))

    def comments(self, text: str) -> list[Comment]:
        """The comments in the text that hold a claimcheck directive."""
        if "claimcheck-" not in text:
            return []
        return [Comment(m.start(), m.end(), m["body"]) for m in self.directive.finditer(text)]

    def comment(self, body: str) -> str:
        """A directive written as this format's comment."""
        return f"# {body}"

    def insert_paragraph(self, text: str, paragraph: str, where: str) -> tuple[int, str]:
        """Where a paragraph of its own goes at the document's `where` (end or start), and the text
        to insert there, with the document's own line break."""
        if where == "start":
            return prepend(text, paragraph, newline_of(text), front_matter=False)
        return append(text, paragraph, newline_of(text))


def split_blocks(prose: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    blocks, cursor = [], start
    for match in separator.finditer(prose, start, end):
        blocks.append((cursor, match.start()))
        cursor = match.end() if separator is BLANK_LINES else match.start() + 1
    blocks.append((cursor, end))
    return [(s, e) for s, e in blocks if prose[s:e].strip()]


def append(text: str, paragraph: str, newline: str) -> tuple[int, str]:
    """A paragraph after a blank line, keeping whether the text ends with a line break."""
    if not text.strip():
        return 0, paragraph + (newline if trailing_breaks(text) else "")
    breaks = trailing_breaks(text)
    if breaks == 0:
        return len(text), newline * 2 + paragraph
    if breaks == 1:
        return len(text), newline + paragraph + newline
    return len(text), paragraph + newline  # already ends with a blank line


def prepend(text: str, paragraph: str, newline: str, front_matter: bool) -> tuple[int, str]:
    """A paragraph and a blank line at the start (after the front matter, when the format has one)."""
    front = _FRONT_MATTER.match(text) if front_matter else None
    if front is None:
        return 0, paragraph + newline * 2
    end = front.end()
    if end == len(text) and not text.endswith(("\n", "\r")):
        return end, newline + newline + paragraph
    blank_after = text.startswith(("\n", "\r"), end)
    return end, newline + paragraph + newline * (1 if blank_after else 2)
