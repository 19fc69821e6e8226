"""One pass: a file, the same text on stdin, the library and the language server give the same findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write

from claimcheck.config import find_config
from claimcheck.engine import lint_paths, lint_text

CONFIG = "packs: [core]\nhtml_skip: [nav]\n"
DOCUMENTS = {
    "page.txt": (
        "# claimcheck-disable-next-line core/efficacy-claim -- approved\nIt cures arthritis.\n\n"
        "This patch eliminates sciatica*.\n"
    ),
    "page.md": (
        "---\nkeywords: Cures arthritis fast\n---\n"
        "<!-- claimcheck-disable-next-line core/efficacy-claim -- approved -->\nIt cures arthritis.\n\n"
        "This patch eliminates sciatica*.\n"
    ),
    "page.mdx": (
        "import Box from './box'\n\n"
        "{/* claimcheck-disable-next-line core/efficacy-claim -- approved */}\nIt cures arthritis.\n\n"
        'This patch eliminates sciatica.\n\n<Box title="x" />\n'
    ),
    "page.html": (
        "<html><body><nav>Cures arthritis overnight.</nav>\n"
        "<!-- claimcheck-disable-next-line core/efficacy-claim -- approved -->\n<p>It cures arthritis.</p>\n"
        "<p>This patch eliminates sciatica*.</p></body></html>\n"
    ),
}


def _json_findings(output: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(output)["findings"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_file_stdin_and_library_agree(cli, workdir: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    write(workdir / "claimcheck.yaml", CONFIG)
    text = write(workdir / name, DOCUMENTS[name]).read_text()
    from_file = _json_findings(cli("check", "--format", "json", "--no-cache", name).stdout)
    from_stdin = _json_findings(cli("check", "--format", "json", "--stdin-filename", name, input=text).stdout)
    from_library = [f.to_dict() for f in lint_text(text, name, config=find_config(workdir))]
    assert from_file == from_stdin == from_library
    rules = [f["rule"] for f in from_file]
    assert "core/efficacy-claim" in rules  # the second claim; the first is suppressed
    assert "core/unused-suppression" not in rules
    claims = [f["excerpt"] for f in from_file if f["rule"] == "core/efficacy-claim"]
    assert all("arthritis" not in claim for claim in claims)  # suppressed, front matter, <nav>
    if name == "page.mdx":  # the '*' of the comment is no footnote marker
        assert "core/footnote-unresolved" not in rules


def test_docx_file_and_library_agree(workdir: Path) -> None:
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph("# claimcheck-disable-next-line core/efficacy-claim -- approved")
    word.add_paragraph("It cures arthritis.")
    word.add_paragraph("This patch eliminates sciatica.")
    word.save(str(workdir / "page.docx"))
    result = lint_paths([Path("page.docx")])
    assert result.findings
    assert result.findings == lint_text(result.texts["page.docx"], "page.docx")


def test_stdin_honours_html_skip(cli, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    write(workdir / "claimcheck.yaml", CONFIG)
    page = "<nav>Our pills cure arthritis.</nav>\n<p>Ask your doctor.</p>\n"
    result = cli("check", "--format", "json", "--stdin-filename", "page.html", input=page)
    assert _json_findings(result.stdout) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("language_id", ["", "markdown", "plaintext"])
def test_language_server_agrees_with_the_cli(cli, workdir: Path, name: str, language_id: str) -> None:  # type: ignore[no-untyped-def]
    """Whatever languageId the editor sends, a file is read by the reader its name picks, as the CLI does."""
    lsp = pytest.importorskip("claimcheck.editors.lsp")
    write(workdir / "claimcheck.yaml", CONFIG)
    text = write(workdir / name, DOCUMENTS[name]).read_text()
    from_file = _json_findings(cli("check", "--format", "json", "--no-cache", name).stdout)
    uri = (workdir / name).as_uri()
    findings, _ = lsp.lint_source(text, uri, lsp.document_format(language_id, uri))
    assert [dict(f.to_dict(), path=name) for f in findings] == from_file


def test_language_server_sees_config_edits(workdir: Path) -> None:
    lsp = pytest.importorskip("claimcheck.editors.lsp")
    config = write(workdir / "claimcheck.yaml", "packs: [core]\n")
    uri = (workdir / "page.md").as_uri()
    assert "core/efficacy-claim" in [f.rule for f in lsp.lint_source("It cures arthritis.\n", uri, "markdown")[0]]
    config.write_text("packs: [core]\ndisable: [core/efficacy-claim]\n")
    assert "core/efficacy-claim" not in [f.rule for f in lsp.lint_source("It cures arthritis.\n", uri, "markdown")[0]]


def test_a_file_named_explicitly_in_another_format_is_read_as_text(cli, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    write(workdir / "notes.rst", "It cures arthritis.\n")
    result = cli("check", "--format", "json", "--no-cache", "notes.rst")
    assert "core/efficacy-claim" in [f["rule"] for f in _json_findings(result.stdout)]


def test_files_linted_before_a_failure_keep_their_cached_results(workdir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Files share a memory zone in runs; each file's result is still stored as soon as it is linted.
    from claimcheck import cache, engine

    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(workdir.parent / "own-cache"))  # nothing cached yet
    for name in ("a.txt", "b.txt", "c.txt"):
        write(workdir / name, "Our tea cures anxiety.\n")
    stored = []
    store = cache.store

    def counting_store(namespace, *rest, **options):  # type: ignore[no-untyped-def]
        stored.append(namespace)
        store(namespace, *rest, **options)

    monkeypatch.setattr(cache, "store", counting_store)
    read = engine.read

    def failing_read(text, path, format, config):  # type: ignore[no-untyped-def]
        if Path(path).name == "c.txt":
            raise RuntimeError("the reader failed")
        return read(text, path, format, config)

    monkeypatch.setattr(engine, "read", failing_read)
    with pytest.raises(RuntimeError):
        lint_paths([workdir / "a.txt", workdir / "b.txt", workdir / "c.txt"], use_cache=True)
    assert stored.count("results") == 2
