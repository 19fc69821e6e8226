"""An indexed matcher for spaCy Matcher patterns.

Rule packs are written in spaCy's Matcher pattern language, and spaCy's Matcher is the
reference for what a pattern means (tests/test_matcher.py checks that both find exactly
the same matches). spaCy's Matcher, however, tries every pattern at every token, so its
cost grows with the number of patterns: the core pack's ~200 patterns ran at a few
thousand words per second. This matcher indexes patterns by the words their first token
can be, so a pattern is only tried where its first word occurs, and checks token
attributes on integer arrays taken from the Doc in one call. A pattern is tried in a Doc
only when the Doc holds a word of every element the pattern must take a token for: each
distinct word set gets a bit, and OR-ing the bits of a Doc's words (at C level, a column at
a time) says which sets it meets, so most failed tries never start.

Supported: the attributes in ATTRIBUTES, with a value, IN, NOT_IN or REGEX, and the
operators ?, *, +, !, {n}, {n,m}, {n,} and {,m}. A pattern that uses anything else is
refused when the pack loads, with the reason.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from itertools import chain, compress, repeat
from operator import or_
from typing import Any

from claimcheck.spacy_import import import_spacy
from claimcheck.text import SENTENCE_OPENERS

# Token attributes patterns may test: text attributes compare string hashes, flags booleans.
TEXT_ATTRIBUTES = ("ORTH", "LOWER", "NORM", "SHAPE", "POS", "TAG", "DEP")
FLAG_ATTRIBUTES = (
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
    "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_SENT_START",
)  # fmt: skip
ATTRIBUTES = TEXT_ATTRIBUTES + FLAG_ATTRIBUTES
_ALIASES = {"TEXT": "ORTH", "SENT_START": "IS_SENT_START"}
_MANY = 1 << 30
# Word sets larger than this are LargeWordSets, and as required words get no bit: the few
# lexicons of thousands of word forms (conditions) are most of the word-set pairs to index (12 ms
# against 2.4 ms at every start) and spare only 2% of the tries, being met in most Docs.
_MOST_REQUIRED_WORDS = 1_000
_REGEX_MEMORY = 10_000  # words whose answer to a first-token expression is remembered


class PatternError(ValueError):
    """A pattern this matcher cannot run; the message says why."""


_hashes: dict[str, int] = {}  # packs repeat their lexicons in many patterns: hash each word once
# ... and whole lexicons (a few thousand word forms, in dozens of patterns): hash each list once.
# A tuple key costs one C-level pass over the words; hashing them again costs a Python call each.
_hash_sets: dict[tuple[str, ...], WordSet] = {}
# The lists met while one matcher is built (kept with their sets so their ids stay theirs).
_by_identity: dict[int, tuple[list[str], WordSet]] = {}
# The bits of the large word sets each word belongs to (LargeWordSet): one table for them all.
_word_bits: dict[int, int] = {}


class LargeWordSet:
    """A word set of more than _MOST_REQUIRED_WORDS words, held as one bit of a table shared by
    all of them. Packs use a few lexicons of thousands of word forms, with small differences, in
    dozens of patterns: as a frozenset each they took ~8 MiB in every process."""

    made = 0  # the bits handed out so far

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words  # the cache's key: kept for iterating, not copied
        self.bit = 1 << LargeWordSet.made
        LargeWordSet.made += 1
        distinct = set(map(_hashes.__getitem__, words))
        self.size = len(distinct)  # asked of every pattern that requires the set, at each start
        for word in distinct:
            _word_bits[word] = _word_bits.get(word, 0) | self.bit

    def __contains__(self, word: object) -> bool:
        return _word_bits.get(word, 0) & self.bit != 0  # type: ignore[call-overload]

    def __iter__(self) -> Iterator[int]:
        return iter(set(map(_hashes.__getitem__, self.words)))

    def __len__(self) -> int:
        return self.size

    def isdisjoint(self, words: Iterable[int]) -> bool:
        return not reduce(or_, map(_word_bits.get, words, repeat(0)), 0) & self.bit


WordSet = frozenset[int] | LargeWordSet
Test = Callable[[list[list[int]], int], bool]
Element = tuple[Test, int, int]  # a token test and how many tokens it may take (min, max)
Required = tuple[int, WordSet]  # a column, and the words one token of it must be
Window = tuple[int, WordSet, int, int]  # column, the words a token must be, nearest and farthest offset


def _hash(text: str) -> int:
    found = _hashes.get(text)
    if found is None:
        import_spacy()  # before spaCy's first import: without its CLI
        from spacy.strings import get_string_id

        found = _hashes[text] = get_string_id(text)
    return found


def _hash_set(words: Any) -> WordSet:
    """The string hashes of these words, as a set."""
    # Packs share one list object per lexicon across their patterns (packs._share_words): known
    # by identity, a list met again costs no tuple of its thousands of words (a tenth of a start).
    shared = _by_identity.get(id(words))
    if shared is not None and shared[0] is words:
        return shared[1]
    key = tuple(words)
    found = _hash_sets.get(key)
    if found is None:
        # Through _hashes, so that a word in many lexicons is one int object, not one per set.
        missing = [word for word in key if word not in _hashes]
        if missing:
            import_spacy()  # before spaCy's first import: without its CLI
            from spacy.strings import get_string_id

            _hashes.update(zip(missing, map(get_string_id, missing), strict=True))
        large = len(key) > _MOST_REQUIRED_WORDS
        found = _hash_sets[key] = LargeWordSet(key) if large else frozenset(map(_hashes.__getitem__, key))
    if isinstance(words, list):
        _by_identity[id(words)] = (words, found)
    return found


def quantity(op: str | None) -> tuple[int, int]:
    if op is None or op == "!":
        return 1, 1
    fixed = {"?": (0, 1), "*": (0, _MANY), "+": (1, _MANY)}
    if op in fixed:
        return fixed[op]
    bounds = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
    if not bounds:
        raise PatternError(f"unsupported operator {op!r}")
    low, comma, high = bounds.groups()
    if not comma:
        return int(low), int(low)
    return int(low or 0), int(high) if high else _MANY


class CompiledPattern:
    """One pattern as a list of token tests with repeat counts, plus how to index it."""

    def __init__(self, key: str, pattern: list[dict[str, Any]], columns: dict[str, int], strings: Any) -> None:
        self.key = key
        self.elements: list[Element] = []
        self.first_words: tuple[str, WordSet] | None = None
        self.anchor_offset = 0  # where the indexed word sits: 1 when only the second token has words
        # What each element's token must be, worked out once: hashing a lexicon's words is most
        # of the cost of compiling a pattern.
        words_of = [self._index_words({k: v for k, v in spec.items() if k != "OP"}) for spec in pattern]
        words_at: list[tuple[str, WordSet] | None] = []
        for position, spec in enumerate(pattern):
            spec = dict(spec)
            low, high = quantity(spec.pop("OP", None))
            negated = pattern[position].get("OP") == "!"
            checks = [self._check(attr, value, columns, strings) for attr, value in spec.items()]
            fixed = (low, high) == (1, 1) and not negated
            words_at.append(words_of[position] if fixed or (position == 0 and low >= 1 and not negated) else None)
            self.elements.append((_combine(checks, negated), low, high))
        self.first_words = words_at[0]
        # A first token known only by a flag (IS_TITLE) would be tried at every word; when it is
        # a single required token and the second has words, index the second ("X Relief").
        if (not self.first_words or self.first_words[0] in FLAG_ATTRIBUTES) and len(words_at) > 1:
            second = words_at[1]
            if second and second[0] not in FLAG_ATTRIBUTES and self.elements[0][1:] == (1, 1):
                self.first_words, self.anchor_offset = second, 1
        if not self.elements or all(low == 0 for _, low, _ in self.elements):
            raise PatternError("a pattern must require at least one token")
        self.first_two_words = self._index_pairs(pattern, words_of)
        # A first token known only by a regular expression ("^510\\(?k\\)?$"): indexed by the
        # words the expression accepts, found once per distinct word rather than tried everywhere.
        self.first_regex = None if self.first_words else self._index_regex(pattern[0])
        # The leading one-token elements sit at fixed offsets from the start: test them first,
        # except those the index already guarantees (a token found by its word, nothing else asked).
        guaranteed = {0, 1} if self.first_two_words else {self.anchor_offset} if self.first_words else set()
        self.fixed_prefix: list[tuple[int, Test]] = []
        self.prefix_length = 0
        for position, (test, low, high) in enumerate(self.elements):
            if (low, high) != (1, 1):
                break
            self.prefix_length += 1
            if not (position in guaranteed and _only_words(pattern[position])):
                self.fixed_prefix.append((position, test))
        required_at = self._required_at(pattern, words_of, columns)
        self.later_words = self._later_words(required_at)
        # Every distinct required word set: a Doc that lacks one cannot hold a match anywhere.
        self.required: tuple[Required, ...] = tuple(dict.fromkeys(filter(None, required_at)))
        self.required_mask = 0  # one bit per entry of `required`, numbered by IndexedMatcher
        self.at_line_start = False  # tried only where a line begins (IndexedMatcher's line_start_keys)

    def _required_at(
        self, pattern: list[dict[str, Any]], words_of: list[Any], columns: dict[str, int]
    ) -> list[Required | None]:
        """For each element: (column, words) when every match takes at least one token of these
        words there (the element is neither optional nor negated, and names its words)."""
        found: list[Required | None] = []
        for spec, words, (_, low, _) in zip(pattern, words_of, self.elements, strict=True):
            required = low >= 1 and spec.get("OP") != "!" and words and words[0] not in FLAG_ATTRIBUTES
            found.append((columns[words[0]], words[1]) if required and words else None)
        return found

    def _later_words(self, required_at: list[Required | None]) -> list[Window]:
        """(column, words, nearest, farthest): a required token after the fixed prefix that must be
        one of these words and lies between these offsets from the start, for each such token up to
        the first element of unbounded length. A try fails at once when a window lacks its words:
        most tries of a pattern that starts with a common word ("pain ... relieved") end there."""
        found = []
        nearest = farthest = skip = self.prefix_length
        for required, (_, low, high) in zip(required_at[skip:], self.elements[skip:], strict=True):
            if required:
                found.append((*required, nearest, farthest))
            if high == _MANY:
                break
            nearest, farthest = nearest + low, farthest + high
        return found

    @staticmethod
    def _index_words(spec: dict[str, Any]) -> tuple[str, WordSet] | None:
        """What a first token must be: words of a text attribute, or a flag that must be true."""
        for attr in ("LOWER", "ORTH", "TEXT", "NORM", "SHAPE"):
            value = spec.get(attr)
            if isinstance(value, str):
                return _ALIASES.get(attr, attr), frozenset({_hash(value)})
            if isinstance(value, dict) and set(value) == {"IN"}:
                return _ALIASES.get(attr, attr), _hash_set(value["IN"])
        for attr in FLAG_ATTRIBUTES:
            if spec.get(attr) is True and attr != "IS_SENT_START":
                return attr, frozenset({1})
        return None

    @staticmethod
    def _index_regex(spec: dict[str, Any]) -> tuple[str, str] | None:
        """The text attribute and expression a single required first token must match, if any."""
        if spec.get("OP") is not None:
            return None
        regexes = [
            (_ALIASES.get(attr, attr), value["REGEX"])
            for attr, value in spec.items()
            if attr in ("LOWER", "ORTH", "TEXT", "NORM", "SHAPE")
            and isinstance(value, dict)
            and set(value) == {"REGEX"}
        ]
        return regexes[0] if len(regexes) == 1 else None

    @staticmethod
    def _index_pairs(pattern: list[dict[str, Any]], words_of: list[Any]) -> tuple[str, WordSet, WordSet] | None:
        """The words the first two tokens must be, when both are single required tokens."""
        if len(pattern) < 2 or any(spec.get("OP") is not None for spec in pattern[:2]):
            return None
        first, second = words_of[0], words_of[1]
        if not first or not second or first[0] != second[0] or first[0] in FLAG_ATTRIBUTES:
            return None
        return first[0], first[1], second[1]

    @staticmethod
    def _check(attr: str, value: Any, columns: dict[str, int], strings: Any) -> Test:
        attr = _ALIASES.get(attr, attr)
        if attr not in columns:
            raise PatternError(f"unsupported attribute {attr!r} (supported: {', '.join(ATTRIBUTES)})")
        column = columns[attr]
        if attr in FLAG_ATTRIBUTES:
            if not isinstance(value, bool):
                raise PatternError(f"{attr} takes true or false")
            if attr == "IS_SENT_START":
                return lambda cols, i: (cols[column][i] == 1) == value
            return lambda cols, i: bool(cols[column][i]) == value
        if isinstance(value, str):
            wanted = _hash(value)
            return lambda cols, i: cols[column][i] == wanted
        if not isinstance(value, dict) or len(value) != 1:
            raise PatternError(f"{attr} takes a string or one of IN, NOT_IN, REGEX")
        ((predicate, argument),) = value.items()
        if predicate in ("IN", "NOT_IN"):
            members = _hash_set(argument)
            wanted = predicate == "IN"
            if isinstance(members, LargeWordSet):  # its bit in the shared table, tested in line
                bits, bit = _word_bits.get, members.bit
                return lambda cols, i: (bits(cols[column][i], 0) & bit != 0) == wanted
            if wanted:
                return lambda cols, i: cols[column][i] in members
            return lambda cols, i: cols[column][i] not in members
        if predicate == "REGEX":
            regex = re.compile(argument)
            return lambda cols, i: regex.search(strings[cols[column][i]]) is not None
        raise PatternError(f"unsupported predicate {predicate!r} for {attr}")

    def ends(self, cols: list[list[int]], start: int, length: int) -> set[int]:
        """Every end of a match that starts at `start` (all lengths, as spaCy's Matcher reports)."""
        for offset, test in self.fixed_prefix:  # cheap rejection: most tries fail on these
            if start + offset >= length or not test(cols, start + offset):
                return set()
        for column, words, nearest, farthest in self.later_words:
            if words.isdisjoint(cols[column][start + nearest : start + farthest + 1]):
                return set()
        found = set()
        elements, count = self.elements, len(self.elements)
        pending = [(self.prefix_length, start + self.prefix_length)]
        # Each (element, position) is walked once, however many ways of filling the gaps before
        # it reach it: without this, "A {0,9} {0,9} {0,9} B" tries every split of the gap.
        seen = set(pending)
        while pending:
            k, i = pending.pop()
            if k == count:
                if i > start:
                    found.add(i)
                continue
            test, low, high = elements[k]
            taken = 0
            while True:
                if taken >= low and (k + 1, i + taken) not in seen:
                    seen.add((k + 1, i + taken))
                    pending.append((k + 1, i + taken))
                if taken == high or i + taken >= length or not test(cols, i + taken):
                    break
                taken += 1
        return found


def phrases(patterns: dict[Any, list[list[dict[str, Any]]]]) -> tuple[str, ...]:
    """The entries of several words that token tests name ("pink eye", "athlete's foot"),
    lower-cased, longest first. The pipeline joins each into one token where the text spells it
    (pipeline.PackMatcher), so that one token test can name it."""
    lists = _word_lists(patterns, _PHRASE_ATTRIBUTES)
    lists += [
        [value]
        for value in _word_values(patterns, _PHRASE_ATTRIBUTES)
        if isinstance(value, str) and _SEVERAL_TOKENS.search(value)
    ]
    # One C-level join and search per list, not a Python step per word.
    found = {word.lower() for words in lists for word in lines_holding(joined_words([words]), _SEVERAL_TOKENS)}
    return tuple(sorted(found, key=lambda phrase: (-len(phrase), phrase)))


def head_word(phrase: str) -> str:
    """The word a phrase is a kind of: the last ("heart failure"), or the one before "of"
    ("loss of appetite"). (A hyphenated word is its own head: "drug-free" is no kind of "free",
    nor "go-to" of "to".)"""
    words = phrase.split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def widen_to_phrases(patterns: dict[Any, list[list[dict[str, Any]]]], joined: tuple[str, ...]) -> None:
    """Give each word list that names a joined phrase's head word the phrase too, in place.

    The pipeline joins every phrase some test names into one token ("congestive heart failure"),
    so a test elsewhere that names only its head ("failure") would no longer see the word: a
    pack would have to know every phrase of every other pack. Case-blind lists only (LOWER,
    NORM): the phrases are lower-cased.
    """
    by_head: dict[str, list[str]] = {}
    for phrase in joined:
        by_head.setdefault(head_word(phrase), []).append(phrase)
    for words in _word_lists(patterns, _CASELESS_ATTRIBUTES):
        named = set(words)
        words.extend(
            phrase for head in sorted(by_head.keys() & named) for phrase in by_head[head] if phrase not in named
        )


def add_hyphen_spelt_whole(patterns: dict[Any, list[list[dict[str, Any]]]], joined: tuple[str, ...]) -> None:
    """Add, in place, for each pattern that spells a word and its hyphen as tokens of their own
    (`[{LOWER: life}, {ORTH: "-"}, {LOWER: changing}]`, as spaCy splits "life-changing"), the
    same pattern naming the joined word whole, where some entry of the rule set joins it
    ("life-changing" in a lexicon): that pattern no longer sees the three tokens, and a pack
    should not have to know another pack's entries."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for phrase in joined:
        first, hyphen, rest = phrase.partition("-")
        if hyphen and " " not in phrase and "-" not in rest:
            pairs.setdefault((first, rest), []).append(phrase)
    if not pairs:
        return
    named: dict[int, frozenset[str]] = {}  # by list: packs share one list per lexicon
    for key_patterns in patterns.values():
        spelt_whole = []
        for pattern in key_patterns:
            for index in range(1, len(pattern) - 1):
                if pattern[index].get("ORTH") != "-" or set(pattern[index]) - {"ORTH", "OP"}:
                    continue
                before, after = _plain_words(pattern[index - 1], named), _plain_words(pattern[index + 1], named)
                words = [
                    phrase
                    for (first, rest), found in pairs.items()
                    if first in before and rest in after
                    for phrase in found
                ]
                if words:
                    spelt_whole.append([*pattern[: index - 1], {"LOWER": {"IN": words}}, *pattern[index + 2 :]])
        key_patterns += spelt_whole


def _plain_words(spec: dict[str, Any], named: dict[int, frozenset[str]]) -> frozenset[str]:
    """The lower-cased words a token test names by its text alone ({LOWER: life}, {ORTH: {IN:
    [...]}}); none for a test with more to it (an OP, a flag). Lists are read once (named)."""
    if len(spec) != 1:
        return frozenset()
    ((attr, value),) = spec.items()
    if _ALIASES.get(attr, attr) not in _PHRASE_ATTRIBUTES:
        return frozenset()
    if isinstance(value, str):
        return frozenset([value.lower()])
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
        found = named.get(id(value["IN"]))
        if found is None:
            found = named[id(value["IN"])] = frozenset(word.lower() for word in value["IN"] if isinstance(word, str))
        return found
    return frozenset()


def _word_values(patterns: dict[Any, list[list[dict[str, Any]]]], attributes: frozenset[str]) -> Iterator[Any]:
    """The value of every token test on one of these attributes (a word, or {IN: [...], ...})."""
    for key_patterns in patterns.values():
        for pattern in key_patterns:
            for spec in pattern:
                yield from (spec[attr] for attr in attributes.intersection(spec))


def _word_lists(patterns: dict[Any, list[list[dict[str, Any]]]], attributes: frozenset[str]) -> list[list[Any]]:
    """The IN and NOT_IN word lists of the tests on these attributes, each once: packs share a
    lexicon's list among their patterns."""
    lists: dict[int, list[Any]] = {}
    for value in _word_values(patterns, attributes):
        if isinstance(value, dict):
            for op in ("IN", "NOT_IN"):
                if isinstance(value.get(op), list):
                    lists[id(value[op])] = value[op]
    return list(lists.values())


def joined_words(lists: Iterable[list[Any]]) -> str:
    """The string words of these lists, one per line (joined at C level when all are strings)."""
    try:
        return "\n".join(chain.from_iterable(lists))
    except TypeError:  # a number or a flag among them: keep the strings
        return "\n".join(word for words in lists for word in words if isinstance(word, str))


def lines_holding(text: str, mark: re.Pattern[str]) -> list[str]:
    """The lines of the text in which the expression finds something: a C-level search from one
    find to the next, so a Python step is taken per line found, not per line (lexicons hold
    thousands of words, a few of them several words)."""
    found = []
    match = mark.search(text)
    while match:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end
        found.append(text[start:end])
        match = mark.search(text, end)
    return found


_PHRASE_ATTRIBUTES = frozenset({"LOWER", "ORTH", "TEXT", "NORM"})
_CASELESS_ATTRIBUTES = frozenset({"LOWER", "NORM"})
# An entry the tokenizer reads as several tokens: words with a space between, or with a hyphen
# between two letters ("drug-free", "x-ray"; spaCy splits those, not "covid-19").
_SEVERAL_TOKENS = re.compile(r" |(?<=[^\W\d_])-(?=[^\W\d_])")


def _only_words(spec: dict[str, Any]) -> bool:
    """A single required token tested by one word attribute alone (a word or IN), or one true flag."""
    if spec.get("OP") is not None or len(spec) != 1:
        return False
    ((attr, value),) = spec.items()
    if attr in FLAG_ATTRIBUTES:
        return value is True and attr != "IS_SENT_START"
    return attr in ("LOWER", "ORTH", "TEXT", "NORM", "SHAPE") and (
        isinstance(value, str) or (isinstance(value, dict) and set(value) == {"IN"})
    )


def _combine(checks: list[Test], negated: bool) -> Test:
    if negated:
        return lambda cols, i: not all(check(cols, i) for check in checks)
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda cols, i: first(cols, i) and second(cols, i)
    return lambda cols, i: all(check(cols, i) for check in checks)


def _used_attributes(patterns: dict[str, list[list[dict[str, Any]]]]) -> set[str]:
    """The supported token attributes that some pattern tests."""
    used = set()
    for key_patterns in patterns.values():
        for pattern in key_patterns:
            for spec in pattern:
                if isinstance(spec, dict):
                    used.update(_ALIASES.get(attr, attr) for attr in spec)
    return used & set(ATTRIBUTES)


def _pattern_words(patterns: dict[str, list[list[dict[str, Any]]]]) -> tuple[str, ...]:
    """Every word, in lower case, that some pattern's token names by its text (what a run of
    words without spaces, as hashtags write them, may be split into: pipeline._hashtag_words),
    sorted: a tuple of the words the patterns hold already costs a tenth of a set of them."""
    words: set[Any] = set()
    seen: set[int] = set()  # packs share one list per lexicon across their patterns: read it once
    for value in _word_values(patterns, _PHRASE_ATTRIBUTES):
        if isinstance(value, str):
            words.add(value)
        elif isinstance(value, dict) and isinstance(value.get("IN"), list) and id(value["IN"]) not in seen:
            seen.add(id(value["IN"]))
            words.update(value["IN"])  # at C level: the lists hold a quarter of a million words
    return tuple(sorted({_lowered(word) for word in words if isinstance(word, str)}))


def _lowered(word: str) -> str:
    """The word in lower case, the same object where it is so already (lexicons are)."""
    lowered = word.lower()
    return word if lowered == word else lowered


def _number_required(patterns: list[CompiledPattern]) -> list[tuple[int, dict[int, int]]]:
    """Give each distinct (column, words) that patterns require (but the largest) a bit, set each pattern's
    required_mask, and return each column's table of every word's bits: OR-ing the bits of a
    Doc's words says which requirements it meets."""
    bits: dict[Required, int] = {}
    for pattern in patterns:
        for required in pattern.required:
            if len(required[1]) <= _MOST_REQUIRED_WORDS:
                pattern.required_mask |= bits.setdefault(required, 1 << len(bits))
    tables: dict[int, dict[int, int]] = {}
    for (column, words), bit in bits.items():
        table = tables.setdefault(column, {})
        for word in words:
            table[word] = table.get(word, 0) | bit
    # Masks are ints of a few thousand bits, and most recur (the words of one lexicon share
    # theirs; patterns made from one template, theirs): one object each, not one per word or
    # pattern, which was about 1 MiB of every process.
    interned: dict[int, int] = {}
    for table in tables.values():
        for word, mask in table.items():
            table[word] = interned.setdefault(mask, mask)
    for pattern in patterns:
        pattern.required_mask = interned.setdefault(pattern.required_mask, pattern.required_mask)
    return list(tables.items())


def _by_word(groups: dict[WordSet, list[Any]]) -> dict[int, list[Any]]:
    """Each word's entries: the lists of the groups it belongs to, shared by every word in the
    same groups (a list per word in several was 4 MiB of every process)."""
    table: dict[int, list[Any]] = {}
    joined: dict[tuple[int, int], list[Any]] = {}  # by the ids of the two lists joined, both kept alive
    for words, entries in groups.items():
        for word in words:
            found = table.get(word)
            if found is None:
                table[word] = entries
            else:
                key = (id(found), id(entries))
                if key not in joined:
                    joined[key] = found + entries
                table[word] = joined[key]
    return table


class IndexedMatcher:
    """Find every match of every pattern, trying each pattern only where it can start."""

    def __init__(
        self, vocab: Any, patterns: dict[str, list[list[dict[str, Any]]]], line_start_keys: frozenset[Any] = frozenset()
    ) -> None:
        """`line_start_keys`: keys whose matches count only where they begin a line (whole-line
        rules): their patterns are tried only at the line heads (_line_heads)."""
        from spacy import attrs

        # Only the attributes the patterns test (and IS_SPACE) are taken from each Doc: turning
        # the array into Python lists costs per column and token.
        used = _used_attributes(patterns) | {"IS_SPACE", "LOWER"}
        attributes = [attr for attr in ATTRIBUTES if attr in used]
        self.attr_ids = [getattr(attrs, "SENT_START" if a == "IS_SENT_START" else a) for a in attributes]
        columns = {attr: index for index, attr in enumerate(attributes)}
        self.strings = vocab.strings
        # Patterns grouped by the words they are indexed by, then spread over the words: packs use
        # a few lexicons of thousands of words in many patterns, so a group is shared by many
        # patterns and each word's entry is built once, not once per pattern.
        # (attribute, offset of the indexed token in the pattern) -> words -> patterns
        by_words: dict[tuple[str, int], dict[WordSet, list[CompiledPattern]]] = {}
        # attribute -> first words -> second words -> patterns
        by_pairs: dict[str, dict[WordSet, dict[WordSet, list[CompiledPattern]]]] = {}
        by_regex: dict[tuple[str, str], list[CompiledPattern]] = {}
        self.everywhere: list[CompiledPattern] = []
        compiled_patterns = []
        for key, key_patterns in patterns.items():
            for number, pattern in enumerate(key_patterns):
                try:
                    compiled = CompiledPattern(key, pattern, columns, vocab.strings)
                except PatternError as error:
                    raise PatternError(f"{key} pattern {number + 1}: {error}") from None
                compiled.at_line_start = key in line_start_keys
                compiled_patterns.append(compiled)
                if compiled.first_two_words:
                    attr, firsts, seconds = compiled.first_two_words
                    by_pairs.setdefault(attr, {}).setdefault(firsts, {}).setdefault(seconds, []).append(compiled)
                elif compiled.first_words:
                    attr, words = compiled.first_words
                    by_words.setdefault((attr, compiled.anchor_offset), {}).setdefault(words, []).append(compiled)
                elif compiled.first_regex:
                    by_regex.setdefault(compiled.first_regex, []).append(compiled)
                else:
                    self.everywhere.append(compiled)
        # word -> patterns, and first word -> [(second words, patterns)]
        self.indexed = [(columns[attr], _by_word(groups), offset) for (attr, offset), groups in by_words.items()]
        self.pair_indexed = [
            (columns[attr], _by_word({firsts: list(by_second.items()) for firsts, by_second in groups.items()}))
            for attr, groups in by_pairs.items()
        ]
        # (column, expression, patterns, {word: accepted}) for each distinct first-token expression
        self.regex_indexed = [
            (columns[attr], re.compile(regex), patterns, {}) for (attr, regex), patterns in by_regex.items()
        ]
        self.space_column = columns["IS_SPACE"]
        self.sent_start_column = columns.get("IS_SENT_START")
        self.lower_column = columns["LOWER"]
        self.opener_hashes = frozenset(map(_hash, SENTENCE_OPENERS))
        self.words = _pattern_words(patterns)  # sorted, for names()
        self.required_tables = _number_required(compiled_patterns)
        self.line_attr_ids = [attrs.SENT_START, attrs.IS_PUNCT, attrs.IS_SPACE]
        _by_identity.clear()  # the patterns' lists may go now

    def __call__(self, doc: Any, skipped: frozenset[Any] = frozenset()) -> list[tuple[str, int, int]]:
        """(key, start, end) token offsets of every match, sorted; the patterns of the skipped
        keys are not tried.

        Whitespace tokens are skipped, as if absent: blanked markup, a wrapped line or a
        double space between two words does not break a phrase.
        """
        array = doc.to_array(self.attr_ids)
        spaces = array[:, self.space_column]
        kept = (spaces == 0).nonzero()[0].tolist()
        if not kept:
            return []
        cols = (array[kept] if len(kept) < len(array) else array).T.tolist()
        length = len(kept)
        if self.sent_start_column is not None:
            if length < len(array):
                self._start_after_spaces(array, spaces, kept, cols[self.sent_start_column])
            self._start_after_openers(cols[self.sent_start_column], cols[self.lower_column])
        # Candidate starts by pattern list (the index's lists are shared by many words and
        # starts), gathered with C-level dict lookups over whole columns; only the positions
        # with a hit are visited in Python (compress).
        groups: dict[int, tuple[list[CompiledPattern], list[int]]] = {}
        for column, table, offset in self.indexed:
            hits = list(map(table.get, cols[column]))
            for index in compress(range(offset, length), hits[offset:]):
                entry = hits[index]
                group = groups.get(id(entry))
                if group is None:
                    group = groups[id(entry)] = (entry, [])
                group[1].append(index - offset)
        for column, table in self.pair_indexed:
            values = cols[column]
            hits = list(map(table.get, values))
            for start in compress(range(length - 1), hits):  # a pair needs the token after
                second = values[start + 1]
                for seconds, patterns in hits[start]:
                    if second in seconds:
                        groups.setdefault(id(patterns), (patterns, []))[1].append(start)
        for column, regex, patterns, accepted in self.regex_indexed:
            values = cols[column]
            if len(accepted) > _REGEX_MEMORY:
                accepted.clear()  # a bound on memory over a long run; answers are recomputed
            for value in set(values).difference(accepted):
                accepted[value] = regex.search(self.strings[value]) is not None
            starts = list(compress(range(length), map(accepted.__getitem__, values)))
            if starts:
                groups.setdefault(id(patterns), (patterns, []))[1].extend(starts)
        if self.everywhere:
            groups[id(self.everywhere)] = (self.everywhere, list(range(length)))
        # The requirements this Doc meets, a bit each, OR-ed at C level over each column: a
        # pattern lacking one of its words here is never tried (most tries used to fail so).
        met = 0
        for column, table in self.required_tables:
            met = reduce(or_, filter(None, map(table.get, cols[column])), met)
        found = set()
        heads: list[bool] | None = None  # by kept position, made when a line-start pattern is first tried
        for patterns, starts in groups.values():
            for pattern in patterns:
                if pattern.required_mask & met == pattern.required_mask and pattern.key not in skipped:
                    tried = starts
                    if pattern.at_line_start:
                        heads = self._line_heads(doc, kept) if heads is None else heads
                        tried = [start for start in starts if heads[start]]
                    for start in tried:
                        for end in pattern.ends(cols, start, length):
                            found.add((pattern.key, kept[start], kept[end - 1] + 1))
        return sorted(found, key=lambda match: (match[1], match[2], match[0]))

    def names(self, word: str) -> bool:
        """Does some pattern name this lower-case word by its text?"""
        index = bisect_left(self.words, word)
        return index < len(self.words) and self.words[index] == word

    def _start_after_openers(self, starts: list[int], lowers: list[int]) -> None:
        """A sentence opened by quotation marks, brackets or emphasis ("“For arthritis ...”",
        "_For arthritis_") starts at its first word too, as the same sentence unquoted does.
        (Only that word: each opener a start would make a run of them quadratic to match.)"""
        length = len(starts)
        for position in list(compress(range(length - 1), map((1).__eq__, starts))):
            while position < length and lowers[position] in self.opener_hashes:
                position += 1
            if position < length:
                starts[position] = 1

    def _start_after_spaces(self, array: Any, spaces: Any, kept: list[int], starts: list[int]) -> None:
        """A sentence that starts with whitespace (a bullet or a heading's marks blanked by the
        reader: "  For arthritis") starts at its first word, as the skipped spaces are absent."""
        spaced_starts = ((spaces != 0) & (array[:, self.sent_start_column] == 1)).nonzero()[0].tolist()
        for index in spaced_starts:
            position = bisect_left(kept, index)
            if position < len(kept):
                starts[position] = 1

    def _line_heads(self, doc: Any, kept: list[int]) -> list[bool]:
        """For each kept token: does it begin its line within its sentence, punctuation and
        spaces before it aside? What checks/claims.py asks of a whole-line rule's match."""
        heads = []
        head = True
        for index, (sent_start, punct, space) in enumerate(doc.to_array(self.line_attr_ids).tolist()):
            if sent_start == 1:
                head = True
            heads.append(head)
            if space:
                head = head or "\n" in doc[index].text
            elif not punct:
                head = False
        return [heads[index] for index in kept]
