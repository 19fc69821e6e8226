"""The HTML and Word (.docx) readers: visible prose only, exact source positions, footnotes that resolve."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from conftest import assert_one_error_line, parse_json, source_slice, write
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimcheck import lint_paths, lint_text
from claimcheck.documents import format_for, read_document, read_docx
from claimcheck.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
CLINIC_HTML = FIXTURES / "html" / "spine-clinic.html"
KNEE_DOCX = FIXTURES / "docx" / "knee-formula.yaml"


def found(findings) -> list[tuple[int, int, str, str, str]]:
    return [(f.line, f.column, f.rule, f.severity.value, f.excerpt) for f in findings]


# --- HTML -----------------------------------------------------------------------------------


def test_html_fixture_findings_point_into_the_source():
    text = CLINIC_HTML.read_text(encoding="utf-8")
    assert found(lint_text(text, path="spine-clinic.html")) == [
        (14, 22, "core/efficacy-claim", "warning", "eliminates sciatica"),
        (14, 22, "core/physician-disclaimer-missing", "warning", "eliminates sciatica"),
        # an unresolved <sup> marker: the element as written
        (15, 47, "core/footnote-unresolved", "error", "<sup>2</sup>"),
        # a claim cited by <a href="#fn1"> that resolves to <li id="fn1">: lowered to info
        (16, 16, "core/efficacy-claim", "info", 'reduces chronic pain.<a href="#fn1" id="ref1">1</a>'),
    ]


def test_html_hidden_content_is_not_linted():
    """The fixture says "cures sciatica" in a meta attribute, <style>, <script>, a comment and a <template>."""
    text = CLINIC_HTML.read_text(encoding="utf-8")
    hidden_lines = {5, 7, 8, 12, 18}
    assert all("sciatica" in text.splitlines()[n - 1] or "guaranteed" in text.splitlines()[n - 1] for n in hidden_lines)
    assert not {f.line for f in lint_text(text, path="spine-clinic.html")} & hidden_lines
    document = read_document(text, "spine-clinic.html", "html")
    assert "cures" not in document.prose and "guaranteed" not in document.prose
    assert len(document.prose) == len(text)


def test_html_a_comment_never_closed_hides_the_rest_of_the_page():
    text = "<p>Read this.</p>\n<!-- draft\n<p>Our tea cures arthritis.</p>\n"
    document = read_document(text, "page.html", "html")
    assert "Read this." in document.prose and "cures" not in document.prose
    assert not lint_text(text, path="page.html")


def test_html_link_reference_resolves_to_the_element_with_that_id():
    text = CLINIC_HTML.read_text(encoding="utf-8")
    document = read_document(text, "spine-clinic.html", "html")
    reference = next(r for r in document.references if r.key == "html:fn1")
    assert document.position(reference.start) == (16, 37)
    assert text[reference.start : reference.end] == '<a href="#fn1" id="ref1">1</a>'
    definition = next(d for d in document.definitions if d.key == "html:fn1")
    assert document.position(definition.start) == (21, 13)
    assert text[definition.start : definition.end] == "fn1"
    # The in-page links in <nav> and the footnote's way back are not footnote references.
    assert sorted(r.key for r in document.references) == ["html:fn1", "n:2"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a numbered footnote list resolves <sup>1</sup> by position
        ('<p>Cures nothing.<sup>1</sup></p><div class="footnotes"><ol><li>Lee 2020.</li></ol></div>', []),
        # <sup><a href="#..."> is one marker, the whole element
        (
            '<p>Relief.<sup><a href="#note-9">9</a></sup></p>',
            [(1, 11, "core/footnote-unresolved", "error", '<sup><a href="#note-9">9</a></sup>')],
        ),
        # a <sup> at the start of a block is a footnote; nothing references it
        (
            "<p>Plain copy.</p>\n<p><sup>3</sup> Lee 2020.</p>",
            [(2, 4, "core/footnote-orphan", "warning", "<sup>3</sup>")],
        ),
        # exponents, ordinals and trademarks are not markers
        ("<p>Suites of 40 m<sup>2</sup>, Brand<sup>TM</sup>, your 1<sup>st</sup> visit, 10<sup>6</sup> cells.</p>", []),
        # text markers, also written as entities, through the text scan; minified on one line
        ('<p>Fast relief*.</p><div class="footnotes"><p>* Results not typical.</p></div>', []),
        ("<p>Fast relief&dagger;.</p><p>&dagger; Results not typical.</p>", []),
        ("<p>Fast relief&dagger;.</p>", [(1, 15, "core/footnote-unresolved", "error", "&dagger;")]),
        # blocks: the hedge in one list item does not reach the claim in the next
        (
            "<ul><li>Acupuncture may help.</li><li>Our surgery cures sciatica.</li></ul>",
            [
                (1, 51, "core/efficacy-claim", "warning", "cures sciatica"),
                (1, 51, "core/physician-disclaimer-missing", "warning", "cures sciatica"),
            ],
        ),
        # entities stay as written in excerpts
        (
            "<p>Our surgery cures sciatica &amp; neck pain.</p>",
            [
                (1, 16, "core/efficacy-claim", "warning", "cures sciatica &amp; neck pain"),
                (1, 16, "core/physician-disclaimer-missing", "warning", "cures sciatica &amp; neck pain"),
            ],
        ),
    ],
    ids=[
        "numbered-list",
        "sup-link",
        "sup-definition",
        "exponents",
        "text-marker",
        "entity-marker",
        "entity-unresolved",
        "blocks",
        "entities",
    ],
)
def test_html_markers_and_blocks(html, expected):
    assert found(lint_text(html, path="page.html")) == expected


def test_html_and_docx_formats_and_directory_walk(cli, workdir):
    assert [format_for(name) for name in ("a.html", "b.HTM", "c.docx")] == ["html", "html", "docx"]
    write(workdir / "site" / "index.html", "<p>Our surgery cures sciatica.</p>")
    write(workdir / "site" / "old.htm", "<p>Fast relief*.</p>")
    write(workdir / "site" / "~$brief.docx", "lock file")  # Word's lock file: never walked into
    _build_docx({"paragraphs": ["Our capsules eliminate joint pain."]}, workdir / "site" / "brief.docx")
    result = parse_json(cli("check", "--format", "json", "site"))
    assert result["summary"]["files"] == 3, result
    assert {(Path(f["path"]).name, f["line"], f["column"], f["rule"]) for f in result["findings"]} >= {
        ("index.html", 1, 16, "core/efficacy-claim"),
        ("old.htm", 1, 15, "core/footnote-unresolved"),
        ("brief.docx", 1, 14, "core/efficacy-claim"),
    }


# Fragments of HTML-ish documents: words, markup, hidden content, entities and markers.
_WORDS = [
    "Our",
    "surgery",
    "cures",
    "sciatica",
    "guaranteed",
    "may",
    "help",
    "eliminates",
    "pain",
    "relief*",
    "faster",
    "than",
    "surgery",
    "clinically",
    "proven",
    "no",
    "side",
    "effects",
    "100%",
    "of",
    "patients",
    "FDA",
    "approved",
    ".",
    ",",
    "weeks",
    "&amp;",
    "&nbsp;",
    "&dagger;",
    "&#42;",
    "&bogus",
    "a < b",
    "2*3",
]
_MARKUP = [
    "<p>",
    "</p>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<b>",
    "</b>",
    "<br>",
    "<h2>",
    "</h2>",
    "<sup>1</sup>",
    "<sup>*</sup>",
    "<sup>TM</sup>",
    '<a href="#fn1">1</a>',
    '<li id="fn1">',
    '<div class="footnotes">',
    "</div>",
    '<a href="/cures" title="cures sciatica">',
    "</a>",
    "<td>",
    "\n",
    "\r\n",
    " ",
    "<p>* Results vary.</p>",
]
_HIDDEN = [
    "<script>var s = 'cures sciatica <p>';</script>",
    "<style>p::after{content:'guaranteed'}</style>",
    "<!-- guaranteed cure -->",
    "<template><p>Our surgery cures sciatica.</p></template>",
    "<noscript>Guaranteed relief*</noscript>",
    '<img alt="cures sciatica, guaranteed">',
]


@st.composite
def html_documents(draw) -> tuple[str, list[tuple[int, int]]]:
    """An HTML-ish document, and where its hidden fragments are."""
    pieces = draw(
        st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_MARKUP), st.sampled_from(_HIDDEN)), max_size=60)
    )
    text, hidden = "", []
    for piece in pieces:
        text += draw(st.sampled_from(["", " "]))
        if piece in _HIDDEN:
            hidden.append((len(text), len(text) + len(piece)))
        text += piece
    return text, hidden


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_documents())
@example(('<div class="footnotes"><ul><li id="fn1">', []))  # an orphan footnote, shown at its id
def test_html_findings_map_back_to_their_excerpts(document):
    text, hidden = document
    tags = [m.span() for m in re.finditer(r"<[A-Za-z/!][^>]*>", text)]
    for finding in lint_text(text, path="page.html"):
        span = (finding.line, finding.column, finding.end_line, finding.end_column)
        assert source_slice(text, *span) == finding.excerpt, finding
        start = len(source_slice(text, 1, 1, finding.line, finding.column))
        assert not any(s <= start < e for s, e in hidden), (finding, text)
        # A finding starts in visible text, at the start of a marker element such as <sup>, or
        # (a footnote known by its id) at the id's value in its tag.
        at_id = finding.kind == "footnote" and re.search(r"""\bid=["']?$""", text[:start]) is not None
        assert at_id or not any(s < start < e for s, e in tags), (finding, text)
    assert len(read_document(text, "page.html", "html").prose) == len(text)


