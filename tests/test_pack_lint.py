"""The built-in packs as a reviewer reads them: lexicon files sorted, unique, lower case and in
lemma form, and lemma expansion that never turns one word into another."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from itertools import product

import pytest
from conftest import write

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.lemmas import british_spellings, regular_forms, word_forms
from claimcheck.packs import builtin_dir, load_ruleset

LEXICON_FILES = sorted(builtin_dir().glob("*/lexicons/*.txt"))


def _table() -> dict[str, str]:
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    return {form.lower(): lemma.lower() for form, lemma in json.loads(gzip.decompress(data.read_bytes())).items()}


TABLE = _table()
LEMMAS = set(TABLE.values())


def _words(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_there_are_lexicon_files():
    assert LEXICON_FILES


@pytest.mark.parametrize("path", LEXICON_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_lexicon_file_is_sorted_unique_lower_case_lemmas(path):
    words = _words(path)
    assert words == sorted(words), "not sorted"
    assert len(words) == len(set(words)), "duplicates"
    assert all(word == word.lower() and word == word.strip() for word in words), "not lower case"
    # An inflection beside its own lemma is listed twice: LEMMA matching covers it. (Words the
    # table maps elsewhere but that are terms of their own, "measles", "aging", stay.)
    listed = set(words)
    inflections = [w for w in words if TABLE.get(w, w) != w and TABLE[w] in listed and w in word_forms(TABLE[w])]
    assert not inflections, f"inflections of lemmas already listed: {inflections}"


@pytest.mark.parametrize("path", LEXICON_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_expanded_form_belongs_to_its_lemma_both_ways(path):
    for listed in _words(path):
        *heads, last = listed.split(" ")
        _assert_forms_belong(last)
        if heads:  # an entry of several words inflects its last ("heavy metals")
            spelt = [{head} | british_spellings(head) for head in heads]
            assert all(form.split(" ")[:-1] in map(list, product(*spelt)) for form in word_forms(listed))
            assert {form.split(" ")[-1] for form in word_forms(listed)} == word_forms(last)


def _assert_forms_belong(listed):
    spellings = {listed} | british_spellings(listed)
    for form in word_forms(listed) - spellings:
        # A form of the lemma as listed or of its British spelling ("tumours" of "tumour").
        lemma = next((s for s in spellings if TABLE.get(form) == s or form in regular_forms(s)), listed)
        if lemma not in LEMMAS and lemma not in TABLE:  # unknown to the table: regular forms
            assert form in regular_forms(lemma) and form not in TABLE, f"{form} is a word of its own"
            continue
        assert TABLE.get(form) == lemma, f"{form} is not a form of {lemma}"
        comparative = form.startswith(lemma.rstrip("ey")[:-1]) and form.endswith(("er", "est"))
        assert form not in LEMMAS or not comparative, f"{form} is a word of its own, not a form of {lemma}"


def test_a_lemma_matches_its_british_spelling_unless_that_is_another_word():
    assert british_spellings("tumor") == {"tumour"} and "tumours" in word_forms("tumor")
    assert british_spellings("hemorrhoid") == {"haemorrhoid"}
    assert british_spellings("leukemia") == {"leukaemia"}
    assert british_spellings("lymphedema") == {"lymphoedema"}
    assert british_spellings("diarrhea") == {"diarrhoea"}
    assert british_spellings("minimize") == {"minimise"} and "minimising" in word_forms("minimize")
    assert british_spellings("pediatric") == {"paediatric"}
    assert british_spellings("hypoglycemic") == {"hypoglycaemic"}
    assert british_spellings("paresthesia") == {"paraesthesia"}
    # Not words that only look American, nor a British spelling that is another word.
    not_american = "size prize seize chemotherapy hemiplegia erythema cornea systemic epidemic pedicure imaging cure"
    for word in not_american.split():
        assert not british_spellings(word), word
    found = [f for f in lint_text("Our balm shrinks haemorrhoids and relieves diarrhoea.") if f.kind == "claim"]
    assert found and "haemorrhoids" in found[0].excerpt


def test_number_is_not_a_form_of_numb():
    assert "number" not in word_forms("numb")
    assert not [f for f in lint_text("The number of migraine sufferers is rising.") if f.kind == "claim"]


def test_does_is_a_form_of_do_though_the_table_files_it_under_doe():
    assert "does" in word_forms("do")
    assert [f.rule for f in lint_text("My back does not hurt anymore.") if f.kind == "claim"]


def test_every_lexicon_and_fragment_is_used():
    import re

    for pack in builtin_dir().glob("*.yaml"):
        text = pack.read_text(encoding="utf-8")
        split = min(text.find(key) for key in ("\nmodifiers:", "\nrules:") if key in text)
        body = text[split:]
        for name in re.findall(r"^  ([a-z_]+): ", text[:split], re.M):
            assert f"${name}" in body or f"USE: {name}" in body or f"${name}" in text.replace(f"  {name}:", ""), (
                f"{pack.name}: '{name}' is never used"
            )


def test_modifier_ids_are_unique_within_a_pack():
    import yaml

    for pack in builtin_dir().glob("*.yaml"):
        ids = [m["id"] for m in yaml.safe_load(pack.read_text(encoding="utf-8")).get("modifiers", []) if "id" in m]
        assert len(ids) == len(set(ids)), f"{pack.name}: duplicate modifier ids"


def test_a_lemma_the_table_does_not_know_gets_regular_forms():
    assert word_forms("unclog") >= {"unclogs", "unclogged", "unclogging"}
    assert word_forms("hemangioma") >= {"hemangiomas"}
    assert word_forms("tendinopathy") >= {"tendinopathies"}
    assert "psoriases" in word_forms("psoriasis")
    # An abbreviation of three letters takes its plural ("Prevents UTIs"); of two, none ("tb",
    # whose "tbs" is a tablespoon).
    assert word_forms("uti") == {"uti", "utis"}
    assert word_forms("ldl") == {"ldl", "ldls"}
    assert word_forms("tb") == {"tb"}
    assert [f.excerpt for f in lint_text("Prevents UTIs.") if f.kind == "claim"] == ["Prevents UTIs"]
    # Nouns and adjectives by their ending get a plural only, no verb forms.
    assert word_forms("antiarthritic") == {"antiarthritic", "antiarthritics"}
    assert word_forms("thermotherapy") >= {"thermotherapies"}
    assert word_forms("relieve") == {"relieve", "relieves", "relieved", "relieving"}  # the table's own
    found = [f for f in lint_text("Our laser removes cherry angiomas.") if f.kind == "claim"]
    assert found and found[0].excerpt == "removes cherry angiomas"


HEAD_WORD_PACK = """\
pack: acme
extends: [core]
rules:
  - id: acme/reversal
    check: claim
    kind: disease
    severity: error
    message: Reversal claim.
    patterns:
      - [{LEMMA: reverse}, {LOWER: {IN: [failure, loss]}}]
      - [{LEMMA: soothe}, {LOWER: {NOT_IN: [failure]}}]
    explanation: Why.
