"""Word forms of a lemma, from spaCy's English lookup tables (spacy-lookups-data).

The table maps each inflected form to its lemma; inverted, it gives every form of a
lemma, so a pack can say LEMMA: relieve and match relieves, relieved and relieving
without a lemmatizer in the pipeline.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources


@cache
def _lemma_by_form() -> dict[str, str]:
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    table: dict[str, str] = json.loads(gzip.decompress(data.read_bytes()))
    return {form.lower(): lemma.lower() for form, lemma in table.items()}


@cache
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = {}
    for form, lemma in _lemma_by_form().items():
        forms.setdefault(lemma, set()).add(form)
    return {lemma: frozenset(group) for lemma, group in forms.items()}


def lemma_of(word: str) -> str:
    """The lemma of a word form ("eliminates" -> "eliminate"), lower-cased; the word itself when unknown."""
    return _lemma_by_form().get(word.lower(), word.lower())


def word_forms(lemma: str) -> frozenset[str]:
    """The lemma and all its inflections, lower-cased."""
    lemma = lemma.lower()
    return _forms_by_lemma().get(lemma, frozenset()) | {lemma}
