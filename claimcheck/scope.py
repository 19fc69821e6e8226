"""Modifier scope, in the spirit of ConText (Chapman et al.; medspaCy's context module).

A cue (a hedge, correlation, negation, attribution, question, refutation, citation or commerce)
reaches forward, backward or both from where it stands, up to its maximum scope, and never past
a terminating cue ("but", "however", ";") or its sentence. A claim is covered by every
cue whose scope reaches it. Everything here works on token indices within one sentence,
so it can be tested without spaCy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple

from claimcheck.text import SENTENCE_OPENERS


class Cue(NamedTuple):
    start: int
    end: int
    text: str
    category: str
    direction: str = "forward"
    max_scope: int | None = None
    stop_at: frozenset[str] = frozenset()
    modifier: str = ""  # the pack modifier's id, for explanations ("core/hedge-modal")
    ends: frozenset[str] = frozenset()  # a terminator's: the modifiers whose scope it ends; empty: all

    def ends_scope_of(self, cue: Cue) -> bool:
        """Does this terminator end the cue's scope?"""
        return not self.ends or cue.modifier in self.ends


class Coverage(NamedTuple):
    """How the cues in a claim's sentence relate to it."""

    covering: tuple[Cue, ...]
    missed: tuple[tuple[Cue, str], ...]  # cues that do not reach the claim, with the reason


class SortedCues(list[Cue]):
    """Cues in order of start, with the furthest end of each prefix of them: the cues that end
    near a claim are found by bisection, though a long cue may end after a later short one."""

    def __init__(self, cues: list[Cue]) -> None:
        super().__init__(cues)
        self.furthest_end = list(accumulate((cue.end for cue in cues), max))


def resolve_cues(cues: list[Cue], pseudo: list[tuple[int, int]]) -> tuple[SortedCues, list[Cue]]:
    """Split matched cues into modifiers and terminators, dropping cues that a pseudo cue overlaps.

    Of cues of the same category that lie inside another only the longest is kept, so "is
    believed to" is one hedge, not three. Cues that only overlap are both kept: in "There is
    limited evidence that ..." the predicate "is limited" must not hide "limited evidence",
    which reaches the clause after "that".
    """
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        if any(start < cue.end and cue.start < end for start, end in pseudo):
            continue
        if (
            kept
            and kept[-1].category == cue.category
            and cue.end <= kept[-1].end
            and not _reaches_further(cue, kept[-1])
        ):
            continue
        kept.append(cue)
    terminators = [cue for cue in kept if cue.category == "terminate"]
    return SortedCues([cue for cue in kept if cue.category != "terminate"]), terminators


def _reaches_further(cue: Cue, than: Cue) -> bool:
    """Does the cue reach further than the one it lies inside? Then it is kept: a pack's short
    "Determine how" must not hide core's "if" inside "Determine if", which reaches further."""
    return than.max_scope is not None and (cue.max_scope is None or cue.max_scope > than.max_scope)


def coverage(
    claim_start: int,
    claim_end: int,
    sentence: tuple[int, int],
    cues: list[Cue],
    terminators: list[Cue],
    lower_words: list[str],
) -> Coverage:
    """Which cues in the sentence reach the claim [claim_start, claim_end), and why the others do not.

    `cues` are in order of start, as `resolve_cues` returns them. Only the cues of the sentence
    that end or start within _MAX_REACH words of the claim are looked at (no other can reach
    it, and none other is named), found by bisection: a sentence of thousands of claims and
    cues (a page of quoted lines with no full stop) costs per claim no more than a short one."""
    covering: list[Cue] = []
    missed: list[tuple[Cue, str]] = []
    first = bisect_left(cues, sentence[0], key=_start)
    last = bisect_left(cues, sentence[1], lo=first, key=_start)
    furthest_end = cues.furthest_end if isinstance(cues, SortedCues) else list(accumulate((c.end for c in cues), max))
    near_first = max(first, bisect_left(furthest_end, claim_start - _MAX_REACH))
    near_last = min(last, bisect_right(cues, claim_end + _MAX_REACH, key=_start))
    for cue in cues[near_first:near_last]:
        if claim_start <= cue.start and cue.end <= claim_end and cue.category not in _INSIDE_CLAIM:
            continue  # the cue is part of the claim itself: "no side effects", "never come back"
        reason = _why_not_forward(cue, claim_start, claim_end, terminators, lower_words)
        if reason and _qualifies_subject(cue, claim_start, claim_end, sentence, terminators, lower_words):
            reason = None
        # A cue that reaches both ways is judged backward only from after the claim: before it,
        # the forward reason (a stop, the distance) is the one that held it back.
        if cue.direction == "backward" or (reason and cue.direction == "both" and cue.start >= claim_start):
            reason = _why_not_backward(cue, claim_start, claim_end, terminators, lower_words)
        if reason is None:
            covering.append(cue)
        else:
            missed.append((cue, reason))
    missed.extend(
        (cue, f"'{cue.text}' is in a different sentence") for cue in _nearest_earlier(cues, first, sentence[0])
    )
    return Coverage(tuple(covering), tuple(missed))


