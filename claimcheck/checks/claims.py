"""Claims: efficacy, quantified, comparative, absolute and establishment claims stated as fact.

A claim rule's patterns find candidate claims; the pack's modifiers (hedges, negations,
attributions, questions, refutations, citations) are resolved with ConText-style scope
(scope.py). A candidate is reported when no modifier of a category in the rule's
`suppressed_by` covers it. A footnote marker that resolves, or an inline citation,
after the claim in its sentence makes it *cited*, and the rule's `when_cited` decides
what that does (drop it, lower it to info, or keep it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from claimcheck.annotate import AnnotatedBlock
from claimcheck.documents import Document
from claimcheck.findings import Finding, Severity
from claimcheck.packs import MatchKey, Rule, RuleSet
from claimcheck.scope import Coverage, Cue, coverage, resolve_cues, syntactically_reaches
from claimcheck.text import visible

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from claimcheck.checks.context import CheckContext

# Categories that mean the text does not assert the claim at all (used by disclaimers too).
NOT_ASSERTED = frozenset({"negation", "hypothetical", "question", "refutation", "quotation"})


class Claim(NamedTuple):
    """A candidate claim after scope resolution; offsets are into the document text."""

    rule: Rule
    start: int
    end: int
    words: tuple[str, ...]  # the matched trigger phrases
    covered_by: tuple[Cue, ...]
    missed: tuple[tuple[Cue, str], ...]
    marker: str | None  # the first footnote marker after the claim in its sentence
    marker_resolves: bool
    in_footnote: bool = False  # the claim is in a footnote's own text, which is the qualification
    listed_under: str = ""  # the claim that introduces the list this item is in ("... can treat:")

    @property
    def suppressed_by(self) -> Cue | None:
        return next((cue for cue in self.covered_by if cue.category in self.rule.suppressed_by), None)

    @property
    def asserted(self) -> bool:
        """Not negated, supposed, asked, refuted or quoted; and, where commerce suppresses the
        rule, no comparison of price or service ("Cheaper than the leading brand")."""
        return not any(
            cue.category in NOT_ASSERTED or (cue.category == "commerce" and "commerce" in self.rule.suppressed_by)
            for cue in self.covered_by
        )

    @property
    def cited(self) -> bool:
        return self.marker_resolves or self.in_footnote or any(cue.category == "citation" for cue in self.covered_by)


class _Lead(NamedTuple):
    """A block that introduces the list after it (Document.introduces_list), as its items read it."""

    heading: str  # the words of a heading that introduces uses (_heading_lead)
    last_line: int  # where its last line starts, a document offset
    found: list[tuple[Rule, list[Claim]]]  # its candidate claims (BlockClaims.found)

    def words(self, present: set[MatchKey]) -> str:
        """The words of the asserted claim on its last line ("Our tea helps with:"), else its heading's."""
        claims = [claim for rule, found in self.found if _in_context(rule, present) for claim in found]
        return _introduced_list(self.last_line, claims) or self.heading


class BlockClaims(NamedTuple):
    """A block's candidate claims, read from its Doc: what find_claims decides once the whole
    document is read is left open (the rules' contexts, and so the words of a list's lead)."""

    item: bool  # the block is a list item
    lead: _Lead | None  # an item's: the block that introduces the list it is in
    found: list[tuple[Rule, list[Claim]]]  # by sentence, then rule, in the document's order


def read_blocks(
    document: Document, blocks: Iterable[AnnotatedBlock], ruleset: RuleSet
) -> tuple[set[MatchKey], list[BlockClaims]]:
    """What the claim and disclaimer checks need of a document's annotated blocks, in one pass
    that lets each block (and its Doc) go once read: the contexts and disclaimer phrasings the
    document has, but negated ones (phrases_in), and the blocks' candidate claims."""
    present: set[MatchKey] = set()

    def noting_phrases() -> Iterator[AnnotatedBlock]:
        for block in blocks:
            present.update(phrases_in(block))
            yield block

    return present, list(candidate_claims(document, noting_phrases(), ruleset))


