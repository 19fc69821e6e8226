"""Markdown (CommonMark with tables, front matter and footnotes, by markdown-it-py).

Prose is the inline content and the text of HTML blocks; code, HTML tags, link targets,
images, URLs and front matter (but the fields the config names) are blanked. Directives
are HTML comments outside code::

    <!-- claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03 -->
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from typing import ClassVar

from claimcheck.readers.document import Comment, Document, assemble
from claimcheck.readers.text import BLANK_LINES, ReadOptions, TextReader, prepend, split_blocks, url_spans
from claimcheck.text import blanked, newline_of, position, split_lines
from claimcheck.text import line_starts as text_line_starts

# A directive's body is bounded: an unclosed "<!-- claimcheck-" repeated would otherwise make each
# opening search to the end of the text (quadratic).
COMMENT_DIRECTIVE = re.compile(r"<!--\s*(?P<body>claimcheck-.{0,2000}?)\s*-->", re.DOTALL)  # Markdown and HTML

# Inline Markdown that is not prose. Links keep their text and lose their target.
_MD_INLINE_CODE = re.compile(r"(`+)[^`]*?\1")
# Targets are bounded (2,000 characters): "[a](" repeated with no ")" made each opening search to
# the end of its line (quadratic on a long line).
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"(?<!\\)\[(?!\^)(?P<text>[^\[\]\n]*)\](?P<target>\([^)\n]{0,2000}\)|\[[^\]\n]{0,2000}\])")
_MD_HTML = re.compile(r"</?[A-Za-z][^<>\n]*>|<(?:https?|mailto):[^<>\s]*>")  # comments: _open_to_close
_MD_LINE_SYNTAX = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]|(?:[-+*]|\d{1,9}[.)])[ \t]+|[=-]{2,}[ \t]*$)?", re.MULTILINE
)
_MD_ESCAPE = re.compile(r"\\(?=[!-)+-/:-@\[-\]_`{-~])")  # not before * or ^: escaped markers are still markers
# A table cell's text: escaped characters and anything but a pipe or a line break (a pipe ends
# a cell inside a code span too, as GFM has it). Each cell is a block of its own, as an HTML
# table's cells are.
_MD_TABLE_CELL = re.compile(r"(?:\\.|[^|\\\r\n])+")
# Footnote definitions the Markdown parser drops when nothing references them.
_MD_FOOTNOTE_DEFINITION = re.compile(r"^[ ]{0,3}\[\^[^\]\s]+\]:.*$", re.MULTILINE)


_MD_CODE = frozenset({"fence", "code_block", "html_block", "front_matter"})
# HTML whose content is not prose, inside Markdown: scripts, styles, code; and comments.
_MD_HIDDEN_OPEN = re.compile(r"<(script|style|pre|code|template|noscript|svg)\b", re.IGNORECASE)


def _open_to_close(prose: str, opening: re.Pattern[str]) -> list[tuple[int, int]]:
    """Each element (or comment) from its opening to the first closing of the same name after it.

    One regex (`<(code)\\b.*?</\\1>`) would scan to the end of the text again from every unclosed
    `<code`, quadratic in their number; here a name seen unclosed once is never searched again.
    """
    spans: list[tuple[int, int]] = []
    cursor, unclosed = 0, set()
    for match in opening.finditer(prose):
        name = match[1].lower() if opening.groups else ""
        if match.start() < cursor or name in unclosed:
            continue
        closing = rf"</{name}\s*>" if name else "-->"
        close = re.compile(closing, re.IGNORECASE).search(prose, match.end())
        if close is None:
            unclosed.add(name)
            continue
        spans.append((match.start(), close.end()))
        cursor = close.end()
    return spans


def _comments(prose: str, blocks: list[tuple[int, int]], html_starts: set[int]) -> list[tuple[int, int]]:
    """HTML comments, found block by block as the Markdown parser reads them (`html_starts`: where
    the HTML blocks start).

    In a paragraph (inline HTML), a comment opens at a "<!--" outside a code span and closes at
    the first "-->" after it in the same paragraph; a "<!--" the paragraph does not close is text,
    and so is a "-->" with no comment open ("Step 1 --> Step 2": the page shows "-->", escaped).
    In an HTML block, which is passed on as written, a comment closes at its first "-->"; one the
    block does not close goes on as the browser reads it: over the following paragraphs (their
    "-->" are escaped text, closing nothing) to the first "-->" passed on as written, in a later
    HTML block or ending a paragraph's own comment, else to the end of the page, as the HTML reader
    reads an unclosed comment (MDX's `{/*` likewise).
    """
    spans: list[tuple[int, int]] = []
    open_at = -1  # where a comment an HTML block left open starts
    for start, end in blocks:
        html = start in html_starts
        found = _html_block_comments(prose, start, end) if html else _inline_comments(prose, start, end)
        if open_at >= 0:
            if html:
                close = prose.find("-->", start, end)
                closed_at = close + 3 if close >= 0 else -1
            else:
                closed_at = found[0][1] if found and found[0][1] <= end else -1
            if closed_at < 0:
                continue
            spans.append((open_at, closed_at))
            open_at = -1
            found = _html_block_comments(prose, closed_at, end) if html else _inline_comments(prose, closed_at, end)
        for opening, closing in found:
            if closing > end:  # left open by an HTML block
                open_at = opening
            else:
                spans.append((opening, closing))
    if open_at >= 0:
        spans.append((open_at, len(prose)))
    return spans


def _html_block_comments(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comments of an HTML block's text; the last, if the block does not close it, ends past `end`."""
    found = []
    while (opening := prose.find("<!--", start, end)) >= 0:
        close = prose.find("-->", opening + 4, end)
        if close < 0:
            found.append((opening, end + 1))
            break
        found.append((opening, close + 3))
        start = close + 3
    return found


_COMMENT_OR_CODE = re.compile(r"<!--|`")


def _inline_comments(prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comments of a paragraph's text: each "<!--" outside a code span (whichever of the two
    starts first wins, as in CommonMark) to the first "-->" after it. Linear: each code span and
    comment is passed once, and an unclosed "<!--" ends the search (no "-->" follows it)."""
    found = []
    cursor = start
    while match := _COMMENT_OR_CODE.search(prose, cursor, end):
        if match[0] == "`":
            code = _MD_INLINE_CODE.match(prose, match.start(), end)
            cursor = code.end() if code else match.start() + len(match[0])
            while cursor < end and not code and prose[cursor] == "`":  # an unclosed run of backticks
                cursor += 1
            continue
        close = prose.find("-->", match.end(), end)
        if close < 0:
            break
        found.append((match.start(), close + 3))
        cursor = close + 3
    return found


@cache
def parser(inline: bool = True):  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    return md if inline else md.disable("inline")


def needs_inline(text: str) -> bool:
    """Must the parser parse the text's inline content for the block tokens the readers read
    (their type, lines and level)? Its inline pass fills each inline token's children, which no
    reader reads, and finds footnote references, which keep their definitions' tokens (the
    footnote plugin drops the others): so only where a definition can be, at a "[^". Skipping it
    elsewhere made the tokens of a table's 200,000 rows a fifth fewer, and parsing 2.5 times faster.
    """
    return "[^" in text


def markdown_prose(text: str, tokens: list, front_matter_fields: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:  # type: ignore[type-arg]
    """Prose and blocks of Markdown from its parsed tokens."""
    line_starts = [*text_line_starts(text), len(text) + 1]
    # Prose: inline content, and HTML blocks (their tags and code are blanked below).
    line_ranges = {tuple(t.map) for t in tokens if t.type in ("inline", "html_block") and t.map}
    code_lines = {line for t in tokens if t.type in _MD_CODE and t.map for line in range(*t.map)}
    # (Lines by bisection, and the lines already prose as a set: counting line breaks from the
    # start for every definition, and testing every range, was quadratic in their number.)
    in_prose = {line for first, last in line_ranges for line in range(first, last)}
    for match in _MD_FOOTNOTE_DEFINITION.finditer(text):
        line = bisect_right(line_starts, match.start()) - 1
        if line not in code_lines and line not in in_prose:
            line_ranges.add((line, line + 1))
    line_ranges |= _beyond_nesting_limit(text, tokens, line_ranges, code_lines)
    blocks = [(line_starts[first], min(line_starts[last] - 1, len(text))) for first, last in sorted(line_ranges)]
    front_matter = [t.map for t in tokens if t.type == "front_matter" and t.map]
    if front_matter and front_matter_fields:
        blocks = sorted(blocks + _front_matter_values(text, line_starts, *front_matter[0], set(front_matter_fields)))
    between = zip([0] + [end for _, end in blocks], [start for start, _ in blocks] + [len(text)], strict=True)
    prose = blanked(text, list(between))
    html_starts = {line_starts[t.map[0]] for t in tokens if t.type == "html_block" and t.map}
    hidden = _open_to_close(prose, _MD_HIDDEN_OPEN) + _comments(prose, blocks, html_starts)
    hidden += [
        m.span() for p in (_MD_HTML, _MD_INLINE_CODE, _MD_IMAGE, _MD_LINE_SYNTAX, _MD_ESCAPE) for m in p.finditer(prose)
    ]
    hidden += url_spans(prose)
    for match in _MD_LINK.finditer(prose):
        hidden += [(match.start(), match.start("text")), (match.end("text"), match.end())]
    prose = blanked(prose, hidden)
    # A table's rows stay in the prose whole (a cell holding only a footnote marker is read between
    # its pipes), but each cell is a block of its own.
    table_rows = {line_starts[line] for t in tokens if t.type == "table_open" and t.map for line in range(*t.map)}
    return prose, [
        block
        for start, end in blocks
        for block in (
            _table_cells(text, prose, start, end)
            if start in table_rows
            else split_blocks(prose, start, end, BLANK_LINES)
        )
    ]


def _table_cells(text: str, prose: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a table's row, each a block without its pipes and padding: "| For arthritis
    | Relieves joint pain |" is two statements, not one sentence with a pipe in it. Cells are
    found in the text, where an escaped pipe is still escaped, and trimmed in the prose."""
    cells = []
    for match in _MD_TABLE_CELL.finditer(text, start, end):
        cell = prose[match.start() : match.end()]
        if cell.strip():
            cells.append((match.start() + len(cell) - len(cell.lstrip()), match.start() + len(cell.rstrip())))
    return cells


