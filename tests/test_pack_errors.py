"""A broken pack is one line naming its file, line and key, and exit code 2 (never an internal error)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import assert_one_error_line, write

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.errors import ConfigError
from claimcheck.pack_regex import MAX_TOKEN_CHARS, RegexError, bounded
from claimcheck.packs import load_ruleset

PACK = """\
pack: mine
lexicons:
  ailment: [cold, flu]
  remedy: [cure, heal]
rules:
  - id: mine/cure
    check: claim
    kind: efficacy
    severity: warning
    message: Cure claim.
    explanation: Cures need proof.
    patterns:
      - [{LEMMA: $remedy}, {LOWER: the, OP: "?"}, {LEMMA: $ailment}]
  - id: mine/warning-missing
    check: disclaimer
    severity: warning
    message: No warning.
    explanation: Claims need a warning.
    when: {claims: [efficacy]}
    require:
      - [[{LOWER: ask}, {LOWER: your}, {LOWER: doctor}]]
"""


def _broken(workdir: Path, old: str, new: str, pack: str = PACK) -> Path:
    assert old in pack, old
    write(workdir / "claimcheck.yaml", "packs: [mine.yaml]\n")
    return write(workdir / "mine.yaml", pack.replace(old, new))


def _error(cli, workdir: Path, old: str, new: str) -> str:
    pack = _broken(workdir, old, new)
    line = assert_one_error_line(cli("rules"))
    assert line.startswith(f"claimcheck: error: {pack}:"), line
    return line


def test_the_pack_used_by_these_tests_loads(cli, workdir):
    _broken(workdir, "", "")
    result = cli("rules")
    assert result.exit_code == 0, result.output
    assert "mine/cure" in result.stdout


def test_an_invalid_regex_names_file_line_and_key(cli, workdir):
    line = _error(cli, workdir, '{LOWER: the, OP: "?"}', '{LOWER: {REGEX: "th(e"}}')
    assert ":13: rules[0].patterns[0][1].LOWER.REGEX: invalid regular expression 'th(e'" in line


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ('{LENGTH: {">=": 5}}', "rules[0].patterns[0][1]: 'LENGTH' is not one of"),
        ("{SUFFIX: itis}", "rules[0].patterns[0][1]: 'SUFFIX' is not one of"),
        ("{LOWER: {FUZZY: colds}}", "rules[0].patterns[0][1].LOWER: Additional properties are not allowed ('FUZZY'"),
        ("{LOWER: {IS_SUBSET: [a, b]}}", "rules[0].patterns[0][1].LOWER: Additional properties are not allowed"),
    ],
)
def test_what_the_matcher_cannot_run_is_refused_at_load_with_file_line_and_key(cli, workdir, token, key):
    # spaCy's pattern language has these; the matcher does not run them, so the schema refuses them.
    line = _error(cli, workdir, '{LOWER: the, OP: "?"}', token)
    assert f":13: {key}" in line


def test_a_misspelt_claim_kind_is_named_with_a_suggestion(cli, workdir):
    line = _error(cli, workdir, "claims: [efficacy]", "claims: [eficacy]")
    assert ":19: rules[1].when.claims[0]: no claim rule has kind 'eficacy' (did you mean efficacy?)" in line


def test_list_leads_need_a_rule_that_reports_listed_conditions(cli, workdir):
    """A heading that introduces uses means something only to a rule judging list items."""
    explained = "    explanation: Cures need proof.\n"
    line = _error(cli, workdir, explained, explained + "    list_leads: [[{LOWER: uses}]]\n")
    assert "rules[0]" in line and "listed_under_claim" in line, line


def test_an_unknown_lexicon_names_file_line_and_key(cli, workdir):
    line = _error(cli, workdir, "{LEMMA: $ailment}", "{LEMMA: $ailments}")
    assert ":13: rules[0].patterns[0][2].LEMMA: unknown lexicon '$ailments' (did you mean ailment?)" in line


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("ailment: [cold, flu]", 'ailment: [cold, flu, "pink  eye"]', "rules[0].patterns[0][2].LEMMA"),
        ('{LOWER: the, OP: "?"}', '{LOWER: {NOT_IN: ["dr. who"]}, OP: "?"}', "rules[0].patterns[0][1].LOWER"),
    ],
)
def test_an_entry_of_several_words_that_can_never_be_one_token_is_named(cli, workdir, old, new, where):
    # Several words are joined into one token where the text spells them with single spaces
    # and no sentence end: any other spelling would never match, and say nothing.
    line = _error(cli, workdir, old, new)
    assert f":13: {where}: " in line and "separated by single spaces" in line


def test_an_unknown_lexicon_inside_a_lexicon_names_the_lexicon(cli, workdir):
    line = _error(cli, workdir, "remedy: [cure, heal]", "remedy: [cure, heal, $cures]")
    assert ":4: lexicons.remedy: unknown lexicon '$cures' (included by '$remedy')" in line


def test_a_rule_id_twice_in_one_pack(cli, workdir):
    twice = PACK.split("rules:\n")[1].split("  - id: mine/warning-missing")[0]
    line = _error(cli, workdir, "rules:\n", "rules:\n" + twice)
    assert ":14: rules[1].id: rule id 'mine/cure' is defined twice (first at" in line
    assert "mine.yaml:6)" in line


def test_a_pack_name_twice_across_packs_names_both_files(cli, workdir):
    _broken(workdir, "", "")
    write(workdir / "copy.yaml", PACK)
    write(workdir / "claimcheck.yaml", "packs: [mine.yaml, copy.yaml]\n")
    line = assert_one_error_line(cli("rules"))
    assert f"{workdir / 'copy.yaml'}:1: pack: 'mine' is also the name of the pack {workdir / 'mine.yaml'}" in line


def test_lexicons_inside_inline_lists_are_expanded(tmp_path):
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", "{LEMMA: {IN: [$remedy, treat]}}"))
    words = load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"]["IN"]
    assert {"cure", "cures", "heal", "healed", "treat", "treats"} <= set(words)
    assert not any(word.startswith("$") for word in words)
    config = Config(packs=(str(pack),))
    for text in ("It heals the flu.", "It treats colds."):
        assert [f.excerpt for f in lint_text(text, config=config) if f.rule == "mine/cure"], text


def test_lexicons_inside_not_in_lists_are_expanded(tmp_path):
    pack = write(tmp_path / "mine.yaml", PACK.replace('{LOWER: the, OP: "?"}', "{LOWER: {NOT_IN: [$ailment, x]}}"))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][1]["LOWER"] == {"NOT_IN": ["cold", "flu", "x"]}


def test_a_dollar_sign_alone_is_a_word_not_a_lexicon(tmp_path):
    pack = write(tmp_path / "mine.yaml", PACK.replace('{LOWER: the, OP: "?"}', '{ORTH: "$", OP: "?"}'))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][1] == {"ORTH": "$", "OP": "?"}


def test_a_string_where_a_list_belongs_is_a_schema_error(cli, workdir):
    line = _error(cli, workdir, '{LOWER: the, OP: "?"}', '{LOWER: {IN: "the"}}')
    assert ":13: rules[0].patterns[0][1].LOWER.IN: 'the' does not match" in line
    assert "(expected a list of words" in line


@pytest.mark.parametrize("op", ["{5,2}", "{0}", "{,0}"])
def test_an_impossible_repetition_is_named(cli, workdir, op):
    line = _error(cli, workdir, 'OP: "?"', f'OP: "{op}"')
    assert f":13: rules[0].patterns[0][1].OP: '{op}' asks for at least" in line


@pytest.mark.parametrize("op", ["{}", "{,}", "{a}", "??"])
def test_a_malformed_repetition_is_a_schema_error(cli, workdir, op):
    line = _error(cli, workdir, 'OP: "?"', f'OP: "{op}"')
    assert ":13: rules[0].patterns[0][1].OP:" in line


def test_lemma_and_lower_on_one_token_must_both_hold(tmp_path):
    # LEMMA is matched as LOWER over its word forms: neither may silently replace the other.
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", '{LEMMA: $remedy, LOWER: {REGEX: "ing$"}}'))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"] == {"IN": ["curing", "healing"]}
    config = Config(packs=(str(pack),))
    assert [f.excerpt for f in lint_text("Healing the flu.", config=config) if f.rule == "mine/cure"]
    assert not [f for f in lint_text("It heals the flu.", config=config) if f.rule == "mine/cure"]
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", "{LEMMA: $remedy, LOWER: {NOT_IN: [cures]}}"))
    words = load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"]["IN"]
    assert "cure" in words and "cures" not in words
    # Several predicates on LOWER each narrow the forms (it was a traceback).
    both = '{LEMMA: $remedy, LOWER: {REGEX: "s$", NOT_IN: [heals]}}'
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", both))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"] == {"IN": ["cures"]}
    # ... in any order: IN first, so "LEMMA NOT_IN" with "REGEX, IN" is a word list the REGEX can narrow.
    either = '{LEMMA: {NOT_IN: [cure]}, LOWER: {REGEX: "s$", IN: [heals, cures, healed]}}'
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", either))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"] == {"IN": ["heals"]}
    # LEMMA with IN and NOT_IN: these lemmas but not those, one word list (it was a matcher error).
    pack = write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", "{LEMMA: {IN: [$remedy], NOT_IN: [heal]}}"))
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"] == {
        "IN": ["cure", "cured", "cures", "curing"]
    }
    assert not [f for f in lint_text("It heals the flu.", config=Config(packs=(str(pack),))) if f.rule == "mine/cure"]
    # LOWER with IN and NOT_IN (or REGEX): one word list too.
    pack = write(
        tmp_path / "mine.yaml",
        PACK.replace("{LEMMA: $remedy}", '{LOWER: {IN: [cures, heals, curing], NOT_IN: [heals], REGEX: "s$"}}'),
    )
    assert load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][0]["LOWER"] == {"IN": ["cures"]}
    for never in ("{LOWER: {IN: [cures], NOT_IN: [cures]}}", "{LEMMA: {IN: [cure], NOT_IN: [cure]}}"):
        with pytest.raises(ConfigError, match="can never match"):
            load_ruleset([str(write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", never)))])
    # Without IN there is no list to narrow: an error naming the token, not a failure at start-up.
    loose = '{LOWER: {NOT_IN: [cures], REGEX: "s$"}}'
    with pytest.raises(ConfigError, match=r"mine.yaml:\d+: rules\[0\]\.patterns\[0\]\[0\]\.LOWER: .*needs IN"):
        load_ruleset([str(write(tmp_path / "mine.yaml", PACK.replace("{LEMMA: $remedy}", loose)))])


def test_a_word_test_beside_use_narrows_the_fragments(tmp_path):
    """{USE: gap, LOWER: {NOT_IN: [by]}} keeps the fragment's own NOT_IN too; OP replaces."""
    with_gap = PACK.replace("rules:", "fragments:\n  gap: {LOWER: {NOT_IN: [not]}, OP: '*'}\nrules:", 1).replace(
        '{LOWER: the, OP: "?"}', "{USE: gap, LOWER: {NOT_IN: [by]}, OP: '{0,2}'}"
    )
    pack = write(tmp_path / "mine.yaml", with_gap)
    gap = load_ruleset([str(pack)]).rules["mine/cure"].patterns[0][1]
    assert gap == {"LOWER": {"NOT_IN": ["not", "by"]}, "OP": "{0,2}"}
    config = Config(packs=(str(pack),))
    assert [f for f in lint_text("It cures the flu.", config=config) if f.rule == "mine/cure"]
    assert not [f for f in lint_text("It cures not flu.", config=config) if f.rule == "mine/cure"]
    assert not [f for f in lint_text("It cures by flu.", config=config) if f.rule == "mine/cure"]


