"""HTML (.html, .htm): the visible text, with block-level elements as sentence boundaries.

Directives are HTML comments::

    <!-- claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03 -->
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from claimcheck.readers.document import Document, assemble
from claimcheck.readers.markdown import COMMENT_DIRECTIVE
from claimcheck.readers.markers import Marker, is_exponent_after, standalone_keys
from claimcheck.readers.text import ReadOptions, TextReader
from claimcheck.text import newline_of, trailing_breaks

_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


class HtmlReader(TextReader):
    format = "html"
    directive = COMMENT_DIRECTIVE

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        page = _HtmlParser(text, options.html_skip).read()
        return assemble(
            path,
            self.format,
            text,
            page.prose,
            page.blocks,
            page.references,
            page.definitions,
            page.stretch,
            self.comments(text),
        )

    def comment(self, body: str) -> str:
        return f"<!-- {body} -->"

    def insert_paragraph(self, text: str, paragraph: str, where: str) -> tuple[int, str]:
        """A `<p>` right after `<body>` or before `</body>` (or at the start or end, without one)."""
        paragraph, newline = f"<p>{html.escape(paragraph, quote=False)}</p>", newline_of(text)
        if where == "start":
            body = _BODY_OPEN.search(text)
            if body is None:
                return 0, paragraph + newline
            return body.end(), newline + paragraph
        closes = list(_BODY_CLOSE.finditer(text))
        if not closes:
            breaks = trailing_breaks(text)
            return len(text), (paragraph + newline) if breaks else (newline + paragraph if text.strip() else paragraph)
        close = closes[-1].start()
        line_start = max(text.rfind("\n", 0, close), text.rfind("\r", 0, close)) + 1
        indent = text[line_start:close]
        if indent.strip():  # `</body>` follows other markup on its line: insert right before it
            return close, paragraph
        return line_start, indent + paragraph + newline


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


# The reader is the standard library's tokenizer (html.parser), not selectolax or lxml: every
# finding must point into the source, and of the three only html.parser says where each tag
# and run of text starts (getpos); selectolax exposes no source positions and lxml only an
# element's line. It also takes broken markup as browsers do, roughly, and adds no dependency.
# Nothing needs a tree, only which elements are open.
#
# Prose is the visible text, copied in place; everything else is blanked. Entities are not
# decoded in the text (excerpts show them as written); in the prose an entity that stands for
# one visible character is that character followed by blanks ("&dagger;" is "†" and 7 spaces,
# so a marker written as an entity is still a marker), and any other (&nbsp;, &shy;) is blank,
# so "FDA&nbsp;approved" is two words. Block-level tags start a new line in the prose (a
# blanked '<' becomes '\n'), so a line-anchored footnote ("* Results not typical") is found
# in minified HTML too; Document.position counts lines in the text, so positions are unchanged.

_HTML_HIDDEN = frozenset({"script", "style", "template", "noscript", "pre", "code"})
_HTML_BLOCKS = frozenset(
    {
        *("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote", "div"),
        *("figcaption", "caption", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "section"),
        *("article", "aside", "header", "footer", "nav", "main", "figure", "address", "hr", "form"),
        *("fieldset", "legend", "details", "summary", "title", "head", "body", "html", "button", "option"),
        *("select", "textarea", "label", "iframe", "video", "audio", "canvas", "img"),
    }
)
_HTML_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_HTML_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s/>"'=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>"']+)))?"""
)
_HTML_NOTES = re.compile(r"foot-?notes?|end-?notes?|doc-(?:endnotes|footnote)", re.I)  # a footnote list
_HTML_NOTE_LINK = re.compile(r"^(?:fn|footnote|endnote|note|cite)|noteref", re.I)  # a link to one
_HTML_BACK_LINK = re.compile(r"^(?:fnref|cite_ref)|back", re.I)  # the way back from a footnote
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_LISTS = frozenset({"ol", "ul"})
# Footnote markers are a <sup>, a link, or one inside the other; past this many open at once
# the page is not footnotes, and each text or tag would otherwise be copied to every one.
_MAX_OPEN_MARKERS = 8


@dataclass
class _HtmlPage:
    prose: str
    blocks: list[tuple[int, int]]
    references: list[Marker]
    definitions: list[Marker]
    stretch: Callable[[Marker], Marker]


@dataclass
class _OpenElement:
    tag: str
    notes: int | None = None  # a footnote list: how many of its items have opened