# --- Word (.docx) ---------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _build_docx(spec: dict, target: Path) -> Path:
    """Write a real .docx with python-docx: paragraphs ("[^N]" = a Word footnote reference), a table, footnotes."""
    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for text in spec["paragraphs"]:
        paragraph = document.add_paragraph()
        for piece in re.split(r"(\[\^\d+\])", text):
            note = re.fullmatch(r"\[\^(\d+)\]", piece)
            if note:
                reference = OxmlElement("w:footnoteReference")
                reference.set(qn("w:id"), note[1])
                paragraph.add_run()._r.append(reference)
            elif piece:
                paragraph.add_run(piece)
    rows = spec.get("table") or []
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    if spec.get("footnotes"):
        separators = "".join(
            f'<w:footnote w:type="{kind}" w:id="{n}"><w:p><w:r><w:{kind}/></w:r></w:p></w:footnote>'
            for n, kind in ((-1, "separator"), (0, "continuationSeparator"))
        )
        notes = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote>'
            for n, text in spec["footnotes"].items()
        )
        xml = f'<w:footnotes xmlns:w="{_W}">{separators}{notes}</w:footnotes>'.encode()
        part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml, document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


@pytest.fixture
def knee_docx(tmp_path: Path) -> Path:
    return _build_docx(yaml.safe_load(KNEE_DOCX.read_text(encoding="utf-8")), tmp_path / "knee-formula.docx")