def test_lemma_and_lower_that_allow_no_word_are_named(cli, workdir):
    line = _error(cli, workdir, "{LEMMA: $ailment}", "{LEMMA: $ailment, LOWER: {IN: [cure]}}")
    assert ":13: rules[0].patterns[0][2].LOWER: LEMMA and LOWER on this token allow no word" in line


def test_lemma_with_a_lower_that_is_no_predicate_is_named(cli, workdir):
    line = _error(cli, workdir, "{LEMMA: $ailment}", "{LEMMA: $ailment, LOWER: 5}")
    assert ":13: rules[0].patterns[0][2]" in line and "LOWER" in line


MODIFIERS = """\
modifiers:
  - id: maybe
    category: hedge
    patterns: [[{LOWER: may}]]
  - id: stop
    category: terminate
    ends: [maybe]
    patterns: [[{LOWER: and}, {LOWER: cures}]]
rules:"""
SUPPRESSED = "    explanation: Cures need proof.\n    suppressed_by: [hedge]"


def test_a_terminator_ends_only_the_modifiers_it_names(tmp_path):
    hedged = PACK.replace("rules:", MODIFIERS, 1).replace("    explanation: Cures need proof.", SUPPRESSED)
    pack = write(tmp_path / "mine.yaml", hedged)
    modifiers = load_ruleset([str(pack)]).modifiers
    assert modifiers[1].ends == frozenset({"mine/maybe"})
    config = Config(packs=(str(pack),))
    found = lint_text("It may heal the flu and cures the cold.", config=config)
    assert [f.excerpt for f in found if f.rule == "mine/cure"] == ["cures the cold"]


