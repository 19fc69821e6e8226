"""Disclaimers: when a document makes claims (and, optionally, has a context such as
"this is a supplement"), every required phrasing group must appear somewhere in it.

Claims count whether hedged or not ("may help relieve pain" is still a health claim);
negated, hypothetical, questioned or refuted ones do not.
"""

from __future__ import annotations

from collections.abc import Iterator

from claimcheck.checks.claims import Claim
from claimcheck.checks.context import CheckContext
from claimcheck.findings import Finding
from claimcheck.packs import MatchKey, Rule
from claimcheck.readers import Document

CHECKS = ("disclaimer",)


def check(ctx: CheckContext) -> Iterator[Finding]:
    """A finding at the first claim for each disclaimer rule whose required phrasings are missing."""
    rules = ctx.ruleset.by_check("disclaimer")
    if not rules:
        return
    document, present = ctx.document, ctx.phrases
    for rule in rules:
        trigger = _first_trigger(rule, ctx.claims)
        if trigger is None or (rule.context and MatchKey("context", rule.id) not in present):
            continue
        missing = [i for i in range(len(rule.require)) if MatchKey("requirement", rule.id, i) not in present]
        if missing:
            yield _finding(document, rule, trigger)


def _first_trigger(rule: Rule, claims: list[Claim]) -> Claim | None:
    triggering = [
        claim
        for claim in claims
        if claim.asserted and (rule.when_claims == "any" or claim.rule.claim_kind in rule.when_claims)
    ]
    return min(triggering, key=lambda claim: claim.start, default=None)


def _finding(document: Document, rule: Rule, trigger: Claim) -> Finding:
    excerpt = " ".join(document.text[trigger.start : trigger.end].split())
    return document.finding(rule, trigger.start, trigger.end, explanation=f"first health claim: '{excerpt}'")
