"""Config in depth: extends chains and precedence, per-path overrides, `claimcheck config`, front matter fields."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import assert_one_error_line, parse_json, source_slice, write

from claimcheck.config import Config, load_config
from claimcheck.lint import lint_text

# Findings that do not depend on the NLP: an unresolved marker (error) and an orphan footnote (warning).
FOOTNOTES_PAGE = "Evening hours for busy parents.*\n\n† Monday to Thursday only.\n"
# One efficacy claim (warning), which also makes the physician disclaimer missing (warning).
CLAIM_PAGE = "Chiropractic adjustments relieve sciatica and restore mobility.\n"


def severities(result) -> dict[str, str]:
    return {f["rule"]: f["severity"] for f in parse_json(result)["findings"]}


# --- extends ---------------------------------------------------------------------------------


def test_extends_chain_and_precedence(cli, workdir):
    # base <- team <- claimcheck.yaml; each level overrides the one it extends.
    write(
        workdir / "shared" / "base.yaml",
        "disable: [core/footnote-orphan]\n"
        "severity: {core/footnote-unresolved: info, core/efficacy-claim: info}\n"
        "fail_on: info\n",
    )
    write(workdir / "shared" / "team.yaml", "extends: [base.yaml]\nseverity: {core/footnote-unresolved: warning}\n")
    write(workdir / "claimcheck.yaml", "extends: [shared/team.yaml]\nfail_on: error\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)

    config = load_config(workdir / "claimcheck.yaml")
    assert config.sources == (
        (workdir / "claimcheck.yaml").resolve(),
        (workdir / "shared" / "team.yaml").resolve(),
        (workdir / "shared" / "base.yaml").resolve(),
    )
    # severity merges rule by rule (team over base); disable is inherited; fail_on is this file's.
    assert dict(config.severity) == {"core/footnote-unresolved": "warning", "core/efficacy-claim": "info"}
    assert config.disable == {"core/footnote-orphan"}
    assert config.fail_on == "error"

    result = cli("check", "--format", "json", page)
    assert severities(result) == {"core/footnote-unresolved": "warning"}
    assert result.exit_code == 0  # a warning, and fail_on is error
    # The command line wins over every config.
    assert cli("check", page, "--fail-on", "warning").exit_code == 1
    assert severities(cli("check", "--format", "json", page, "--ignore", "core/footnote-unresolved")) == {}


def test_a_named_list_replaces_the_inherited_one(cli, workdir):
    write(workdir / "base.yaml", "disable: [core/footnote-orphan]\n")
    write(workdir / "claimcheck.yaml", "extends: base.yaml\ndisable: [core/footnote-unresolved]\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert severities(cli("check", "--format", "json", page)) == {"core/footnote-orphan": "warning"}


def test_later_extends_entries_win_over_earlier_ones(workdir):
    write(workdir / "one.yaml", "fail_on: info\nseverity: {core/efficacy-claim: info}\n")
    write(workdir / "two.yaml", "fail_on: error\n")
    write(workdir / "claimcheck.yaml", "extends: [one.yaml, two.yaml]\n")
    config = load_config(workdir / "claimcheck.yaml")
    assert config.fail_on == "error"
    assert dict(config.severity) == {"core/efficacy-claim": "info"}
    assert [p.name for p in config.sources] == ["claimcheck.yaml", "two.yaml", "one.yaml"]


def test_pack_paths_in_an_extended_config_are_relative_to_that_config(cli, workdir):
    write(
        workdir / "shared" / "rules" / "house.yaml",
        "pack: house\nrules:\n  - id: house/marker\n    check: footnote-unresolved\n    severity: info\n"
        "    message: House marker.\n    explanation: x\n",
    )
    write(workdir / "shared" / "base.yaml", "packs: [core, ./rules/house.yaml]\n")
    write(workdir / "claimcheck.yaml", "extends: [shared/base.yaml]\n")
    result = cli("rules")
    assert result.exit_code == 0, result.stderr
    assert "house/marker" in result.stdout


def test_a_config_extended_many_times_is_read_once(workdir, monkeypatch):
    """Thirty levels that each extend the next file twice: 2**30 reads before, 31 now."""
    from claimcheck.config import loading

    for level in range(30):
        write(workdir / f"c{level}.yaml", f"extends: [c{level + 1}.yaml, c{level + 1}.yaml]\n")
    write(workdir / "c30.yaml", "fail_on: warning\n")
    reads = []
    real = loading._read
    monkeypatch.setattr(loading, "_read", lambda path: reads.append(path) or real(path))
    config = load_config(workdir / "c0.yaml")
    assert config.fail_on == "warning"
    assert len(reads) == 31
    assert [p.name for p in config.sources] == [f"c{level}.yaml" for level in range(31)]


def test_an_extends_cycle_is_a_clear_error_naming_the_files(cli, workdir):
    write(workdir / "claimcheck.yaml", "extends: [a.yaml]\n")
    write(workdir / "a.yaml", "extends: [b.yaml]\n")
    write(workdir / "b.yaml", "extends: [a.yaml]\n")
    write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", "page.md"))
    assert "cycle" in line
    chain = line.split("cycle: ")[1].split(" -> ")  # the whole chain, from the config in use
    assert [Path(p).name for p in chain] == ["claimcheck.yaml", "a.yaml", "b.yaml", "a.yaml"]


def test_a_config_extending_itself_is_a_cycle(workdir):
    from claimcheck.errors import ConfigError

    write(workdir / "claimcheck.yaml", "extends: claimcheck.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_config(workdir / "claimcheck.yaml")


def test_a_missing_extended_config_names_file_and_line(cli, workdir):
    write(workdir / "claimcheck.yaml", "fail_on: error\nextends:\n  - nowhere.yaml\n")
    write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", "page.md"))
    assert "claimcheck.yaml:3:" in line and "nowhere.yaml" in line and "not found" in line


def test_pyproject_can_extend_a_yaml_config(cli, workdir):
    write(workdir / "base.yaml", "disable: [core/footnote-orphan]\n")
    write(workdir / "pyproject.toml", '[tool.claimcheck]\nextends = ["base.yaml"]\n')
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert severities(cli("check", "--format", "json", page)) == {"core/footnote-unresolved": "error"}


# --- overrides -------------------------------------------------------------------------------

OVERRIDES = """\
overrides:
  - files: ["blog/**"]
    severity: {core/efficacy-claim: error}
  - files: ["legal/*.md"]
    disable: [core/physician-disclaimer-missing]