def _nearest_earlier(cues: list[Cue], first: int, sentence_start: int) -> list[Cue]:
    """The nearest cue of each category in the sentences before, nearest first: what an explanation
    names. Only the last few are looked at: naming every earlier cue of a long document made
    each claim's explanation, and the memory of them all, grow with the document."""
    nearest: dict[str, Cue] = {}
    for cue in reversed(cues[max(0, first - _EARLIER_LOOKED_AT) : first]):
        if cue.end <= sentence_start:
            nearest.setdefault(cue.category, cue)
    return list(nearest.values())


def _start(cue: Cue) -> int:
    return cue.start


_EARLIER_LOOKED_AT = 32  # cues before the sentence an explanation may name


# A hedge, correlation or attribution inside a long match still qualifies what follows it: in
# "lowers blood pressure and may prevent strokes" the match runs from "lowers" to "strokes". A
# commerce cue inside one says what the match compares: "Faster shipping than any other".
_INSIDE_CLAIM = frozenset({"hedge", "attribution", "correlation", "commerce"})
_GERUND_REACH = 8  # tokens from the end of a gerund subject to its verb's hedge
_SUBJECT_REACH = 3  # tokens from the end of any other subject to its verb's hedge or negation
_CONJUNCTIONS = frozenset({"and", "or", "&", ",", "plus"})
_VERB_NEGATIONS = frozenset({"not", "n't", "n’t", "never", "cannot"})
_CARE_KINDS = frozenset(
    {"proper", "prompt", "early", "timely", "appropriate", "adequate", "regular", "careful", "successful", "effective"}
)
# Words before a subject that say how much of a class it is, not which: "Most drugs that ...".
_QUANTIFIERS = frozenset({"most", "many", "some", "all", "the", "these", "those", "other", "several"})
# Words that make care someone's product, not care in general: "Our treatment may surprise you".
_OWNERS = frozenset({"our", "my", "this", "these", "that", "its"})
# Nouns that name a kind of care, not a product: a subject they head is care in general.
_CARE_NOUNS = frozenset(
    {
        "surgery",
        "treatment",
        "therapy",
        "medication",
        "medications",
        "medicine",
        "medicines",
        "drugs",
        "procedure",
        "operation",
        "injections",
        "transplant",
        "transplantation",
        "chemotherapy",
        "radiation",
        "antibiotics",
    }
)


def _qualifies_subject(
    cue: Cue, start: int, end: int, sentence: tuple[int, int], terminators: list[Cue], lower_words: list[str]
) -> bool:
    """A claim that is its sentence's subject is qualified by its verb's modal, correlation or negation:
    "Managing stress could matter more than you think", "Antibiotics do not work against
    viruses", and so is one that only defines the subject's class ("Medicines that treat
    heartburn might help bladder symptoms", "Learning to manage stress may help"). Not
    across a conjunction: in "Eliminates pain and may reduce swelling" the hedge belongs to
    the second claim."""
    if cue.category not in ("hedge", "correlation", "negation") or cue.direction == "backward":
        return False
    head = lower_words[sentence[0] : start]
    while head and (head[0] in SENTENCE_OPENERS or not head[0].strip()):
        head = head[1:]  # a blanked bullet or an opening mark: "- Getting more exercise ... may help"
    if head and not _subject_head(head, lower_words[start]):
        return False
    if not head and lower_words[start] in _OWNERS:
        return False  # the business's own care: "Our treatment for arthritis may surprise you"
    if cue.category == "negation" and cue.text.lower() not in _VERB_NEGATIONS:
        return False  # "Lose weight without dieting": "without" negates the dieting, not the claim
    # A gerund's or a kind of care's subject runs on ("Learning to manage stress every day may
    # help", "Proper treatment of infections in children may help").
    gerund = lower_words[start].endswith("ing") or (head and head[-1] in ("to", *_CARE_KINDS))
    reach = _GERUND_REACH if gerund else _SUBJECT_REACH
    between = lower_words[end : cue.start]
    return (
        end <= cue.start < end + reach
        and not _CONJUNCTIONS.intersection(between)
        and not any(end <= term.start < cue.start and term.ends_scope_of(cue) for term in terminators)
    )


