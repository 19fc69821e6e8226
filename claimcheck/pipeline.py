"""The spaCy pipeline, built once per process from the active rule set.

Default: a blank English tokenizer, a sentencizer and claimcheck's matcher component.
Lemmas are not computed at run time: packs match LEMMA through word forms compiled when
they load (see packs.py). A trained pipeline named in the config (e.g. en_core_web_sm)
replaces the blank one; it is loaded from what is installed, never downloaded.
"""

from __future__ import annotations

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