"""


@pytest.mark.parametrize("order", [("legal/terms.md", "about.md"), ("about.md", "legal/terms.md")])
def test_files_linted_together_keep_each_their_own_overrides(cli, workdir, order):
    # Files are linted in runs that share spaCy's memory zone: each with its own rule set still.
    write(workdir / "claimcheck.yaml", 'overrides:\n  - files: ["legal/*.md"]\n    disable: [core/efficacy-claim]\n')
    for name in order:
        write(workdir / name, "Our tea cures anxiety.\n")
    findings = parse_json(cli("check", "--no-cache", "--format", "json", *order))["findings"]
    claims = {Path(f["path"]).as_posix() for f in findings if f["rule"] == "core/efficacy-claim"}
    assert claims == {"about.md"}


def test_a_stricter_suppression_policy_is_not_answered_from_a_laxer_files_cache(cli, workdir):
    page = "<!-- claimcheck-disable-next-line core/efficacy-claim -->\nOur tea cures anxiety.\n"
    write(workdir / "lax.md", page)
    write(workdir / "strict" / "claimcheck.yaml", "suppression_reason: required\n")
    write(workdir / "strict" / "page.md", page)

    def rules(path: str) -> set[str]:
        return {f["rule"] for f in parse_json(cli("check", "--format", "json", path))["findings"]}

    assert "core/unused-suppression" not in rules("lax.md")  # its findings are now cached
    assert "core/unused-suppression" in rules("strict/page.md")  # the reason it lacks is required here


def test_overrides_apply_by_glob(cli, workdir):
    write(workdir / "claimcheck.yaml", OVERRIDES)
    for name in ("blog/2024/post.md", "legal/terms.md", "legal/old/terms.md", "about.md"):
        write(workdir / name, CLAIM_PAGE)
    findings = parse_json(cli("check", "--format", "json", "."))["findings"]
    by_file: dict[str, dict[str, str]] = {}
    for f in findings:
        by_file.setdefault(Path(f["path"]).as_posix(), {})[f["rule"]] = f["severity"]
    claim, disclaimer = "core/efficacy-claim", "core/physician-disclaimer-missing"
    assert by_file["blog/2024/post.md"] == {claim: "error", disclaimer: "warning"}  # stricter under blog/
    assert by_file["legal/terms.md"] == {claim: "warning"}  # disabled for legal/*.md
    assert by_file["legal/old/terms.md"] == {claim: "warning", disclaimer: "warning"}  # '*' stays in its folder
    assert by_file["about.md"] == {claim: "warning", disclaimer: "warning"}


def test_overrides_apply_to_stdin_under_its_filename(cli, workdir):
    write(workdir / "claimcheck.yaml", OVERRIDES)
    result = cli("check", "--format", "json", "--stdin-filename", "blog/new.md", input=CLAIM_PAGE)
    assert severities(result)["core/efficacy-claim"] == "error"


def test_overrides_are_relative_to_the_config_given_with_dash_dash_config(cli, workdir):
    write(workdir / "conf" / "strict.yaml", "overrides:\n  - files: ['*.md']\n    disable: [core]\n")
    page = write(workdir / "conf" / "page.md", FOOTNOTES_PAGE)
    other = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert severities(cli("check", "--format", "json", "--config", "conf/strict.yaml", page)) == {}
    assert len(severities(cli("check", "--format", "json", "--config", "conf/strict.yaml", other))) == 2


def test_for_path_applies_matching_overrides_in_order(workdir):
    write(
        workdir / "claimcheck.yaml",
        "severity: {core/efficacy-claim: info}\n"
        "overrides:\n"
        "  - files: ['blog/**']\n    severity: {core/efficacy-claim: error}\n    disable: [core/footnote-orphan]\n"
        "  - files: ['blog/drafts/*']\n    severity: {core/efficacy-claim: warning}\n",
    )
    config = load_config(workdir / "claimcheck.yaml")
    assert dict(config.for_path(workdir / "index.md").severity) == {"core/efficacy-claim": "info"}
    post = config.for_path(workdir / "blog" / "post.md")
    assert dict(post.severity) == {"core/efficacy-claim": "error"}
    assert post.disable == {"core/footnote-orphan"}
    draft = config.for_path(workdir / "blog" / "drafts" / "x.md")
    assert dict(draft.severity) == {"core/efficacy-claim": "warning"}  # the later override wins
    assert len(draft.applied) == 2
    assert draft.for_path(workdir / "blog" / "drafts" / "x.md") == draft  # resolved once, not again
    assert config.for_path(workdir.parent / "elsewhere.md").applied == ()  # outside the config's folder
    assert draft.ruleset().rules["core/efficacy-claim"].severity.value == "warning"


def test_extended_overrides_come_first_and_globs_are_relative_to_the_config_in_use(workdir):
    write(workdir / "shared" / "base.yaml", "overrides:\n  - files: ['blog/**']\n    disable: [core/footnote-orphan]\n")
    write(workdir / "claimcheck.yaml", "extends: [shared/base.yaml]\n")
    config = load_config(workdir / "claimcheck.yaml")
    assert config.for_path(workdir / "blog" / "a.md").disable == {"core/footnote-orphan"}
    assert config.for_path(workdir / "shared" / "blog" / "a.md").disable == frozenset()


@pytest.mark.parametrize(
    ("text", "key_path"),
    [
        ("overrides:\n  - disable: [core]\n", "overrides[0]"),
        ("overrides:\n  - files: ['a/*']\n    fail_on: error\n", "overrides[0]"),
        ("front_matter_fields: title\n", "front_matter_fields"),
        ("extends: [1]\n", "extends"),
    ],
)
def test_bad_new_keys_are_one_line_errors(cli, workdir, text, key_path):
    write(workdir / "claimcheck.yaml", text)
    write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", "page.md"))
    assert "claimcheck.yaml:" in line and key_path in line


# --- claimcheck config -----------------------------------------------------------------------


def test_config_command_prints_the_resolved_config_as_yaml(cli, workdir):
    write(workdir / "base.yaml", "fail_on: error\nexclude: [drafts/**]\n")
    write(workdir / "claimcheck.yaml", "extends: [base.yaml]\n" + OVERRIDES)
    result = cli("config", "legal/terms.md")
    assert result.exit_code == 0, result.stderr
    shown = yaml.safe_load(result.stdout)
    assert shown["path"] == "legal/terms.md"
    assert shown["sources"] == [str((workdir / "claimcheck.yaml").resolve()), str((workdir / "base.yaml").resolve())]
    assert shown["packs"] == ["core"]
    assert shown["disable"] == ["core/physician-disclaimer-missing"]
    assert shown["fail_on"] == "error" and shown["exclude"] == ["drafts/**"] and shown["pipeline"] is None
    assert shown["front_matter_fields"] == ["title", "description"]
    assert len(shown["overrides_applied"]) == 1 and "legal/*.md" in shown["overrides_applied"][0]
    assert "core/physician-disclaimer-missing" not in shown["rules"]
    assert shown["rules"]["core/efficacy-claim"] == "warning"

    blog = yaml.safe_load(cli("config", "blog/post.md").stdout)
    assert blog["severity"] == {"core/efficacy-claim": "error"}
    assert blog["rules"]["core/efficacy-claim"] == "error"
    assert "core/physician-disclaimer-missing" in blog["rules"]


def test_config_command_without_a_config_shows_the_defaults(cli, workdir):
    result = cli("config")
    assert result.exit_code == 0, result.stderr
    shown = yaml.safe_load(result.stdout)
    assert shown["path"] == "."
    assert shown["packs"] == ["core"] and shown["disable"] == [] and shown["fail_on"] == "warning"
    assert "defaults" in shown["sources"][0]
    assert shown["rules"]["core/footnote-unresolved"] == "error"


def test_config_command_with_dash_dash_config(cli, workdir):
    write(workdir / "other.yaml", "disable: [core/footnote-orphan]\n")
    shown = yaml.safe_load(cli("config", "--config", "other.yaml").stdout)
    assert shown["sources"] == [str((workdir / "other.yaml").resolve())]
    assert "core/footnote-orphan" not in shown["rules"]


def test_config_command_reports_a_bad_config_in_one_line(cli, workdir):
    write(workdir / "claimcheck.yaml", "extends: [missing.yaml]\n")
    assert "missing.yaml" in assert_one_error_line(cli("config"))


# --- front matter fields ---------------------------------------------------------------------

FRONT_MATTER_PAGE = """\
---
title: "Chiropractic adjustments relieve sciatica"
slug: chiropractic adjustments relieve sciatica
description: Chiropractic adjustments restore mobility.  # for search engines
tags: [chiropractic adjustments relieve sciatica]
summary: Chiropractic adjustments relieve sciatica and restore mobility.
---

