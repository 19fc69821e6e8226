"""The reader registry: one Reader per format, each knowing its comment syntax; Document immutable."""

from __future__ import annotations

import dataclasses

import pytest

from claimcheck import lint_text, readers
from claimcheck.filters.suppressions import parse
from claimcheck.readers import READERS, read_document
from claimcheck.text import for_matching


def test_replace_builds_its_own_line_table() -> None:
    document = read_document("a\nb\n", "a.txt")
    copy = dataclasses.replace(document, text="x\n\n\ny\n", prose="x\n\n\ny\n")
    assert document.position(2) == (2, 1)
    assert copy.position(4) == (4, 1)
    assert document.position(4) == (3, 1)  # the original's table is untouched


def _suffix(format: str) -> str:
    return next(suffix for suffix, named in readers.FORMATS.items() if named == format)


@pytest.mark.parametrize("format", [f for f in READERS if f != "docx"])
def test_each_reader_reads_the_comment_it_writes(format: str) -> None:
    reader = READERS[format]
    comment = reader.comment("claimcheck-disable-next-line core/efficacy-claim -- approved")
    document = reader.read(
        f"Intro.\n\n{comment}\nIt cures arthritis.\n", f"page{_suffix(format)}", readers.ReadOptions()
    )
    [directive] = parse(document)
    assert (directive.action, directive.selectors, directive.reason) == (
        "disable-next-line",
        ("core/efficacy-claim",),
        "approved",
    )


def test_every_suffix_has_one_reader() -> None:
    for suffix, format in readers.FORMATS.items():
        assert readers.for_path(f"page{suffix}") is READERS[format]
    assert readers.for_path("page.py") is None
    assert readers.for_path("README") is READERS["text"]


def test_html_with_a_bogus_marked_section_is_read_not_crashed():
    # The standard library's parser raises AssertionError on "<![" followed by an unknown
    # keyword (found by tests/test_fuzz.py); the reader skips it and reads on.
    from claimcheck import lint_text

    findings = lint_text("<![img](a.png) Our tea cures colds.", "page.html")
    assert [(f.line, f.column, f.excerpt) for f in findings if f.kind == "claim"] == [(1, 24, "cures colds")]


@pytest.mark.parametrize(
    ("text", "excerpt", "words"),
    [
        ("[R]elieves depression.", "[R]elieves depression", "Relieves depression"),
        ("Nattokinase prevent[s] blood clots.", "prevent[s] blood clots", "prevents blood clots"),
        ("Reduc[e] the signs of arthritis.", "Reduc[e] the signs of arthritis", "Reduce the signs of arthritis"),
        ("[A]nti-inflammatory", "[A]nti-inflammatory", "Anti-inflammatory"),
    ],
)
def test_letters_edited_in_brackets_are_read_as_the_word(text, excerpt, words):
    # Regulators' letters quote copy with letters changed in brackets; offsets stay on the original.
    (found,) = [f for f in lint_text(text, "quote.txt") if f.rule == "core/efficacy-claim"]
    assert found.excerpt == excerpt
    assert f"triggered by '{words}'" in found.explanation


def test_sic_is_a_remark_not_letters_of_the_word():
    document = read_document("It is Significant[sic] relief.", "quote.txt", "text")
    assert "Significant[sic]" in document.prose


def test_a_hyphen_stuck_to_the_front_of_a_word_is_a_dash():
    assert (
        for_matching("Prevention -Lowers risk, cancer-fighting, -5 dB")
        == "Prevention  Lowers risk, cancer-fighting, -5 dB"
    )
    (found,) = [f for f in lint_text("Cancer Prevention -Lowers risk of colon cancer", "x.txt") if f.kind == "claim"]
    assert found.excerpt == "Lowers risk of colon cancer"


@pytest.mark.parametrize("path", ["page.md", "page.mdx"])
def test_each_markdown_table_cell_is_a_block_of_its_own(path):
    # As an HTML table's cells are: a row is not one sentence with pipes in it, so a use that
    # opens a cell ("For arthritis") is found where it stands.
    text = "| Use | Result |\n|---|---|\n| For arthritis | Relieves joint pain |\n| Price \\| tax | $20 |\n"
    document = read_document(text, path, "mdx" if path.endswith("mdx") else "markdown")
    cells = [document.prose[start:end] for start, end in document.blocks]
    assert cells == ["Use", "Result", "For arthritis", "Relieves joint pain", "Price  | tax", "$20"]  # escape blanked
    found = sorted((f.line, f.column, f.excerpt) for f in lint_text(text, path) if f.rule == "core/efficacy-claim")
    assert found == [(3, 3, "For arthritis"), (3, 19, "Relieves joint pain")]


