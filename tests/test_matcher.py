"""claimcheck's indexed matcher finds exactly what spaCy's Matcher finds for the same patterns."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimcheck.config import Config
from claimcheck.matcher import IndexedMatcher, PatternError
from claimcheck.text import SENTENCE_OPENERS

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")

# spaCy's Matcher expands "{0,40}" into forty optional tokens and follows every way of skipping
# them, so one 30-word text of the gap's words took it 30 s and then all 24 GB of CI's memory.
# Both matchers therefore get the pack's patterns with each gap cut to at most 8 optional tokens:
# the same shapes, which is what this test compares; IndexedMatcher's own cost on long gaps is
# bounded in test_long_gaps_are_matched_in_bounded_time_and_memory.
MAX_OPTIONAL = 8


def _tractable(pattern):
    tokens = []
    for token in pattern:
        low, _, high = token.get("OP", "").strip("{}").partition(",")
        if token.get("OP", "").startswith("{") and high and int(high) - int(low or 0) > MAX_OPTIONAL:
            token = {**token, "OP": f"{{{low or 0},{int(low or 0) + MAX_OPTIONAL}}}"}
        tokens.append(token)
    return tokens


PATTERNS = {key: [_tractable(p) for p in patterns] for key, patterns in Config().ruleset().matcher_patterns().items()}
REFERENCE = Matcher(NLP.vocab)
for _key, _patterns in PATTERNS.items():
    REFERENCE.add(str(_key), _patterns)
INDEXED = IndexedMatcher(NLP.vocab, PATTERNS)

# Words drawn from the patterns themselves, so random texts actually trigger them.
WORDS = sorted(
    {
        word
        for patterns in PATTERNS.values()
        for pattern in patterns
        for token in pattern
        for value in token.values()
        if isinstance(value, dict)
        for word in value.get("IN", [])[:40]
        if isinstance(word, str)
    }
    | {"75,000", "3", "95", "%", "2021", "(", ")", "?", ",", ".", "-", "Our", "It", "may", "not", "but", "3x"}
)


def _indexed(doc):
    return sorted({(str(key), start, end) for key, start, end in INDEXED(doc)})


def _reference(doc):
    return sorted({(REFERENCE.vocab.strings[key], start, end) for key, start, end in REFERENCE(doc)})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_same_matches_as_spacy_on_random_text(words):
    doc = NLP(" ".join(words))
    assert _indexed(doc) == _reference(_opened_sentences_start_at_their_first_word(doc.copy()))


def _opened_sentences_start_at_their_first_word(doc):
    """What IndexedMatcher reads by design and spaCy's Matcher does not: a sentence opened by
    marks ("( For arthritis", "' Relieves pain") starts at its first word too. Marked in the
    Doc spaCy's Matcher reads, the two must agree (the random words include such marks)."""
    position = 0
    while position < len(doc):
        if doc[position].is_sent_start:
            while position < len(doc) and doc[position].lower_ in SENTENCE_OPENERS:
                position += 1
            if position < len(doc):
                doc[position].is_sent_start = True
        position += 1
    return doc


def test_same_matches_as_spacy_on_the_seed_article(tmp_path):
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "seed" / "acupuncture-back-pain.txt").read_text(encoding="utf-8")
    for paragraph in text.split("\n\n"):
        doc = NLP(paragraph)
        assert _indexed(doc) == _reference(doc)


def test_whitespace_tokens_do_not_break_a_phrase():
    matcher = IndexedMatcher(NLP.vocab, {"k": [[{"LOWER": "fda"}, {"LOWER": "approved"}]]})
    doc = NLP("FDA  \n approved")
    assert [(key, doc[start:end].text) for key, start, end in matcher(doc)] == [("k", "FDA  \n approved")]


def test_a_sentence_that_starts_with_whitespace_starts_at_its_first_word():
    # A reader blanks a bullet ("- For arthritis" -> "  For arthritis"): the sentence's start is
    # on the whitespace token, and a pattern anchored at a sentence start must still match.
    pattern = [{"IS_SENT_START": True, "LOWER": "for"}, {"LOWER": "arthritis"}]
    matcher = IndexedMatcher(NLP.vocab, {"k": [pattern]})
    for text in ("  For arthritis", "Pain.  \n  For arthritis"):
        doc = NLP(text)
        assert [doc[start:end].text for _, start, end in matcher(doc)] == ["For arthritis"]
    doc = NLP("Good  for arthritis")  # a space within a sentence starts nothing
    assert matcher(doc) == []


