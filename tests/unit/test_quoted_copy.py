"""Copy as it is quoted and posted: spaced ellipses stay inside their sentence, hashtags are words."""

from __future__ import annotations

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.pipeline import get_pipeline


def _sentences(text: str) -> list[str]:
    doc = get_pipeline(Config().ruleset())(text)
    return [sentence.text for sentence in doc.sents]


def test_spaced_ellipsis_stays_inside_its_sentence():
    text = "Helps . . . high cholesterol . . . arthritis."
    assert _sentences(text) == [text]


def test_full_stops_still_end_sentences():
    text = "It rained. We stayed in. . . . Then we left."
    assert _sentences(text) == ["It rained.", "We stayed in. . . .", "Then we left."]


def test_claim_across_an_omission_is_reported_where_it_stands():
    findings = [f for f in lint_text("MSM . . . relieves many of the symptoms of arthritis.") if f.kind == "claim"]
    first = [(f.line, f.column, f.excerpt) for f in findings][:1]
    assert first == [(1, 11, "relieves many of the symptoms of arthritis")]


def test_camel_case_hashtags_are_read_as_words():
    findings = [f for f in lint_text("Shop now #BeatDepression #cbdheals") if f.kind == "claim"]
    assert [(f.line, f.column, f.excerpt) for f in findings] == [(1, 11, "BeatDepression")]


def test_hashtags_without_a_claim_report_nothing():
    assert not [f for f in lint_text("#iPhone #McDonalds #HealthyLiving") if f.kind == "claim"]


def test_a_bracketed_letter_keeps_its_word_whole():
    findings = [f for f in lint_text("MSM . . . [R]elieves many of the symptoms of arthritis.") if f.kind == "claim"]
    assert [(f.column, f.excerpt) for f in findings][:1] == [(11, "[R]elieves many of the symptoms of arthritis")]


def test_brackets_that_are_not_an_edited_letter_stay():
    from claimcheck.documents import read_document

    document = read_document("See [a] and [sic] and [x] marks.", "page.txt")
    assert document.prose == "See [a] and [sic] and [x] marks."


def test_a_span_ending_on_a_bracketed_word_ends_where_the_word_does():
    findings = [f for f in lint_text("It relieves [a]rthritis.") if f.kind == "claim"]
    assert [(f.column, f.end_column, f.excerpt) for f in findings][:1] == [(4, 24, "relieves [a]rthritis")]


def test_lower_case_hashtags_split_into_the_words_of_the_rule_sets_own_patterns(tmp_path):
    # Each pipeline splits with its own patterns' words: the core pack, built before in the same
    # process, knows "cured", and lends it to no other rule set.
    from claimcheck.packs import load_ruleset

    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\nrules:\n  - id: mine/zest\n    check: claim\n    kind: efficacy\n"
        "    severity: warning\n    message: Zest named.\n    explanation: Zest.\n"
        "    patterns:\n      - [{LOWER: zest}, {LOWER: frosting}]\n",
        encoding="utf-8",
    )
    assert get_pipeline(Config().ruleset()).get_pipe("claimcheck_matcher").matcher.names("cured")
    mine = get_pipeline(load_ruleset([str(pack)]))
    assert [token.text for token in mine("Day 9 #zestfrosting")][-2:] == ["zest", "frosting"]
    assert [token.text for token in mine("Day 9 #zestcured")][-1] == "zestcured"