def _beyond_nesting_limit(
    text: str, tokens: list, line_ranges: set[tuple[int, int]], code_lines: set[int]
) -> set[tuple[int, int]]:  # type: ignore[type-arg]
    """Lines the parser left unparsed inside block quotes or lists nested past its limit
    (maxNesting, 20): prose, one line a block, rather than never linted."""
    limit = parser().options["maxNesting"]
    deep = [t.map for t in tokens if t.type in ("blockquote_open", "list_item_open") and t.map and t.level >= limit - 2]
    if not deep:
        return set()
    covered = code_lines | {line for first, last in line_ranges for line in range(first, last)}
    covered |= {line for t in tokens if t.map and t.type not in _CONTAINERS for line in range(*t.map)}
    lines = split_lines(text)
    return {
        (line, line + 1)
        for first, last in deep
        for line in range(first, min(last, len(lines)))
        if line not in covered and lines[line].strip()
    }


_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"})


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


class MarkdownReader(TextReader):
    format = "markdown"
    comment_indent: ClassVar[re.Pattern[str]] = re.compile(r"[ \t]*(?:>[ \t]?)*")  # inside a block quote too
    directive = COMMENT_DIRECTIVE

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        tokens = parser(needs_inline(text)).parse(text)
        prose, blocks = markdown_prose(text, tokens, options.front_matter_fields)
        return assemble(path, self.format, text, prose, blocks, comments=self.comments_outside_code(text, tokens))

    def comments_outside_code(self, text: str, tokens: list) -> list[Comment]:  # type: ignore[type-arg]
        """Comments shown in code blocks or code spans are examples, not directives."""
        found = self.comments(text)
        if not found:
            return []
        starts = text_line_starts(text)
        code_lines = {line for t in tokens if t.type in ("fence", "code_block") and t.map for line in range(*t.map)}
        code_spans = [match.span() for match in _MD_INLINE_CODE.finditer(text)]
        return [
            comment
            for comment in found
            if position(starts, comment.start)[0] - 1 not in code_lines
            and not any(start < comment.start < end for start, end in code_spans)
        ]

    def comment(self, body: str) -> str:
        return f"<!-- {body} -->"

    def insert_paragraph(self, text: str, paragraph: str, where: str) -> tuple[int, str]:
        if where == "start":  # after the front matter
            return prepend(text, paragraph, newline_of(text), front_matter=True)
        return super().insert_paragraph(text, paragraph, where)
