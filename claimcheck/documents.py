"""Document readers: text in, prose to lint out, with every offset still pointing into the original.

Each reader returns a ``Document`` whose ``prose`` has the same length as the original
text: what is not prose (code, front matter, URLs, markup) is blanked to spaces and
newlines are kept, so an offset in ``prose`` is an offset in ``text``, and line/column
come from one table. ``blocks`` are the paragraphs, headings, list items and table rows
that sentences never cross.
"""

from __future__ import annotations

import bisect
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from claimcheck.errors import InputError
from claimcheck.findings import Finding, Severity
from claimcheck.markers import Marker, find_definitions, find_references, is_exponent_after, standalone_keys

if TYPE_CHECKING:
    from claimcheck.packs import Rule

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "mdx",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
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
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Finding(
            path=self.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            rule=rule.id,
            kind=rule.kind,
            severity=severity or rule.severity,
            message=message or rule.message,
            excerpt=self.text[start:end],
            pack=rule.pack,
            explanation=explanation,
        )

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


def read_document(
    text: str,
    path: str = "<stdin>",
    format: str = "text",
    front_matter_fields: Sequence[str] = ("title", "description"),
    html_skip: Sequence[str] = (),
) -> Document:
    """Split a document into prose blocks and find its footnote markers.

    `front_matter_fields`: the Markdown front matter keys whose values are prose.
    `html_skip`: HTML elements not linted besides script, style and code (e.g. nav, footer).
    """
    if format == "html":
        page = _HtmlReader(text, html_skip).read()
        return _assemble(path, format, text, page.prose, page.blocks, page.references, page.definitions, page.stretch)
    if format == "docx":  # the text of a .docx as read_docx makes it: one paragraph a line
        return _assemble(path, format, text, *_read_lines(text))
    if format == "mdx":  # JSX and ESM blanked first, so the prose inside components reads as Markdown
        prose, blocks = _read_markdown(blanked(text, [m.span() for m in _MDX_CODE.finditer(text)]), front_matter_fields)
    elif format == "markdown":
        prose, blocks = _read_markdown(text, front_matter_fields)
    else:
        prose, blocks = _read_text(text)
    return _assemble(path, format, text, prose, blocks)


def _assemble(
    path: str,
    format: str,
    text: str,
    prose: str,
    blocks: list[tuple[int, int]],
    references: Sequence[Marker] = (),
    definitions: Sequence[Marker] = (),
    stretch: Callable[[Marker], Marker] = lambda marker: marker,
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
    prose = blanked(prose, [(marker.start, marker.end) for marker in (*all_definitions, *all_references)])
    return Document(path, format, text, prose, tuple(blocks), all_references, all_definitions)


_NOT_A_LINE_BREAK = re.compile(r"[^\r\n]")


def blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with every span turned into spaces, line breaks kept (so offsets do not move)."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if start < end:
            pieces += [text[cursor:start], _NOT_A_LINE_BREAK.sub(" ", text[start:end])]
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


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
    prose = blanked(text, [match.span() for match in _URL.finditer(text)])
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
# HTML whose content is not prose, inside Markdown: scripts, styles, code.
_MD_HIDDEN_HTML = re.compile(r"<(script|style|pre|code|template|noscript|svg)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# MDX: ESM lines, {expressions} (one level of nesting) and JSX tags are code, not prose.
_MDX_CODE = re.compile(
    r"^(?:import|export)\b.*$|\{(?:[^{}]|\{[^{}]*\})*\}|</?[A-Za-z][\w.:-]*(?:\s(?:[^<>{}]|\{[^{}]*\})*?)?/?>",
    re.MULTILINE,
)


@cache
def _markdown_parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)


def _read_markdown(
    text: str, front_matter_fields: Sequence[str] = ("title", "description")
) -> tuple[str, list[tuple[int, int]]]:
    line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text)), len(text) + 1]
    tokens = _markdown_parser().parse(text)
    # Prose: inline content, and HTML blocks (their tags and code are blanked below).
    line_ranges = {tuple(t.map) for t in tokens if t.type in ("inline", "html_block") and t.map}
    code_lines = {line for t in tokens if t.type in _MD_CODE and t.map for line in range(*t.map)}
    for match in _MD_FOOTNOTE_DEFINITION.finditer(text):
        line = len(_LINE_BREAK.findall(text, 0, match.start()))
        if line not in code_lines and not any(first <= line < last for first, last in line_ranges):
            line_ranges.add((line, line + 1))
    blocks = [(line_starts[first], min(line_starts[last] - 1, len(text))) for first, last in sorted(line_ranges)]
    front_matter = [t.map for t in tokens if t.type == "front_matter" and t.map]
    if front_matter and front_matter_fields:
        blocks = sorted(blocks + _front_matter_values(text, line_starts, *front_matter[0], set(front_matter_fields)))
    between = zip([0] + [end for _, end in blocks], [start for start, _ in blocks] + [len(text)], strict=True)
    prose = blanked(text, list(between))
    hidden = [
        m.span()
        for p in (_MD_HIDDEN_HTML, _MD_HTML, _MD_INLINE_CODE, _MD_IMAGE, _URL, _MD_LINE_SYNTAX, _MD_ESCAPE)
        for m in p.finditer(prose)
    ]
    for match in _MD_LINK.finditer(prose):
        hidden += [(match.start(), match.start("text")), (match.end("text"), match.end())]
    prose = blanked(prose, hidden)
    return prose, [b for s, e in blocks for b in _split_blocks(prose, s, e, _BLANK_LINES)]