"""


def test_a_test_naming_a_head_word_sees_the_phrase_core_joins(tmp_path):
    """Core joins each of its multi-word entries into one token where the text spells it
    ("heart failure", "loss of appetite"), so a pack's test of the head word alone ("failure",
    "loss") would no longer see it: the compiled lists name the joined phrase too, for IN and
    NOT_IN alike, and no pack has to know another's phrases."""
    assert {"heart failure", "loss of appetite"} <= set(load_ruleset(["core"]).phrases)
    config = Config(packs=(str(write(tmp_path / "acme.yaml", HEAD_WORD_PACK)),))

    def excerpts(text):
        return [f.excerpt for f in lint_text(text, "page.txt", config=config) if f.rule == "acme/reversal"]

    assert excerpts("It reverses heart failure.") == ["reverses heart failure"]
    assert excerpts("It reverses loss of appetite.") == ["reverses loss of appetite"]
    assert excerpts("It soothes heart failure.") == []  # NOT_IN: the phrase is a failure too
    assert excerpts("It soothes skin.") == ["soothes skin"]
    assert excerpts("It reverses heart disease.") == []  # not a failure


HYPHEN_PACK = """\
pack: acme
rules:
  - id: acme/free
    check: claim
    kind: efficacy
    severity: error
    message: Free of a drug.
    patterns:
      - [{LOWER: now}, {LOWER: {IN: [drug-free, steroid-free]}}]
      - [{LOWER: totally}, {LOWER: {IN: [free]}}]
      - [{LOWER: fully}, {LOWER: drug}, {ORTH: "-"}, {LOWER: free}]
    explanation: Why.
"""


def test_an_entry_with_a_hyphen_the_tokenizer_splits_is_one_token_too(tmp_path):
    """spaCy reads "drug-free" as "drug", "-", "free": an entry so written is joined like one of
    several words, so the test that names it matches it as written, and a pattern that spells it
    as spaCy splits it still matches (matcher.add_hyphen_spelt_whole). It is its own head word: a
    test of "free" does not name it ("drug-free" is no kind of "free")."""
    config = Config(packs=(str(write(tmp_path / "acme.yaml", HYPHEN_PACK)),))

    def excerpts(text):
        return [f.excerpt for f in lint_text(text, "page.txt", config=config) if f.rule == "acme/free"]

    assert excerpts("I am now drug-free.") == ["now drug-free"]
    assert excerpts("I am now Steroid-Free!") == ["now Steroid-Free"]
    assert excerpts("I am now drug - free.") == []
    assert excerpts("I am totally drug-free.") == []
    assert excerpts("I am totally free.") == ["totally free"]
    # A pattern that spells the word as spaCy splits it still matches it joined.
    assert excerpts("I am fully drug-free.") == ["fully drug-free"]
    assert excerpts("I am fully drug - free.") == ["fully drug - free"]


def test_contractions_the_tokenizer_splits_off_are_forms_of_be_and_have():
    # The lookup table lacks them: "They’re key to", "We've been proven".
    assert {"'re", "’re", "’m"} <= word_forms("be")
    assert "’ve" in word_forms("have")
    found = [f for f in lint_text("They’re proven to relieve joint pain.") if f.rule == "core/establishment-claim"]
    assert found
