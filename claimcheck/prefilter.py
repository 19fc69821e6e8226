"""The fast path: which prose blocks, and which part of each, can produce a finding, decided
before any spaCy work (docs/fast-path.md).

Every pattern element that a match must consume (not optional, not negated) and that names
its words (LOWER/ORTH/TEXT/NORM, a word or IN; LIKE_NUM and IS_DIGIT as digits and number
words) is a *requirement*: a match needs one of those words as a token. The words of every
requirement are searched at once with an Aho-Corasick automaton over the lower-cased block
(plain ASCII words by word lookup). A pattern can fire in a stretch of text only when its
requirements occur there in its order, each within the most tokens the elements between
them can take; a pattern with no requirement (flags, shapes, regular expressions only) can
fire anywhere, so it lets every block through.

What the checks need from the pipeline are *trigger* matches: claims, and the phrasings and
contexts disclaimer rules look for. A block in which no trigger pattern can fire, inside one
sentence (sentence_splits) unless the pattern can cross a sentence end, yields no claim and
no phrasing whatever else matches in it, so it never reaches spaCy; when no block of a
document can fire, spaCy is not even imported.

A block that can fire is trimmed to the sentences that matter: leading sentences in which no
trigger and no cue can fire (so no hedge there can be an "earlier" cue; terminators, pseudo
cues and exceptions act only on what they overlap), and trailing sentences after the last
sentence in which a trigger can fire (later cues never reach back into an earlier sentence).
A cut is made only at a sentence start that the tokenizer and the sentencizer would make
(checked with the tokenizer, see pipeline.is_sentence_start), and only when no pattern that
could cross a sentence end can fire in the block.

Surface forms: LEMMA was expanded to word forms when the packs loaded (lemmas.py), so the
words are already every inflection; case is folded; a word is found where it stands between
non-letters (so inside hyphenated compounds, "pain-free", and beside digits, "10mg"), and
tokenizer exceptions that split a word between two letters ("cannot", "don't", "gonna")
count as every word they split into.

`CLAIMCHECK_FAST_PATH=0` turns the fast path off (the test that compares findings both ways).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate, chain, pairwise
from operator import itemgetter
from typing import Any, NamedTuple

from claimcheck.matcher import PatternError, quantity
from claimcheck.spacy_import import import_spacy
from claimcheck.text import has_hashtag_to_split, has_spaced_ellipsis

Pattern = list[dict[str, Any]]

_WORD_ATTRIBUTES = ("LOWER", "ORTH", "TEXT")
# The tokens after which the fast path cuts a block (pipeline.is_sentence_start), and the flags
# that are false for all of them: an element that requires one of these flags cannot take one.
SENTENCE_FINAL = frozenset({".", "!", "?"})
_FALSE_FOR_SENTENCE_END = frozenset(
    {
        "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_SPACE", "IS_STOP", "LIKE_NUM",
        "LIKE_URL", "LIKE_EMAIL", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY",
    }
)  # fmt: skip
# Where a sentence may end inside a block: the candidates the tokenizer then confirms.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]{0,2} (?=\S)")
_SPACE_SPLIT = re.compile(r"(\s+)")
_ASCII_WORD = re.compile(r"[a-z]+")  # a run of ASCII letters in lower-cased text (where plain words are looked up)
# Where the tokenizer surely splits sentence-final punctuation off: one "." or up to three "!"/"?"
# (then closing quotes or brackets) before whitespace, after a word of ASCII letters that is the
# whole whitespace-separated chunk but for opening quotes or brackets.
_PUNCTUATION_END = re.compile(r"(\.|[!?]{1,3})[\"'”’)\]]*(?!\S)")
_CHUNK_WORD = re.compile(r"[(\[\"'“‘]*([A-Za-z][A-Za-z'’-]*[A-Za-z])")


def enabled() -> bool:
    """The fast path is on unless CLAIMCHECK_FAST_PATH is set to 0 (or off/false)."""
    return os.environ.get("CLAIMCHECK_FAST_PATH", "1").lower() not in ("0", "off", "false", "no")


@dataclass(frozen=True)
class Prefilter:
    """The compiled prefilter of a rule set: plain data, cached on disk by compiled.py.

    Requirements are numbered; `surface` maps each lower-cased surface string to the
    requirements it satisfies and whether it counts only between non-letters.
    """

    surface: dict[str, tuple[tuple[int, ...], bool]]
    triggers: tuple[frozenset[int], ...]  # requirement sets of claim/phrasing/context patterns
    trigger_order: tuple[tuple[int, ...], ...]  # each trigger's requirements in pattern order
    trigger_gaps: tuple[tuple[int | None, ...], ...]  # most tokens from one requirement to the next (None: any)
    trigger_crossing: tuple[bool, ...]  # whether each trigger could match across a sentence end
    cues: tuple[frozenset[int], ...]  # of modifiers that can qualify a claim (not terminators, pseudo cues)
    crossing: tuple[frozenset[int], ...]  # of patterns that could match across a sentence end
    digits: tuple[int, ...]  # requirements a digit satisfies (LIKE_NUM, IS_DIGIT)
    dotted: frozenset[str]  # tokenizer exceptions ending in ".", "!" or "?", lower-cased ("dr.")
    phrases: tuple[str, ...] = ()  # entries of several words, one token where the text spells them (matcher.phrases)
    # Claim rules that fire only on a page with their context (core/indication-claim: a page that
    # sells): rule id -> (its context triggers, its claim triggers), by trigger number.
    gated: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = field(default_factory=dict)
    _built: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # derived, per process

    def automaton(self) -> Any:
        """The Aho-Corasick automaton over the surface words that are not plain (see `words`),
        built on first use in this process. Plain words are looked up by word instead, which
        spares the automaton reporting "in" inside every "within" and "skin", and its build
        the 11,000 plain words of the built-in packs (about 20 ms of every run that lints a
        page with a curly quote or a dash)."""
        if "automaton" not in self._built:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for word, value in self.surface.items():
                if not _plain(word, value[1]):
                    automaton.add_word(word, (len(word), *value))
            if len(automaton) == 0:
                automaton.add_word("\0", (1, (), False))  # an empty automaton cannot be searched
            automaton.make_automaton()
            self._built["automaton"] = automaton
        return self._built["automaton"]

    def words(self) -> dict[str, tuple[int, ...]]:
        """The plain words (see `automaton`) and the requirements each satisfies."""
        if "words" not in self._built:
            self._built["words"] = {w: value[0] for w, value in self.surface.items() if _plain(w, value[1])}
        return self._built["words"]

    def _completion(self, name: str, skipped: frozenset[int]) -> _Completion:
        key = (name, skipped)
        if key not in self._built:
            triggers = [t for number, t in enumerate(self.triggers) if number not in skipped]
            self._built[key] = _Completion(triggers if name == "triggers" else (*triggers, *self.cues))
        return self._built[key]

    def _keyed_triggers(self) -> dict[int, list[int]]:
        """Triggers by one of their requirements (the one fewest triggers share), so that a block
        is checked only against triggers that have a word in it. Key -1: no requirement at all."""
        if "keyed" not in self._built:
            sharing: dict[int, int] = {}
            for requirements in self.triggers:
                for requirement in requirements:
                    sharing[requirement] = sharing.get(requirement, 0) + 1
            keyed: dict[int, list[int]] = {}
            for number, requirements in enumerate(self.triggers):
                key = min(requirements, key=lambda r: (sharing[r], r), default=-1)
                keyed.setdefault(key, []).append(number)
            self._built["keyed"] = keyed
        return self._built["keyed"]

    def hits(self, text: str) -> list[tuple[int, tuple[int, ...]]] | None:
        """(start, requirements) of every surface word in the text, in order of start; None
        when the text's lower-cased form does not keep its offsets (then nothing is skipped)."""
        lower = text.lower()
        if len(lower) != len(text):
            return None
        found = []
        last = len(lower) - 1
        # A plain word between non-letters is a whole run of ASCII letters, whatever other
        # letters the text has: a run found inside a longer word ("cure" in "curé") is one hit
        # too many, which only lets a block through, never one too few.
        words = self.words()
        for match in _ASCII_WORD.finditer(lower):
            requirements = words.get(match.group())
            if requirements:
                found.append((match.start(), requirements))
        for end, (length, requirements, bounded) in self.automaton().iter(lower):
            start = end - length + 1
            if bounded and (
                (start > 0 and lower[start].isalpha() and lower[start - 1].isalpha())
                or (end < last and lower[end].isalpha() and lower[end + 1].isalpha())
            ):
                continue  # inside a longer word: "cure" in "secure"
            found.append((start, requirements))
        if self.digits and not text.isascii():  # digits beyond 0-9 ("²", "٣") are LIKE_NUM too
            found.extend((i, self.digits) for i, char in enumerate(text) if char.isdigit() and not char.isascii())
        found.sort(key=lambda hit: hit[0])
        return found

    def _can_fire(
        self,
        text: str,
        hits: list[tuple[int, tuple[int, ...]]],
        present: set[int],
        skipped: frozenset[int] = frozenset(),
        only: Iterable[int] | None = None,
    ) -> bool:
        """Can a trigger pattern fire (one of `only`, else any but the skipped): its
        requirements met in its order, within one sentence (sentence_splits) unless it could
        match across a sentence end?"""
        keyed, triggers = self._keyed_triggers(), self.triggers
        sentences = spaces = None
        if only is None:
            # Lazily, in the order of their keys: most blocks that can fire show it at one of the first.
            only = chain(keyed.get(-1, ()), chain.from_iterable(filter(None, map(keyed.get, present))))
        for number in only:
            if number in skipped:
                continue
            if not triggers[number]:
                return True  # a pattern known only by flags or regular expressions can fire anywhere
            if not triggers[number] <= present:
                continue
            if len(self.trigger_order[number]) == 1:
                return True  # one word to find, and it is there: no order or distance to check
            if spaces is None:
                spaces = self._token_breaks(text)
                sentences = _split_hits(hits, sentence_splits(text, self.dotted))
            order, gaps = self.trigger_order[number], self.trigger_gaps[number]
            stretches = [hits] if self.trigger_crossing[number] else sentences
            if any(_in_order(stretch, order, gaps, spaces) for stretch in stretches):
                return True
        return False

    def _token_breaks(self, text: str) -> list[int]:
        """Where each whitespace run of the text starts, but for the spaces inside a phrase the
        pipeline joins into one token (a phrase found where it is not joined, "pink eye" in
        "pink eyes", only makes the count of tokens lower, which lets more through)."""
        spaces = _space_runs(text)
        if not self.phrases or len(spaces) < 2:
            return spaces
        if "phrases" not in self._built:
            # Every occurrence, overlapping ones too, at C speed (a regular expression of the
            # phrases tried at every offset cost 90 µs a block): the offsets any phrase covers.
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for phrase in self.phrases:
                automaton.add_word(phrase, len(phrase))
            automaton.make_automaton()
            self._built["phrases"] = automaton
        lower = text.lower()
        if len(lower) != len(text):
            return []  # offsets not kept (hits() reads such a block whole): no breaks, all let through
        joined = set()
        for end, length in self._built["phrases"].iter(lower):
            joined.update(range(end - length + 1, end + 1))
        return [space for space in spaces if space not in joined] if joined else spaces

    def cue_can_fire(self, text: str) -> bool:
        """Can a modifier that qualifies claims fire in the text ("may", "some people say")?
        Asked of a line that introduces a list: its hedge carries over to the items."""
        hits = self.hits(text)
        if hits is None:
            return True
        present = set(chain.from_iterable(map(itemgetter(1), hits)))
        return any(requirements <= present for requirements in self.cues)

    def pieces(
        self, texts: list[str], is_sentence_start: Callable[[str, int], bool]
    ) -> tuple[list[tuple[int, int] | None], frozenset[str]]:
        """The part of each block of a document the pipeline must see (see `piece`), and the
        claim rules it need not match at all: those whose context can fire in no block
        (checks/claims.py drops every claim of a rule whose context the document lacks, and no
        other finding depends on them).

        The hits read while looking for those contexts are kept for the pieces, but only those
        of the first HELD_CHARS characters: a longer document's others are found again. (Every
        block's hits held at once took some 17 bytes a character: 318 MB for a 19 MB page.)"""
        held: list[list[tuple[int, tuple[int, ...]]] | None] = []  # the first blocks' hits
        held_chars = 0
        silent = set(self.gated)
        for text in texts:
            if not silent:
                break
            hits = self._readable_hits(text)
            if held_chars < HELD_CHARS:
                held.append(hits)
                held_chars += len(text)
            if hits is None:
                silent.clear()  # read whole: any context may be there
                continue
            present = set(chain.from_iterable(map(itemgetter(1), hits)))
            silent = {r for r in silent if not self._can_fire(text, hits, present, only=self.gated[r][0])}
        skipped = frozenset(chain.from_iterable(self.gated[rule][1] for rule in silent))
        pieces = []
        for index, text in enumerate(texts):
            hits = held[index] if index < len(held) else self._readable_hits(text)
            pieces.append(self._piece(text, hits, is_sentence_start, skipped))
        return pieces, frozenset(silent)

    def piece(self, text: str, is_sentence_start: Callable[[str, int], bool]) -> tuple[int, int] | None:
        """The part of a block the pipeline must see, as offsets into it; None: nothing can fire."""
        return self._piece(text, self._readable_hits(text), is_sentence_start, frozenset())

    def _readable_hits(self, text: str) -> list[tuple[int, tuple[int, ...]]] | None:
        """The text's hits, or None when the block must be read whole: offsets not kept by
        lower-casing, words run together ("#BeatPain", "#beatpain"), or ". . ." that the pipeline makes one
        token (whitespace no longer bounds the tokens between words)."""
        if not text.strip():
            return []
        hits = self.hits(text)
        if hits is None or has_hashtag_to_split(text) or has_spaced_ellipsis(text):
            return None
        return hits

    def _piece(
        self,
        text: str,
        hits: list[tuple[int, tuple[int, ...]]] | None,
        is_sentence_start: Callable[[str, int], bool],
        skipped: frozenset[int],
    ) -> tuple[int, int] | None:
        """`piece`, with the text's hits read and these triggers left out."""
        if not text.strip():
            return None
        if hits is None:
            return 0, len(text)
        present = set(chain.from_iterable(map(itemgetter(1), hits)))
        if not self._can_fire(text, hits, present, skipped):
            return None
        whole = ("whole", skipped)
        if whole not in self._built:  # a cue that can stand anywhere: no sentence is safe to drop
            self._built[whole] = any(not r for r in self.cues) or any(
                not r for number, r in enumerate(self.triggers) if number not in skipped
            )
        if self._built[whole] or not _SENTENCE_END.search(text) or any(r <= present for r in self.crossing):
            return 0, len(text)  # one sentence, or a match could start anywhere or cross a sentence end
        last = self._completion("triggers", skipped).first(reversed(hits))
        first = self._completion("any", skipped).first(hits)
        if last is None or first is None:
            return 0, len(text)
        start = _cut_before(text, first[0], is_sentence_start)
        end = _cut_after(text, last[0], is_sentence_start)
        return (start, end) if start < end else (0, len(text))


