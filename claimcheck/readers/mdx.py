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
from claimcheck.readers.markdown import MarkdownReader, markdown_prose
from claimcheck.readers.text import ReadOptions, TextReader
from claimcheck.text import blanked

# ESM lines, {expressions} (one level of nesting) and JSX tags.
_MDX_CODE = re.compile(
    r"^(?:import|export)\b.*$|\{(?:[^{}]|\{[^{}]*\})*\}|</?[A-Za-z][\w.:-]*(?:\s(?:[^<>{}]|\{[^{}]*\})*?)?/?>",
    re.MULTILINE,
)
_MDX_DIRECTIVE = re.compile(r"\{/\*\s*(?P<body>claimcheck-.{0,2000}?)\s*\*/\}", re.DOTALL)  # bounded, as in markdown


_COMMENT_OPEN = re.compile(r"\{/\*")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code is. An expression comment never closed (`{/* draft` and no `*/}`) runs to
    the end of the page, as MDX's compiler reads it (it stops there with "Unterminated
    comment"): what follows is no prose, and its asterisks are no footnote markers."""
    spans = [match.span() for match in _MDX_CODE.finditer(text)]
    starts = [start for start, _ in spans]
    for opening in _COMMENT_OPEN.finditer(text):
        inside = bisect_right(starts, opening.start()) - 1
        if inside < 0 or spans[inside][1] <= opening.start():
            return [*spans[: inside + 1], (opening.start(), len(text))]
    return spans


@cache
def mdx_parser():  # type: ignore[no-untyped-def]
    """Markdown as MDX reads it: without indented code blocks (MDX has none), so prose that a
    component's tag leaves indented once the tag is blanked (`<Callout>Our cream ...`) stays prose."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").disable("code").use(front_matter_plugin).use(footnote_plugin)


class MdxReader(MarkdownReader):
    format = "mdx"
    directive = _MDX_DIRECTIVE

    def read(self, text: str, path: str, options: ReadOptions) -> Document:
        markdown = blanked(text, _code_spans(text))
        prose, blocks = markdown_prose(markdown, mdx_parser().parse(markdown), options.front_matter_fields)
        return assemble(path, self.format, text, prose, blocks, comments=self.comments(text))

    def comment(self, body: str) -> str:
        return f"{{/* {body} */}}"

    # A paragraph goes where it goes in plain text (`check --fix` never looked for MDX front matter).
    insert_paragraph = TextReader.insert_paragraph