@pytest.mark.parametrize(
    "text", ["“For arthritis”", "(For arthritis)", "_For arthritis_", "- For arthritis", "* “For arthritis”"]
)
def test_a_sentence_opened_by_a_quotation_mark_bracket_emphasis_or_dash_starts_at_its_first_word_too(text):
    pattern = [{"IS_SENT_START": True, "LOWER": "for"}, {"LOWER": "arthritis"}]
    doc = NLP(text)
    matches = IndexedMatcher(NLP.vocab, {"k": [pattern]})(doc)
    assert [doc[start:end].text for _, start, end in matches] == ["For arthritis"]
    # ... and the mark keeps its own start: "* * * For ..." patterns name it.
    first = [{"IS_SENT_START": True, "ORTH": {"IN": ["“", "(", "_", "-", "*"]}}]
    assert IndexedMatcher(NLP.vocab, {"k": [first]})(doc)[0][1] == 0
    assert IndexedMatcher(NLP.vocab, {"k": [pattern]})(NLP("Good for arthritis")) == []


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ([{"LOWER": "a", "OP": "?"}], "at least one token"),
        ([{"LENGTH": 3}], "unsupported attribute"),
        ([{"LOWER": {">=": 3}}], "unsupported predicate"),
        ([{"LOWER": "a", "OP": "{x}"}], "unsupported operator"),
        ([{"IS_ALPHA": "yes"}], "true or false"),
    ],
)
def test_unsupported_patterns_are_refused_with_a_reason(pattern, reason):
    with pytest.raises(PatternError, match=reason):
        IndexedMatcher(NLP.vocab, {"k": [pattern]})


def test_no_core_pattern_is_tried_at_every_token():
    """A pattern whose first token is known by no word (an optional one, a bare flag) is tried at
    every token of every document, and makes the matcher visit every position: core has none."""
    nlp = spacy.blank("en")
    keyed = {
        f"{key.role} {key.rule} {key.index}": patterns
        for key, patterns in Config().ruleset().matcher_patterns().items()
    }
    matcher = IndexedMatcher(nlp.vocab, keyed)
    assert [pattern.key for pattern in matcher.everywhere] == []


REGEX_TEXTS = [
    "Our ArthriCure formula and DiabetEase drops are 510(k) cleared.",
    "The device is 510k-cleared and 510(k) approved, says the ad for MigraAway.",
    "Walking lowers the risk of dementia. Reducing salt cuts blood pressure.",
    "Cancer Buster tea, FluFighter Rx and a CovidShield spray.",
]


@pytest.mark.parametrize("pack", ["us-fda-supplements", "us-fda-devices", "health-news"])
def test_patterns_known_by_a_regular_expression_are_indexed_and_match_as_spacy(pack):
    """A first token known only by REGEX is indexed by the words it accepts, not tried at every
    token, and finds exactly what spaCy's Matcher finds."""
    patterns = {
        f"{k.role} {k.rule} {k.index}": v for k, v in Config(packs=(pack,)).ruleset().matcher_patterns().items()
    }
    indexed = IndexedMatcher(NLP.vocab, patterns)
    reference = Matcher(NLP.vocab)
    for key, key_patterns in patterns.items():
        reference.add(key, key_patterns)
    assert indexed.everywhere == []
    for text in REGEX_TEXTS * 2:  # twice: the second pass answers from the remembered words
        doc = NLP(text)
        found = sorted({(key, start, end) for key, start, end in indexed(doc)})
        expected = sorted({(NLP.vocab.strings[key], start, end) for key, start, end in reference(doc)})
        assert found == expected


def test_the_words_a_regular_expression_remembers_are_bounded(monkeypatch):
    """A long run meets ever more distinct words: the remembered answers are dropped when they
    pass the bound (a scan worker's memory), and the answers stay right after."""
    import claimcheck.matcher as matcher_module

    monkeypatch.setattr(matcher_module, "_REGEX_MEMORY", 50)
    patterns = {"cured": [[{"LOWER": {"REGEX": "^cure[ds]$"}}, {"LOWER": "pain"}]]}
    indexed = IndexedMatcher(NLP.vocab, patterns)
    for batch in range(5):
        words = " ".join(f"word{batch}x{n}" for n in range(40))
        doc = NLP(f"{words} It cures pain.")
        assert indexed(doc) == [("cured", 41, 43)]
        assert all(len(accepted) <= 50 + 45 for _, _, _, accepted in indexed.regex_indexed)


