"""Regular expressions in rule packs: checked when a pack loads, and bounded where they run.

A pack's `REGEX` (`{ORTH: {REGEX: "..."}}`) runs inside spaCy's Matcher, which calls Python's
`re` (a backtracking engine with no timeout) on the text of every token. A hostile or careless
pattern such as `(a+)+$` takes exponential time on a long token, and `[a-z]*[a-z]*[a-z]*!` takes
cubic time; either would stall a run on one odd word. Two bounds make the worst case small:

- At load, a pattern is refused when it can backtrack exponentially: a repetition inside a
  repetition (`(a+)+`, `(\\w+\\s?)*`), an optional part inside a repetition, counted or not
  (`(?:a?){32}`, `(?:a?a)+`), unless the repeated part is characters that each round must
  start with one of and no two of which match alike (`(ab?)+`, `(?:xy?z?)+` are fine), or
  alternatives inside a repetition unless each starts with its own letter (`(a|ab)*` is
  refused, `(?:cure|heal)+` is fine); and when it has more than MAX_REPETITIONS variable
  repetitions (`*`, `+`, `{2,5}`), which bound the polynomial.
- When run, a pattern with repetitions only ever sees tokens of at most MAX_TOKEN_CHARS
  characters: it is wrapped in a guard that fails at once on a longer token. No word a rule
  means is that long, and a cubic pattern on 64 characters is a few hundred thousand steps.
  A pattern without repetitions (`ed$`) takes time linear in the token and runs as written,
  keeping `re`'s fast literal search.

The wrapped pattern matches exactly where the pack's pattern matches, on every shorter token.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser behind `re`, under its private name
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MAX_TOKEN_CHARS = 64
MAX_REPETITIONS = 3
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_AT_START = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING"})


class RegexError(ValueError):
    """A pack's regular expression is invalid or could take too long; the message says which."""


def bounded(pattern: str) -> str:
    """The pattern as the Matcher should run it: refused (RegexError) when invalid or when it
    can backtrack without bound; with repetitions, wrapped so it never looks at a token longer
    than MAX_TOKEN_CHARS. spaCy calls `search`, so the wrapper skips ahead lazily to where the
    pattern matches: `^`, `$` and lookbehinds mean what they meant."""
    try:
        parsed = _sre_parse.parse(pattern)
        re.compile(pattern)  # what parsing alone lets through: "(?<=a+)b" (a look-behind of no fixed width)
    except (re.error, OverflowError, RecursionError) as error:
        raise RegexError(f"invalid regular expression {pattern!r}: {error}") from None
    repetitions = _repetitions(parsed, pattern, inside=False)
    if repetitions > MAX_REPETITIONS:
        raise RegexError(
            f"regular expression {pattern!r} has {repetitions} variable repetitions (*, +, {{m,n}}); "
            f"at most {MAX_REPETITIONS} keep its running time bounded"
        )
    if repetitions == 0:
        return pattern
    flags = ""
    while match := _GLOBAL_FLAGS.match(pattern):  # global flags must stay first
        flags, pattern = flags + match.group(), pattern[match.end() :]
    end = "\n" if "x" in flags else ""  # a verbose pattern's trailing comment must not eat the ')'
    # A pattern anchored at the start is tried there only; any other is looked for at every position.
    anchored = len(parsed) and str(parsed[0][0]) == "AT" and str(parsed[0][1]) in _AT_START and "m" not in flags
    skip = "" if anchored else r"[\s\S]*?"
    return rf"{flags}\A(?=[\s\S]{{0,{MAX_TOKEN_CHARS}}}\Z){skip}(?:{pattern}{end})"


def _repetitions(parsed: Any, pattern: str, inside: bool) -> int:
    """The variable repetitions in a parsed pattern; RegexError where one repetition holds
    another or an optional part, or holds alternatives that can start alike (each backtracks
    exponentially: every way of sharing the text among the rounds is tried)."""
    count = 0
    for op, value in parsed:
        name = str(op)
        if name in _REPEATS:
            low, high, body = value
            if high > 1 and high != low:
                if inside:
                    raise RegexError(
                        f"regular expression {pattern!r} repeats a repetition (like (a+)+), "
                        "which can take exponential time; repeat a single character class instead"
                    )
                count += 1
            elif inside and low == 0 and high == 1:  # `?`: each round may take the part or not
                raise RegexError(
                    f"regular expression {pattern!r} repeats an optional part (like (a?){{32}} or (a?a)+), "
                    "which can take exponential time; start the repeated part with a required character "
                    "that nothing else in it matches, as in (ab?)+, or make the part required, or move "
                    "it out of the repetition"
                )
            if high > 1 and _rounds_apart(body):
                continue  # `(ab?)+`: no repetition inside, and its optional characters are harmless
            count += _repetitions(body, pattern, inside or high > 1)
        elif name == "BRANCH":
            branches = value[1]
            if inside and not _distinct_starts(branches):
                raise RegexError(
                    f"regular expression {pattern!r} repeats alternatives that can start with the same "
                    "character (like (a|ab)*), which can take exponential time"
                )
            count += sum(_repetitions(branch, pattern, inside) for branch in branches)
        else:
            count += sum(_repetitions(part, pattern, inside) for part in _subpatterns(value))
    return count


def _subpatterns(value: Any) -> list[Any]:
    """The nested patterns of a group, lookaround or conditional (whatever shape its value has)."""
    parts = value if isinstance(value, (tuple, list)) else [value]
    return [part for part in parts if isinstance(part, _sre_parse.SubPattern)]


def _distinct_starts(branches: list[Any]) -> bool:
    """Whether every alternative starts with a literal character no other starts with (any case)."""
    starts = []
    for branch in branches:
        if not len(branch) or str(branch[0][0]) != "LITERAL":
            return False
        starts.append(chr(branch[0][1]).lower())
    return len(set(starts)) == len(starts)


def _rounds_apart(body: Any) -> bool:
    """Whether a repeated part is characters, required or optional (`?`), the first required, no
    two of which can match the same character, case aside (`ab?`, `xy?z?`; not `a?`, `a?a`,
    `ab?b`, `aA?`). Then each round starts at one of the first character, which nothing else in
    the part matches, so the rounds of a text are where that character is, and a round matches
    its text one way only: a failed match backtracks a few steps a round, not through every way
    of sharing the text among the rounds, as `(a?)+` and `(?:a?a)+` do."""
    characters = []
    for index, (op, value) in enumerate(_ungrouped(body)):
        if str(op) == "LITERAL":
            characters.append(value)
            continue
        optional = str(op) in _REPEATS and value[0] == 0 and value[1] == 1
        inner = _ungrouped(value[2]) if optional else []
        if index == 0 or len(inner) != 1 or str(inner[0][0]) != "LITERAL":
            return False
        characters.append(inner[0][1])
    return bool(characters) and not any(
        _alike(first, second) for index, first in enumerate(characters) for second in characters[index + 1 :]
    )


def _ungrouped(parsed: Any) -> list[Any]:
    """A pattern's items, a group that is the whole of it unwrapped (`(ab?)` as `ab?`)."""
    items = list(parsed)
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][-1])
    return items


def _alike(first: int, second: int) -> bool:
    """Whether two characters can match each other in a pattern, with or without (?i) ("k", "K"
    and the Kelvin sign do; so do "s" and the long s)."""
    return first == second or bool(re.fullmatch(re.escape(chr(first)), chr(second), re.IGNORECASE))