def candidate_claims(document: Document, blocks: Iterable[AnnotatedBlock], ruleset: RuleSet) -> Iterator[BlockClaims]:
    """The candidate claims of each block that has some, one per rule and sentence, with what
    covers them; before find_claims applies what only the whole document decides."""
    resolved = {d.key for d in document.definitions}
    definition_starts = {d.start for d in document.definitions}
    lead: _Lead | None = None  # the block that introduces the list items after it ("Our tea treats:")
    # The blocks that introduce the lists this block is in (Document.introduces_list), outermost
    # first: their depth (-1 outside a list) and the modifiers that qualify their end ("may help with:").
    leads: list[tuple[int, tuple[Cue, ...]]] = []
    for index, block in enumerate(blocks):  # one per document block, in order (annotate.py)
        text = block.text
        item = document.is_list_item(block.start, block.start + len(text))
        depth = document.list_depth(block.start) if item else -1
        leads = [(d, c) for d, c in leads if d < depth]  # this block is no longer under the others
        lead_cues = tuple(cue for _, cues in leads for cue in cues)
        introduced = item and bool(leads)  # an item of a list that a line introduces ("Side effects:")
        introduces = document.introduces_list(index)
        if introduces:
            leads.append((depth, _qualifying_the_end(block)))
        found: list[tuple[Rule, list[Claim]]] = []
        if block.claims:
            first_char = block.start + len(text) - len(text.lstrip())
            in_footnote = any(block.start <= start <= first_char for start in definition_starts)
            cues, terminators = resolve_cues(block.cues, block.pseudo)
            lower_words = block.lower_words
            for sentence, spans in block.claims_by_sentence().items():
                for rule_id, rule_spans in spans.items():
                    rule = ruleset.rules[rule_id]
                    if rule.with_claim and not _beside_a_claim(ruleset, rule_id, spans):
                        continue  # "in 2 weeks" is a claim only beside the claim it times
                    if rule.listed_under_claim and not (item and lead):
                        continue  # "arthritis" is a claim only as an item under "Our tea treats:"
                    if rule.whole_line:
                        # A label's line, not a word in a sentence; what a line introduces is
                        # listed-claim's to judge ("Side effects:" introduces no uses), and a line
                        # another claim rule reports needs no second finding.
                        if introduced or _claimed_by_another(ruleset, rule_id, spans):
                            continue
                        whole = [span for span in rule_spans if _whole(block, span, sentence)]
                        rule_spans = [_without_end_punct(block, span) for span in whole]
                        if not rule_spans:
                            continue
                    claims = _sentence_claims(
                        document, block, rule, rule_spans, sentence, cues, terminators, lower_words, resolved
                    )
                    covered = [c._replace(in_footnote=in_footnote, covered_by=c.covered_by + lead_cues) for c in claims]
                    found.append((rule, covered))
        if found:
            yield BlockClaims(item, lead if item else None, found)
        if not item:
            last_line = block.start + text.rstrip().rfind("\n") + 1
            lead = _Lead(_heading_lead(block), last_line, found) if introduces else None


def find_claims(candidates: Iterable[BlockClaims], present: set[MatchKey]) -> list[Claim]:
    """Every candidate claim in the document (candidate_claims), but those of a rule whose
    context the document lacks (`present`: its contexts, read_blocks): "Rheumatism." names a use
    only on a page that sells a remedy. A list item's claims name the claim that introduces the
    list; a rule that needs one finds nothing in an item without it."""
    claims: list[Claim] = []
    lead, words = None, ""  # the last lead read, and its words (one lead serves all its items)
    for block in candidates:
        if block.lead is not lead:
            lead, words = block.lead, block.lead.words(present) if block.lead else ""
        for rule, found in block.found:
            if not _in_context(rule, present) or (rule.listed_under_claim and not words):
                continue
            claims.extend(claim._replace(listed_under=words) if block.item else claim for claim in found)
    return claims


def _in_context(rule: Rule, present: set[MatchKey]) -> bool:
    return not rule.context or MatchKey("context", rule.id) in present


def phrases_in(block: AnnotatedBlock) -> Iterator[MatchKey]:
    """The block's contexts and disclaimer phrasings, but negated ones ("no need to ask your doctor")."""
    if not block.phrases:
        return
    cues, terminators = resolve_cues(block.cues, block.pseudo)
    negations = [cue for cue in cues if cue.category == "negation"]
    lower_words = block.lower_words
    for label, start, end in block.phrases:
        before = [cue for cue in negations if cue.end <= start]  # the phrasing's own "not" is no negation
        if not coverage(start, end, block.sentence_of(start), before, terminators, lower_words).covering:
            yield label


