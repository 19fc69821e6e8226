"""Running the pipeline over a document's prose blocks, and reading back what it matched."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from claimcheck import prefilter
from claimcheck.compiled import get_prefilter
from claimcheck.documents import Document
from claimcheck.packs import MatchKey, RuleSet
from claimcheck.pipeline import MATCHES, get_pipeline, is_sentence_start
from claimcheck.scope import Cue
from claimcheck.text import for_matching, visible

# spacy.attrs ids, fixed; importing spacy.attrs here would load spaCy for every lint.
LOWER = 66
SENT_START = 80

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass
class AnnotatedBlock:
    """One prose block's Doc, with its matches sorted by what they mean.

    The fast path (prefilter.py) may give the pipeline only part of a block, or none of it:
    `doc` then covers the block's text from `offset` on, or is None (nothing matched).
    """

    start: int  # where the block starts in the document text
    text: str  # the whole block's text
    offset: int  # where the Doc's text starts in the document text
    doc: Doc | None
    claims: list[tuple[str, int, int]] = field(default_factory=list)  # (rule id, start, end) in tokens
    exceptions: list[tuple[str, int, int]] = field(default_factory=list)
    leads: list[tuple[str, int, int]] = field(default_factory=list)  # headings that introduce uses ("Uses:")
    cues: list[Cue] = field(default_factory=list)
    pseudo: list[tuple[int, int]] = field(default_factory=list)
    # Disclaimer matches: (the requirement or context key, start token, end token).
    phrases: list[tuple[MatchKey, int, int]] = field(default_factory=list)

    @cached_property
    def lower_words(self) -> list[str]:
        """The lower-cased text of every token (read from the Doc's arrays: no Token objects)."""
        assert self.doc is not None
        return list(map(self.doc.vocab.strings.__getitem__, self.doc.to_array(LOWER).tolist()))

    @cached_property
    def parsed(self) -> bool:
        """Did a trained parser annotate the Doc? (has_annotation scans every token: asked once a block.)"""
        return self.doc is not None and self.doc.has_annotation("DEP")

    def sentence_of(self, token: int) -> tuple[int, int]:
        assert self.doc is not None
        sentence = self.doc[token].sent
        return sentence.start, sentence.end

    def claims_by_sentence(self) -> dict[tuple[int, int], dict[str, list[tuple[int, int]]]]:
        """Claim matches grouped by sentence (token range) and rule."""
        assert self.doc is not None
        # The starts Doc.sents gives (the first token, and every token flagged 1), read from the
        # array: iterating doc.sents makes a Span per sentence.
        flags = self.doc.to_array(SENT_START).tolist()
        starts = [0, *(i for i in range(1, len(flags)) if flags[i] == 1), len(flags)]
        grouped: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        for rule_id, start, end in self.claims:
            index = bisect_right(starts, start) - 1
            grouped[(starts[index], starts[index + 1])][rule_id].append((start, end))
        return grouped


def annotate(document: Document, ruleset: RuleSet, model: str | None = None) -> Iterator[AnnotatedBlock]:
    """Run the pipeline over the prose blocks of a document that can produce a finding, yielding
    each block in turn: a caller that lets each go holds a few Docs at a time, not the document's
    (a Doc costs some 200 bytes a token; a 19 MB page's held 1.4 GB).

    Blocks in which nothing can fire come back without a Doc; when no block can fire, the
    pipeline is never built (and spaCy never imported). With a trained pipeline (`model`)
    every block is run whole: its parse depends on the whole block.
    """
    texts = [for_matching(document.prose[start:end]) for start, end in document.blocks]
    nlp: Language | None = None
    silent: frozenset[str] = frozenset()  # claim rules whose context the document cannot have
    if model is None and prefilter.enabled():
        checker = _SentenceStarts(ruleset)
        compiled_prefilter = get_prefilter(ruleset)
        pieces, silent = compiled_prefilter.pieces(texts, checker)
        for index in _list_leads(document, texts, pieces):
            if compiled_prefilter.cue_can_fire(texts[index]):
                pieces[index] = (0, len(texts[index]))  # its hedge may qualify the items (claims.py)
        if any(piece is not None for piece in pieces):
            nlp = checker.nlp or get_pipeline(ruleset)
    else:
        pieces = [(0, len(text)) for text in texts]
        nlp = get_pipeline(ruleset, model)
    wanted = (text[piece[0] : piece[1]] for text, piece in zip(texts, pieces, strict=True) if piece is not None)
    skipped = frozenset(MatchKey(role, rule) for rule in silent for role in ("claim", "exception"))
    config = {"claimcheck_matcher": {"skipped": skipped}} if skipped else None
    docs = iter(nlp.pipe(wanted, batch_size=256, component_cfg=config) if nlp is not None else ())
    for (start, _), text, piece in zip(document.blocks, texts, pieces, strict=True):
        if piece is None:
            yield AnnotatedBlock(start, text, start, None)
        else:
            yield _sort_matches(AnnotatedBlock(start, text, start + piece[0], next(docs)), ruleset)


def _list_leads(document: Document, texts: list[str], pieces: list[tuple[int, int] | None]) -> list[int]:
    """Blocks not run whole that introduce a list whose next item will be linted."""
    return [
        index
        for index in range(len(texts) - 1)
        if pieces[index] != (0, len(texts[index])) and pieces[index + 1] is not None and document.introduces_list(index)
    ]


class _SentenceStarts:
    """Confirms the prefilter's cuts with the pipeline's tokenizer, building the pipeline on first use."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.nlp: Language | None = None

    def __call__(self, text: str, offset: int) -> bool:
        if self.nlp is None:
            self.nlp = get_pipeline(self.ruleset)
        return is_sentence_start(self.nlp, text, offset)


_OMISSION_MARKS = frozenset({"*", "…", "..."})


def _sort_matches(block: AnnotatedBlock, ruleset: RuleSet) -> AnnotatedBlock:
    doc = block.doc
    assert doc is not None
    for key, start, end in doc.user_data[MATCHES]:
        if key.role == "claim":
            # A pattern may need the omission mark before a label's line as context ("* * * For
            # Coughs"); the claim is the words after it, and after the line break that may follow
            # the mark ("digestion * * *\nfor treating ..." starts at "for", not at the break).
            while start < end - 1 and (doc[start].text in _OMISSION_MARKS or doc[start].is_space):
                start += 1
            block.claims.append((key.rule, start, end))
        elif key.role == "exception":
            block.exceptions.append((key.rule, start, end))
        elif key.role == "lead":
            block.leads.append((key.rule, start, end))
        elif key.role == "modifier":
            modifier = ruleset.modifiers[key.index]
            if modifier.category == "pseudo":
                block.pseudo.append((start, end))
            else:
                text = visible(doc[start:end].text)
                cue = Cue(
                    start,
                    end,
                    text,
                    modifier.category,
                    modifier.direction,
                    modifier.max_scope,
                    modifier.stop_at,
                    modifier.id,
                    modifier.ends,
                )
                block.cues.append(cue)
        else:
            block.phrases.append((key, start, end))
    if block.exceptions:
        block.claims = [
            (rule, start, end)
            for rule, start, end in block.claims
            if not any(rule == other and s <= start < e for other, s, e in block.exceptions)
        ]
    return block