Consult your physician before starting any treatment.
"""


def claims_at(findings, text: str) -> set[tuple[int, int, str]]:
    return {
        (f.line, f.column, source_slice(text, f.line, f.column, f.end_line, f.end_column))
        for f in findings
        if f.rule == "core/efficacy-claim"
    }


def test_title_and_description_are_linted_at_their_exact_positions(workdir):
    findings = lint_text(FRONT_MATTER_PAGE, "page.md")
    assert claims_at(findings, FRONT_MATTER_PAGE) == {
        (2, 34, "relieve sciatica"),  # inside the quotes of the title
        (4, 39, "restore mobility"),  # the comment after it is not prose
    }


def test_front_matter_claim_is_reported_by_check_with_line_and_column(cli, workdir):
    write(workdir / "page.md", FRONT_MATTER_PAGE)
    findings = parse_json(cli("check", "--format", "json", "page.md"))["findings"]
    assert {(f["line"], f["column"]) for f in findings if f["rule"] == "core/efficacy-claim"} == {(2, 34), (4, 39)}


def test_each_field_is_its_own_block(workdir):
    from claimcheck.documents import read_document

    document = read_document(FRONT_MATTER_PAGE, "page.md", "markdown")
    texts = [document.text[start:end] for start, end in document.blocks]
    assert texts[:2] == ["Chiropractic adjustments relieve sciatica", "Chiropractic adjustments restore mobility."]
    assert "slug" not in document.prose and "tags" not in document.prose and "summary" not in document.prose


@pytest.mark.parametrize(
    ("line", "linted"),
    [
        ("title: 'Adjustments relieve sciatica'", "Adjustments relieve sciatica"),
        ("title: Adjustments relieve sciatica", "Adjustments relieve sciatica"),
        ('title:   "Adjustments relieve sciatica"   ', "Adjustments relieve sciatica"),
        ("title: 'It''s proven'", "It''s proven"),
        ("title: |", None),
        ("title: >-", None),
        ("title: [a, b]", None),
        ("title:", None),
        ("  title: nested, not a top-level key", None),
    ],
)
def test_front_matter_value_forms(line, linted):
    from claimcheck.documents import read_document

    text = f"---\n{line}\n---\n\nBody.\n"
    document = read_document(text, "page.md", "markdown")
    front = [document.text[start:end] for start, end in document.blocks if start < text.index("Body")]
    assert front == ([linted] if linted else [])


def test_a_plain_value_continued_on_the_next_line_is_not_linted():
    from claimcheck.documents import read_document

    text = "---\ntitle: Adjustments relieve\n  sciatica for good\n---\n\nBody.\n"
    assert read_document(text, "page.md", "markdown").prose.split("Body")[0].strip() == ""


def test_crlf_front_matter_keeps_positions():
    text = FRONT_MATTER_PAGE.replace("\n", "\r\n")
    assert {(line, column) for line, column, _ in claims_at(lint_text(text, "page.md"), text)} == {(2, 34), (4, 39)}


def test_front_matter_fields_are_configurable(cli, workdir):
    write(workdir / "claimcheck.yaml", "front_matter_fields: [summary]\n")
    page = write(workdir / "page.md", FRONT_MATTER_PAGE)
    findings = parse_json(cli("check", "--format", "json", page))["findings"]
    assert {(f["line"], f["column"]) for f in findings if f["rule"] == "core/efficacy-claim"} == {(6, 35)}

    config = load_config(workdir / "claimcheck.yaml")
    assert config.front_matter_fields == ("summary",)
    assert claims_at(lint_text(FRONT_MATTER_PAGE, "page.md", config=Config(front_matter_fields=())), "") == set()


def test_changing_front_matter_fields_is_not_served_from_the_cache(cli, workdir):
    page = write(workdir / "page.md", FRONT_MATTER_PAGE)
    assert len([f for f in parse_json(cli("check", "--format", "json", page))["findings"]]) >= 2
    write(workdir / "claimcheck.yaml", "front_matter_fields: []\n")
    from claimcheck.config import forget_configs

    forget_configs()  # in-process runs cache which file is the config (a new one is found afresh)
    findings = parse_json(cli("check", "--format", "json", page))["findings"]
    assert not [f for f in findings if f["rule"] == "core/efficacy-claim"]
