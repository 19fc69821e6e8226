"""The fast path (claimcheck/prefilter.py) changes how much text reaches spaCy, never the findings.

Every text we have is linted with the fast path on and off (CLAIMCHECK_FAST_PATH=0), and the
findings must be identical: the evaluation corpora (eval/, eval/real/ included), every rule
fixture and rule example, and random text built from the packs' own vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import probe_spacy_import
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck import prefilter
from claimcheck.compiled import get_prefilter
from claimcheck.config import Config
from claimcheck.engine import lint_text
from claimcheck.packs import builtin_packs

ROOT = Path(__file__).resolve().parent.parent
ALL_PACKS = Config(packs=tuple(builtin_packs()))


def findings(text: str, path: str, monkeypatch: pytest.MonkeyPatch, fast: bool, config: Config = ALL_PACKS) -> list:
    monkeypatch.setenv("CLAIMCHECK_FAST_PATH", "1" if fast else "0")
    return [finding.to_dict() for finding in lint_text(text, path, config=config)]


def assert_same_both_ways(text: str, path: str, monkeypatch: pytest.MonkeyPatch, config: Config = ALL_PACKS) -> None:
    slow = findings(text, path, monkeypatch, False, config)
    assert findings(text, path, monkeypatch, True, config) == slow, f"{path}: the fast path changed the findings"


def _strings(data: object) -> list[str]:
    """Every string in a YAML document of the evaluation or fixture format (sentences, passages, cases)."""
    if isinstance(data, str):
        return [data] if " " in data.strip() else []
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return []


DOCUMENTS = sorted(p for p in (ROOT / "eval").rglob("*") if p.suffix in (".txt", ".md", ".html"))
YAML_TEXTS = sorted(
    {
        text
        for folder in ("eval", "tests/rules")
        for path in sorted((ROOT / folder).rglob("*.y*ml"))
        if "expected" not in path.name
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    }
)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_evaluation_documents_same_both_ways(path, monkeypatch):
    assert_same_both_ways(path.read_text(encoding="utf-8"), path.name, monkeypatch)


def test_evaluation_sentences_and_rule_fixtures_same_both_ways(monkeypatch):
    assert len(YAML_TEXTS) > 1000  # the corpora and fixtures were found
    # One document per hundred texts (paragraphs apart), so their context mixes, then each alone
    # where the batch differs: a list item under a claim, a disclaimer anywhere in the document.
    for start in range(0, len(YAML_TEXTS), 100):
        batch = YAML_TEXTS[start : start + 100]
        assert_same_both_ways("\n\n".join(batch), "batch.md", monkeypatch)
        assert_same_both_ways(" ".join(batch), "run-on.txt", monkeypatch)


def test_rule_examples_same_both_ways(monkeypatch):
    ruleset = ALL_PACKS.ruleset(frozenset(), frozenset())
    texts = [text for rule in ruleset.rules.values() for group in rule.examples.values() for text in group]
    assert texts
    assert_same_both_ways("\n\n".join(texts), "examples.md", monkeypatch)


_AROUND = (
    "Our the a is are may can cannot can't won't don't never not no it this pain relief weeks 30 two "
    "fifteen 100% Dr. e.g. U.S. Mass. - — ; : , ( ) \" ' ? ! . results patients studies"
)
_JOINS = [" ", " ", " ", "-", "", ". ", "! ", "? ", ".\n", "\n\n", "\n- ", ", "]


def _vocabulary() -> list[str]:
    """Words the packs' patterns name (a sample of each list), and the words around them in copy."""
    ruleset = ALL_PACKS.ruleset(frozenset(), frozenset())
    words: set[str] = set()
    for patterns in ruleset.matcher_patterns().values():
        for pattern in patterns:
            for element in pattern:
                for value in element.values():
                    if isinstance(value, str):
                        words.add(value)
                    elif isinstance(value, dict):
                        for listed in value.values():
                            if isinstance(listed, list):
                                words.update(str(word) for word in listed[:12])
    words.update(_AROUND.split())
    return sorted(word for word in words if word.strip())


VOCABULARY = _vocabulary()
_joined = st.tuples(
    st.sampled_from(VOCABULARY),
    st.sampled_from([" ", " ", " ", "-", "", ". ", "! ", "? ", ".\n", "\n\n", "\n- ", ", "]),
)
_token = st.tuples(_joined, st.sampled_from([str.lower, str.title, str.upper, lambda w: w])).map(
    lambda t: t[1](t[0][0]) + t[0][1]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_token, min_size=1, max_size=60))