def _qualifying_the_end(block: AnnotatedBlock) -> tuple[Cue, ...]:
    """The modifiers whose scope reaches the end of a block ending in ":" ("Acupuncture may
    help:", "Some people use it for:"): the list after it says what they qualify."""
    if block.doc is None or not len(block.doc):
        return ()
    cues, terminators = resolve_cues(block.cues, block.pseudo)
    last = len(block.doc) - 1
    reaching = coverage(last, last + 1, block.sentence_of(last), cues, terminators, block.lower_words)
    return tuple(cue for cue in reaching.covering if cue.end <= last)


def _introduced_list(line_start: int, found: list[Claim]) -> str:
    """The words of an asserted claim on the last line (from `line_start`) of a block that
    introduces a list ("Our tea helps with:")."""
    lead = next(
        (c for c in found if c.start >= line_start and not c.rule.listed_under_claim and not c.suppressed_by), None
    )
    return " ".join(lead.words) if lead else ""


def _heading_lead(block: AnnotatedBlock) -> str:
    """The words of a heading that introduces a list of uses with nothing else on its line
    ("Uses:", "Indications"; a rule's list_leads): its items are read as under a claim."""
    for _, start, end in block.leads:
        if _whole(block, (start, end), block.sentence_of(start)) and "\n" not in block.doc[end:].text.strip():
            return block.doc[start:end].text
    return ""