# A top-level `key: value` line of YAML front matter; the value is one line, quoted or plain.
_FRONT_MATTER_FIELD = re.compile(
    r"(?P<key>[^\s:#][^:#]*?)[ \t]*:[ \t]+"
    r"(?:\"(?P<double>[^\"\\]*(?:\\.[^\"\\]*)*)\"|'(?P<single>[^']*(?:''[^']*)*)'|(?P<plain>[^\s\"'|>\[{&*!%@`#].*?))"
    r"[ \t]*(?:[ \t]#.*)?"
)


def _front_matter_values(
    text: str, line_starts: list[int], first: int, last: int, fields: set[str]
) -> list[tuple[int, int]]:
    """The spans of the named front matter fields' values, quotes left out: prose, one block each.

    Only single-line scalars: a block scalar (`|`, `>`), a flow list or mapping, or a plain value
    continued on the next line is left blanked, as is every other key.
    """
    spans = []
    for line in range(first + 1, last - 1):  # inside the `---` fences
        start, end = line_starts[line], line_starts[line + 1]
        content = text[start:end].rstrip("\r\n")
        match = _FRONT_MATTER_FIELD.fullmatch(content)
        following = text[end : line_starts[line + 2]] if line + 2 < len(line_starts) else ""
        if not match or match["key"] not in fields:
            continue
        if match["plain"] is not None and following[:1] in (" ", "\t") and following.strip():
            continue  # a plain scalar that goes on over more lines
        group = next(name for name in ("double", "single", "plain") if match[name] is not None)
        if match[group].strip():
            spans.append((start + match.start(group), start + match.end(group)))
    return spans


# --- HTML -------------------------------------------------------------------------------------
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


