"""What a rule set compiles to for matching, built once and kept in the on-disk cache.

Loading packs is cached by packs.py (the RuleSet). What the fast path and the matcher build
from a rule set (the prefilter's surface words, the matcher's index of which patterns start
at which words) took most of a second at every start; it is stored here as plain data, keyed
by the rule set's digest (its pack files' hashes and severities), claimcheck's version and
source, and the versions of spaCy and spacy-lookups-data. An entry that is missing, corrupt
or of the wrong shape is rebuilt without a word (cache.py: any failure is a miss).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from claimcheck import __version__
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
            found = compile_prefilter(ruleset.matcher_patterns(), categories, tokenizer_facts())
            disk_cache.store("compiled", key, _prefilter_to_data(found))
        _prefilters[ruleset.digest] = found
    return found


def _key(kind: str, ruleset: RuleSet) -> str:
    from claimcheck.cache import code_digest

    return json.dumps([kind, ruleset.digest, __version__, code_digest(), _versions()])


@cache
def _versions() -> list[str]:
    found = []
    for name in ("spacy", "spacy-lookups-data"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=")
    return found


def _prefilter_to_data(prefilter: Prefilter) -> dict[str, Any]:
    return {
        "surface": {word: [list(requirements), bounded] for word, (requirements, bounded) in prefilter.surface.items()},
        "triggers": [sorted(r) for r in prefilter.triggers],
        "cues": [sorted(r) for r in prefilter.cues],
        "crossing": [sorted(r) for r in prefilter.crossing],
    }


def _prefilter_from_data(data: Any) -> Prefilter | None:
    """The prefilter a cache entry holds, or None when the entry is not one (checked, not trusted)."""
    try:
        surface = {}
        for word, (requirements, bounded) in data["surface"].items():
            if not (isinstance(word, str) and word and isinstance(bounded, bool)):
                return None
            if not all(isinstance(r, int) and not isinstance(r, bool) for r in requirements):
                return None
            surface[word] = (tuple(requirements), bounded)
        groups = []
        for name in ("triggers", "cues", "crossing"):
            sets = tuple(frozenset(r) for r in data[name])
            if not all(isinstance(r, int) and not isinstance(r, bool) for s in sets for r in s):
                return None
            groups.append(sets)
        return Prefilter(surface, *groups)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