class _OpenElements:
    """The open elements, innermost last. The innermost element with a tag, the innermost
    footnote list and the lists inside it are found without walking the stack, so a page of
    100,000 unclosed <div> or <ul><li> is read in linear time."""

    def __init__(self) -> None:
        self.elements: list[_OpenElement] = []
        self.by_tag: dict[str, list[int]] = {}  # each tag's open elements, by index
        self.note_lists: list[int] = []  # the open footnote lists, by index
        self.lists: list[int] = []  # lists[i]: how many of elements[: i + 1] are <ol> or <ul>

    def push(self, element: _OpenElement) -> None:
        index = len(self.elements)
        self.elements.append(element)
        self.by_tag.setdefault(element.tag, []).append(index)
        if element.notes is not None:
            self.note_lists.append(index)
        self.lists.append((self.lists[-1] if self.lists else 0) + (element.tag in _LISTS))

    def close(self, index: int) -> None:
        """Close the element at `index` and every element open inside it."""
        while len(self.elements) > index:
            element = self.elements.pop()
            self.by_tag[element.tag].pop()
            self.lists.pop()
            if self.note_lists and self.note_lists[-1] == len(self.elements):
                self.note_lists.pop()

    def innermost(self, *tags: str) -> int:
        """The index of the innermost open element with one of these tags (-1: none)."""
        return max((self.by_tag[tag][-1] for tag in tags if self.by_tag.get(tag)), default=-1)

    def top(self) -> str:
        return self.elements[-1].tag if self.elements else ""

    def lists_from(self, index: int) -> int:
        """How many <ol> and <ul> are open from `index` inwards."""
        return self.lists[-1] - (self.lists[index - 1] if index else 0)


@dataclass
class _OpenMarker:
    """An open <sup>, or <a href="#..."> that may turn out to be a footnote reference."""

    tag: str
    start: int  # where its start tag starts
    text_before: str  # visible text of the block before it ("" at the start of a block)
    target: str = ""
    classes: str = ""
    overlaps: bool = False  # a <sup> and a link, one inside the other: the link decides
    chars: list[tuple[str, int, int]] = field(default_factory=list)  # visible (char, start, end)


