"""Running the pipeline over a document's prose blocks, and reading back what it matched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimcheck.documents import Document
from claimcheck.packs import MatchKey, RuleSet
from claimcheck.pipeline import MATCHES
from claimcheck.scope import Cue

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass
class AnnotatedBlock:
    """One prose block's Doc, with its matches sorted by what they mean."""

    offset: int  # where the block starts in the document text
    doc: Doc
    claims: list[tuple[str, int, int]] = field(default_factory=list)  # (rule id, start, end) in tokens
    exceptions: list[tuple[str, int, int]] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    pseudo: list[tuple[int, int]] = field(default_factory=list)
    # Disclaimer matches: (the requirement or context key, start token, end token).
    phrases: list[tuple[MatchKey, int, int]] = field(default_factory=list)

    def sentence_of(self, token: int) -> tuple[int, int]:
        sentence = self.doc[token].sent
        return sentence.start, sentence.end

    def claims_by_sentence(self) -> dict[tuple[int, int], dict[str, list[tuple[int, int]]]]:
        """Claim matches grouped by sentence (token range) and rule."""
        starts = [sent.start for sent in self.doc.sents] + [len(self.doc)]
        grouped: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        for rule_id, start, end in self.claims:
            index = next(i for i in range(len(starts) - 1) if starts[i] <= start < starts[i + 1])
            grouped[(starts[index], starts[index + 1])][rule_id].append((start, end))
        return grouped


def annotate(document: Document, ruleset: RuleSet, nlp: Language) -> Iterator[AnnotatedBlock]:
    """Run the pipeline over every prose block of a document."""
    texts = (document.prose[start:end] for start, end in document.blocks)
    for (start, _), doc in zip(document.blocks, nlp.pipe(texts, batch_size=256), strict=True):
        yield _sort_matches(start, doc, ruleset)


def _sort_matches(offset: int, doc: Doc, ruleset: RuleSet) -> AnnotatedBlock:
    block = AnnotatedBlock(offset, doc)
    for key, start, end in doc.user_data[MATCHES]:
        if key.role == "claim":
            block.claims.append((key.rule, start, end))
        elif key.role == "exception":
            block.exceptions.append((key.rule, start, end))
        elif key.role == "modifier":
            modifier = ruleset.modifiers[key.index]
            if modifier.category == "pseudo":
                block.pseudo.append((start, end))
            else:
                text = doc[start:end].text
                cue = Cue(
                    start,
                    end,
                    text,
                    modifier.category,
                    modifier.direction,
                    modifier.max_scope,
                    modifier.stop_at,
                    modifier.id,
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