# Patterns whose later words decide whether a Doc can match at all: the matcher skips a pattern in
# a Doc that lacks a word some element must take, and must not skip it for one it may do without.
REQUIREMENT_PATTERNS = {
    "far": [[{"LOWER": "cures"}, {"OP": "*"}, {"LOWER": "pain"}]],
    "optional": [[{"LOWER": "may", "OP": "?"}, {"LOWER": "cure"}, {"LOWER": "fully", "OP": "?"}]],
    "negated": [[{"LOWER": "not", "OP": "!"}, {"LOWER": "proven"}]],
    "not_in": [[{"LOWER": "clinically"}, {"LOWER": {"NOT_IN": ["not"]}}, {"LOWER": "proven"}]],
    "orth": [[{"LOWER": "fda"}, {"ORTH": {"IN": ["Approved", "Cleared"]}}]],
    "repeat": [[{"LOWER": "very", "OP": "+"}, {"LOWER": {"IN": ["safe", "effective"]}}]],
}
REQUIREMENT_TEXTS = [
    "It cures pain.",
    "It cures the worst back pain fast.",
    "It cures everything.",
    "Pain cures nothing.",
    "May cure. It may cure fully.",
    "It may cure.",
    "Is it proven?",
    "It is proven. It is not proven. Proven.",
    "Clinically proven, clinically shown proven, clinically not proven.",
    "FDA approved. FDA Approved and FDA Cleared.",
    "Very very safe, very effective, safe.",
    "",
    "   ",
]


@pytest.mark.parametrize("text", REQUIREMENT_TEXTS)
def test_patterns_are_skipped_only_in_docs_that_lack_a_required_word(text):
    indexed = IndexedMatcher(NLP.vocab, REQUIREMENT_PATTERNS)
    reference = Matcher(NLP.vocab)
    for key, patterns in REQUIREMENT_PATTERNS.items():
        reference.add(key, patterns)
    doc = NLP(text)
    assert sorted({(key, start, end) for key, start, end in indexed(doc)}) == sorted(
        {(NLP.vocab.strings[key], start, end) for key, start, end in reference(doc)}
    )


def test_a_pattern_requires_the_words_of_every_element_it_must_take():
    matcher = IndexedMatcher(NLP.vocab, REQUIREMENT_PATTERNS)
    text = NLP.vocab.strings.__getitem__
    words = {pattern.key: [sorted(map(text, found)) for _, found in pattern.required] for pattern in _compiled(matcher)}
    assert words["far"] == [["cures"], ["pain"]]
    assert words["optional"] == [["cure"]]
    assert words["negated"] == [["proven"]]
    assert words["not_in"] == [["clinically"], ["proven"]]
    assert words["orth"] == [["fda"], ["Approved", "Cleared"]]
    assert words["repeat"] == [["very"], ["effective", "safe"]]


def _compiled(matcher):
    """Every compiled pattern of a matcher, whichever index holds it."""
    found = {}
    for _, table, _ in matcher.indexed:
        for entries in table.values():
            found.update((id(p), p) for p in entries)
    for _, table in matcher.pair_indexed:
        for entries in table.values():
            found.update((id(p), p) for _, patterns in entries for p in patterns)
    for _, _, patterns, _ in matcher.regex_indexed:
        found.update((id(p), p) for p in patterns)
    found.update((id(p), p) for p in matcher.everywhere)
    return list(found.values())


def test_long_gaps_are_matched_in_bounded_time_and_memory():
    """A forty-token gap over text where every token may fill it (the shape that exhausted spaCy's
    Matcher): every match is found, and memory stays small, since each (start, element) state is
    kept once however many ways of skipping reach it."""
    import tracemalloc

    patterns = {"gap": [[{"LOWER": "study"}, {"ORTH": {"NOT_IN": ["."]}, "OP": "{0,40}"}, {"LOWER": "found"}]]}
    matcher = IndexedMatcher(NLP.vocab, patterns)
    doc = NLP(" ".join(["study"] * 200 + ["found"]))
    tracemalloc.start()
    try:
        found = matcher(doc)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sorted(start for _, start, _ in found) == list(range(200 - 41, 200))
    assert {end for _, _, end in found} == {201}
    assert peak < 5_000_000