# How much of a document's text Prefilter.pieces keeps the hits of between its two passes
# (about 20 MB of hits): a page never comes near it.
HELD_CHARS = 1_000_000


def _plain(word: str, bounded: bool) -> bool:
    """A surface word found by word lookup in ASCII text: ASCII letters, between non-letters."""
    return bounded and word.isascii() and word.isalpha()


class _Completion:
    """Finds the first hit with which some pattern has all its requirements present."""

    def __init__(self, patterns: Iterable[frozenset[int]]) -> None:
        self.waiting: dict[int, list[int]] = {}
        self.sizes: list[int] = []
        for number, requirements in enumerate(patterns):
            self.sizes.append(len(requirements))
            for requirement in requirements:
                self.waiting.setdefault(requirement, []).append(number)

    def first(self, hits: Iterable[tuple[int, tuple[int, ...]]]) -> tuple[int, tuple[int, ...]] | None:
        """The hit (in the order given) that completes the first pattern, or None."""
        if 0 in self.sizes:
            return next(iter(hits), None)
        missing = self.sizes.copy()
        seen: set[int] = set()
        waiting = self.waiting
        for hit in hits:
            for requirement in hit[1]:
                if requirement in seen or requirement not in waiting:
                    continue
                seen.add(requirement)
                for number in waiting[requirement]:
                    missing[number] -= 1
                    if not missing[number]:
                        return hit
        return None