def test_a_terminator_naming_an_unknown_modifier_is_named(cli, workdir):
    pack = _broken(workdir, "rules:", MODIFIERS.replace("ends: [maybe]", "ends: [mabye]"))
    line = assert_one_error_line(cli("rules"))
    assert f"{pack}:" in line and "modifiers[1].ends[0]: no modifier has the id 'mabye'" in line


def test_only_a_terminator_ends_other_modifiers(cli, workdir):
    _broken(workdir, "rules:", MODIFIERS.replace("category: terminate", "category: negation"))
    line = assert_one_error_line(cli("rules"))
    assert "modifiers[1].ends: only a modifier of category 'terminate'" in line


def test_lemma_takes_no_regex(cli, workdir):
    line = _error(cli, workdir, "{LEMMA: $ailment}", '{LEMMA: {REGEX: "^flu"}}')
    assert ":13: rules[0].patterns[0][2].LEMMA:" in line


def test_an_unknown_fragment_names_file_line_and_key(cli, workdir):
    line = _error(cli, workdir, "{LEMMA: $ailment}", "{USE: gap}")
    assert ":13: rules[0].patterns[0][2].USE: unknown fragment 'gap'" in line


def test_an_error_in_a_fragment_names_the_fragment(cli, workdir):
    line = _error(cli, workdir, "rules:\n", 'fragments:\n  article: {LOWER: {REGEX: "(a+)+"}}\nrules:\n')
    assert ":6: fragments.article.LOWER.REGEX: regular expression '(a+)+' repeats a repetition" in line


