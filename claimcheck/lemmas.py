"""Word forms of a lemma, from spaCy's English lookup tables (spacy-lookups-data).

The table maps each inflected form to its lemma; inverted, it gives every form of a
lemma, so a pack can say LEMMA: relieve and match relieves, relieved and relieving
without a lemmatizer in the pipeline.

The table is read in both directions. It lists comparatives of adjectives that are also
verbs or nouns ("numb" -> "number", "dry" -> "dryer"); such a form is a word in its own
right when the table also gives it forms of its own ("numbers" has the lemma "number"),
so it is not expanded from the other lemma. Irregular forms ("felt", "found") stay.

A lemma the table does not know at all ("unclog", "hemangioma", "debloat": rare verbs and most
disease names) gets the regular inflections of English instead: -s/-es/-ies, -ed and -ing, with
the final e dropped or the consonant doubled where spelling does that. A generated form that
the table knows is a word of its own and is left out.

A lemma spelt the American way also matches its British spelling, by the regular
correspondences of the two ("tumor" -> tumour, "edema" -> oedema, "minimize" -> minimise,
"diarrhea" -> diarrhoea): packs are written in one spelling, and UK and Commonwealth copy,
quoted in ASA or MHRA rulings, is written in the other. A British spelling that the table files
under another lemma is a different word and is left out.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from itertools import product


@cache
def _lemma_by_form() -> dict[str, str]:
    from importlib import resources  # only when packs are compiled: not on a cached start

    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    table: dict[str, str] = json.loads(gzip.decompress(data.read_bytes()))
    return {form.lower(): lemma.lower() for form, lemma in table.items()}


@cache
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    by_form = _lemma_by_form()
    lemmas = set(by_form.values())
    forms: dict[str, set[str]] = {}
    for form, lemma in by_form.items():
        if form == lemma or form not in lemmas or not _comparative(form, lemma):
            forms.setdefault(lemma, set()).add(form)
    return {lemma: frozenset(group) for lemma, group in forms.items()}


def _comparative(form: str, lemma: str) -> bool:
    """numb -> number, dry -> dryer/drier, thin -> thinner, late -> later: the stem plus -er or -est."""
    stems = {lemma, lemma[:-1] if lemma.endswith("e") else lemma, lemma + lemma[-1:], lemma[:-1] + "i"}
    return any(form == stem + ending for stem in stems for ending in ("er", "est"))


def lemma_of(word: str) -> str:
    """The lemma of a word form ("eliminates" -> "eliminate"), lower-cased; the word itself when unknown."""
    return _lemma_by_form().get(word.lower(), word.lower())


# Forms the table files only under another lemma although packs mean them by this one: it has
# "does" as the plural of "doe", so LEMMA: do missed "My back doesn't hurt anymore". And the
# contractions it lacks, as the tokenizer splits them off: "They're key to" ("'re"), with the
# curly apostrophe copy sets ("They’re", "I’m", "We’ve").
_ALSO_FORMS = {
    "do": frozenset({"does"}),
    "be": frozenset({"'re", "’re", "’m"}),
    "have": frozenset({"’ve"}),
}


@cache  # packs repeat their lexicons in many patterns: each lemma is expanded once
def word_forms(lemma: str) -> frozenset[str]:
    """The lemma and all its inflections, lower-cased, and those of its British spellings. A
    lemma of several words inflects its last ("cold sore" -> cold sores)."""
    lemma = lemma.lower()
    if " " in lemma:
        *heads, last = lemma.split(" ")
        spelt = product(*({word} | british_spellings(word) for word in heads))
        return frozenset(" ".join((*words, form)) for words in spelt for form in word_forms(last))
    forms = _inflections(lemma)
    for spelling in british_spellings(lemma):
        forms |= _inflections(spelling)
    return forms


def _inflections(lemma: str) -> frozenset[str]:
    known = _forms_by_lemma().get(lemma)
    if known is None and lemma not in _lemma_by_form():
        known = frozenset(form for form in regular_forms(lemma) if form not in _lemma_by_form())
    return (known or frozenset()) | {lemma} | _ALSO_FORMS.get(lemma, frozenset())


_VOWELS = frozenset("aeiou")
# Endings of nouns and adjectives, never of a verb the table does not know: "antiarthritic" has
# no "antiarthriticced", "cardioprotection" no "cardioprotectioned".
_NOT_A_VERB = ("tion", "sion", "ment", "ness", "ity", "ism", "ist", "ic", "ical", "ive", "ous", "al")


def regular_forms(lemma: str) -> frozenset[str]:
    """The regular plural or third person, past and -ing forms of a plain word of four or more
    letters ("unclog" -> unclogs, unclogged, unclogging). A word ending in a vowel but "e", or in
    "s" or "y", is taken for a noun and gets its plural only ("angioma" -> angiomas, "neuropathy"
    -> neuropathies): verb forms of disease names would only cost memory. A word of three is an
    abbreviation and gets its plural ("uti" -> utis); one of two gets none ("tbs" is tablespoons)."""
    if len(lemma) == 3 and lemma.isascii() and lemma.isalnum() and lemma.islower() and lemma[-1] != "s":
        return frozenset({lemma + "s"})  # an abbreviation's plural: "uti" -> UTIs, "std" -> STDs
    if len(lemma) < 4 or not (lemma.isascii() and lemma.isalpha() and lemma.islower()):
        return frozenset()
    forms = set()
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma[-1] in "aiouys" or lemma.endswith(_NOT_A_VERB):
        return frozenset(forms)  # a noun: "angioma", "leukemia", "neuropathy", "arthritis", "anticarcinogenic"
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms.update({stem + "ed", stem + "ing"})
    if lemma[-1] not in _VOWELS | {"w", "x", "y"} and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS:
        forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})  # "unclogged"
    return frozenset(forms)


# American -> British spelling, as (pattern, replacement) over a whole lemma. Each is regular in
# medical and cosmetic English; a lemma may take several ("hemoglobinemia" -> haemoglobinaemia).
_BRITISH = (
    (re.compile(r"^(\w{4,})(i|y)ze$"), r"\1\2se"),  # minimize, analyze (not size, prize, seize)
    (re.compile(r"(?<=[^aeo])emia$"), "aemia"),  # anemia, leukemia, ischemia
    (re.compile(r"(glyc|isch|leuk|septic|ur|^an)emic$"), r"\1aemic"),  # not systemic, endemic
    (re.compile(r"^hem(?=[ao])"), "haem"),  # hemorrhoid, hematoma (not hemi-, erythema)
    (re.compile(r"(?<![aeo])edema"), "oedema"),  # edema, lymphedema
    (re.compile(r"(?<!o)esoph"), "oesoph"),  # esophagitis
    (re.compile(r"^estr"), "oestr"),  # estrogen
    (re.compile(r"^ped(?=ia|o)"), "paed"),  # pediatric, pedophilia (not pedal, pedicure)
    (re.compile(r"^orthoped"), "orthopaed"),
    (re.compile(r"^gyne"), "gynae"),  # gynecology
    (re.compile(r"(rrh|pn)ea(l?)$"), r"\1oea\2"),  # diarrhea, apnea, diarrheal (not cornea)
    (re.compile(r"^celiac"), "coeliac"),
    (re.compile(r"^ameb"), "amoeb"),  # amebiasis
    (re.compile(r"^(?:an|par)esthe"), lambda m: m.group(0)[:-5] + "aesthe"),  # anesthesia, paresthesia
    (re.compile(r"^fec(?=es|al)"), "faec"),  # feces, fecal
    (re.compile(r"(tum|od|col|behavi|hum|lab|vap)or(s?)$"), r"\1our\2"),
    (re.compile(r"^(fib|goit|cent|lit)er$"), r"\1re"),
    (re.compile(r"^sulf"), "sulph"),
    (re.compile(r"^gray"), "grey"),
    (re.compile(r"^mold$"), "mould"),
)


def british_spellings(lemma: str) -> frozenset[str]:
    """The British spellings of an American lemma ("tumor" -> {"tumour"}); none for most words."""
    spelling = lemma
    for pattern, replacement in _BRITISH:
        spelling = pattern.sub(replacement, spelling)
    if spelling == lemma or _lemma_by_form().get(spelling, spelling) != spelling:
        return frozenset()
    return frozenset({spelling})