def test_random_copy_from_pack_vocabulary_same_both_ways(tokens):
    text = "".join(tokens)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_same_both_ways(text, "random.md", monkeypatch)
        assert_same_both_ways(text, "random.txt", monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "It cannot come back.",  # a tokenizer exception splits "cannot" between two letters
        "Your migraines won't come back.",
        "Your pain can't return.",
        "Lose thirty pounds in two weeks.",  # LIKE_NUM: number words
        "Lose ³⁰ lbs.",  # LIKE_NUM: digits beyond 0-9
        "Drop ٣ dress sizes.",
        "Arthritis?  Gone in 2 weeks.",
        "Ask Dr. Smith: it cures arthritis.",  # "Dr." ends no sentence
    ],
)
def test_words_the_tokenizer_makes_count(text, monkeypatch):
    # The core pack alone: with every pack, other rules fire on these too and hide a miss.
    assert findings(text, "page.txt", monkeypatch, True, Config())
    assert_same_both_ways(text, "page.txt", monkeypatch, Config())


# --- the prefilter's own claims -------------------------------------------------------------------


def test_a_page_where_nothing_can_fire_is_skipped():
    pieces = get_prefilter(Config().ruleset())  # the default packs
    page = (
        "Our clinic in Austin is open Monday through Friday from eight to six. Parking is free behind "
        "the building, and new patients are asked to arrive fifteen minutes early to fill in a short form."
    )
    assert pieces.piece(page, lambda text, offset: True) is None
    assert pieces.piece("Our tea cures arthritis.", lambda text, offset: True) == (0, 24)


def test_a_rule_whose_context_the_page_lacks_is_not_matched(monkeypatch):
    # core/indication-claim reports a label's list of conditions only on a page that sells: on
    # any other page its patterns are not tried at all (the findings are the same either way).
    pieces = get_prefilter(Config().ruleset())
    label, selling = "Gout and sciatica.", "Price 50 cents."
    assert pieces.pieces([label], lambda text, offset: True)[1] == {"core/indication-claim"}
    assert pieces.pieces([label, selling], lambda text, offset: True)[1] == frozenset()
    for page, reported in ((label, False), (f"{label}\n\n{selling}", True)):
        assert_same_both_ways(page, "label.md", monkeypatch, Config())
        rules = {f["rule"] for f in findings(page, "label.md", monkeypatch, True, Config())}
        assert ("core/indication-claim" in rules) == reported


def test_a_contraction_counts_as_the_words_it_splits_into():
    ruleset = ALL_PACKS.ruleset(frozenset(), frozenset())
    fast = get_prefilter(ruleset)
    assert fast.piece("Your back pain cannot come back.", lambda text, offset: True) is not None
    assert lint_text("Your back pain cannot come back.", "page.txt", config=ALL_PACKS)


def test_sentence_splits_are_where_the_tokenizer_splits_the_punctuation_off():
    import spacy

    nlp = spacy.blank("en")
    dotted = get_prefilter(ALL_PACKS.ruleset(frozenset(), frozenset())).dotted
    texts = [path.read_text(encoding="utf-8") for path in DOCUMENTS] + list(YAML_TEXTS)
    texts.append('Ask Dr. Smith. It works! Really?! (See e.g. the U.S. data.) "Done." Mass. General.')
    checked = 0
    for text in texts:
        ends = {token.idx + len(token.text): token.text for token in nlp.make_doc(text)}
        for split in prefilter.sentence_splits(text, dotted):
            end = len(text[:split].rstrip("\"'”’)]"))
            assert ends.get(end) in (".", "!", "?"), repr(text[max(0, split - 30) : split])
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("It works. Our tea", 10, True),
        ('It works." Our tea', 11, True),
        ("Ask Dr. Smith", 8, False),
        ("It works.  Our tea", 11, False),  # two spaces: the second is a token of its own
        ("It works. (Our tea", 10, False),  # the sentence starts at the bracket, not here
        ("It works, our tea", 10, False),
    ],
)
def test_sentence_starts_the_fast_path_cuts_at(text, offset, expected):
    from claimcheck.pipeline import get_pipeline, is_sentence_start

    nlp = get_pipeline(ALL_PACKS.ruleset(frozenset(), frozenset()))
    assert is_sentence_start(nlp, text, offset) is expected
    if expected:
        whole = nlp(text)
        assert any(sentence.start_char == offset for sentence in whole.sents)


