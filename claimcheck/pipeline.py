"""The spaCy pipeline, built once per process from the active rule set.

Default: a blank English tokenizer, a sentencizer and claimcheck's matcher component.
Lemmas are not computed at run time: packs match LEMMA through word forms compiled when
they load (see packs.py). A trained pipeline named in the config (e.g. en_core_web_sm)
replaces the blank one; it is loaded from what is installed, never downloaded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

    from claimcheck.packs import RuleSet

MATCHES = "claimcheck"  # the Doc.user_data key the matcher fills: (pattern key, start token, end token)

_cache: dict[tuple[str, str], Language] = {}
_PATTERNS: dict[str, dict[str, list[Any]]] = {}  # compiled patterns by rule-set digest, for the factory


def get_pipeline(ruleset: RuleSet, model: str | None = None) -> Language:
    """The pipeline for a rule set, built on first use and reused after."""
    key = (ruleset.digest, model or "")
    if key not in _cache:
        _cache[key] = _build(ruleset, model)
    return _cache[key]


def _build(ruleset: RuleSet, model: str | None) -> Language:
    import spacy

    _register_factory()
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat", "entity_ruler"])
        except OSError:
            raise ConfigError(
                f"spaCy pipeline '{model}' is not installed; install it (e.g. pip install {model}) "
                "or remove 'pipeline' from the config"
            ) from None
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("claimcheck_ellipsis")
        nlp.add_pipe("claimcheck_hashtags")
        nlp.add_pipe("sentencizer")
    # The component's config names the rule set rather than holding its patterns: spaCy
    # copies and validates component configs, which for ~200 patterns costs a third of a
    # second at every start. The patterns were validated when the packs loaded.
    _PATTERNS[ruleset.digest] = ruleset.matcher_patterns()
    nlp.add_pipe("claimcheck_matcher", config={"ruleset": ruleset.digest})
    return nlp


def _register_factory() -> None:
    from spacy.language import Language

    if Language.has_factory("claimcheck_matcher"):
        return

    @Language.component("claimcheck_ellipsis")
    def join_spaced_ellipses(doc: Any) -> Any:
        # Quoted copy marks omissions with a spaced ellipsis (". . ."), which the tokenizer
        # splits into three full stops and the sentencizer into sentences: "Helps . . . high
        # cholesterol" would lose its object. One token for the ellipsis keeps the clause whole.
        dots = _spaced_ellipses(doc)
        if dots:
            with doc.retokenize() as retokenizer:
                for start in dots:
                    retokenizer.merge(doc[start : start + 3])
        return doc

    @Language.component("claimcheck_hashtags")
    def split_hashtags(doc: Any) -> Any:
        # Social posts run claims together as hashtags: "#BeatDepression" says "beat depression".
        # Splitting the CamelCase words (no spaces added, so offsets stay) lets patterns read them.
        hashtags = _hashtag_words(doc)
        if hashtags:
            with doc.retokenize() as retokenizer:
                for index, words in hashtags:
                    heads = [(doc[index], 0)] * len(words)
                    retokenizer.split(doc[index], words, heads=heads)
        return doc

    @Language.factory("claimcheck_matcher", default_config={"ruleset": ""})
    def create_matcher(nlp: Language, name: str, ruleset: str) -> PackMatcher:
        return PackMatcher(nlp, _PATTERNS[ruleset])


class PackMatcher:
    """Runs every pack pattern (claims, modifiers, disclaimer phrasings) in one indexed pass."""

    def __init__(self, nlp: Language, patterns: dict[str, list[Any]]) -> None:
        from claimcheck.matcher import IndexedMatcher, PatternError

        try:
            self.matcher = IndexedMatcher(nlp.vocab, patterns)
        except PatternError as error:
            raise ConfigError(f"invalid token pattern: {error}") from None

    def __call__(self, doc: Any) -> Any:
        # Plain tuples, not a span group: a Span per match costs more than the matching itself
        # once a pack has a few hundred patterns, and nothing downstream needs Span objects.
        doc.user_data[MATCHES] = self.matcher(doc)
        return doc


_CAMEL_WORD = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|[0-9]+")


def _hashtag_words(doc: Any) -> list[tuple[int, list[str]]]:
    """Hashtags written in CamelCase ("#BeatDepression"), as (token index, its words)."""
    found = []
    for token in doc[1:]:
        if doc[token.i - 1].text != "#" or doc[token.i - 1].whitespace_:
            continue
        words = _CAMEL_WORD.findall(token.text)
        if len(words) > 1 and "".join(words) == token.text:
            found.append((token.i, words))
    return found


def _spaced_ellipses(doc: Any) -> list[int]:
    """Start indexes of ". . ." written as three full stops separated by single spaces."""
    starts: list[int] = []
    i = 0
    while i + 2 < len(doc):
        a, b, c = doc[i], doc[i + 1], doc[i + 2]
        if a.text == b.text == c.text == "." and a.whitespace_ == b.whitespace_ == " ":
            starts.append(i)
            i += 3
        else:
            i += 1
    return starts
