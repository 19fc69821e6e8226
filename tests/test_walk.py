"""Directory walks: what is linted, and what --verbose says was passed over."""

from __future__ import annotations

from click.testing import CliRunner

from claimcheck.cli import main


def test_verbose_lists_the_files_a_walk_passed_over(tmp_path):
    (tmp_path / "claimcheck.yaml").write_text("exclude: ['drafts/']\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("Opening hours are 9 to 5.\n", encoding="utf-8")
    (tmp_path / "build.py").write_text("print('cures everything')\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "idea.md").write_text("Cures everything.\n", encoding="utf-8")

    quiet = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", str(tmp_path)])
    loud = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", "--verbose", str(tmp_path)])

    assert quiet.exit_code == loud.exit_code == 0
    assert "skipped" not in quiet.stderr
    assert f"claimcheck: skipped {tmp_path / 'build.py'}: not a format claimcheck reads" in loud.stderr
    assert f"claimcheck: skipped {tmp_path / 'drafts' / 'idea.md'}: excluded by the config" in loud.stderr


def test_html_nav_and_footer_are_skipped_only_when_configured(tmp_path):
    html = (
        "<html><body><nav>Our pills cure arthritis.</nav><p>Open 9 to 5.</p>"
        "<footer>Guaranteed results.</footer></body></html>\n"
    )
    for folder in ("plain", "skipping"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.html").write_text(html, encoding="utf-8")
    (tmp_path / "skipping" / "claimcheck.yaml").write_text("html_skip: [nav, footer]\n", encoding="utf-8")

    def lint(folder: str) -> str:
        page = tmp_path / folder / "page.html"
        return CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1", "--format", "json", str(page)]).stdout

    assert '"core/efficacy-claim"' in lint("plain") and '"core/absolute-claim"' in lint("plain")
    assert '"findings": []' in lint("skipping")
