"""What a check reads: the document, the rule set and, computed once on first use, the NLP results."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from claimcheck.packs import MatchKey, RuleSet
from claimcheck.readers import Document

if TYPE_CHECKING:
    from claimcheck.checks.claims import BlockClaims, Claim


@dataclass
class CheckContext:
    document: Document
    ruleset: RuleSet
    pipeline: str | None = None  # the spaCy pipeline the config selects; None: the default

    @cached_property
    def _read(self) -> tuple[set[MatchKey], list[BlockClaims]]:
        """The prose blocks run through the pipeline, read as they come (claims.read_blocks): no
        Doc outlives its block. Only a check that asks pays for spaCy."""
        from claimcheck.annotate import annotate
        from claimcheck.checks.claims import read_blocks

        if not self.document.blocks:
            return set(), []
        return read_blocks(self.document, annotate(self.document, self.ruleset, self.pipeline), self.ruleset)

    @cached_property
    def phrases(self) -> set[MatchKey]:
        """The rules' contexts and disclaimer phrasings the document has, but negated ones."""
        return self._read[0]

    @cached_property
    def claims(self) -> list[Claim]:
        """Every candidate claim, reported or not (disclaimers count claims of disabled rules too)."""
        from claimcheck.checks.claims import find_claims

        return find_claims(self._read[1], self.phrases)