def test_an_unknown_pack_in_extends_names_the_line(cli, workdir):
    line = _error(cli, workdir, "pack: mine\n", "pack: mine\nextends: [cor]\n")
    assert ":2: extends[0]: unknown pack 'cor' (did you mean core?)" in line


# --- regular expressions run with a time bound ---------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(a+)+$", "repeats a repetition"),
        (r"^(\w+\s?)*$", "repeats a repetition"),
        ("(a|ab)*c", "repeats alternatives"),
        ("(?=(x+)+y)", "repeats a repetition"),
        # An optional part in a repetition, counted or not: ~50 s on one 33-letter word.
        ("^(?:a?){32}a{32}$", "repeats an optional part"),
        ("(?:a?a)+$", "repeats an optional part"),
        ("(a?)+", "repeats an optional part"),
        # Each round starts with its own character, but another part can match it too.
        ("(?:ab?b)+$", "repeats an optional part"),
        ("(?i)(?:aA?)+$", "repeats an optional part"),
        ("(?:xy?[a-z])+$", "repeats an optional part"),
        ("a*a*a*a*b", "4 variable repetitions"),
    ],
)
def test_hostile_patterns_are_refused_at_load(cli, workdir, pattern, why):
    line = _error(cli, workdir, '{LOWER: the, OP: "?"}', f"{{LOWER: {{REGEX: '{pattern}'}}}}")
    assert ":13: rules[0].patterns[0][1].LOWER.REGEX:" in line and why in line


@pytest.mark.parametrize("pattern", ["(ab?)+", "(?:xy?z?)+", "^(?:ab?){32}$", "(?:x(?:y)?)+c"])
def test_a_repeated_part_that_starts_with_its_own_character_may_hold_optional_ones(cli, workdir, pattern):
    """`(ab?)+` was refused as an optional part in a repetition: each round starts at an "a",
    which nothing else in the part matches, so the rounds of a text are fixed and each matches
    one way (it backtracks a few steps a round, not exponentially)."""
    guarded = re.compile(bounded(pattern))
    original = re.compile(pattern)
    for token in ["ab", "aab", "abb", "xyzxzxyx", "xyyz", "xyc", "ab" * 16, "a" * 32, "b"]:
        assert bool(guarded.search(token)) == bool(original.search(token)), (pattern, token)
    _broken(workdir, '{LOWER: the, OP: "?"}', f"{{LOWER: {{REGEX: '{pattern}'}}}}")
    result = cli("rules")
    assert result.exit_code == 0, result.output


def test_refusing_an_optional_part_says_how_to_rewrite_it():
    with pytest.raises(RegexError, match=r"start the repeated part with a required character .* as in \(ab\?\)\+"):
        bounded("(?:a?b)+")