def _split_hits(hits: list[tuple[int, tuple[int, ...]]], splits: list[int]) -> list[list[tuple[int, tuple[int, ...]]]]:
    """The hits of each stretch between splits (a hit at a split starts the next stretch)."""
    starts = list(map(itemgetter(0), hits))
    bounds = [0, *(bisect.bisect_left(starts, split) for split in splits), len(hits)]
    return [hits[low:high] for low, high in pairwise(bounds) if low < high]


def _in_order(
    hits: list[tuple[int, tuple[int, ...]]], order: tuple[int, ...], gaps: tuple[int | None, ...], spaces: list[int]
) -> bool:
    """Do hits of these requirements occur in this order, each within its gap of the one before?

    A gap is counted in tokens; the whitespace runs between two hits are a lower bound on the
    tokens between them (every run starts a new token, and the matcher skips whitespace
    tokens). A hit may serve two requirements in a row: one surface word can be two tokens
    ("cannot").
    """
    feasible: list[int] = []
    for index, requirement in enumerate(order):
        positions = [start for start, requirements in hits if requirement in requirements]
        if index == 0:
            feasible = positions
        elif gaps[index - 1] is None:
            feasible = [position for position in positions if position >= feasible[0]]
        else:
            gap = gaps[index - 1]
            reachable = []
            for position in positions:
                before = bisect.bisect_right(feasible, position) - 1
                if before >= 0 and _runs(spaces, feasible[before], position) <= gap:
                    reachable.append(position)
            feasible = reachable
        if not feasible:
            return False
    return True


