"""Pack files as authors write them: lexicon files, fragments and modifier ids."""

from __future__ import annotations

import textwrap

import pytest

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.errors import ConfigError
from claimcheck.packs import load_ruleset

PACK = """\
pack: mine
lexicons:
  ailment: {file: lexicons/ailment.txt}
fragments:
  gap: {ORTH: {NOT_IN: [",", "."]}}
modifiers:
  - id: hedge-modal
    category: hedge
    patterns:
      - [{LOWER: may}]
rules:
  - id: mine/cure
    check: claim
    kind: efficacy
    severity: warning
    message: Cure claim.
    explanation: Cures need proof.
    suppressed_by: [hedge]
    patterns:
      - [{LEMMA: cure}, {USE: gap, OP: "{0,2}"}, {LEMMA: $ailment}]
    examples:
      report: [It cures the common cold.]
      pass: [It may cure colds.]
"""


def _pack(tmp_path, pack: str = PACK, words: str | None = "# ailments\ncold\nflu\n"):
    (tmp_path / "lexicons").mkdir()
    if words is not None:
        (tmp_path / "lexicons" / "ailment.txt").write_text(words, encoding="utf-8")
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(pack), encoding="utf-8")
    return path


def test_lexicon_file_and_fragment_compile_to_plain_patterns(tmp_path):
    ruleset = load_ruleset([str(_pack(tmp_path))])
    pattern = ruleset.rules["mine/cure"].patterns[0]
    assert pattern[1] == {"ORTH": {"NOT_IN": [",", "."]}, "OP": "{0,2}"}
    assert {"cold", "colds", "flu"} <= set(pattern[2]["LOWER"]["IN"])
    assert ruleset.modifiers[0].id == "mine/hedge-modal"
    config = Config(packs=(str(tmp_path / "mine.yaml"),))
    assert [f.rule for f in lint_text("It cures the common cold.", config=config)] == ["mine/cure"]
    assert not lint_text("It may cure colds.", config=config)


def test_missing_lexicon_file_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"mine.yaml: lexicon file lexicons/ailment.txt: No such file"):
        load_ruleset([str(_pack(tmp_path, words=None))])


def test_empty_lexicon_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="has no words"):
        load_ruleset([str(_pack(tmp_path, words="# nothing yet\n"))])


def test_unknown_fragment_is_named(tmp_path):
    with pytest.raises(ConfigError, match="unknown fragment 'gapp'"):
        load_ruleset([str(_pack(tmp_path, PACK.replace("USE: gap,", "USE: gapp,")))])


def test_lexicon_file_edit_is_seen_by_the_next_load(tmp_path):
    path = _pack(tmp_path)
    assert "measles" not in load_ruleset([str(path)]).rules["mine/cure"].patterns[0][2]["LOWER"]["IN"]
    (tmp_path / "lexicons" / "ailment.txt").write_text("cold\nflu\nmeasles\n", encoding="utf-8")
    assert "measles" in load_ruleset([str(path)]).rules["mine/cure"].patterns[0][2]["LOWER"]["IN"]


def test_a_modifier_id_defined_twice_is_named(tmp_path):
    twice = PACK.replace(
        "modifiers:\n", "modifiers:\n  - id: hedge-modal\n    category: hedge\n    patterns: [[{LOWER: might}]]\n"
    )
    with pytest.raises(ConfigError, match="modifier id 'mine/hedge-modal' is defined twice"):
        load_ruleset([str(_pack(tmp_path, twice))])


# A hedge that stops where a new clause starts, the stops kept in a lexicon.
_STOPPED = PACK.replace("lexicons:\n", 'lexicons:\n  new_clause: [", and our", ", and the"]\n').replace(
    "    patterns:\n      - [{LOWER: may}]", '    stop_at: [";", $new_clause]\n    patterns:\n      - [{LOWER: may}]'
)


def test_stop_at_takes_a_lexicon_of_word_sequences(tmp_path):
    ruleset = load_ruleset([str(_pack(tmp_path, _STOPPED))])
    assert ruleset.modifiers[0].stop_at == frozenset({";", ", and our", ", and the"})
    config = Config(packs=(str(tmp_path / "mine.yaml"),))
    assert not lint_text("It may cure colds.", config=config)
    found = lint_text("It may be tasty, and our tea cures colds.", config=config)
    assert [(f.rule, f.excerpt) for f in found] == [("mine/cure", "cures colds")]


def test_an_unknown_lexicon_in_stop_at_names_file_line_and_key(tmp_path):
    where = r"mine.yaml:\d+: modifiers\[0\]\.stop_at\[1\]"
    with pytest.raises(ConfigError, match=where + r": unknown lexicon '\$new_clauses'"):
        load_ruleset([str(_pack(tmp_path, _STOPPED.replace("$new_clause]", "$new_clauses]")))])


@pytest.mark.parametrize("stop", ['", And our"', '" "', "$A"])
def test_a_stop_that_could_never_match_is_refused(tmp_path, stop):
    where = r"mine.yaml:\d+: modifiers\[0\]\.stop_at\[1\]"
    with pytest.raises(ConfigError, match=where + ": a stop is lower-case words or '\\$lexicon'"):
        load_ruleset([str(_pack(tmp_path, _STOPPED.replace("$new_clause]", stop + "]")))])


LABEL_RULE = """\
  - id: mine/label
    check: claim
    kind: efficacy
    severity: warning
    message: A label's line.
    explanation: Only on a page that sells.
    whole_line: true
    when:
      context:
        - [{LOWER: buy}, {LOWER: now}]
    patterns:
      - [{LEMMA: $ailment}, {LOWER: {IN: [",", and, $ailment]}, OP: "*"}]
"""


def test_a_claim_rule_with_a_context_reports_whole_lines_only_where_the_context_is(tmp_path):
    config = Config(packs=(str(_pack(tmp_path, PACK + LABEL_RULE)),), disable=frozenset({"mine/cure"}))

    def lines(text: str) -> list[int]:
        return [f.line for f in lint_text(text, config=config) if f.rule == "mine/label"]

    assert lines("Buy now!\n\nColds and flu.\n\nColds come in winter.") == [3]
    assert lines("Colds and flu.\n\nColds come in winter.") == []  # no context
    assert lines("Buy now!\n\nSide effects:\n- colds\n- flu") == []  # a list a line introduces


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("    when:\n      claims: any\n      context: [[{LOWER: buy}]]\n", r"when\.claims: .*only a context"),
        ("    when:\n      claims: any\n", "context"),
    ],
)
def test_a_claim_rules_when_names_only_a_context(tmp_path, change, key):
    pack = PACK.replace("    suppressed_by: [hedge]\n", "    suppressed_by: [hedge]\n" + change)
    with pytest.raises(ConfigError, match=key):
        load_ruleset([str(_pack(tmp_path, pack))])
