"""The Document every reader returns: the original text, the prose to lint, and where things are.

``prose`` has the same length as ``text``: what is not prose (code, front matter, URLs,
markup) is blanked to spaces and line breaks are kept, so an offset in ``prose`` is an
offset in ``text``, and line/column come from one table. ``blocks`` are the paragraphs,
headings, list items and table rows that sentences never cross.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from claimcheck.findings import Finding, Severity
from claimcheck.readers.markers import Marker, find_definitions, find_references
from claimcheck.text import blanked, line_starts, position

if TYPE_CHECKING:
    from claimcheck.packs import Rule


class Comment(NamedTuple):
    """A comment holding a claimcheck directive, found by the reader in its format's comment syntax."""

    start: int  # offsets of the whole comment in the text
    end: int
    body: str  # what the comment says: "claimcheck-disable-next-line core/x -- why"


@dataclass(frozen=True)
class Document:
    path: str
    format: str
    text: str
    prose: str
    blocks: tuple[tuple[int, int], ...]
    references: tuple[Marker, ...] = ()
    definitions: tuple[Marker, ...] = ()
    comments: tuple[Comment, ...] = ()
    # Derived from `text` on every construction (dataclasses.replace included), never shared.
    _line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # HTML only: where each list tag ends and how many lists are open after it (list_depth).
    _list_tags: tuple[tuple[int, ...], tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_line_starts", line_starts(self.text))
        object.__setattr__(self, "_list_tags", _list_tags(self.text) if self.format == "html" else ((), ()))

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        message: str = "",
        explanation: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of `rule` for the text from offset `start` to `end`, with positions and excerpt."""
        end = _past_editorial_bracket(self.text, end)
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Finding(
            path=self.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            rule=rule.id,
            kind=rule.finding_kind,
            severity=severity or rule.severity,
            message=message or rule.message,
            excerpt=self.text[start:end],
            pack=rule.pack,
            explanation=explanation,
        )

    def is_list_item(self, start: int, end: int) -> bool:
        """Does the block at these offsets open a list item: a bullet or a number in text or
        Markdown ("- ", "2. "), or an HTML <li> (the readers blank the markup in `prose`)?"""
        return _LIST_ITEM.match(self.text, start, end) is not None

    def introduces_list(self, index: int) -> bool:
        """Does block `index` introduce the list that follows it? The next block is a list item,
        and this one ends with ":" ("Our tea treats:") or is a heading: one line, not an item,
        with no closing punctuation ("## Conditions We Treat", "<h2>Acupuncture May Help With</h2>").
        What the lead claims, each item claims too (checks/claims.py)."""
        if index + 1 >= len(self.blocks) or not self.is_list_item(*self.blocks[index + 1]):
            return False
        start, end = self.blocks[index]
        text = self.prose[start:end].strip()
        if text.endswith(":"):
            return True
        return "\n" not in text and not text.endswith(_CLOSING) and not self.is_list_item(start, end)

    def list_depth(self, start: int) -> int:
        """How deeply the list item at `start` is nested: in HTML the lists open around it, in
        other formats the indent of its bullet, so a deeper item is under the one before it."""
        if self.format == "html":
            first = _BLANK.match(self.prose, start).end()  # the item's first word (markup is blank)
            ends, depths = self._list_tags
            index = bisect_right(ends, first)
            return depths[index - 1] if index else 0
        return self.position(_BLANK.match(self.text, start).end())[1]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        return position(self._line_starts, offset)


def assemble(
    path: str,
    format: str,
    text: str,
    prose: str,
    blocks: Sequence[tuple[int, int]],
    references: Sequence[Marker] = (),
    definitions: Sequence[Marker] = (),
    stretch: Callable[[Marker], Marker] = lambda marker: marker,
    comments: Sequence[Comment] = (),
) -> Document:
    """Add the markers written in the prose to a reader's own (HTML <sup>, Word footnotes), then blank them all.

    `stretch` widens a marker found in the prose to the source it stands for (an HTML entity).
    """
    structural = (*references, *definitions)

    def unclaimed(found: list[Marker]) -> list[Marker]:
        # A reader's own marker wins over what the text scan makes of the same characters.
        return [
            stretch(m)
            for m in found
            if not any(s.start == m.start or (s.start < m.end and m.start < s.end) for s in structural)
        ]

    found_definitions = find_definitions(prose)
    all_definitions = (*definitions, *unclaimed(found_definitions))
    all_references = (*references, *unclaimed(find_references(prose, found_definitions)))
    # Markers are structure, not words: blank them so "weeks.¹" tokenizes like "weeks.".
    markers = [(marker.start, marker.end) for marker in (*all_definitions, *all_references)]
    prose = _without_editorial_brackets(blanked(prose, markers + _punctuation_beyond_bound(prose)))
    blocks = [piece for block in blocks for piece in _bounded(prose, *block)]
    return Document(path, format, text, prose, tuple(blocks), all_references, all_definitions, tuple(comments))


# Quoted copy changes letters in brackets to fit the sentence ("[R]elieves depression",
# "prevent[s] blood clots", "Reduc[e] the signs"); the tokenizer would split the word. The
# prose gets the word whole and the two bracket characters as spaces after it, so offsets
# still point at the original text. ("[sic]" is a remark, not letters of the word.)
_EDITORIAL_LETTER = re.compile(
    r"\[([A-Za-z])\]([A-Za-z]+(?:-[A-Za-z]+)*)"  # "[A]nti-inflammatory"
    r"|\b([A-Za-z]+)\[(?!sic\])([A-Za-z]{1,3})\](?![A-Za-z])"  # "prevent[s]"
)


def _without_editorial_brackets(prose: str) -> str:
    return _EDITORIAL_LETTER.sub(lambda m: f"{m[1] or m[3]}{m[2] or m[4]}  ", prose)


def _past_editorial_bracket(text: str, end: int) -> int:
    """A span that ends with a bracket-edited word ends 2 characters early in the prose (the
    word moved left over its brackets): move the end to the word's end in the text."""
    for match in _EDITORIAL_LETTER.finditer(text, max(0, end - 64), min(len(text), end + 2)):
        if match.end() - 2 == end:
            return match.end()
    return end


# spaCy's tokenizer takes time quadratic in the length of a run of punctuation it splits
# ("!!!!..."), and checks scan a block's sentences for each claim in it: both stay linear
# only when runs and blocks are bounded. Real copy never comes near either bound.
MAX_PUNCTUATION_RUN = 64
MAX_BLOCK_CHARS = 10_000
_PUNCTUATION_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCTUATION_RUN + 1},}}")  # "_" is \w, but no word
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|[\r\n]+")
_SPACE = re.compile(r"\s+")