class _HtmlReader(HTMLParser):
    """One pass over the source: prose in place, block boundaries, footnote references and definitions."""

    def __init__(self, text: str, skip: Sequence[str] = ()) -> None:
        super().__init__(convert_charrefs=False)  # entities come one by one, at their positions
        self.hidden_tags = _HTML_HIDDEN | {tag.lower() for tag in skip}
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]  # getpos counts "\n" only
        self.chars = [c if c in "\r\n" else " " for c in text]
        self.hidden: list[str] = []
        self.open: list[_OpenElement] = []
        self.markers: list[_OpenMarker] = []
        self.boundaries: list[int] = []
        self.entity_ends: dict[int, int] = {}
        self.ids: dict[str, tuple[int, int]] = {}
        self.references: list[Marker] = []
        self.definitions: list[Marker] = []
        self.block_text = ""

    def read(self) -> _HtmlPage:
        self.feed(self.text)
        self.close()
        for reference in list(self.references):
            name = reference.key.removeprefix("html:")
            if reference.key.startswith("html:") and name in self.ids:
                self.definitions.append(Marker(reference.key, name, *self.ids[name]))
        definitions = list({(d.key, d.start): d for d in self.definitions}.values())
        prose = "".join(self.chars)
        return _HtmlPage(prose, self._blocks(prose), self.references, definitions, self._stretch)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _blocks(self, prose: str) -> list[tuple[int, int]]:
        # A block runs from the first block-level tag after the previous block's text, so a
        # footnote's id (<li id="fn1"><p>...) falls inside the block that holds its text.
        blocks, cursor = [], 0
        for boundary in (*self.boundaries, len(prose)):
            if prose[cursor:boundary].strip():
                blocks.append((cursor, boundary))
                cursor = boundary
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
        if tag in _HTML_BLOCKS and self.open and self.open[-1].tag == "p":
            self.open.pop()  # a block-level start tag ends an open paragraph
        if tag == "li":
            self._close_open_item()
        id_span = self._id_span(raw, start)
        if id_span and attributes.get("id"):
            self.ids.setdefault(attributes["id"], id_span)
        if tag == "li":
            self._footnote_item(attributes.get("id", ""), id_span, (start, start + len(raw)))
        if tag not in _HTML_VOID:
            describes = " ".join((attributes.get("class", ""), attributes.get("id", ""), attributes.get("role", "")))
            self.open.append(_OpenElement(tag, 0 if _HTML_NOTES.search(describes) else None))
        if tag == "sup" or (tag == "a" and attributes.get("href", "").startswith("#") and len(attributes["href"]) > 1):
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
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

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
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag in ("ol", "ul"):
                return
            if self.open[index].tag == "li":
                del self.open[index:]
                return

    def _footnote_item(self, id: str, id_span: tuple[int, int] | None, tag_span: tuple[int, int]) -> None:
        """An item of a footnote list defines its number and, with an id, the links to it."""
        notes = next((i for i in range(len(self.open) - 1, -1, -1) if self.open[i].notes is not None), None)
        if notes is None or sum(e.tag in ("ol", "ul") for e in self.open[notes + 1 :]) != 1:
            return
        container = self.open[notes]
        container.notes = (container.notes or 0) + 1
        if id and id_span:
            self.definitions.append(Marker(f"html:{id}", id, *id_span))
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
            self.references[-1] = replace(self.references[-1], end=end)  # <sup><a href="#fn1">1</a></sup>
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


# --- Word (.docx) -----------------------------------------------------------------------------
# A .docx is read with python-docx into text of one paragraph a line: the body's paragraphs,
# then the tables' cells row by row, then the footnotes' and endnotes' paragraphs, so a
# finding's line is the paragraph number and its column the character in the paragraph.
# Word's own footnotes resolve: a footnote reference is a zero-width Marker "docx:N" where
# its run sits (a custom mark such as "*" is the marker's text), and footnote N's first
# paragraph starts its definition. The file is opened read-only, from bytes read once.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_SKIP = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}txbxContent",  # text boxes float outside the paragraph's text
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",  # a copy of the Choice
    }
)
_DOCX_NOTES = (  # relationship type suffix, element, reference element, key prefix
    ("/footnotes", f"{_W}footnote", f"{_W}footnoteReference", "docx:"),
    ("/endnotes", f"{_W}endnote", f"{_W}endnoteReference", "docx:endnote:"),
)
_LINE_BREAKS_IN_RUN = re.compile(r"[\r\n\v\f\x85\u2028\u2029]")


def read_docx(path: Path) -> Document:
    """Read a Word .docx file (never writing it); a file that is not one is an InputError."""
    from claimcheck.sources import read_bytes

    data = read_bytes(path)
    try:
        import docx

        word = docx.Document(io.BytesIO(data))
        paragraphs = _docx_paragraphs(word)
    except Exception:  # python-docx raises zipfile, KeyError, lxml and ValueError errors for a broken file
        raise InputError(f"{path}: not a valid .docx file (corrupt, or not a Word document), not linted") from None
    lines, references, definitions, offset = [], [], [], 0
    for text, notes, defines in paragraphs:
        lines.append(text)
        references.extend(Marker(key, written, offset + start, offset + end) for key, written, start, end in notes)
        if defines:
            definitions.append(Marker(defines, defines.rpartition(":")[2], offset, offset))
        offset += len(text) + 1
    text = "\n".join(lines)
    return _assemble(str(path), "docx", text, *_read_lines(text), references, definitions)