def _space_runs(text: str) -> list[int]:
    """Where each whitespace run of the text starts (the lengths of the runs and of what lies
    between them, summed at C level: no Python step per run)."""
    ends = list(accumulate(map(len, _SPACE_SPLIT.split(text))))  # [word, space, word, ..., word]
    return ends[0:-1:2]


def _runs(spaces: list[int], start: int, end: int) -> int:
    """How many whitespace runs start between two offsets."""
    return bisect.bisect_left(spaces, end) - bisect.bisect_right(spaces, start)


def sentence_splits(text: str, dotted: frozenset[str]) -> list[int]:
    """Offsets where a sentence surely ends for matching purposes: after a word and a ".", "!"
    or "?" that the tokenizer splits off as a token of its own (not "Dr.", "e.g.", "U.S."),
    before whitespace. Patterns that cannot take such a token except as their last (all but
    the crossing ones) never match across one of these offsets."""
    splits = []
    for match in _PUNCTUATION_END.finditer(text):
        end = match.start()
        start = end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        chunk = _CHUNK_WORD.fullmatch(text, start, end)
        if chunk is None:
            continue
        word, punctuation = chunk.group(1), match.group(1)
        if punctuation == "." and not (word[-1].islower() or word[-2:].isupper()):
            continue  # the tokenizer keeps "aI." whole: "." splits off after lower case or two capitals
        last_part = re.split(r"['’-]", word)[-1]
        if (word + punctuation[0]).lower() in dotted or (last_part + punctuation[0]).lower() in dotted:
            continue
        if punctuation == "." and text.startswith(" . .", match.end()):
            continue  # the first stop of a spaced ellipsis, one token with the two after it
        splits.append(match.end())
    return splits


