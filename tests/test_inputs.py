"""Inputs: stdin, directory walking, encodings, line endings, and inputs that cannot be linted."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import FIXTURES, assert_one_error_line, keys, parse_json, source_slice, write

# A fenced code block: prose to a text reader, code (not linted) to the Markdown reader.
# The '*' after "less" is a footnote marker only where the line is read as prose.
FENCED = "# Membership\n\n```text\nMembers pay less*\n```\n\nCall us to join.\n"
FOOTNOTE_ONLY = ("--select", "core/footnote-unresolved")


def json_findings(result) -> list[dict]:
    return parse_json(result)["findings"]


# --- stdin -----------------------------------------------------------------------------------


def test_dash_reads_stdin(cli):
    clinic = (FIXTURES / "clinic.md").read_bytes()
    result = cli("check", "--format", "json", "-", input=clinic)
    assert result.exit_code == 1, result.stderr
    findings = json_findings(result)
    assert findings and {f["path"] for f in findings} == {"<stdin>"}
    assert "core/footnote-unresolved" in {f["rule"] for f in findings}
    assert parse_json(result)["summary"]["files"] == 1


def test_stdin_findings_match_the_same_file_on_disk(cli, fixture_copy):
    page = fixture_copy("clinic.md")
    from_disk = json_findings(cli("check", "--format", "json", page))
    from_stdin = json_findings(
        cli("check", "--format", "json", "--stdin-filename", "clinic.md", input=page.read_bytes())
    )
    assert keys(from_stdin) == keys(from_disk)
    assert {f["path"] for f in from_stdin} == {"clinic.md"}


@pytest.mark.parametrize(
    ("args", "marker_found"),
    [
        (("--stdin-filename", "page.md"), False),  # Markdown: the fenced block is code
        (("--stdin-filename", "page.markdown"), False),
        (("--stdin-filename", "page.txt"), True),  # plain text: it is prose
        (("-",), True),  # no name: plain text
    ],
    ids=["md", "markdown", "txt", "dash"],
)
def test_stdin_filename_extension_picks_the_reader(cli, args, marker_found):
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, *args, input=FENCED)
    findings = json_findings(result)
    assert bool(findings) is marker_found, findings
    assert result.exit_code == (1 if marker_found else 0)
    if marker_found:
        assert [(f["line"], f["column"], f["excerpt"]) for f in findings] == [(4, 17, "*")]


def test_stdin_filename_is_used_for_config_discovery(cli, workdir):
    write(workdir / "site" / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    page = "Evening hours for busy parents.*\n\n† Monday to Thursday only.\n"
    inside = json_findings(cli("check", "--format", "json", "--stdin-filename", "site/page.md", input=page))
    outside = json_findings(cli("check", "--format", "json", "--stdin-filename", "page.md", input=page))
    assert {f["rule"] for f in inside} == {"core/footnote-orphan"}
    assert {f["rule"] for f in outside} == {"core/footnote-orphan", "core/footnote-unresolved"}
    assert {f["path"] for f in inside} == {"site/page.md"}


def test_stdin_utf16_with_bom(cli):
    result = cli(
        "check",
        "--format",
        "json",
        *FOOTNOTE_ONLY,
        "--stdin-filename",
        "page.txt",
        input=codecs.BOM_UTF16_LE + "Réservez: less*\n".encode("utf-16-le"),
    )
    assert [(f["line"], f["column"]) for f in json_findings(result)] == [(1, 15)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ((FIXTURES / "latin1.txt").read_bytes(), "UTF-8"),
        ((FIXTURES / "binary.md").read_bytes(), "binary"),
    ],
    ids=["latin-1", "binary"],
)
def test_undecodable_stdin_is_one_error_line(cli, data, expected):
    line = assert_one_error_line(cli("check", "--stdin-filename", "page.md", input=data))
    assert "page.md" in line and expected in line


def test_stdin_filename_cannot_be_mixed_with_paths(cli, fixture_copy):
    page = fixture_copy("clean.md")
    result = cli("check", "--stdin-filename", "page.md", page, input="Hello.\n")
    assert result.exit_code == 2
    assert "cannot be mixed" in result.stderr


def test_dash_cannot_be_mixed_with_paths(cli, fixture_copy):
    page = fixture_copy("clean.md")
    result = cli("check", "-", page, input="Hello.\n")
    assert result.exit_code == 2
    assert "cannot be mixed" in result.stderr


# --- directories -----------------------------------------------------------------------------

LINTED = ["index.md", "about.markdown", "notes.txt", "services/knee/care.md", "page.html"]
NOT_LINTED = [
    "notes.rst",
    "data.json",
    "build.py",
    "README",
    ".hidden/secret.md",
    ".git/COMMIT_EDITMSG.md",
    "node_modules/pkg/readme.md",
    "services/node_modules/pkg/readme.md",
    "services/.cache/page.md",
]


def make_tree(root: Path) -> None:
    for name in LINTED + NOT_LINTED:
        write(root / name, "Evening hours for busy parents.*\n")


def linted_paths(result, root: Path) -> set[str]:
    return {Path(f["path"]).resolve().relative_to(root.resolve()).as_posix() for f in json_findings(result)}


def test_directory_recursion_lints_only_text_and_markdown(cli, workdir):
    make_tree(workdir / "site")
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, workdir / "site")
    assert linted_paths(result, workdir / "site") == set(LINTED)
    assert parse_json(result)["summary"]["files"] == len(LINTED)


def test_current_directory_is_the_default(cli, workdir):
    make_tree(workdir)
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY)
    assert linted_paths(result, workdir) == set(LINTED)


def test_explicit_file_is_linted_whatever_its_name(cli, workdir):
    # Walking skips what is not copy; a file named on the command line is linted as plain text.
    page = write(workdir / "landing.html", "Evening hours for busy parents.*\n")
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, page)
    assert [f["rule"] for f in json_findings(result)] == ["core/footnote-unresolved"]


def test_several_paths_are_all_linted(cli, workdir):
    make_tree(workdir / "site")
    extra = write(workdir / "extra.txt", "Evening hours for busy parents.*\n")
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, workdir / "site" / "services", extra)
    assert {Path(f["path"]).name for f in json_findings(result)} == {"care.md", "extra.txt"}


def test_empty_directory_is_clean(cli, workdir):
    (workdir / "empty").mkdir()
    result = cli("check", "--format", "json", workdir / "empty")
    assert result.exit_code == 0
    assert parse_json(result)["summary"]["files"] == 0


# --- encodings and line endings ------------------------------------------------------------


def _variants(text: str) -> dict[str, bytes]:
    return {
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    }


@pytest.mark.parametrize("encoding", ["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_bom_marked_files_lint_like_plain_utf8(cli, workdir, encoding):
    text = (FIXTURES / "clinic.md").read_text(encoding="utf-8")
    plain = write(workdir / "plain.md", text)
    marked = workdir / "marked.md"
    marked.write_bytes(_variants(text)[encoding])
    expected = json_findings(cli("check", "--format", "json", plain))
    result = cli("check", "--format", "json", marked)
    assert result.exit_code == 1, result.stderr
    findings = json_findings(result)
    assert expected and keys(findings) == keys(expected)
    for f in findings:  # the BOM is not a character of the first line
        assert source_slice(text, f["line"], f["column"], f["end_line"], f["end_column"]) == f["excerpt"]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_crlf_line_endings_keep_positions(cli, workdir, suffix):
    text = (FIXTURES / "clinic.md").read_text(encoding="utf-8")
    lf = write(workdir / f"lf{suffix}", text)
    crlf = write(workdir / f"crlf{suffix}", text.replace("\n", "\r\n"))
    expected = json_findings(cli("check", "--format", "json", lf))
    findings = json_findings(cli("check", "--format", "json", crlf))
    assert expected and keys(findings) == keys(expected)
    crlf_text = crlf.read_bytes().decode("utf-8")
    for f in findings:
        assert source_slice(crlf_text, f["line"], f["column"], f["end_line"], f["end_column"]) == f["excerpt"]
        assert "\r" not in f["excerpt"]


def test_crlf_footnote_marker_column(cli, workdir):
    page = write(workdir / "page.md", "# Hours\r\n\r\nEvening hours for busy parents.*\r\n")
    findings = json_findings(cli("check", "--format", "json", *FOOTNOTE_ONLY, page))
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings] == [(3, 32, 3, 33)]


def test_cr_only_markdown_is_linted(cli, workdir):
    page = write(workdir / "page.md", "# Hours\r\rEvening hours for busy parents.*\r")
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, page)
    assert "internal error" not in result.stderr
    assert result.exit_code == 1


def test_empty_and_blank_files_are_clean(cli, workdir):
    empty = write(workdir / "empty.md", "")
    blank = write(workdir / "blank.txt", "\n \n\t\n")
    result = cli("check", "--format", "json", empty, blank)
    assert result.exit_code == 0
    summary = parse_json(result)["summary"]
    assert (summary["files"], summary["findings"], summary["unreadable"]) == (2, 0, [])


# --- inputs that cannot be linted: exit 2, one line, no traceback -------------------------------


def test_binary_file(cli, fixture_copy):
    page = fixture_copy("binary.md")
    line = assert_one_error_line(cli("check", page))
    assert str(page) in line and "binary" in line


def test_latin1_file(cli, fixture_copy):
    page = fixture_copy("latin1.txt")
    line = assert_one_error_line(cli("check", page))
    assert str(page) in line and "UTF-8" in line


def test_missing_path(cli, workdir):
    line = assert_one_error_line(cli("check", workdir / "no-such-page.md"))
    assert "no-such-page.md" in line


def test_unreadable_file(cli, workdir):
    page = write(workdir / "locked.md", "Evening hours for busy parents.*\n")
    page.chmod(0)
    try:
        try:
            page.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("running with privileges that read a chmod 000 file (root)")
        line = assert_one_error_line(cli("check", page))
        assert "locked.md" in line and "permission" in line.lower()
    finally:
        page.chmod(0o644)


def test_oversized_file(cli, workdir):
    page = workdir / "export.txt"
    with page.open("wb") as handle:  # sparse: no 21 MiB actually written
        handle.truncate(21 * 1024 * 1024)
    line = assert_one_error_line(cli("check", page))
    assert "export.txt" in line and "MiB" in line


def test_unreadable_files_do_not_hide_findings_in_readable_ones(cli, workdir, fixture_copy):
    binary = fixture_copy("binary.md", "site/logo.md")
    latin = fixture_copy("latin1.txt", "site/fr/index.txt")
    write(workdir / "site" / "index.md", "Evening hours for busy parents.*\n")
    result = cli("check", "--format", "json", *FOOTNOTE_ONLY, workdir / "site")
    assert result.exit_code == 2  # unreadable input wins over findings
    data = parse_json(result)
    assert [Path(f["path"]).name for f in data["findings"]] == ["index.md"]
    assert data["summary"]["files"] == 1
    assert len(data["summary"]["unreadable"]) == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and all(line.startswith("claimcheck: error:") for line in errors)
    assert any(str(binary) in line for line in errors) and any(str(latin) in line for line in errors)
    assert "Traceback" not in result.stderr


def test_unreadable_file_in_text_output_still_prints_the_report(cli, workdir, fixture_copy):
    fixture_copy("binary.md", "site/logo.md")
    write(workdir / "site" / "index.md", "Evening hours for busy parents.*\n")
    result = cli("check", *FOOTNOTE_ONLY, workdir / "site")
    assert result.exit_code == 2
    assert "index.md:1:32: error core/footnote-unresolved" in result.stdout
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("claimcheck: error:") and "logo.md" in errors[0]


@pytest.mark.parametrize(
    "text",
    [
        "Re\u00adlieves joint pain.",  # a soft hyphen from a CMS
        "C\u200bures arthritis.",  # a zero-width space put in to slip past review
        "Relieves joint pain\u200b.",
        "\ufeffCures arthritis.",
    ],
)
def test_invisible_characters_in_a_word_do_not_hide_a_claim(text):
    from claimcheck.lint import lint_text

    claims = [f for f in lint_text(text, "page.txt") if f.kind == "claim"]
    assert [f.rule for f in claims] == ["core/efficacy-claim"]
    assert claims[0].line == 1 and claims[0].column == 1
    assert not any(char in claims[0].explanation for char in "\u00ad\u200b\ufeff")  # quoted as it reads


def test_an_unreadable_file_named_among_others_leaves_the_others_linted(workdir):
    """One error line for the locked file, findings for the readable one, exit 2 (as a locked file
    found by walking a directory). As root, CAP_DAC_OVERRIDE is dropped with setpriv."""
    import os
    import shutil
    import subprocess
    import sys

    ok = write(workdir / "ok.md", "Our tea cures arthritis.\n")
    locked = write(workdir / "locked.md", "Evening hours for busy parents.\n")
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: a chmod 000 file stays readable")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    try:
        completed = subprocess.run(
            [*prefix, sys.executable, "-m", "claimcheck", "check", "--no-cache", str(ok), str(locked)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        locked.chmod(0o644)
    assert completed.returncode == 2, completed.stderr
    assert "ok.md:1:" in completed.stdout
    errors = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "locked.md" in errors[0] and "permission" in errors[0].lower()