def test_docx_findings_are_paragraph_and_character(knee_docx):
    result = lint_paths([knee_docx])
    assert result.errors == [] and result.files == 1
    assert found(result.findings) == [
        (2, 14, "core/efficacy-claim", "warning", "eliminate joint pain"),
        (2, 14, "core/physician-disclaimer-missing", "warning", "eliminate joint pain"),
        (2, 14, "core/supplement-disclaimer-missing", "error", "eliminate joint pain"),
        # cited by Word footnote 1, whose reference sits (zero-width) after the full stop
        (3, 13, "core/efficacy-claim", "info", "cures sciatica."),
        (4, 1, "core/efficacy-claim", "warning", "Fast relief* for"),  # its marker does not resolve
        (4, 12, "core/footnote-unresolved", "error", "*"),
        (8, 1, "core/absolute-claim", "error", "Guaranteed results"),  # a table cell
    ]


def test_docx_text_and_word_footnotes(knee_docx):
    document = read_docx(knee_docx)
    assert document.format == "docx"
    assert document.text.splitlines() == [
        "Knee Comfort Formula",
        "Our capsules eliminate joint pain.",
        "Our surgery cures sciatica.",
        "Fast relief* for every runner.",
        "Product",
        "Benefit",
        "Capsules",
        "Guaranteed results.",
        " Lee A. Pain Med. 2020;21:1-9.",
    ]
    reference = next(r for r in document.references if r.key == "docx:1")
    assert document.position(reference.start) == (3, 28) and reference.start == reference.end
    (definition,) = document.definitions
    assert definition.key == "docx:1" and document.position(definition.start) == (9, 1)


def test_docx_is_only_read(knee_docx):
    before = knee_docx.read_bytes()
    lint_paths([knee_docx])
    assert knee_docx.read_bytes() == before


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"plain text, named .docx\n", b""])
def test_corrupt_docx_is_one_clear_error(cli, workdir, content):
    (workdir / "broken.docx").write_bytes(content)
    with pytest.raises(InputError, match=r"broken\.docx: not a valid \.docx file"):
        read_docx(workdir / "broken.docx")
    line = assert_one_error_line(cli("check", "broken.docx"))
    assert "broken.docx: not a valid .docx file" in line


def test_sup_number_resolves_to_an_item_of_an_ol_footnotes_list() -> None:
    """As the README documents: <sup>1</sup> and <ol class="footnotes"><li id="fn1"> (the list is the container)."""
    from claimcheck.lint import lint_text

    def footnote_rules(html: str) -> list[tuple[str, str]]:
        return [(f.rule, f.excerpt) for f in lint_text(html, path="page.html") if f.kind == "footnote"]

    page = (
        "<html><body>\n<p>Most patients may feel relief within weeks.<sup>1</sup> Others too.<sup>2</sup></p>\n"
        '<ol class="footnotes">\n  <li id="fn1">Smith J. Spine, 2020.</li>\n  <li id="fn2">Lee K. 2021.</li>\n</ol>\n'
        "</body></html>\n"
    )
    assert footnote_rules(page) == []
    assert footnote_rules(page.replace("<sup>2</sup>", "")) == [("core/footnote-orphan", "fn2")]
    assert footnote_rules(page.replace('<li id="fn2">Lee K. 2021.</li>', "")) == [
        ("core/footnote-unresolved", "<sup>2</sup>")
    ]
    nested = page.replace('<ol class="footnotes">', '<section class="footnotes"><ol>').replace(
        "</ol>", "</ol></section>"
    )
    assert footnote_rules(nested) == []