def test_an_mdx_comment_never_closed_runs_to_the_end_and_its_asterisks_are_no_markers() -> None:
    text = "# Title\n\n{/* ok */}\n\nOur tea soothes.\n\n{/* a draft\n\nOur cream * cures * acne.\n"
    document = read_document(text, "page.mdx", "mdx")
    assert "soothes" in document.prose and "cures" not in document.prose and "*" not in document.prose
    assert not [f for f in lint_text(text, path="page.mdx") if f.rule == "core/footnote-unresolved"]
    assert len(document.prose) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our tea soothes.\n\n<!-- a draft\n\nOur pill cures gout * today.\n",
        # In a block quote or an HTML block the comment is passed on as written, and a browser
        # reads it to the end of the page, past the quote or block.
        "> Our tea soothes. <!-- ok -->\n> <!-- a draft\n\nOur pill cures gout * today.\n",
        "<div>\nOur tea soothes. <!-- a draft\n\nOur pill cures gout * today.\n",
    ],
)
def test_a_markdown_comment_never_closed_hides_the_rest_of_the_page(text) -> None:
    # As the HTML and MDX readers read theirs: what follows is no prose and holds no markers.
    document = read_document(text, "page.md", "markdown")
    assert "soothes" in document.prose and "cures" not in document.prose and "*" not in document.prose
    assert not [f for f in lint_text(text, path="page.md") if f.kind == "claim"]
    assert len(document.prose) == len(text)


def test_an_unclosed_comment_opening_in_a_paragraph_is_text() -> None:
    # CommonMark shows "<!--" with no "-->" in a paragraph as written: the page goes on.
    text = "Our tea soothes <!-- a draft.\n\nOur pill cures gout.\n"
    found = [f.excerpt for f in lint_text(text, path="page.md") if f.rule == "core/efficacy-claim"]
    assert found == ["cures gout"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A "-->" in a paragraph with no comment open is text, shown as written.
        ("Step 1 --> Step 2. Our tea cures arthritis.\n", [(1, 28, "cures arthritis")]),
        ("<!-- note -->\n\nStep 1 --> Step 2. Our tea cures arthritis.\n", [(3, 28, "cures arthritis")]),
        # "<!--" in a code span opens nothing: a later "-->" hid everything between.
        (
            "Type `<!--` to open one. Our tea cures arthritis.\n\nStep 1 --> Step 2. Our pill reverses gout.\n",
            [(1, 34, "cures arthritis"), (3, 29, "reverses gout")],
        ),
        ("Close it with `-->`. Our tea cures arthritis.\n", [(1, 30, "cures arthritis")]),
        # "<!--" a paragraph does not close is text, not closed by another paragraph's "-->".
        (
            "Write <!-- in HTML.\n\nOur tea cures arthritis.\n\nStep 1 --> Step 2\n",
            [(3, 9, "cures arthritis")],
        ),
        # A comment in a paragraph ends at its first "-->", in a code span or not (CommonMark).
        ("A <!-- x `-->` y --> Our tea cures arthritis.\n", [(1, 30, "cures arthritis")]),
    ],
)
def test_a_literal_arrow_or_a_comment_opening_in_code_hides_nothing(text, expected) -> None:
    found = [(f.line, f.column, f.excerpt) for f in lint_text(text, path="page.md") if f.rule == "core/efficacy-claim"]
    assert found == expected
    assert len(read_document(text, "page.md", "markdown").prose) == len(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # A comment an HTML block leaves open is not closed by a paragraph's "-->" (escaped on the
        # page, "--&gt;"): the browser reads it on to the end of the page.
        ("Our tea soothes.\n\n<div>\n<!-- a draft\n\n</div>\n\nStep 1 --> Step 2. Our pill cures gout.\n", []),
        # It is closed by a "-->" passed on as written: in a later HTML block, or ending a comment
        # in a paragraph.
        ("<div>\n<!-- a draft\n\nOur pill cures gout.\n\n</div> -->\n\nOur tea cures arthritis.\n", ["arthritis"]),
        ("<div>\n<!-- a\n\nOur pill cures gout --> or <!-- b --> it cures arthritis.\n", ["arthritis"]),
    ],
)
def test_a_comment_left_open_by_an_html_block_ends_where_the_browser_ends_it(text, shown) -> None:
    document = read_document(text, "page.md", "markdown")
    assert "gout" not in document.prose and [w for w in ("arthritis",) if w in document.prose] == shown
    assert len(document.prose) == len(text)


def test_braces_in_an_mdx_code_fence_are_the_codes_own_text() -> None:
    # MDX reads a fenced block literally: "{/*" there opens no comment and "{" no expression, so
    # the prose after the fence is still read (it was hidden to the end of the page).
    text = "# Title\n\n```mdx\n{/* a comment, as the docs show one\n```\n\nOur cream cures acne.\n\n"
    text += "```js\nif (x) {\n```\n\nOur tea relieves arthritis.\n\n~~~\n{/*\n"
    document = read_document(text, "page.mdx", "mdx")
    assert "cures acne" in document.prose and "relieves arthritis" in document.prose
    assert "{" not in document.prose  # the fences are code all the same
    found = [(f.line, f.excerpt) for f in lint_text(text, path="page.mdx") if f.rule == "core/efficacy-claim"]
    assert found == [(7, "cures acne"), (13, "relieves arthritis")]