def test_the_switch_turns_the_fast_path_off(monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_FAST_PATH", "0")
    assert not prefilter.enabled()
    monkeypatch.delenv("CLAIMCHECK_FAST_PATH")
    assert prefilter.enabled()


# --- what a real process imports ------------------------------------------------------------------


def test_a_page_where_nothing_can_fire_does_not_import_spacy(tmp_path):
    (tmp_path / "hours.md").write_text(
        "# Opening hours\n\nOur clinic is open Monday through Friday from eight to six. Parking is free.\n\n"
        "Footnote reference without a definition.[^1]\n",
        encoding="utf-8",
    )
    cache = str(tmp_path / "cache")
    probe_spacy_import(["check", "--no-cache", "hours.md"], tmp_path, CLAIMCHECK_CACHE_DIR=cache)  # compiles the packs
    code, imported = probe_spacy_import(["check", "--no-cache", "hours.md"], tmp_path, CLAIMCHECK_CACHE_DIR=cache)
    assert code == 1  # the footnote check needs no NLP, and still runs
    assert not imported
    code, imported = probe_spacy_import(
        ["check", "--no-cache", "hours.md"], tmp_path, CLAIMCHECK_CACHE_DIR=cache, CLAIMCHECK_FAST_PATH="0"
    )
    assert code == 1 and imported  # the control: without the fast path, spaCy is loaded


@pytest.mark.parametrize(
    "text",
    [
        "Relieves. . . high cholesterol and arthritis. Call us today.",
        "We stayed in. . . . Then the cream relieved my eczema.",
        "Our tea. Helps . . . high cholesterol . . . arthritis.",
        "Shop the sale #BeatDepression #EndPainNow today. Free shipping.",
        "Nothing here. #HealthyLiving #iPhone",
        "We reduce . . . cellulite and relieve . . . the pain of arthritis.",
        # Lines that end statements (text.line_sentence_starts), after sentences a cut can drop.
        "Call us today. Price 25 cents. Grip Powders\nFor headache take as for colds.",
        "Open daily. E. W. Higbee, Northampton, Mass.\nFor headache or neuralgia take one.",
        "Free parking. Is Required * * *\nAllays Cough and relieves congestion.",
        "Read on. According to the American Heart\nAssociation, fish oil lowers triglycerides.",
        "Read on. Does Turmeric Help\nArthritis Pain? Our tea cures colds.",
        "Read on. Studies Suggest Turmeric\nEases Arthritis Pain. Our tea cures colds.",
    ],
)
def test_quoted_and_posted_copy_same_both_ways(text, monkeypatch):
    # The pipeline joins spaced ellipses and splits CamelCase hashtags; the fast path must read
    # the text the same way (text.ends_spaced_ellipsis, text.has_hashtag_to_split).
    # Core alone: packs with regex-only patterns let every block through, which would hide a miss.
    assert_same_both_ways(text, "copy.txt", monkeypatch, Config())
    assert findings(text, "copy.txt", monkeypatch, True, Config()) or "Nothing here" in text


PHRASE_PACK = """\
pack: phrases
lexicons:
  ailment: [cold, "pink eye", "athlete's foot"]
rules:
  - id: phrases/cure
    check: claim
    kind: efficacy
    severity: warning
    message: Cure claim.
    explanation: Cures need proof.
    patterns:
      - [{LEMMA: cure}, {LOWER: the, OP: "?"}, {LEMMA: $ailment}, {LOWER: fast}]
"""


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It cures pink eye fast.", "cures pink eye fast"),
        ("It cures the PINK EYES fast.", "cures the PINK EYES fast"),  # LEMMA inflects the last word
        ("It cures athlete’s foot fast.", "cures athlete’s foot fast"),  # and the curly apostrophe
        ("It cures athlete 's foot fast.", None),  # not the entry's spelling
        ("It cures pink eyewear fast.", None),
        ("It cures pink fast.", None),
    ],
)
def test_an_entry_of_several_words_is_one_token_both_ways(text, found, tmp_path, monkeypatch):
    # The fast path counts whitespace as token breaks: in "pink eye fast" the space inside the
    # joined phrase is not one, or "fast" would seem two tokens away and the block be dropped.
    (tmp_path / "phrases.yaml").write_text(PHRASE_PACK)
    config = Config(packs=(str(tmp_path / "phrases.yaml"),))
    assert_same_both_ways(text, "page.txt", monkeypatch, config)
    reported = [f["excerpt"] for f in findings(text, "page.txt", monkeypatch, True, config)]
    assert reported == ([found] if found else [])


LEAD_PACK = """\
pack: leads
rules:
  - id: leads/listed
    check: claim
    kind: efficacy
    severity: warning
    message: A condition listed as a use.
    explanation: Each item under a heading of uses is a claim.
    listed_under_claim: true
    list_leads: [[{LOWER: applications}]]
    patterns: [[{LOWER: gout}]]
"""


@pytest.mark.parametrize(("text", "found"), [("Applications\n\n- gout\n", ["gout"]), ("Shipping\n\n- gout\n", [])])
def test_a_heading_that_only_a_list_lead_names_is_read_both_ways(text, found, tmp_path, monkeypatch):
    # "Applications" fires no claim pattern: the fast path must still run its block, or the
    # items under it would not be known as listed under a lead.
    (tmp_path / "leads.yaml").write_text(LEAD_PACK)
    config = Config(packs=(str(tmp_path / "leads.yaml"),))
    assert_same_both_ways(text, "page.md", monkeypatch, config)
    assert [f["excerpt"] for f in findings(text, "page.md", monkeypatch, True, config)] == found
