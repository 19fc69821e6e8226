"""What a rule set compiles to for the fast path, built once and kept in the on-disk cache.

Loading packs is cached by packs.py (the RuleSet). The prefilter's surface words and trigger
requirements (prefilter.py) are compiled from the rule set and spaCy's tokenizer exceptions,
which needs spaCy; they are stored here as plain data, keyed by the rule set's digest (its pack
files' hashes, severities and options) and cache.code_digest (claimcheck's version and source,
and the versions of spaCy and spacy-lookups-data), so that a page where nothing can fire never
imports spaCy. An entry that is missing, corrupt or of the wrong shape is rebuilt without a word
(cache.py: any failure is a miss). The matcher's index is not stored: its token tests are
closures, which pickle cannot keep; built from the rule set it takes about 0.12 s of a start
that lints (1,331 patterns; matcher.py hashes each lexicon list once).
"""

from __future__ import annotations

import json
from itertools import chain
from typing import TYPE_CHECKING, Any

from claimcheck import cache as disk_cache
from claimcheck.prefilter import Prefilter, compile_prefilter, tokenizer_facts

if TYPE_CHECKING:
    from claimcheck.packs import RuleSet

_prefilters: dict[str, Prefilter] = {}  # by rule-set digest, for this process


def get_prefilter(ruleset: RuleSet) -> Prefilter:
    """The rule set's prefilter: from this process, else from the disk cache, else compiled (and stored)."""
    found = _prefilters.get(ruleset.digest)
    if found is None:
        key = _key("prefilter", ruleset)
        found = _prefilter_from_data(disk_cache.load("compiled", key))
        if found is None:
            categories = [modifier.category for modifier in ruleset.modifiers]
            found = compile_prefilter(ruleset.matcher_patterns(), categories, tokenizer_facts(), ruleset.phrases)
            disk_cache.store("compiled", key, _prefilter_to_data(found))
        _prefilters[ruleset.digest] = found
    return found


def _key(kind: str, ruleset: RuleSet) -> str:
    # The rule set's digest covers its pack files' contents; code_digest claimcheck's version and
    # source and the versions of spaCy and spacy-lookups-data (what the prefilter is read from).
    return json.dumps([kind, ruleset.digest, disk_cache.code_digest()])


def _prefilter_to_data(prefilter: Prefilter) -> dict[str, Any]:
    # Words of one lexicon satisfy the same requirements: each distinct value is stored once and
    # words name it by number (2,224 values for 11,141 words in the built-in packs). Reading the
    # entry back, on every start that lints, took 31 ms with a value per word, 9 ms so.
    values = list(dict.fromkeys(prefilter.surface.values()))
    numbers = {value: number for number, value in enumerate(values)}
    return {
        "surface_values": [[list(requirements), bounded] for requirements, bounded in values],
        "surface": {word: numbers[value] for word, value in prefilter.surface.items()},
        "triggers": [list(order) for order in prefilter.trigger_order],
        "trigger_gaps": [list(gaps) for gaps in prefilter.trigger_gaps],
        "trigger_crossing": list(prefilter.trigger_crossing),
        "cues": [sorted(r) for r in prefilter.cues],
        "crossing": [sorted(r) for r in prefilter.crossing],
        "digits": list(prefilter.digits),
        "dotted": sorted(prefilter.dotted),
        "phrases": list(prefilter.phrases),
        "gated": {rule: [list(contexts), list(claims)] for rule, (contexts, claims) in prefilter.gated.items()},
    }


def _only(types: set[type], values: Any) -> bool:
    """Are all the values of exactly these types? (One pass at C speed: no Python step per value.)"""
    return set(map(type, values)) <= types


_LISTS = (
    "surface_values",
    "triggers",
    "trigger_gaps",
    "trigger_crossing",
    "cues",
    "crossing",
    "digits",
    "dotted",
    "phrases",
)
_LISTS_OF_LISTS = ("triggers", "trigger_gaps", "cues", "crossing")


def _prefilter_from_data(data: Any) -> Prefilter | None:
    """The prefilter a cache entry holds, or None when the entry is not one (checked, not trusted)."""
    try:
        # JSON arrays where arrays belong: tuple() would take a string or an object's keys too.
        if not (type(data) is dict and type(data["surface"]) is dict and _only({list}, map(data.get, _LISTS))):
            return None
        pairs = data["surface_values"]
        nested = chain(pairs, *(data[name] for name in _LISTS_OF_LISTS))
        if not (_only({list}, nested) and _only({list}, (pair[0] for pair in pairs))):
            return None
        values = [(tuple(requirements), bounded) for requirements, bounded in pairs]
        if not (_only({int}, data["surface"].values()) and min(data["surface"].values(), default=0) >= 0):
            return None
        surface = {word: values[number] for word, number in data["surface"].items()}  # IndexError: not one
        order = tuple(tuple(requirements) for requirements in data["triggers"])
        gaps = tuple(tuple(pattern_gaps) for pattern_gaps in data["trigger_gaps"])
        crossing_triggers = tuple(data["trigger_crossing"])
        cues = tuple(tuple(requirements) for requirements in data["cues"])
        crossing = tuple(tuple(requirements) for requirements in data["crossing"])
        digits = tuple(data["digits"])
        dotted = frozenset(data["dotted"])
        phrases = tuple(data["phrases"])
        numbers = chain(
            chain.from_iterable(requirements for requirements, _ in values),
            chain.from_iterable(order),
            chain.from_iterable(cues),
            chain.from_iterable(crossing),
            digits,
        )
        if not (
            _only({str}, surface)
            and "" not in surface
            and _only({bool}, (bounded for _, bounded in values))
            and _only({int}, numbers)
            and _only({int, type(None)}, chain.from_iterable(gaps))
            and _only({bool}, crossing_triggers)
            and _only({str}, dotted)
            and _only({str}, phrases)
        ):
            return None
        if len(gaps) != len(order) or any(len(g) != max(len(o) - 1, 0) for g, o in zip(gaps, order, strict=True)):
            return None
        if len(crossing_triggers) != len(order):
            return None
        gated = _gated_from_data(data["gated"], len(order))
        if gated is None:
            return None
        # Every requirement a trigger names must be one some surface word or a digit satisfies.
        known = set(chain.from_iterable(requirements for requirements, _ in values)) | set(digits)
        if not known.issuperset(chain.from_iterable(order)):
            return None
        return Prefilter(
            surface=surface,
            triggers=tuple(frozenset(requirements) for requirements in order),
            trigger_order=order,
            trigger_gaps=gaps,
            trigger_crossing=crossing_triggers,
            cues=tuple(frozenset(requirements) for requirements in cues),
            crossing=tuple(frozenset(requirements) for requirements in crossing),
            digits=digits,
            dotted=dotted,
            phrases=phrases,
            gated=gated,
        )
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        return None


def _gated_from_data(data: Any, triggers: int) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]] | None:
    """Prefilter.gated as the cache holds it ({rule: [context triggers, claim triggers]}), or None
    when it is not that: rule ids, each with two lists of trigger numbers."""
    if type(data) is not dict or not _only({str}, data) or not _only({list}, data.values()):
        return None
    if any(len(pair) != 2 or not _only({list}, pair) for pair in data.values()):
        return None
    numbers = [number for pair in data.values() for part in pair for number in part]
    if not _only({int}, numbers) or any(not 0 <= number < triggers for number in numbers):
        return None
    return {rule: (tuple(contexts), tuple(claims)) for rule, (contexts, claims) in data.items()}