def _cut_before(text: str, limit: int, is_sentence_start: Callable[[str, int], bool]) -> int:
    """The last confirmed sentence start at or before `limit` (0 when there is none)."""
    candidates = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1) if m.end() <= limit]
    return next((cut for cut in reversed(candidates) if is_sentence_start(text, cut)), 0)


def _cut_after(text: str, after: int, is_sentence_start: Callable[[str, int], bool]) -> int:
    """The first confirmed sentence start after offset `after` (the block's end when there is none)."""
    for match in _SENTENCE_END.finditer(text, after):
        if match.end() > after and is_sentence_start(text, match.end()):
            return match.end()
    return len(text)


# --------------------------------------------------------------------------
# Compiling
# --------------------------------------------------------------------------

TRIGGER_ROLES = frozenset({"claim", "requirement", "context", "lead"})


def compile_prefilter(
    patterns: dict[Any, list[Pattern]], categories: list[str], tokenizer: TokenizerFacts, phrases: tuple[str, ...] = ()
) -> Prefilter:
    """The prefilter for a rule set's matcher patterns (keyed by MatchKey), given the category of
    each modifier (by its index) and the entries of several words the pipeline joins."""
    numbers: dict[frozenset[str], int] = {}

    def requirements(pattern: Pattern) -> tuple[tuple[int, ...], tuple[int | None, ...]]:
        """The pattern's requirements in order, and the most tokens from the start of each to the
        start of the next (None when an element between them can repeat without bound)."""
        found: list[int] = []
        gaps: list[int | None] = []
        span: int | None = 0
        for element in pattern:
            words = _required_words(element, tokenizer)
            if words is not None:
                if found:
                    gaps.append(span)
                found.append(numbers.setdefault(words, len(numbers)))
                span = 0
            if found and span is not None:
                most = quantity(element.get("OP"))[1]
                span = None if most >= _UNBOUNDED else span + most
        return tuple(found), tuple(gaps)

    triggers, cues, crossing = [], [], []
    numbered: dict[tuple[str, str], list[int]] = {}  # (role, rule) -> its trigger numbers
    for key, key_patterns in patterns.items():
        for pattern in key_patterns:
            needed, gaps = requirements(pattern)
            if key.role in TRIGGER_ROLES:
                numbered.setdefault((key.role, key.rule), []).append(len(triggers))
                triggers.append((needed, gaps, _may_cross_sentences(pattern)))
            elif key.role == "modifier" and categories[key.index] not in ("terminate", "pseudo"):
                cues.append(frozenset(needed))
            if _may_cross_sentences(pattern):
                crossing.append(frozenset(needed))
    surface: dict[str, tuple[set[int], bool]] = {}
    for words, number in numbers.items():
        for word in words:
            # A digit counts wherever it stands: "10mg" is "10" and "mg".
            surface.setdefault(word, (set(), not word.isdigit()))[0].add(number)
    for exception, parts in tokenizer.splits.items():
        satisfied = {number for part in parts if part in surface for number in surface[part][0]}
        if satisfied:
            surface[exception] = (satisfied | surface.get(exception, (set(), False))[0], False)
    return Prefilter(
        surface={word: (tuple(sorted(found)), bounded) for word, (found, bounded) in surface.items()},
        triggers=tuple(frozenset(needed) for needed, _, _ in triggers),
        trigger_order=tuple(needed for needed, _, _ in triggers),
        trigger_gaps=tuple(gaps for _, gaps, _ in triggers),
        trigger_crossing=tuple(crosses for _, _, crosses in triggers),
        cues=tuple(cues),
        crossing=tuple(crossing),
        digits=tuple(sorted(number for words, number in numbers.items() if "0" in words)),
        dotted=tokenizer.dotted,
        phrases=phrases,
        gated={
            rule: (tuple(numbers), tuple(numbered[("claim", rule)]))
            for (role, rule), numbers in numbered.items()
            if role == "context" and ("claim", rule) in numbered
        },
    )