class _HtmlParser(HTMLParser):
    """One pass over the source: prose in place, block boundaries, footnote references and definitions."""

    def __init__(self, text: str, skip: Sequence[str] = ()) -> None:
        super().__init__(convert_charrefs=False)  # entities come one by one, at their positions
        self.hidden_tags = _HTML_HIDDEN | {tag.lower() for tag in skip}
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]  # getpos counts "\n" only
        self.chars = [c if c in "\r\n" else " " for c in text]
        self.hidden: list[str] = []
        self.open = _OpenElements()
        self.markers: list[_OpenMarker] = []
        self.boundaries: list[int] = []
        self.entity_ends: dict[int, int] = {}
        self.ids: dict[str, tuple[int, int]] = {}
        self.references: list[Marker] = []
        self.definitions: list[Marker] = []
        self.numbered_ids: dict[str, str] = {}  # a footnote item's id key -> its number key
        self.block_text = ""

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # The standard library raises AssertionError on "<![" that opens no known marked
        # section ("<![img](a.png)", Markdown pasted into HTML): skip the three characters.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return i + 3

    def parse_comment(self, i: int, report: int = 1) -> int:
        # A comment never closed runs to the end of the page, as browsers read it (HTML's
        # "eof-in-comment"); the standard library (before 3.13) shows what follows it as text, so
        # a disclaimer there, which no reader sees, was counted. The page is fed whole: an
        # unclosed comment is never one that more data would close.
        end = super().parse_comment(i, report)
        if end < 0:
            self.handle_comment(self.rawdata[i + 4 :])
            return len(self.rawdata)
        return end

    def read(self) -> _HtmlPage:
        self.feed(self.text)
        self.close()
        for reference in list(self.references):
            name = reference.key.removeprefix("html:")
            if reference.key.startswith("html:") and name in self.ids:
                self.definitions.append(Marker(reference.key, name, *self.ids[name]))
        # An item with an id and a number is one footnote: a <sup>1</sup> that reaches it by number
        # leaves its id unreferenced without making it an orphan.
        referenced = {r.key for r in self.references}
        self.definitions = [
            d._replace(ambiguous=True) if self.numbered_ids.get(d.key) in referenced else d for d in self.definitions
        ]
        definitions = list({(d.key, d.start): d for d in self.definitions}.values())
        prose = "".join(self.chars)
        return _HtmlPage(prose, self._blocks(prose), self.references, definitions, self._stretch)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _blocks(self, prose: str) -> list[tuple[int, int]]:
        # A block runs from the first block-level tag after the previous block's text, so a
        # footnote's id (<li id="fn1"><p>...) falls inside the block that holds its text.
        blocks, cursor, checked = [], 0, 0
        for boundary in (*self.boundaries, len(prose)):
            # prose[cursor:checked] is blank: only what follows it is looked at, so a run of
            # empty blocks (<div></div> by the thousand) is linear.
            if prose[checked:boundary].strip():
                blocks.append((cursor, boundary))
                cursor = boundary
            checked = boundary
        return blocks

    def _stretch(self, marker: Marker) -> Marker:
        end = self.entity_ends.get(marker.end - 1, marker.end)
        return Marker(marker.key, marker.text, marker.start, end, marker.ambiguous)

    def _boundary(self, offset: int, block: bool = True) -> None:
        if self.text.startswith("<", offset):
            self.chars[offset] = "\n"
        if block:
            self.boundaries.append(offset)
            self.block_text = ""
            self.markers.clear()  # a <sup> or link left open does not run into the next block

    def _visible(self, visible: list[tuple[str, int, int]]) -> None:
        for char, start, _ in visible:
            self.chars[start] = char
        for marker in self.markers:
            marker.chars.extend(visible)
        self.block_text = (self.block_text + "".join(c for c, _, _ in visible))[-40:]

    # -- the tokenizer's callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden or tag in self.hidden_tags:
            if tag in self.hidden_tags and tag not in _HTML_VOID:
                self.hidden.append(tag)
            return
        start = self._offset()
        raw = self.get_starttag_text() or ""
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self._boundary(start, block=False)
        elif tag in _HTML_BLOCKS:
            self._boundary(start)
        if tag in _HTML_BLOCKS and self.open.top() == "p":
            self.open.close(len(self.open.elements) - 1)  # a block-level start tag ends an open paragraph
        if tag == "li":
            self._close_open_item()
        id_span = self._id_span(raw, start)
        if id_span and attributes.get("id"):
            self.ids.setdefault(attributes["id"], id_span)
        if tag == "li":
            self._footnote_item(attributes.get("id", ""), id_span, (start, start + len(raw)))
        if tag not in _HTML_VOID:
            describes = " ".join((attributes.get("class", ""), attributes.get("id", ""), attributes.get("role", "")))
            self.open.push(_OpenElement(tag, 0 if _HTML_NOTES.search(describes) else None))
        link = tag == "a" and attributes.get("href", "").startswith("#") and len(attributes["href"]) > 1
        if (tag == "sup" or link) and len(self.markers) < _MAX_OPEN_MARKERS:
            marker = _OpenMarker(
                tag,
                start,
                self.block_text,
                target=attributes.get("href", "")[1:],
                classes=" ".join((attributes.get("class", ""), attributes.get("role", ""))),
            )
            if self.markers:  # <a><sup> or <sup><a>
                marker.overlaps = True
                for outer in self.markers:
                    outer.overlaps = True
            self.markers.append(marker)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _HTML_VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            if tag == self.hidden[-1]:
                self.hidden.pop()
            return
        offset = self._offset()
        if tag == "br":
            self._boundary(offset, block=False)
        elif tag in _HTML_BLOCKS:
            self._boundary(offset)
        for index in range(len(self.markers) - 1, -1, -1):
            if self.markers[index].tag == tag:
                marker = self.markers[index]
                del self.markers[index:]
                end = self.text.find(">", offset) + 1 or len(self.text)
                (self._close_link if tag == "a" else self._close_sup)(marker, end)
                break
        index = self.open.innermost(tag)
        if index >= 0:
            self.open.close(index)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if self.hidden or self.text[start : start + len(data)] != data:
            return
        self._visible([(char, start + i, start + i + 1) for i, char in enumerate(data)])

    def handle_entityref(self, name: str) -> None:
        self._entity(self._offset(), 1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._entity(self._offset(), 2 + len(name))

    def _entity(self, start: int, length: int) -> None:
        if self.hidden or not self.text.startswith("&", start):
            return
        end = start + length + self.text.startswith(";", start + length)
        written = self.text[start:end]
        decoded = html.unescape(written)
        if decoded == written:  # not an entity after all ("&copy2"): text as written
            self._visible([(char, start + i, start + i + 1) for i, char in enumerate(written)])
            return
        char = decoded if len(decoded) == 1 and not decoded.isspace() and decoded not in _INVISIBLE else " "
        if char != " ":
            self.entity_ends[start] = end
        self._visible([(char, start, end)])

    # -- footnotes

    @staticmethod
    def _id_span(raw: str, start: int) -> tuple[int, int] | None:
        """Where the id attribute's value is in the source (matching attribute by attribute skips values)."""
        for match in _HTML_ATTRIBUTE.finditer(raw, len(re.match(r"<[^\s/>]*", raw).group(0))):  # type: ignore[union-attr]
            if match["name"].lower() == "id":
                group = next((g for g in ("dq", "sq", "bare") if match.group(g) is not None), None)
                return (start + match.start(group), start + match.end(group)) if group else None
        return None

    def _close_open_item(self) -> None:
        """A new <li> ends the previous one in the same list, closed or not."""
        item = self.open.innermost("li")
        if item > self.open.innermost(*_LISTS):
            self.open.close(item)

    def _footnote_item(self, id: str, id_span: tuple[int, int] | None, tag_span: tuple[int, int]) -> None:
        """An item of a footnote list defines its number and, with an id, the links to it."""
        notes = self.open.note_lists[-1] if self.open.note_lists else -1
        # The list is the footnote container itself (<ol class="footnotes">) or the one list inside it.
        if notes < 0 or self.open.lists_from(notes) != 1:
            return
        container = self.open.elements[notes]
        container.notes = (container.notes or 0) + 1
        if id and id_span:
            self.definitions.append(Marker(f"html:{id}", id, *id_span))
            self.numbered_ids[f"html:{id}"] = f"n:{container.notes}"
        span = id_span or tag_span
        # Numbered by position; when the item also has an id, links usually reach it by that.
        self.definitions.append(Marker(f"n:{container.notes}", str(container.notes), *span, ambiguous=bool(id)))

    # A marker element's Marker spans the element, tags and all ("<sup>2</sup>"): findings show
    # the element as written, and it starts right after the text it marks, as "pain.¹" does.

    def _close_sup(self, sup: _OpenMarker, end: int) -> None:
        """<sup>1</sup> after text is a reference; at the start of a block, a definition."""
        chars = _strip(sup.chars)
        written = "".join(c for c, _, _ in chars)
        keys = standalone_keys(written)
        if sup.overlaps and self.references and self.references[-1].start == sup.start:
            self.references[-1] = self.references[-1]._replace(end=end)  # <sup><a href="#fn1">1</a></sup>
        if sup.overlaps or not keys or (sup.text_before.strip() and is_exponent_after(sup.text_before)):
            return
        for _, s, e in chars:
            _blank(self.chars, s, e)
        found = self.references if sup.text_before.strip() else self.definitions
        found.extend(Marker(key, written, sup.start, end) for key in keys)

    def _close_link(self, link: _OpenMarker, end: int) -> None:
        """<a href="#fn1"> is a footnote reference when it looks like one: a marker, in <sup>, or named so."""
        chars = _strip(link.chars)
        written = "".join(c for c, _, _ in chars)
        if _HTML_BACK_LINK.search(link.target) or _HTML_BACK_LINK.search(link.classes) or "↩" in written:
            for _, s, e in chars:  # the way back from a footnote ("↩") is navigation, not prose
                _blank(self.chars, s, e)
            return
        looks_like_note = link.overlaps or standalone_keys(written) or _HTML_NOTE_LINK.search(link.target)
        if not (looks_like_note or _HTML_NOTE_LINK.search(link.classes)):
            return
        for _, s, e in chars:
            _blank(self.chars, s, e)
        # Inside <sup>, the Marker starts at the <sup>: that is where the marked text ends.
        start = min((m.start for m in self.markers if m.tag == "sup" and m.overlaps), default=link.start)
        self.references.append(Marker(f"html:{link.target}", written or f"#{link.target}", start, end))


def _strip(chars: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    first = next((i for i, (c, _, _) in enumerate(chars) if not c.isspace()), len(chars))
    last = next((i for i in range(len(chars) - 1, -1, -1) if not chars[i][0].isspace()), -1)
    return chars[first : last + 1]
