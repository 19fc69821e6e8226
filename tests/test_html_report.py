"""The HTML report (`check --format html`): exact source text, a mark per finding, nothing external.

The pure-Python tests parse the page with html.parser; the browser test renders it in headless
Chromium (skipped when no chromium binary is installed; .ci/run installs it where it can).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import assert_one_error_line, write

from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.lint import lint_paths
from claimcheck.packs import load_ruleset
from claimcheck.reporters.html import render as render_html

# Sources with what breaks naive renderers: CRLF and lone CR, a leading newline, markup-like
# text, entities, tabs, non-BMP characters before a claim (columns count code points).
DOCUMENTS = {
    "clinic.md": (
        "\n# Spine Clinic & <Friends>\r\n\r\n"
        "Our adjustments eliminate sciatica for good. 😀 Clinically proven to rebuild cartilage.\r\n"
        "\tWe have helped 75,000 patients, with a faster recovery than open surgery.^\r\n"
        'Results <script>alert("x")</script> &amp; more.\r'
    ),
    "supplement.txt": (
        "FlexiJoint Advanced is a dietary supplement.\n\n"
        "Clinically proven to rebuild cartilage and reverse arthritis, it works in as little as 7 days.\n"
        "It is 100% natural with no side effects.*\n"
    ),
    "page.html": (
        "<!DOCTYPE html><html><head><title>Hear Again</title><style>p{color:red}</style></head><body>\n"
        "<p>Our hearing aid cures tinnitus &amp; restores hearing permanently.<sup>2</sup></p>\n"
        '<p><a href="https://example.com/x">link</a> guaranteed results.</p>\n</body></html>\n'
    ),
    "clean.md": "Acupuncture may help some people with back pain; ask your doctor.\n",
}


class ReportParser(HTMLParser):
    """Collects each document's visible text, its marks, and every src/href on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self.marks: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.notes: dict[str, str] = {}  # note id -> the href of its link back into the text
        self.banner: list[dict[str, str | None]] = []  # document-level findings, above the text
        self._source: str | None = None
        self._depth = 0
        self._note: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        for name in ("src", "href"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name] or "")
        if "doc-finding" in (attributes.get("class") or "").split():
            self.banner.append(attributes)
        if tag == "li" and (attributes.get("id") or "").startswith("note-"):
            self._note = attributes["id"]
        if tag == "a" and self._note and "to-text" in (attributes.get("class") or ""):
            self.notes[self._note] = attributes.get("href") or ""
        if self._source is not None:
            self._depth += 1
            if tag == "mark":
                self.marks.append({**attributes, "document": self._source})
        elif tag == "div" and attributes.get("class") == "source":
            self._source = attributes.get("data-path") or ""
            self.texts[self._source] = ""
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._note = None
        if self._source is not None:
            self._depth -= 1
            if self._depth == 0:
                self._source = None

    def handle_data(self, data: str) -> None:
        if self._source is not None:
            self.texts[self._source] += data