def _punctuation_beyond_bound(prose: str) -> list[tuple[int, int]]:
    """The tail of every run of punctuation longer than MAX_PUNCTUATION_RUN (blanked: not words)."""
    return [(match.start() + MAX_PUNCTUATION_RUN, match.end()) for match in _PUNCTUATION_RUN.finditer(prose)]


def _bounded(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """A block split into pieces of at most MAX_BLOCK_CHARS: after the last sentence end or line
    break in each window, else at its last space, else anywhere. Offsets stay offsets into the text."""
    pieces = []
    while end - start > MAX_BLOCK_CHARS:
        window_end = start + MAX_BLOCK_CHARS
        cut = _last_end(_SENTENCE_END, prose, start + MAX_BLOCK_CHARS // 2, window_end)
        cut = cut or _last_end(_SPACE, prose, start + 1, window_end) or window_end
        if prose[start:cut].strip():
            pieces.append((start, cut))
        start = cut
    if prose[start:end].strip():
        pieces.append((start, end))
    return pieces


def _last_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int | None:
    last = None
    for last in pattern.finditer(text, start, end):  # noqa: B007 (the last match is the one wanted)
        pass
    return last.end() if last else None


_BLANK = re.compile(r"\s*")

# The tags that open and close an HTML list ("<ul>", "</ol>"); group 1 is set on a close.
_LIST_TAG = re.compile(r"<(/)?(?:ul|ol|menu)\b[^>]*>", re.IGNORECASE)


def _list_tags(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    ends, depths, depth = [], [], 0
    for tag in _LIST_TAG.finditer(text):
        depth += 1 if tag[1] is None else -1
        ends.append(tag.end())
        depths.append(depth)
    return tuple(ends), tuple(depths)


# A list item's opening in the original text: tags before it are skipped ("</p>\n<ul><li>").
_CLOSING = (".", "!", "?", ";", ",", ")", "]", '"', "”", "’", "'")  # what ends a sentence or a fragment of one
_LIST_ITEM = re.compile(r"\s*(?:<(?!li\b)[^>]*>\s*)*(?:<li\b[^>]*>|(?:[-•*–▪◦·+o]|\d{1,3}[.)])\s+\S)", re.IGNORECASE)