def _docx_paragraphs(word) -> list[tuple[str, list[tuple[str, str, int, int]], str | None]]:  # type: ignore[no-untyped-def]
    """(text, footnote references, the footnote key it starts or None) for each paragraph, in reading order."""
    body = word.element.body
    paragraphs: list[tuple[str, list[tuple[str, str, int, int]], str | None]] = []
    tables = []
    for child in body.iterchildren():
        for element in [child] if child.tag != f"{_W}sdt" else child.iterfind(f"{_W}sdtContent/*"):
            if element.tag == f"{_W}p":
                paragraphs.append((*_docx_paragraph(element), None))
            elif element.tag == f"{_W}tbl":
                tables.append(element)
    for table in tables:
        paragraphs.extend((*_docx_paragraph(p), None) for p in _docx_table_paragraphs(table))
    for suffix, note_tag, _, prefix in _DOCX_NOTES:
        part = next(
            (r.target_part for r in word.part.rels.values() if not r.is_external and r.reltype.endswith(suffix)),
            None,
        )
        if part is None:
            continue
        from docx.oxml import parse_xml

        for note in parse_xml(part.blob).iterchildren(note_tag):
            if note.get(f"{_W}type") not in (None, "normal"):
                continue  # separators
            for index, p in enumerate(note.iter(f"{_W}p")):
                paragraphs.append((*_docx_paragraph(p), f"{prefix}{note.get(f'{_W}id')}" if index == 0 else None))
    return paragraphs


def _docx_table_paragraphs(table) -> list:  # type: ignore[no-untyped-def]
    """A table's paragraphs row by row, cell by cell; nested tables where they sit."""
    found = []
    for row in table.iterfind(f"{_W}tr"):
        for cell in row.iterfind(f"{_W}tc"):
            for child in cell.iterchildren():
                if child.tag == f"{_W}p":
                    found.append(child)
                elif child.tag == f"{_W}tbl":
                    found.extend(_docx_table_paragraphs(child))
    return found


def _docx_paragraph(paragraph) -> tuple[str, list[tuple[str, str, int, int]]]:  # type: ignore[no-untyped-def]
    """A paragraph's text as Word shows it on one line, and its note references (key, text, start, end)."""
    parts: list[str] = []
    notes: list[tuple[str, str, int, int]] = []
    length = 0
    custom_mark: tuple[str, int] | None = None  # a reference whose mark is the next text ("*")

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        nonlocal length, custom_mark
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue
            if tag == f"{_W}t":
                written = _LINE_BREAKS_IN_RUN.sub(" ", child.text or "")
                if custom_mark and written:
                    key, start = custom_mark
                    notes.append((key, written, start, start + len(written)))
                    custom_mark = None
                parts.append(written)
                length += len(written)
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append("\t")
                length += 1
            elif tag in (f"{_W}br", f"{_W}cr"):  # a line break inside the paragraph
                parts.append(" ")
                length += 1
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
                length += 1
            elif any(tag == reference for _, _, reference, _ in _DOCX_NOTES):
                prefix = next(p for _, _, reference, p in _DOCX_NOTES if tag == reference)
                key = f"{prefix}{child.get(f'{_W}id')}"
                if child.get(f"{_W}customMarkFollows") in ("1", "true", "on"):
                    custom_mark = (key, length)
                else:
                    notes.append((key, key.rpartition(":")[2], length, length))
            else:
                walk(child)

    walk(paragraph)
    if custom_mark:  # the custom mark never came: a zero-width reference after all
        notes.append((custom_mark[0], custom_mark[0].rpartition(":")[2], custom_mark[1], custom_mark[1]))
    return "".join(parts), notes


def _read_lines(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Prose and blocks of text that has one paragraph a line (a .docx's): every line is a block."""
    chars = list(text)
    for match in _URL.finditer(text):
        _blank(chars, *match.span())
    prose = "".join(chars)
    blocks, start = [], 0
    for line in prose.split("\n"):
        if line.strip():
            blocks.append((start, start + len(line)))
        start += len(line) + 1
    return prose, blocks