@pytest.mark.parametrize(
    ("pattern", "long_token"),
    [
        ("^[A-Z][a-z]+[A-Za-z]*(Cure|Heal)$", "Arthri" + "a" * MAX_TOKEN_CHARS + "Cure"),
        ("(?i)^ar[a-z]+", "AR" + "x" * MAX_TOKEN_CHARS),
        ("(?:cure|heal)+", "x" * MAX_TOKEN_CHARS + "cure"),
        ("(?x) ^a [bc]+ # c", "a" + "b" * MAX_TOKEN_CHARS),
        ("(?m)^x*e[a-z]?d$", "x" * MAX_TOKEN_CHARS + "ed"),
    ],
)
def test_a_bounded_pattern_matches_where_the_original_does(pattern, long_token):
    guarded = re.compile(bounded(pattern))
    original = re.compile(pattern)
    tokens = ["tested", "ArthriCure", "ARTHRITIS", "curehealcure", "abc", "Ed", "heal", "x" * 40 + "ed", "xed"]
    for token in tokens:
        assert bool(guarded.search(token)) == bool(original.search(token)), (pattern, token)
    assert original.search(long_token) and not guarded.search(long_token)


def test_a_pattern_without_repetitions_runs_as_written():
    # Linear in the token whatever its length, and re's literal search stays fast.
    assert bounded("ed$") == "ed$"
    assert bounded("^(Arthri|Carpal)") == "^(Arthri|Carpal)"


@pytest.mark.parametrize("pattern", ["[a-", "(?<=a+)b", "(?<=a|bb)c", "a{99999999999}"])
def test_an_invalid_pattern_is_a_regex_error(pattern):
    # (A look-behind of no fixed width parses but does not compile; a huge count overflows.)
    with pytest.raises(RegexError, match="invalid regular expression"):
        bounded(pattern)


HOSTILE = """\
pack: hostile
rules:
  - id: hostile/word
    check: claim
    kind: efficacy
    severity: warning
    message: A word.
    explanation: Cubic backtracking on a long token without the length bound.
    patterns:
      - [{LOWER: {REGEX: "^[a-z]*[a-z]*[a-z]*q$"}}]
"""


def test_a_cubic_pattern_on_a_huge_token_finishes(tmp_path):
    # Unbounded, this pattern takes about 10^11 steps on the 10,000-letter word below (hours);
    # bounded, it never looks at the word. The timeout only stops a hang: it measures nothing.
    write(tmp_path / "hostile.yaml", HOSTILE)
    write(tmp_path / "claimcheck.yaml", "packs: [hostile.yaml]\n")
    write(tmp_path / "page.txt", "Our formula " + "a" * 10_000 + " works. The Iraq study.\n")
    code = textwrap.dedent(
        """
        from pathlib import Path
        from claimcheck import lint_paths, load_config
        result = lint_paths([Path("page.txt")], config=load_config(Path("claimcheck.yaml")))
        print(sorted((f.rule, f.excerpt) for f in result.findings))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('hostile/word', 'Iraq')]"


@pytest.mark.parametrize("where", ["pack", "lexicon"])
def test_a_pack_file_over_8_mib_is_refused_unread(cli, workdir, where):
    """A pack is read whole and parsed (core.yaml, under 0.5 MiB, takes 0.4 s): a file 16 times
    that is refused by its size, before it is read, as a config over 1 MiB is."""
    padding = "#" * (8 * 1_048_576) + "\n"
    write(workdir / "claimcheck.yaml", "packs: [mine.yaml]\n")
    if where == "pack":
        write(workdir / "mine.yaml", PACK + padding)
        big, what = "mine.yaml", "a rule pack file"
    else:
        write(workdir / "mine.yaml", PACK.replace("ailment: [cold, flu]", "ailment: {file: ailment.txt}"))
        write(workdir / "ailment.txt", "cold\nflu\n" + padding)
        big, what = "ailment.txt", "a lexicon file"
    line = assert_one_error_line(cli("rules"))
    assert line.endswith(f"{workdir / big}: more than the 8 MiB limit for {what}, not read"), line


@pytest.mark.parametrize("where", ["lexicon", "cases"])
def test_a_pack_file_that_is_not_a_regular_file_is_named(cli, workdir, where):
    """A lexicon file or a test-case file that is /dev/zero or a FIFO: one error line, not
    a MemoryError after gigabytes, nor a hang."""
    if where == "lexicon":
        write(workdir / "claimcheck.yaml", "packs: [mine.yaml]\n")
        write(workdir / "mine.yaml", PACK.replace("ailment: [cold, flu]", "ailment: {file: zero.txt}"))
        (workdir / "zero.txt").symlink_to("/dev/zero")
        result = cli("rules")
    else:
        write(workdir / "mine.yaml", PACK)
        (workdir / "tests").mkdir()
        os.mkfifo(workdir / "tests" / "cure.yml")
        result = cli("test-pack", "./mine.yaml")
    line = assert_one_error_line(result)
    assert "not a regular file" in line