_DIGITS = frozenset("0123456789")
_UNBOUNDED = 1 << 30  # matcher.quantity's "any number of times"


def _required_words(element: dict[str, Any], tokenizer: TokenizerFacts) -> frozenset[str] | None:
    """The lower-cased words a token must be, or contain, to match this element, when it must
    match one token; None when the element can match nothing or anything."""
    op = element.get("OP")
    try:
        fewest = quantity(op)[0]
    except PatternError:
        return None  # refused when the matcher is built
    if op == "!" or fewest == 0:
        return None  # matches what is not the words, or may match nothing
    for attr in (*_WORD_ATTRIBUTES, "NORM"):
        value = element.get(attr)
        if isinstance(value, str):
            words = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            words = [str(word) for word in value["IN"]]
        else:
            continue
        lowered = {word.lower() for word in words}
        if attr == "NORM":  # a token's NORM is its lower-case form, or what an exception says
            lowered.update(surface for word in words for surface in tokenizer.norms.get(word, ()))
        if all(lowered):  # an empty word is never a token: leave such an element unconstrained
            return frozenset(lowered)
    if element.get("LIKE_NUM") is True:  # spaCy's English like_num: a digit, or a number word
        return _DIGITS | tokenizer.numbers
    if element.get("IS_DIGIT") is True:
        return _DIGITS
    return None