def _whole(block: AnnotatedBlock, span: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """The span holds every word of its line within its sentence, punctuation aside: a label's
    line ("Rheumatism, Lumbago."), though the lines of a label typed as one paragraph run
    into one sentence ("Sex-Co Tablets\nArthritis Bursitis Rheumatism")."""
    doc = block.doc
    if span[1] > sentence[1]:
        return False
    before = range(span[0] - 1, sentence[0] - 1, -1)
    after = range(span[1], sentence[1])
    for side in (before, after):
        for i in side:
            if "\n" in doc[i].text:
                break
            if not (doc[i].is_punct or doc[i].is_space):
                return False
    return True


def _claimed_by_another(ruleset: RuleSet, rule_id: str, in_sentence: dict[str, Any]) -> bool:
    """Another claim rule, not one that judges by position, matched in the sentence."""
    return any(not ruleset.rules[other].positional for other in in_sentence if other != rule_id)


_END_PUNCT = frozenset(".!?,;:")


def _without_end_punct(block: AnnotatedBlock, span: tuple[int, int]) -> tuple[int, int]:
    """ "Colic." reported as "Colic": a pattern may take the full stop to know the line ends
    (a closing bracket stays: "Rheumatism (Chronic)")."""
    start, end = span
    while end - start > 1 and block.doc[end - 1].text in _END_PUNCT:
        end -= 1
    return start, end


def _beside_a_claim(ruleset: RuleSet, rule_id: str, in_sentence: dict[str, Any]) -> bool:
    """The sentence makes a claim of another kind, and no rule of this kind already covers it."""
    kind = ruleset.rules[rule_id].claim_kind
    # A bare condition word (listed-claim's, indication-claim's patterns) is a claim only in a
    # list or as a label's whole line: it times nothing.
    others = [ruleset.rules[other] for other in in_sentence if other != rule_id]
    kinds = {rule.claim_kind for rule in others if not rule.positional}
    return bool(kinds - {kind}) and kind not in kinds


def _sentence_claims(
    document: Document,
    block: AnnotatedBlock,
    rule: Rule,
    spans: list[tuple[int, int]],
    sentence: tuple[int, int],
    cues: list[Cue],
    terminators: list[Cue],
    lower_words: list[str],
    resolved: set[str],
) -> Iterator[Claim]:
    """Merge one rule's matches in one sentence: the unqualified ones into one claim, the rest one each."""
    results = [(span, coverage(*span, sentence, cues, terminators, lower_words)) for span in spans]
    if block.parsed:
        results = [(span, _refine_by_parse(block.doc, span[0], c)) for span, c in results]
    unqualified, qualified = [], []  # one pass: "not in unqualified" was quadratic in a sentence of many claims
    for span, found in results:
        suppressed = any(cue.category in rule.suppressed_by for cue in found.covering)
        (qualified if suppressed else unqualified).append((span, found))
    if unqualified:
        yield _claim(document, block, rule, unqualified, sentence, resolved)
    for item in qualified:
        yield _claim(document, block, rule, [item], sentence, resolved)


def _refine_by_parse(doc: Doc, claim_start: int, found: Coverage) -> Coverage:
    """A trained pipeline's parse sharpens hedge, correlation and negation scope to the claim's own clause."""
    kept, dropped = [], []
    for cue in found.covering:
        if cue.category in ("hedge", "correlation", "negation") and not syntactically_reaches(doc, cue, claim_start):
            dropped.append((cue, f"'{cue.text}' belongs to another clause"))
        else:
            kept.append(cue)
    return Coverage(tuple(kept), (*found.missed, *dropped))


def _claim(
    document: Document,
    block: AnnotatedBlock,
    rule: Rule,
    matches: list[tuple[tuple[int, int], Coverage]],
    sentence: tuple[int, int],
    resolved: set[str],
) -> Claim:
    doc = block.doc
    start = block.offset + doc[min(s for (s, _), _ in matches)].idx
    last = doc[max(e for (_, e), _ in matches) - 1]
    end = block.offset + last.idx + len(last.text)
    sentence_end = block.offset + doc[sentence[1] - 1].idx + len(doc[sentence[1] - 1])
    marker = next((m for m in document.references if start <= m.start <= sentence_end + 1), None)
    return Claim(
        rule=rule,
        start=start,
        end=max(end, marker.end) if marker and marker.start <= end + 1 else end,
        words=tuple(" ".join(visible(doc[s:e].text).split()) for s, e in _outermost([span for span, _ in matches])),
        covered_by=tuple(dict.fromkeys(cue for _, c in matches for cue in c.covering)),
        missed=tuple(dict.fromkeys(m for _, c in matches for m in c.missed)),
        marker=marker.text if marker else None,
        marker_resolves=bool(marker and marker.key in resolved),
    )


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not inside another span, in order: the Matcher reports every length of a match."""
    # By start, the longest first: a span is inside an earlier one exactly when it ends no later
    # than the furthest end so far (one pass; comparing every pair was quadratic in a long
    # sentence of many claims).
    outermost, reach = [], -1
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if end > reach:
            outermost.append((start, end))
            reach = end
    return outermost


CHECKS = ("claim",)


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Findings for claims that nothing in their clause qualifies, from the rules that report."""
    if not ctx.ruleset.by_check("claim"):
        return  # detecting claims is left to the checks that need them (disclaimers)
    document, ruleset = ctx.document, ctx.ruleset
    for claim in ctx.claims:
        if claim.suppressed_by or claim.rule.id not in ruleset.reported:
            continue
        severity = claim.rule.severity
        if claim.cited:
            if claim.rule.when_cited == "drop":
                continue
            if claim.rule.when_cited == "info":
                severity = Severity.INFO
        yield document.finding(claim.rule, claim.start, claim.end, explanation=explain(claim), severity=severity)


def explain(claim: Claim) -> str:
    """Which words made this a claim and, when a modifier was near, why it did not qualify it."""
    parts = ["triggered by " + ", ".join(f"'{w}'" for w in claim.words)]
    ignored = [cue for cue in claim.covered_by if cue.category not in claim.rule.suppressed_by]
    if ignored:
        cue = ignored[0]
        parts.append(f"the {_named(cue)} does not qualify a {claim.rule.claim_kind} claim")
    relevant = [(cue, why) for cue, why in claim.missed if cue.category in claim.rule.suppressed_by]
    if relevant and not ignored:
        cue, why = relevant[0]
        parts.append(f"the {_named(cue)} does not cover it: {why}")
    if claim.listed_under:
        parts.append(f"it is an item of the list that '{claim.listed_under}' introduces")
    if claim.marker and not claim.marker_resolves:
        parts.append(f"its footnote marker '{claim.marker}' does not resolve")
    elif claim.in_footnote:
        parts.append("it is part of a footnote's text")
    elif claim.cited:
        parts.append("a citation follows it")
    return "; ".join(parts)


def _named(cue: Cue) -> str:
    """ "hedge 'may' (core/hedge-modal)": the cue, and the pack modifier that found it."""
    return f"{cue.category} '{cue.text}'" + (f" ({cue.modifier})" if cue.modifier else "")