def parse(page: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def core():  # type: ignore[no-untyped-def]
    return load_ruleset(["core"]).rules


@pytest.fixture
def linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The DOCUMENTS (and a .docx) linted with the core rules from a project directory."""
    monkeypatch.chdir(tmp_path)
    for name, text in DOCUMENTS.items():
        write(tmp_path / name, text)
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph("KneeFlex cures arthritis in 7 days <guaranteed> & more.")
    word.add_paragraph("Ask your doctor before use.")
    word.save(str(tmp_path / "knee.docx"))
    result = lint_paths([tmp_path], jobs=1, use_cache=False)
    assert result.findings and not result.errors
    return tmp_path, result


def source_text(path: Path) -> str:
    if path.suffix == ".docx":
        from claimcheck.documents import read_docx

        return read_docx(path).text
    return path.read_bytes().decode("utf-8")


def test_visible_text_of_each_document_is_its_source(linted, core) -> None:  # type: ignore[no-untyped-def]
    root, result = linted
    page = parse(render_html(result, core))
    # Every file with findings; a clean one is listed, but its text is not kept (nor shown).
    assert sorted(page.texts) == sorted([*(name for name in DOCUMENTS if name != "clean.md"), "knee.docx"])
    for name, text in page.texts.items():
        assert text == source_text(root / name), name
    assert "clean.md" in render_html(result, core) and "Source not shown" not in render_html(result, core)


def test_every_finding_has_a_mark_with_its_rule_linked_both_ways(linted, core) -> None:  # type: ignore[no-untyped-def]
    _, result = linted
    page = parse(render_html(result, core))
    assert {f.kind for f in result.findings} >= {"claim", "footnote", "disclaimer"}
    for number, finding in enumerate(result.findings, start=1):
        if finding.kind == "disclaimer":  # about the whole document: in its banner, not on a sentence
            assert not [mark for mark in page.marks if mark["data-finding"] == str(number)]
            (item,) = [item for item in page.banner if item["data-finding"] == str(number)]
            assert item["id"] == f"f{number}" and item["data-rule"] == finding.rule
            assert f"sev-{finding.severity.value}" in (item["class"] or "").split()
            assert page.notes[f"note-{number}"] == f"#f{number}" and f"#note-{number}" in page.links
            continue
        marks = [mark for mark in page.marks if mark["data-finding"] == str(number)]
        assert marks, finding
        assert {mark["data-rule"] for mark in marks} == {finding.rule}
        assert {mark["document"] for mark in marks} == {Path(finding.path).name}
        for mark in marks:
            classes = (mark["class"] or "").split()
            assert f"kind-{finding.kind}" in classes and f"sev-{finding.severity.value}" in classes
            assert (mark["title"] or "").startswith(finding.message)
            if finding.explanation:
                assert mark["title"] == f"{finding.message} — {finding.explanation}"
        assert f"f{number}" in page.ids and f"note-{number}" in page.ids
        assert page.notes[f"note-{number}"] == f"#f{number}"
        assert f"#note-{number}" in page.links


def test_no_external_urls_but_the_rules_references(linted, core) -> None:  # type: ignore[no-untyped-def]
    _, result = linted
    output = render_html(result, core)
    page = parse(output)
    references = {ref["url"] for rule in core.values() for ref in rule.references if ref.get("url")}
    external = [link for link in page.links if not link.startswith("#")]
    assert external and set(external) <= references
    assert "https://example.com" not in " ".join(page.links)  # a link in a document stays text
    assert "<script" not in output.lower() and "@import" not in output and "url(" not in output
    assert "@font-face" not in output


def test_overlapping_nested_and_zero_width_spans(tmp_path: Path) -> None:
    text = "Alpha beta gamma\r\ndelta 😀 epsilon\n"
    path = write(tmp_path / "doc.txt", text)

    def finding(rule: str, line: int, column: int, end_line: int, end_column: int, kind: str = "claim") -> Finding:
        return Finding(
            str(path), line, column, end_line, end_column, f"x/{rule}", kind, Severity.WARNING, f"{rule} <msg>", "", "x"
        )

    findings = [
        finding("outer", 1, 1, 2, 6),  # across the CRLF
        finding("inner", 1, 7, 1, 11),  # inside outer
        finding("cross", 1, 12, 2, 9),  # starts inside outer, ends after it (😀 is one column)
        finding("same", 1, 12, 2, 9, "footnote"),  # the same span as cross
        finding("empty", 2, 7, 2, 7, "disclaimer"),  # zero width
        finding("gone", 9, 1, 9, 4),  # past the end of the file
    ]
    result = LintResult(findings=findings, files=1, paths=[str(path)], texts={str(path): text})
    output = render_html(result, {})
    page = parse(output)
    assert list(page.texts.values()) == [text]
    for number, f in enumerate(findings[:-1], start=1):
        shown = page.banner if f.kind == "disclaimer" else page.marks
        assert any(m["data-finding"] == str(number) and m["data-rule"] == f.rule for m in shown), f.rule
    assert "&lt;msg&gt;" in output and "<msg>" not in output
    assert not any(m["data-rule"] == "x/gone" for m in page.marks)
    assert "not in the file as linted" in output and "do not match the file" in output


def test_controls_are_shown_as_their_pictures_and_the_spans_hold(tmp_path: Path) -> None:
    # HTML forbids C0 and C1 controls; an ESC once reached the page as it was.
    text = "Our tea \x1b[31mcures\x01 anxiety.\x7f\n"
    path = write(tmp_path / "doc.txt", text)
    f = Finding(str(path), 1, 17, 1, 31, "x/claim", "claim", Severity.WARNING, "m", "", "x")
    output = render_html(LintResult(findings=[f], files=1, paths=[str(path)], texts={str(path): text}), {})
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", output)
    assert list(parse(output).texts.values()) == ["Our tea \u241b[31mcures\u2401 anxiety.\u2421\n"]


def test_the_report_shows_the_text_that_was_linted_never_the_disk(linted, core) -> None:  # type: ignore[no-untyped-def]
    root, result = linted
    linted_text = (root / "supplement.txt").read_text()
    (root / "supplement.txt").unlink()  # deleted (or edited) after linting: the report is unchanged
    (root / "clinic.md").write_text("Rewritten since.\n")
    page = parse(render_html(result, core))
    assert page.texts["supplement.txt"] == linted_text
    assert page.texts["clinic.md"] == DOCUMENTS["clinic.md"]


def test_a_path_without_its_text_is_a_note_and_the_rest_is_reported(linted, core) -> None:  # type: ignore[no-untyped-def]
    _, result = linted
    texts = {path: text for path, text in result.texts.items() if not path.endswith("supplement.txt")}
    output = render_html(dataclasses.replace(result, texts=texts), core)
    page = parse(output)
    assert "supplement.txt" not in page.texts and "clinic.md" in page.texts
    assert "Source not shown:" in output


def test_check_output_option_writes_the_report(cli, workdir: Path, core) -> None:  # type: ignore[no-untyped-def]
    write(workdir / "clinic.md", DOCUMENTS["clinic.md"])
    result = cli("check", "--format", "html", "-o", "report.html", "clinic.md", "--no-cache")
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    page = parse((workdir / "report.html").read_text(encoding="utf-8"))
    assert page.texts == {"clinic.md": DOCUMENTS["clinic.md"]}
    assert not [p for p in workdir.iterdir() if p.name.startswith(".report.html.")]  # no temporary left behind

    text = cli("check", "clinic.md", "--no-cache")
    assert cli("check", "--output", "report.txt", "clinic.md", "--no-cache").stdout == ""
    assert (workdir / "report.txt").read_text(encoding="utf-8") == text.stdout


def test_check_output_errors(cli, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    write(workdir / "clean.md", DOCUMENTS["clean.md"])
    assert_one_error_line(cli("check", "-o", str(workdir / "missing" / "r.html"), "clean.md"))
    result = cli("check", "--diff", "-o", "r.html", "clean.md")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_reporters_import_the_html_module_only_when_used() -> None:
    code = "import sys, claimcheck.reporters; print('claimcheck.reporters.html' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def test_chromium_renders_the_report(linted, core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary installed")
    root, result = linted
    report = root / "report.html"
    report.write_bytes(render_html(result, core).encode("utf-8"))
    profile = tmp_path / "chromium-profile"
    base = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",  # a container's 64 MB /dev/shm can crash the renderer
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    dumped = subprocess.run([*base, "--dump-dom", report.as_uri()], capture_output=True, timeout=180, check=False)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout.decode("utf-8")  # bytes: universal newlines would turn the documents' CRs into LFs
    rendered = parse(dom)
    assert sorted(rendered.texts) == sorted([*(name for name in DOCUMENTS if name != "clean.md"), "knee.docx"])
    for name, text in rendered.texts.items():  # the DOM the browser built still holds the exact text
        assert text == source_text(root / name), name
    for number, finding in enumerate(result.findings, start=1):
        element = "p" if finding.kind == "disclaimer" else "mark"
        pattern = rf'<{element}[^>]*data-rule="{re.escape(finding.rule)}"[^>]*data-finding="{number}"'
        assert re.search(pattern, dom), finding
    # Per-rule groups are <details>, closed until clicked (no JavaScript on the page).
    assert re.search(r'<details class="rule-group" data-rule="core/efficacy-claim">', dom)

    shot = tmp_path / "shot.png"
    shooting = subprocess.run(
        [*base, f"--screenshot={shot}", "--window-size=1200,2000", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert shooting.returncode == 0, shooting.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000

    # Printed, as a reviewer files it: Chromium's print-to-PDF with the print styles.
    pdf = tmp_path / "report.pdf"
    printing = subprocess.run(
        [*base, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert printing.returncode == 0, printing.stderr[-2000:]
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.read_bytes().count(b"/Type /Page") >= 2


def test_report_is_review_evidence(cli, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """Generation time, the content's commit, the packs and rule set, a legend, per-rule groups
    without JavaScript, print styles, and document-level findings as a banner."""
    write(workdir / "claimcheck.yaml", "packs: [core, us-fda-supplements]\n")
    write(workdir / "clinic.md", DOCUMENTS["clinic.md"])
    env_git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"]
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
        subprocess.run([*env_git, "add", "-A"], cwd=workdir, check=True)
        subprocess.run([*env_git, "commit", "-q", "-m", "copy"], cwd=workdir, check=True)
    result = cli("check", "--format", "html", "-o", "report.html", "clinic.md", "--no-cache")
    assert result.exit_code == 1, result.stderr
    output = (workdir / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<dt>Generated</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</dd>", output)
    assert "<dt>Packs</dt><dd>core, us-fda-supplements</dd>" in output
    assert re.search(r"<dt>Rule set</dt><dd>[0-9a-f]{12}</dd>", output)
    if shutil.which("git"):
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=workdir, capture_output=True, text=True).stdout.strip()
        assert f"<dt>Content commit</dt><dd>{head}</dd>" in output
    assert 'class="legend"' in output and "kind-disclaimer" in output
    assert '<details class="rule-group" data-rule="core/efficacy-claim">' in output
    assert "@media print" in output and "<script" not in output
    page = parse(output)
    assert [item["data-rule"] for item in page.banner] == ["core/physician-disclaimer-missing"]
