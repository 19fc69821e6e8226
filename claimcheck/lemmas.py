"""Word forms of a lemma, from spaCy's English lookup tables (spacy-lookups-data).

The table maps each inflected form to its lemma; inverted, it gives every form of a
lemma, so a pack can say LEMMA: relieve and match relieves, relieved and relieving
without a lemmatizer in the pipeline.

The table is read in both directions. It lists comparatives of adjectives that are also
verbs or nouns ("numb" -> "number", "dry" -> "dryer"); such a form is a word in its own
right when the table also gives it forms of its own ("numbers" has the lemma "number"),
so it is not expanded from the other lemma. Irregular forms ("felt", "found") stay.
"""

from __future__ import annotations

import gzip
import json
from functools import cache


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


def word_forms(lemma: str) -> frozenset[str]:
    """The lemma and all its inflections, lower-cased."""
    lemma = lemma.lower()
    return _forms_by_lemma().get(lemma, frozenset()) | {lemma}