def test_gaps_in_a_row_are_walked_once_per_position():
    """Six gaps in a row can be split 7**6 ways at every start; the matcher tries each (element,
    position) once, so the token tests it makes grow with the text, not with the splits."""
    gaps = [{"LOWER": {"NOT_IN": ["."]}, "OP": "{0,6}"}] * 6
    matcher = IndexedMatcher(NLP.vocab, {"gaps": [[{"LOWER": "a"}, *gaps, {"LOWER": "b"}]]})
    (pattern,) = _compiled(matcher)
    calls = 0

    def counted(test):
        def run(cols, i):
            nonlocal calls
            calls += 1
            return test(cols, i)

        return run

    pattern.elements = [(counted(test), low, high) for test, low, high in pattern.elements]
    doc = NLP(" ".join(["a"] * 60 + ["b"]))
    assert sorted(start for _, start, _ in matcher(doc)) == list(range(60 - 37, 60))
    assert calls < 60 * 7 * 40


def test_large_word_sets_match_as_spacy():
    """A word set of more than a thousand words is one bit of a shared table, not a frozenset:
    as a first word, a pair's second word, a later word, and NOT_IN, it matches as spaCy does."""
    many = [f"word{n}" for n in range(1500)]
    also = [*many[:1400], "pain", "aches"]  # a near-duplicate: its own bit, shared words
    patterns = {
        "first": [[{"LOWER": {"IN": many}}, {"LOWER": "relief"}]],
        "pair": [[{"LOWER": "ends"}, {"LOWER": {"IN": also}}]],
        "later": [[{"LOWER": "cures"}, {"OP": "{0,3}"}, {"LOWER": {"IN": many}}]],
        "not": [[{"LOWER": "no"}, {"LOWER": {"NOT_IN": also}}]],
    }
    indexed = IndexedMatcher(NLP.vocab, patterns)
    reference = Matcher(NLP.vocab)
    for key, key_patterns in patterns.items():
        reference.add(key, key_patterns)
    for text in (
        "word1499 relief ends pain ends word1450 ends word1399 cures your old word1234 no word7 no pain no x",
        "cures a b c word1 relief ends aches no word1499 word0 relief",
    ):
        doc = NLP(text)
        found = sorted({(key, start, end) for key, start, end in indexed(doc)})
        expected = sorted({(NLP.vocab.strings[key], start, end) for key, start, end in reference(doc)})
        assert found == expected
        assert found  # the texts hold matches of each kind


def test_the_shared_table_holds_each_large_sets_bit_for_exactly_its_words():
    """After this module's matchers and one more, built in the same process, the shared table
    says for every word exactly the bits of the large sets it belongs to."""
    from claimcheck import matcher

    IndexedMatcher(NLP.vocab, {"late": [[{"LOWER": {"IN": [*(f"late{n}" for n in range(1200)), "pain", "relief"]}}]]})
    large = {id(s): s for s in matcher._hash_sets.values() if isinstance(s, matcher.LargeWordSet)}.values()
    assert len(large) > 3
    expected: dict[int, int] = {}
    for words in large:
        for word in words:
            expected[word] = expected.get(word, 0) | words.bit
    assert matcher._word_bits == expected
    assert all(len(words) == len(set(words)) for words in large)


def test_line_start_patterns_are_tried_only_where_a_line_begins():
    patterns = {"label": [[{"LOWER": {"IN": ["rheumatism", "lumbago", "colic"]}}]]}
    anchored = IndexedMatcher(NLP.vocab, patterns, line_start_keys=frozenset({"label"}))
    everywhere = IndexedMatcher(NLP.vocab, patterns)
    doc = NLP("Rheumatism, Lumbago.\n* Colic\nGood for colic and lumbago. Rheumatism too")
    assert len(everywhere(doc)) == 6
    # The line's first word, one after a bullet's punctuation, one that starts a sentence.
    assert [start for _, start, _ in anchored(doc)] == [0, 6, 14]
