"""Inline suppressions: next-line, ranges and file-level directives in Markdown and plain text,
reasons, and the directives that core/unused-suppression reports."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line, parse_json, write

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.documents import read_document
from claimcheck.filters.suppressions import parse

# The disclaimer rules fire on any claim; leave them out so each test sees only what it is about.
QUIET = frozenset({"core/physician-disclaimer-missing", "core/supplement-disclaimer-missing"})
CONFIG = Config(disable=QUIET)
REQUIRED = Config(disable=QUIET, suppression_reason="required")

CLAIM = "Our formula cures arthritis."  # core/efficacy-claim at column 13
UNUSED = "core/unused-suppression"


def found(text: str, path: str = "page.txt", config: Config = CONFIG) -> list[tuple[str, int]]:
    """(rule, line) of every finding, in order."""
    return [(f.rule, f.line) for f in lint_text(text, path, config=config)]


# --- next line ---------------------------------------------------------------------------------


def test_next_line_in_text_suppresses_only_the_next_line():
    text = f"# claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03\n{CLAIM}\n{CLAIM}\n"
    assert found(text) == [("core/efficacy-claim", 3)]


def test_next_line_with_double_slash_and_indent():
    text = f"  // claimcheck-disable-next-line core/efficacy-claim -- approved\n{CLAIM}\n"
    assert found(text) == []


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings(newline):
    text = f"Intro.{newline}# claimcheck-disable-next-line core/efficacy-claim -- ok{newline}{CLAIM}{newline}{CLAIM}"
    assert found(text) == [("core/efficacy-claim", 4)]
    markdown = text.replace(
        "# claimcheck-disable-next-line core/efficacy-claim -- ok",
        "<!-- claimcheck-disable-next-line core/efficacy-claim -->",
    )
    assert found(markdown, "page.md") == [("core/efficacy-claim", 4)]


def test_next_line_in_markdown():
    text = f"# Spine care\n\n<!-- claimcheck-disable-next-line core/efficacy-claim -- approved by legal -->\n{CLAIM}\n"
    assert found(text, "page.md") == []


def test_markdown_comment_may_span_lines_and_counts_from_its_last_line():
    text = f"<!--\n  claimcheck-disable-next-line core/efficacy-claim\n  -- approved by legal\n-->\n{CLAIM}\n"
    assert found(text, "page.md") == []


def test_next_line_leaves_other_rules_on_that_line():
    text = (
        "# claimcheck-disable-next-line core/efficacy-claim -- ok\nOur formula cures arthritis. Results in 2 weeks.*\n"
    )
    assert {rule for rule, _ in found(text)} == {"core/quantified-claim", "core/footnote-unresolved"}


def test_next_line_with_several_rules():
    text = f"# claimcheck-disable-next-line core/efficacy-claim, core/footnote-unresolved -- ok\n{CLAIM}*\n"
    assert found(text) == []


def test_a_directive_without_rules_suppresses_every_rule():
    text = (
        "# claimcheck-disable-next-line -- the whole line is approved\n"
        "Our formula cures arthritis. Results in 2 weeks.*\n"
    )
    assert found(text) == []


def test_pack_name_and_prefix_select_every_rule_in_the_pack():
    line = "Our formula cures arthritis. Results in 2 weeks.*"
    assert found(f"# claimcheck-disable-next-line core -- ok\n{line}\n") == []
    assert found(f"# claimcheck-disable-next-line core/ -- ok\n{line}\n") == []


# --- ranges and files --------------------------------------------------------------------------


def test_disable_enable_range():
    text = (
        f"{CLAIM}\n"
        "# claimcheck-disable core/efficacy-claim -- testimonials, approved\n"
        f"{CLAIM}\n\n{CLAIM}\n"
        "# claimcheck-enable core/efficacy-claim\n"
        f"{CLAIM}\n"
    )
    assert found(text) == [("core/efficacy-claim", 1), ("core/efficacy-claim", 7)]


def test_markdown_range_without_rules_and_enable_without_rules():
    text = (
        "<!-- claimcheck-disable -- legacy page -->\n\n"
        "Faster recovery than open surgery.\n\n"
        "<!-- claimcheck-enable -->\n\n"
        "Faster recovery than open surgery.\n"
    )
    assert found(text, "page.md") == [("core/comparative-claim", 7)]


def test_enable_ends_only_the_rules_it_names():
    text = (
        "# claimcheck-disable core/efficacy-claim, core/comparative-claim -- approved\n"
        "Our formula cures arthritis. Faster recovery than open surgery.\n"
        "# claimcheck-enable core/efficacy-claim\n"
        "Our formula cures arthritis. Faster recovery than open surgery.\n"
    )
    assert found(text) == [("core/efficacy-claim", 4)]


def test_range_without_enable_runs_to_the_end():
    text = f"# claimcheck-disable core/efficacy-claim -- approved\n{CLAIM}\n\n\n{CLAIM}\n"
    assert found(text) == []


def test_file_level_suppression_anywhere_in_the_file():
    text = f"{CLAIM}\n\nResults in 2 weeks.*\n\n# claimcheck-disable-file core/efficacy-claim -- archived page\n"
    assert found(text) == [("core/quantified-claim", 3), ("core/footnote-unresolved", 3)]


def test_file_level_suppression_of_a_disclaimer_rule_in_markdown():
    text = f"<!-- claimcheck-disable-file core/physician-disclaimer-missing -- on the parent page -->\n\n{CLAIM}\n"
    assert found(text, "page.md", Config()) == [("core/efficacy-claim", 3)]


# --- the directives themselves -----------------------------------------------------------------


def test_directive_text_is_not_linted():
    # The reason holds a claim, a hedge and a footnote marker; none of it is copy.
    text = f"# claimcheck-disable-next-line core/efficacy-claim -- may say it cures arthritis†\n{CLAIM}\n"
    assert found(text, config=Config()) == [("core/physician-disclaimer-missing", 2)]


def test_a_hedge_in_a_reason_does_not_hedge_the_next_line():
    text = f"# claimcheck-disable-next-line core/footnote-unresolved -- may be fine\n{CLAIM}*\n"
    assert found(text) == [("core/efficacy-claim", 2)]


def test_markdown_directives_in_code_are_examples_not_directives():
    text = (
        "```\n<!-- claimcheck-disable-file core -- example -->\n```\n\n"
        "Write `<!-- claimcheck-disable-file core -->` to silence a page.\n\n"
        f"{CLAIM}\n"
    )
    assert found(text, "page.md") == [("core/efficacy-claim", 7)]


def test_hash_lines_in_markdown_are_headings_not_directives():
    text = f"# claimcheck-disable-next-line core/efficacy-claim\n{CLAIM}\n"
    assert parse(read_document(text, "page.md", "markdown")) == []


def test_parse_reads_action_rules_reason_and_lines():
    text = f"{CLAIM}\n# claimcheck-disable core/efficacy-claim,core/absolute-claim -- approved -- by legal\n"
    (directive,) = parse(read_document(text, "page.txt", "text"))
    assert directive.action == "disable"
    assert directive.selectors == ("core/efficacy-claim", "core/absolute-claim")
    assert directive.reason == "approved -- by legal"
    assert (directive.line, directive.end_line, directive.problem) == (2, 2, "")


# --- what core/unused-suppression reports ------------------------------------------------------


def unused(text: str, path: str = "page.txt", config: Config = CONFIG) -> list[tuple[int, int, str, str]]:
    return [
        (f.line, f.column, f.excerpt, f.explanation) for f in lint_text(text, path, config=config) if f.rule == UNUSED
    ]


def test_a_suppression_that_suppresses_nothing_is_reported():
    text = "Evening hours.\n# claimcheck-disable-next-line core/efficacy-claim -- approved\nEvening hours.\n"
    [finding] = [f for f in lint_text(text, "page.txt", config=CONFIG)]
    assert (finding.rule, finding.kind, finding.severity.value) == (UNUSED, "suppression", "warning")
    assert (finding.line, finding.column, finding.end_line) == (2, 1, 2)
    assert finding.excerpt == "# claimcheck-disable-next-line core/efficacy-claim -- approved"
    assert finding.explanation == "no finding for core/efficacy-claim on line 3 to suppress"


def test_only_the_idle_rules_of_a_directive_are_reported():
    text = f"# claimcheck-disable-next-line core/efficacy-claim, core/absolute-claim -- ok\n{CLAIM}\n"
    assert [detail for *_, detail in unused(text)] == ["no finding for core/absolute-claim on line 2 to suppress"]


def test_unused_range_and_file_suppressions_in_markdown():
    text = (
        "<!-- claimcheck-disable core/efficacy-claim -- ok -->\n\nEvening hours.\n\n"
        "<!-- claimcheck-enable core/efficacy-claim -->\n\n"
        "<!-- claimcheck-disable-file core/absolute-claim -- ok -->\n"
    )
    assert [(line, detail) for line, _, _, detail in unused(text, "page.md")] == [
        (1, "no finding for core/efficacy-claim in its range to suppress"),
        (7, "no finding for core/absolute-claim in this document to suppress"),
    ]


def test_suppressions_of_rules_not_run_are_not_called_unused():
    # The rule is disabled in the config, so whether the directive is needed cannot be known.
    text = f"# claimcheck-disable-next-line core/physician-disclaimer-missing -- on the parent page\n{CLAIM}\n"
    assert unused(text) == []


@pytest.mark.parametrize(
    ("directive", "detail"),
    [
        ("claimcheck-disabel-next-line core/efficacy-claim", "unknown directive 'claimcheck-disabel-next-line'"),
        ("claimcheck-disable-next-line core/efficacy-claims", "no rule matches core/efficacy-claims"),
        ("claimcheck-disable-next-line acme", "no rule matches acme"),
        ("claimcheck-disable-next-line Core/Efficacy", "'Core/Efficacy' is not a rule id, pack or prefix"),
        ("claimcheck-enable core/efficacy-claim", "no claimcheck-disable above it is open for core/efficacy-claim"),
    ],
)
def test_malformed_directives_are_reported_and_suppress_nothing(directive, detail):
    text = f"# {directive}\n{CLAIM}\n"
    [(*_, reported)] = unused(text)
    assert reported.startswith(detail)
    assert ("core/efficacy-claim", 2) in found(text)


def test_a_malformed_markdown_directive_is_reported_at_its_comment():
    text = f"Intro.\n\n<!-- claimcheck-disable-nextline core/efficacy-claim -- ok -->\n{CLAIM}\n"
    [(line, column, excerpt, detail)] = unused(text, "page.md")
    assert (line, column, excerpt) == (3, 1, "<!-- claimcheck-disable-nextline core/efficacy-claim -- ok -->")
    assert detail.startswith("unknown directive 'claimcheck-disable-nextline'")


def test_unused_suppressions_are_not_reported_when_the_rule_is_disabled():
    text = "# claimcheck-disable-next-line core/efficacy-claim -- ok\nEvening hours.\n"
    assert found(text, config=Config(disable=QUIET | {UNUSED})) == []


# --- reasons -----------------------------------------------------------------------------------


def test_reasons_are_optional_by_default():
    assert found(f"# claimcheck-disable-next-line core/efficacy-claim\n{CLAIM}\n") == []


def test_a_missing_reason_is_reported_when_required_but_still_suppresses():
    text = f"# claimcheck-disable-next-line core/efficacy-claim\n{CLAIM}\n<!-- not a directive in text -->\n"
    assert [detail for *_, detail in unused(text, config=REQUIRED)] == [
        "a reason is required (suppression_reason: required): add ' -- why'"
    ]
    assert "core/efficacy-claim" not in {rule for rule, _ in found(text, config=REQUIRED)}


@pytest.mark.parametrize(
    "text",
    [
        f"# claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03\n{CLAIM}\n",
        f"<!-- claimcheck-disable core -- legacy -->\n{CLAIM}\n<!-- claimcheck-enable core -->\n",
    ],
)
def test_a_given_reason_satisfies_required(text):
    path = "page.md" if text.startswith("<!--") else "page.txt"
    assert found(text, path, REQUIRED) == []


def test_an_empty_reason_counts_as_missing():
    text = f"# claimcheck-disable-next-line core/efficacy-claim --\n{CLAIM}\n"
    assert len(unused(text, config=REQUIRED)) == 1


def test_suppression_reason_in_the_config_file(cli, workdir):
    write(workdir / "claimcheck.yaml", "suppression_reason: required\ndisable: [core/physician-disclaimer-missing]\n")
    page = write(workdir / "page.md", f"<!-- claimcheck-disable-next-line core/efficacy-claim -->\n{CLAIM}\n")
    result = cli("check", "--format", "json", page)
    assert [(f["rule"], f["kind"], f["line"]) for f in parse_json(result)["findings"]] == [(UNUSED, "suppression", 1)]


def test_a_bad_suppression_reason_in_the_config_is_a_usage_error(cli, workdir):
    write(workdir / "claimcheck.yaml", "suppression_reason: sometimes\n")
    page = write(workdir / "page.md", f"{CLAIM}\n")
    assert "suppression_reason" in assert_one_error_line(cli("check", page))