def _subject_head(words: list[str], claim_word: str) -> bool:
    """Do these words, before a claim (whose first word is `claim_word`) at the start of its
    sentence's subject, leave the claim inside the subject: a plural noun and "that"/"which"
    ("Medicines that ..."), a gerund and "to" ("Learning to ..."), a word that only says what
    kind of care the subject is ("Proper treatment of lung infections may help ...", "Laser
    treatment of port-wine stains may produce ..."), care named by its purpose ("Surgery
    to remove the tumor may be recommended"), one kind of care among others ("Laser therapy
    or removal of the nodules may be needed"), or the gerunds before the last of several
    ("Getting more exercise, losing weight, or stopping smoking may help")? ("Our tea that ..."
    and "Patients who ..." do not.)"""
    if len(words) > 1 and words[0] in _QUANTIFIERS:
        words = words[1:]  # "Most drugs that work for dizziness do not work for MdDS"
    if len(words) == 1:
        kind = words[0].isalpha() and words[0] not in _OWNERS and claim_word in _CARE_NOUNS
        return words[0] in _CARE_KINDS or kind
    if 2 <= len(words) <= 3 and words[-1] in ("or", "and") and words[-2] in _CARE_NOUNS:
        return all(word.isalpha() for word in words)  # one kind of care among others: "Laser therapy or removal of ..."
    if 3 < len(words) <= 9 and words[1] in ("that", "which") and words[-1] in ("and", "or"):
        # the second verb of the class's relative clause: "Medications that open small blood
        # vessels and increase circulation may help"
        return _plural(words[0]) and all(word.isalpha() for word in words)
    if len(words) > 2 and words[-1] in ("or", "and") and words[0].endswith("ing") and "," in words:
        # the last of several gerund subjects: "Getting more exercise, losing weight, or stopping smoking may help"
        return claim_word.endswith("ing") and all(word.isalpha() or word == "," for word in words)
    if len(words) != 2 or not words[0].isalpha():
        return False
    noun, link = words
    return (
        (link in ("that", "which") and _plural(noun))
        or (link == "to" and noun.endswith("ing"))
        or (link == "to" and noun in _CARE_NOUNS)  # care named by its purpose: "Surgery to remove ..."
    )


def _plural(noun: str) -> bool:
    return noun.endswith("s") and not noun.endswith("ss")


def _why_not_forward(cue: Cue, start: int, end: int, terminators: list[Cue], lower_words: list[str]) -> str | None:
    if end <= cue.start:
        return f"'{cue.text}' comes after the claim and only reaches forward"
    if start < cue.end:
        return None  # the claim overlaps the cue itself ("can help relieve")
    return _why_not_between(cue, cue.end, start, terminators, lower_words)


def _why_not_backward(cue: Cue, start: int, end: int, terminators: list[Cue], lower_words: list[str]) -> str | None:
    if start >= cue.end:
        return f"'{cue.text}' comes before the claim and only reaches backward"
    if end > cue.start:
        return None
    return _why_not_between(cue, end, cue.start, terminators, lower_words)


def _why_not_between(cue: Cue, begin: int, end: int, terminators: list[Cue], lower_words: list[str]) -> str | None:
    """Why the words [begin, end) between a cue and a claim keep it from reaching: a terminator,
    a stop word, or the distance. Only the first _MAX_REACH words are read, so a sentence of
    thousands of cues ("If If If ...") costs no more per cue than a short one."""
    read_to = min(end, begin + _MAX_REACH)
    # Indexes, not a slice: slicing would copy the rest of a long sentence's terminators per cue.
    for index in range(bisect_left(terminators, begin, key=_start), bisect_left(terminators, read_to, key=_start)):
        if terminators[index].ends_scope_of(cue):
            return f"'{terminators[index].text}' ends the scope of '{cue.text}'"
    stop = _first_stop(cue.stop_at, lower_words, begin, read_to)
    if stop:
        return f"'{stop}' ends the scope of '{cue.text}'"
    if cue.max_scope is not None and end - begin >= cue.max_scope:
        return f"'{cue.text}' reaches only {cue.max_scope} words"
    if end - begin > _MAX_REACH:
        return f"'{cue.text}' is more than {_MAX_REACH} words from the claim"
    return None


_MAX_REACH = 100  # words: no modifier reaches further, whatever its max_scope


def _first_stop(stops: frozenset[str], lower_words: list[str], begin: int, end: int) -> str | None:
    """The first stop that starts in [begin, end): a word (",") or a word sequence (", our"); of
    several starting at one word, the longest."""
    if not stops:
        return None
    table = _stop_table(stops)
    for index in range(begin, end):
        for words in table.get(lower_words[index], ()):
            if tuple(lower_words[index : index + len(words)]) == words:
                return " ".join(words)
    return None


@cache
def _stop_table(stops: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Stops by their first word, longest first (split once, not at every word of every walk)."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for stop in stops:
        words = tuple(stop.split())
        table.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in table.items()}


# Dependency edges that start a new clause: a hedge on one conjunct does not reach the next.
_CLAUSE_EDGES = frozenset({"conj", "parataxis", "advcl", "ccomp", "relcl", "acl"})


def syntactically_reaches(doc: Any, cue: Cue, claim_start: int) -> bool:
    """With a dependency parse (a trained pipeline), does the cue attach to the claim's clause?

    The cue's head must dominate the claim's first word without crossing into another
    clause: "may help reduce pain" is reached; in "X may help, and our surgery cures Y"
    the hedge stops at the conjunction.
    """
    inside = range(cue.start, cue.end)
    head = next((doc[i].head for i in inside if doc[i].head.i not in inside), doc[cue.start].head)
    token = doc[claim_start]
    while token.i != head.i:
        if token.dep_ in _CLAUSE_EDGES or token.head.i == token.i:
            return False
        token = token.head
    return True