def _may_cross_sentences(pattern: Pattern) -> bool:
    """Could a match run through a sentence end into the next sentence? Only if an element
    other than the last can take the sentence-final token (a cut is made only after ".", "!"
    or "?", see pipeline.is_sentence_start)."""
    return any(_may_match_sentence_end(element) for element in pattern[:-1])


def _may_match_sentence_end(element: dict[str, Any]) -> bool:
    """Can this element match a "." "!" or "?" token? Yes unless one of its tests rules that out."""
    if element.get("OP") == "!":
        return True
    for attr, value in element.items():
        if attr in ("LOWER", "ORTH", "TEXT", "NORM", "SHAPE") and not _takes_any(value, SENTENCE_FINAL):
            return False
        if attr in _FALSE_FOR_SENTENCE_END and value is True:
            return False
        if attr in ("IS_PUNCT", "IS_ASCII") and value is False:
            return False
    return True


def _takes_any(value: Any, words: frozenset[str]) -> bool:
    """Does a text attribute's test (a word, IN, NOT_IN or REGEX) accept one of these words?"""
    if isinstance(value, str):
        return value in words
    if isinstance(value, dict) and len(value) == 1:
        ((predicate, argument),) = value.items()
        if predicate == "IN":
            return bool(words & {str(v) for v in argument})
        if predicate == "NOT_IN":
            return bool(words - {str(v) for v in argument})
        if predicate == "REGEX":
            try:
                return any(re.search(argument, word) for word in words)
            except (re.error, TypeError):
                return True
    return True


class TokenizerFacts(NamedTuple):
    """What the English tokenizer and lexical attributes mean for surface words, lower-cased.

    `splits`: exceptions that split a word between two letters ("cannot": {"can", "not"},
    "don't": {"do", "n't"}). `norms`: the words exceptions give a NORM ("not": {"n't", "nt"});
    every other token's NORM is its lower-case form in a blank pipeline. `dotted`: exceptions
    that keep a final "." ("dr.", "e.g."). `numbers`: the words LIKE_NUM is true for ("seven").
    """

    splits: dict[str, frozenset[str]]
    norms: dict[str, frozenset[str]]
    dotted: frozenset[str]
    numbers: frozenset[str]


def tokenizer_facts() -> TokenizerFacts:
    """Read from spaCy's English defaults (not a pipeline); only when a prefilter is compiled,
    which is then cached (compiled.py)."""
    import_spacy()  # before spaCy's first import: without its CLI
    from spacy.lang.en import English, lex_attrs
    from spacy.symbols import NORM, ORTH

    splits: dict[str, set[str]] = {}
    norms: dict[str, set[str]] = {}
    for exception, tokens in English.Defaults.tokenizer_exceptions.items():
        parts = [token[ORTH] for token in tokens]
        if len(parts) > 1:
            splits.setdefault(exception.lower(), set()).update(part.lower() for part in parts)
        for token in tokens:
            if NORM in token:
                norms.setdefault(token[NORM], set()).add(token[ORTH].lower())
    exceptions = English.Defaults.tokenizer_exceptions
    return TokenizerFacts(
        splits={word: frozenset(parts) for word, parts in splits.items()},
        norms={norm: frozenset(words) for norm, words in norms.items()},
        dotted=frozenset(exception.lower() for exception in exceptions if exception[-1:] in ".!?"),
        numbers=frozenset(word.lower() for word in (*lex_attrs._num_words, *lex_attrs._ordinal_words)),
    )
