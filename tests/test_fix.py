"""`check --fix` and `--diff`: disclaimers added once, in the file's own format, written safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import TEXT_FINDING, write

from claimcheck import engine as lint
from claimcheck import fixes
from claimcheck.config import Config
from claimcheck.lint import lint_text
from claimcheck.packs import Fix

PHYSICIAN = "Talk to your doctor or another qualified health professional before starting any new treatment."
DSHEA = (
    "These statements have not been evaluated by the Food and Drug Administration. "
    "This product is not intended to diagnose, treat, cure, or prevent any disease."
)
CLAIM = "Our adjustments relieve sciatica."
SUPPLEMENT = "Each capsule relieves arthritis pain."


def rules_reported(output: str) -> list[str]:
    return [m["rule"] for m in map(TEXT_FINDING.match, output.splitlines()) if m]


def test_fix_adds_the_disclaimer_once(cli, workdir):
    page = write(workdir / "page.md", f"# Spine care\n\n{CLAIM}\n")
    result = cli("check", "--fix", "page.md")
    assert result.exit_code == 1, result.output  # the efficacy claim itself is not fixable
    assert page.read_text() == f"# Spine care\n\n{CLAIM}\n\n{PHYSICIAN}\n"
    assert rules_reported(result.stdout) == ["core/efficacy-claim"]
    assert "fixed 1 finding in 1 file" in result.stderr

    again = cli("check", "--fix", "page.md")
    assert page.read_text() == f"# Spine care\n\n{CLAIM}\n\n{PHYSICIAN}\n"
    assert "fixed" not in again.stderr
    assert cli("check", "--diff", "page.md").exit_code == 0


def test_fix_adds_both_disclaimers_and_exits_0_when_nothing_remains(cli, workdir):
    page = write(workdir / "joint.md", "Each capsule may help support joint comfort.\n")
    result = cli("check", "--fix", "joint.md")
    assert result.exit_code == 0, result.output
    assert page.read_text() == f"Each capsule may help support joint comfort.\n\n{PHYSICIAN}\n\n{DSHEA}\n"
    assert "fixed 2 findings in 1 file" in result.stderr


def test_fix_keeps_crlf_and_missing_final_newline(cli, workdir):
    crlf = workdir / "crlf.md"
    crlf.write_bytes(f"# Spine care\r\n\r\n{CLAIM}\r\n".encode())
    bare = workdir / "bare.txt"
    bare.write_bytes(CLAIM.encode())
    cli("check", "--fix", "crlf.md", "bare.txt")
    assert crlf.read_bytes() == f"# Spine care\r\n\r\n{CLAIM}\r\n\r\n{PHYSICIAN}\r\n".encode()
    assert bare.read_bytes() == f"{CLAIM}\n\n{PHYSICIAN}".encode()


def test_fix_keeps_byte_order_mark_and_mode(cli, workdir):
    page = workdir / "page.md"
    page.write_bytes(b"\xef\xbb\xbf" + CLAIM.encode() + b"\n")
    page.chmod(0o640)
    cli("check", "--fix", "page.md")
    assert page.read_bytes() == b"\xef\xbb\xbf" + f"{CLAIM}\n\n{PHYSICIAN}\n".encode()
    assert stat.S_IMODE(page.stat().st_mode) == 0o640


def test_fix_html_goes_before_body_close(cli, workdir):
    page = write(workdir / "page.html", f"<html>\n<body>\n  <p>{CLAIM}</p>\n  </body>\n</html>\n")
    cli("check", "--fix", "page.html")
    assert page.read_text() == f"<html>\n<body>\n  <p>{CLAIM}</p>\n  <p>{PHYSICIAN}</p>\n  </body>\n</html>\n"
    assert "core/physician-disclaimer-missing" not in rules_reported(cli("check", "page.html").stdout)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("page.html", f"<html><body>\n<p>{CLAIM}</p>\n<!-- old note\n<p>More text.</p>\n</body></html>\n"),
        ("page.md", f"{CLAIM}\n\n<!-- old note\n"),
        # Left open by an HTML block: a paragraph's "-->" is text on the page and closes nothing.
        ("page.md", f"{CLAIM}\n\n<div>\n<!-- old note\n\n</div>\n\nStep 1 --> Step 2.\n"),
        ("page.mdx", f"{CLAIM}\n\n{{/* old note\n"),
    ],
)
def test_fix_adds_nothing_inside_a_comment_never_closed(cli, workdir, name, text):
    """Browsers read an unclosed "<!--" to the end of the page (MDX an unclosed "{/*"): a
    paragraph added before </body> or at the end would be hidden there, so the fix is not made
    (nor counted)."""
    page = write(workdir / name, text)
    result = cli("check", "--fix", name)
    assert page.read_text() == text
    assert "fixed" not in result.stderr
    assert "core/physician-disclaimer-missing" in rules_reported(result.stdout)


def test_fix_html_without_body_appends_at_the_end(workdir):
    text, _ = fixes.apply_fix(f"<p>{CLAIM}</p>", "html", Fix(PHYSICIAN))
    assert text == f"<p>{CLAIM}</p>\n<p>{PHYSICIAN}</p>"


def test_fix_at_start_goes_after_front_matter(workdir):
    text, _ = fixes.apply_fix(f"---\ntitle: Spine\n---\n{CLAIM}\n", "markdown", Fix(PHYSICIAN, "start"))
    assert text == f"---\ntitle: Spine\n---\n\n{PHYSICIAN}\n\n{CLAIM}\n"


def test_fix_moves_remaining_findings_below_a_paragraph_added_at_the_start(cli, workdir):
    write(
        workdir / "acme.yaml",
        "pack: acme\nextends: [core]\nrules:\n"
        "  - id: acme/physician-first\n    check: disclaimer\n    severity: warning\n"
        "    message: No physician disclaimer.\n    explanation: Say it first.\n"
        "    when: {claims: any}\n"
        "    require: [[[{LOWER: talk}, {LOWER: to}, {LOWER: your}, {LOWER: doctor}]]]\n"
        f"    fix: {{append: '{PHYSICIAN}', where: start}}\n",
    )
    write(workdir / "claimcheck.yaml", "packs: [./acme.yaml]\ndisable: [core/physician-disclaimer-missing]\n")
    page = write(workdir / "page.md", f"{CLAIM}\n")
    result = cli("check", "--fix", "page.md")
    assert page.read_text() == f"{PHYSICIAN}\n\n{CLAIM}\n"
    headers = [m for m in map(TEXT_FINDING.match, result.stdout.splitlines()) if m]
    assert [(m["rule"], m["line"]) for m in headers] == [("core/efficacy-claim", "3")]


def test_diff_shows_the_change_and_writes_nothing(cli, workdir):
    page = write(workdir / "page.md", f"{CLAIM}\n")
    before = page.stat().st_mtime_ns
    result = cli("check", "--diff", "page.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "--- a/page.md",
        "+++ b/page.md",
        "@@ -1 +1,3 @@",
        f" {CLAIM}",
        "+",
        f"+{PHYSICIAN}",
    ]
    assert page.read_text() == f"{CLAIM}\n"
    assert page.stat().st_mtime_ns == before


def test_diff_exits_0_when_nothing_to_fix(cli, workdir):
    write(workdir / "page.md", "Evening hours for busy parents.\n")
    result = cli("check", "--diff", "page.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_fix_and_diff_together_is_a_usage_error(cli, workdir):
    write(workdir / "page.md", f"{CLAIM}\n")
    assert cli("check", "--fix", "--diff", "page.md").exit_code == 2


def test_fix_with_stdin_prints_the_fixed_document(cli, workdir):
    result = cli("check", "--fix", "--stdin-filename", "page.md", input=f"{CLAIM}\r\n".encode())
    assert result.stdout_bytes == f"{CLAIM}\r\n\r\n{PHYSICIAN}\r\n".encode()
    assert rules_reported(result.stderr) == ["core/efficacy-claim"]
    assert result.exit_code == 1
    assert list(workdir.iterdir()) == []


def test_file_changed_between_lint_and_write_is_skipped(cli, workdir, monkeypatch):
    page = write(workdir / "page.md", f"{CLAIM}\n")
    real_lint_paths = lint.lint_paths

    def lint_then_edit(*args, **kwargs):  # an editor saves the file while claimcheck lints it
        result = real_lint_paths(*args, **kwargs)
        page.write_text(f"{CLAIM} Edited.\n")
        return result

    monkeypatch.setattr(lint, "lint_paths", lint_then_edit)
    result = cli("check", "--fix", "page.md")
    assert page.read_text() == f"{CLAIM} Edited.\n"
    assert "claimcheck: warning: page.md changed since it was linted; not fixed" in result.stderr
    assert "core/physician-disclaimer-missing" in rules_reported(result.stdout)
    assert [p.name for p in workdir.iterdir()] == ["page.md"]


def test_write_refuses_a_file_changed_just_before_the_replace(workdir):
    page = write(workdir / "page.md", "new on disk\n")
    with pytest.raises(fixes.FileChanged):
        fixes.write_atomically(page, b"fixed\n", expected=b"what was read\n")
    assert page.read_text() == "new on disk\n"
    assert [p.name for p in workdir.iterdir()] == ["page.md"]


def test_atomic_write_leaves_no_temporary_files(cli, workdir, monkeypatch):
    pages = [write(workdir / f"page{i}.md", f"{CLAIM}\n") for i in range(3)]
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (replaced.append(Path(src).parent), real_replace(src, dst)))
    cli("check", "--fix", *pages)
    assert replaced == [workdir] * 3  # each written through a temporary file beside it
    assert sorted(p.name for p in workdir.iterdir()) == ["page0.md", "page1.md", "page2.md"]


def test_files_without_fixable_findings_are_untouched(cli, workdir):
    clean = write(workdir / "clean.md", "Evening hours for busy parents.\n")
    hedged = write(workdir / "hedged.md", f"{CLAIM} Talk to your doctor before starting care.\n")
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    os.utime(hedged, ns=(1_000_000_000, 1_000_000_000))
    fixed = write(workdir / "page.md", f"{CLAIM}\n")
    cli("check", "--fix", ".")
    assert clean.stat().st_mtime_ns == hedged.stat().st_mtime_ns == 1_000_000_000
    assert fixed.read_text().endswith(PHYSICIAN + "\n")


def test_docx_is_never_written_but_noted(workdir):
    findings = lint_text(CLAIM, path="page.docx", format="text")
    plan = fixes.plan_fixes(findings, {"page.docx": CLAIM}, lambda path: (Config().ruleset(), None))
    assert plan.files == []
    assert plan.notes == [
        "page.docx: .docx files are never written; add the text in Word by hand (core/physician-disclaimer-missing)"
    ]


def test_pack_schema_allows_fix_only_on_disclaimer_rules(cli, workdir):
    write(
        workdir / "acme.yaml",
        "pack: acme\nrules:\n  - id: acme/cure\n    check: claim\n    kind: efficacy\n    severity: warning\n"
        "    message: Cure claim.\n    explanation: Hedge it.\n    patterns: [[{LOWER: cures}]]\n"
        "    fix: {append: May help.}\n",
    )
    write(workdir / "claimcheck.yaml", "packs: [./acme.yaml]\n")
    result = cli("rules")
    assert result.exit_code == 2
    assert "does not allow {'append': 'May help.'}" in result.stderr


def _read_only(monkeypatch, path: Path) -> None:
    """Make `path` one this process may not write, as it is for a normal user (root may write anything)."""
    from claimcheck import text

    real = os.access

    def access(p, mode, **kwargs):
        return False if Path(p) == path.resolve() and mode & os.W_OK else real(p, mode)

    monkeypatch.setattr(text.os, "access", access)


def test_fix_leaves_a_read_only_file_alone(cli, workdir, monkeypatch):
    """Renaming a new file over it needs only the directory's permission: it is refused all the same."""
    page = write(workdir / "page.md", f"{CLAIM}\n")
    page.chmod(0o444)
    _read_only(monkeypatch, page)
    result = cli("check", "--fix", "page.md")
    assert result.exit_code == 2, result.output
    assert page.read_text() == f"{CLAIM}\n"
    assert "page.md" in result.stderr and "Permission denied" in result.stderr
    assert stat.S_IMODE(page.stat().st_mode) == 0o444


def test_a_read_only_output_file_is_not_replaced(cli, workdir, monkeypatch):
    write(workdir / "page.md", f"{CLAIM}\n")
    report = write(workdir / "report.txt", "kept\n")
    _read_only(monkeypatch, report)
    result = cli("check", "-o", "report.txt", "page.md")
    assert result.exit_code == 2, result.output
    assert report.read_text() == "kept\n"
    assert "cannot write report.txt" in result.stderr
