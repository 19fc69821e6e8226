"""MDX: Markdown with ESM lines, {expressions} and JSX tags, which are code, not prose.

They are blanked first, so the prose inside components reads as Markdown. MDX has no HTML
comments; directives are expression comments::

    {/* claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03 */}
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from claimcheck.readers.document import Document, assemble
from claimcheck.readers.markdown import MarkdownReader, markdown_prose, needs_inline
from claimcheck.readers.text import ReadOptions, TextReader
from claimcheck.text import blanked

# ESM lines, {expressions} (one level of nesting) and JSX tags.
_MDX_CODE = re.compile(
    r"^(?:import|export)\b.*$|\{(?:[^{}]|\{[^{}]*\})*\}|</?[A-Za-z][\w.:-]*(?:\s(?:[^<>{}]|\{[^{}]*\})*?)?/?>",
    re.MULTILINE,
)
_MDX_DIRECTIVE = re.compile(r"\{/\*\s*(?P<body>claimcheck-.{0,2000}?)\s*\*/\}", re.DOTALL)  # bounded, as in markdown


_COMMENT_OPEN = re.compile(r"\{/\*")
# A fenced code block: its opening fence, and the text up to a closing fence of the same
# character at least as long, or the end of the page (CommonMark's reading).
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}).*$(?:.|\n)*?(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)", re.MULTILINE)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code is. An expression comment never closed (`{/* draft` and no `*/}`) runs to
    the end of the page, as MDX's compiler reads it (it stops there with "Unterminated
    comment"): what follows is no prose, and its asterisks are no footnote markers. Inside a
    fenced code block, braces and tags are the code's own text, as MDX reads them: a `{` or
    `{/*` there opens nothing (the fence itself is code to the Markdown reader)."""
    spans = []
    openings = []
    for start, end in _outside_fences(text):
        spans.extend(match.span() for match in _MDX_CODE.finditer(text, start, end))
        openings.extend(match.start() for match in _COMMENT_OPEN.finditer(text, start, end))
    starts = [start for start, _ in spans]
    for opening in openings:
        inside = bisect_right(starts, opening) - 1
        if inside < 0 or spans[inside][1] <= opening:
            return [*spans[: inside + 1], (opening, len(text))]
    return spans


def _outside_fences(text: str) -> list[tuple[int, int]]:
    """The stretches of the text between fenced code blocks."""
    stretches, start = [], 0
    for fence in _FENCE.finditer(text) if "``" in text or "~~" in text else ():
        stretches.append((start, fence.start()))
        start = fence.end()
    stretches.append((start, len(text)))
    return stretches


@cache
def mdx_parser(inline: bool = True):  # type: ignore[no-untyped-def]
    """Markdown as MDX reads it: without indented code blocks (MDX has none), so prose that a
    component's tag leaves indented once the tag is blanked (`<Callout>Our cream ...`) stays prose.
    Without its inline pass unless that is needed (markdown.needs_inline)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").disable("code").use(front_matter_plugin).use(footnote_plugin)
    return md if inline else md.disable("inline")


class MdxReader(MarkdownReader):
    format = "mdx"
    directive = _MDX_DIRECTIVE

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        markdown = blanked(text, _code_spans(text))
        tokens = mdx_parser(needs_inline(markdown)).parse(markdown)
        prose, blocks = markdown_prose(markdown, tokens, options.front_matter_fields)
        return assemble(path, self.format, text, prose, blocks, comments=self.comments(text))

    def comment(self, body: str) -> str:
        return f"{{/* {body} */}}"

    # A paragraph goes where it goes in plain text (`check --fix` never looked for MDX front matter).
    insert_paragraph = TextReader.insert_paragraph
