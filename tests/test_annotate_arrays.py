"""annotate.py reads token attributes from the Doc's arrays by fixed attribute ids (importing
spacy.attrs would load spaCy on every lint): the ids must be spaCy's, and what is read must be
what the Token and Span objects say."""

from __future__ import annotations

from spacy import attrs

from claimcheck import annotate
from claimcheck.config import Config
from claimcheck.readers import for_format

TEXT = (
    "Our tea cures arthritis. It also eliminates joint pain in days! Does it reverse diabetes? "
    "Dr. Smith says it heals wounds. Ask your doctor.\n"
)


def test_attribute_ids_are_spacys() -> None:
    assert (annotate.LOWER, annotate.SENT_START) == (attrs.LOWER, attrs.SENT_START)


def test_claims_grouped_by_the_docs_sentences() -> None:
    ruleset = Config().ruleset()
    document = for_format("text").read(TEXT, "t.txt", Config().read_options)
    blocks = [block for block in annotate.annotate(document, ruleset) if block.doc is not None and block.claims]
    assert blocks
    for block in blocks:
        sentences = [(sent.start, sent.end) for sent in block.doc.sents]
        grouped = block.claims_by_sentence()
        assert len(grouped) >= 1
        for (start, end), by_rule in grouped.items():
            assert (start, end) in sentences
            assert all(start <= s < end for spans in by_rule.values() for s, _ in spans)
        assert sum(len(spans) for by_rule in grouped.values() for spans in by_rule.values()) == len(block.claims)
        assert block.lower_words == [token.lower_ for token in block.doc]
