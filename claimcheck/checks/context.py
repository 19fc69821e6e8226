"""What a check reads: the document, the rule set and, computed once on first use, the NLP results."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from claimcheck.packs import MatchKey, RuleSet
from claimcheck.readers import Document

if TYPE_CHECKING:
    from claimcheck.annotate import AnnotatedBlock
    from claimcheck.checks.claims import Claim


@dataclass
class CheckContext:
    document: Document
    ruleset: RuleSet
    pipeline: str | None = None  # the spaCy pipeline the config selects; None: the default

    @cached_property
    def blocks(self) -> list[AnnotatedBlock]:
        """The prose blocks run through the pipeline; only a check that asks pays for spaCy."""
        from claimcheck.annotate import annotate

        if not self.document.blocks:
            return []
        return annotate(self.document, self.ruleset, self.pipeline)

    @cached_property
    def phrases(self) -> set[MatchKey]:
        """The rules' contexts and disclaimer phrasings the document has, but negated ones."""
        from claimcheck.checks.claims import present_phrases

        return present_phrases(self.blocks)

    @cached_property
    def claims(self) -> list[Claim]:
        """Every candidate claim, reported or not (disclaimers count claims of disabled rules too)."""
        from claimcheck.checks.claims import find_claims

        return find_claims(self.document, self.blocks, self.ruleset, self.phrases)
