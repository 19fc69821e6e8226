"""The spaCy pipeline, built once per process from the active rule set.

Default: a blank English tokenizer, a sentencizer and claimcheck's matcher component.
Lemmas are not computed at run time: packs match LEMMA through word forms compiled when
they load (see packs.py). A trained pipeline named in the config (e.g. en_core_web_sm)
replaces the blank one; it is loaded from what is installed, never downloaded.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from claimcheck import collector
from claimcheck.errors import ConfigError
from claimcheck.prefilter import SENTENCE_FINAL
from claimcheck.spacy_import import import_spacy
from claimcheck.stops import Stops
from claimcheck.text import (
    camel_words,
    ends_spaced_ellipsis,
    has_hashtag_to_split,
    has_spaced_ellipsis,
    line_sentence_starts,
    run_together_words,
    visible_lower,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from claimcheck.packs import RuleSet

MATCHES = "claimcheck"  # the Doc.user_data key the matcher fills: (pattern key, start token, end token)

# A pipeline learns every word it reads (spaCy's vocabulary keeps each new string and its
# lexeme, and the tokenizer its splitting), so a process linting a large export grew without
# bound: about 36 MiB for every 100,000 new words. Once a pipeline has learnt this many words,
# later documents are linted in spaCy memory zones (one per run of documents, see
# engine.lint_documents), which forget the words their documents brought as they end: the words
# met first, the commonest, stay known, so speed is kept, and memory stops growing. (Building
# the pipeline again forgot them too, but what the old one freed stayed with the allocator: it
# raised a scan worker's peak by 14 MiB.) Five thousand words kept lint a 30,000-page export
# as fast as ten thousand, in 2.5 MiB less.
VOCABULARY_BUDGET = 5_000

_cache: dict[tuple[str, str], tuple[Language, int]] = {}  # the pipeline, and its vocabulary's size when built
# Patterns, phrases and the keys of whole-line rules' claim patterns, by rule-set digest.
_PATTERNS: dict[str, tuple[dict[str, list[Any]], tuple[str, ...], frozenset[Any]]] = {}


def get_pipeline(ruleset: RuleSet, model: str | None = None) -> Language:
    """The pipeline for a rule set, built on first use and reused after."""
    key = (ruleset.digest, model or "")
    built = _cache.get(key)
    if built is None:
        # What the build makes lives as long as the pipeline (a sixth of a one-page run went to
        # collections while it was made): build with the collector paused, which freezes it.
        with collector.paused():
            nlp = _build(ruleset, model)
        built = _cache[key] = (nlp, len(nlp.vocab.strings))
    return built[0]


def words_forgotten(ruleset: RuleSet, model: str | None = None) -> AbstractContextManager[Any]:
    """Where documents are linted: a memory zone once the rule set's pipeline has learnt
    VOCABULARY_BUDGET words, else nothing (and spaCy is not imported). Nothing made from the
    document's Docs may outlive it: findings hold plain strings and numbers."""
    built = _cache.get((ruleset.digest, model or ""))
    if built is None or built[0].vocab.in_memory_zone or len(built[0].vocab.strings) < built[1] + VOCABULARY_BUDGET:
        return nullcontext()  # (within a zone already, as engine.lint_documents opens one)
    if isinstance(built[0].tokenizer, _NotingTokenizer):
        # Special cases added inside a zone would point at memory the zone frees as it ends.
        built[0].tokenizer.load_special_cases()
    return built[0].memory_zone()


def _build(ruleset: RuleSet, model: str | None) -> Language:
    # Building spaCy's own parts imports more of its extension modules (the pipe factories, a
    # trained pipeline's parser): Ctrl-C waits for them as it does for `import spacy` (see Stops).
    with Stops().deferred():
        nlp = _spacy_pipeline(model)
    from claimcheck.packs import MatchKey

    # A whole-line rule reports only a match that begins its line (checks/claims.py), so its
    # patterns need trying only there.
    whole_line = frozenset(MatchKey("claim", rule.id) for rule in ruleset.rules.values() if rule.whole_line)
    # The component's config names the rule set rather than holding its patterns: spaCy
    # copies and validates component configs, which for ~200 patterns costs a third of a
    # second at every start. The patterns were validated when the packs loaded.
    _PATTERNS[ruleset.digest] = (ruleset.matcher_patterns(), ruleset.phrases, whole_line)
    nlp.add_pipe("claimcheck_matcher", config={"ruleset": ruleset.digest})
    if isinstance(nlp.tokenizer, _NotingTokenizer):
        nlp.tokenizer.is_pattern_word = nlp.get_pipe("claimcheck_matcher").matcher.names
    return nlp


def _spacy_pipeline(model: str | None) -> Language:
    """The installed pipeline `model`, or claimcheck's blank English one, without the matcher."""
    spacy = import_spacy()
    _register_factory()
    if model:
        try:
            return spacy.load(model, exclude=["ner", "lemmatizer", "textcat", "entity_ruler"])
        except OSError:
            raise ConfigError(
                f"spaCy pipeline '{model}' is not installed; install it (e.g. pip install {model}) "
                "or remove 'pipeline' from the config"
            ) from None
    nlp = _blank_english()
    nlp.tokenizer = _NotingTokenizer(nlp.tokenizer, _english_special_cases())
    nlp.add_pipe("claimcheck_ellipsis")
    nlp.add_pipe("claimcheck_hashtags")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimcheck_line_ends")
    return nlp


# Split a full stop from a code that ends in a digit and a capital: spaCy keeps "A1C." whole
# (the stop after a capital is an abbreviation's, as in "U.S."), so "lowers your A1C." named no
# measure ("B12." and "LDL." it splits already). And split the plural units it does not know from
# their number, as it does "10kg": "7lbs", "3kgs".
_SUFFIXES = (r"(?<=[0-9][A-Z])\.", r"(?<=[0-9])(?:[lL][bB][sS]|[kK][gG][sS])")

# The full-width and CJK brackets that marketplace listings set their bullets' headings in:
# "【CLINICALLY PROVEN】Reduces snoring".
_WIDE_BRACKETS = "【】〔〕〖〗「」『』（）［］｛｝〈〉《》"

# Split full-width brackets off the words they touch, as spaCy splits "(" and ")": it splits them
# off only at a run's ends, so "PROVEN】Reduces" stayed one token and the heading hid the claim
# after it. So too a run of asterisks between two words, which copy sets between its slogans
# ("for TBI's***helps reduce brain swelling").
_INFIXES = (f"[{_WIDE_BRACKETS}]", r"(?<=\w)\*{2,}(?=\w)")
# An ellipsis with full stops run into it between two words is one token ("Can help….with", not
# "help", "…", ".with"). It goes before spaCy's infixes, whose "…" alone would match first.
_ELLIPSIS_INFIX = r"(?<=\w)\.*…[.…]*(?=\w)"


def _url_match(text: str) -> Any:
    """spaCy's URL test, but never for a run with an ellipsis in it: its domain names may hold
    any letter, and "…" is one to it, so "help….with" was a URL and the words never seen."""
    from spacy.lang.en import EnglishDefaults

    return None if "…" in text else EnglishDefaults.url_match(text)


def _blank_english() -> Language:
    """spaCy's blank English, its tokenizer made with claimcheck's suffixes and infixes, its
    LOWER without invisible characters. The affixes go in the language's defaults rather than
    onto a built tokenizer: setting a tokenizer's expressions compiles them again and reloads
    its 4,000 special cases, which cost a tenth of a second at every start."""
    from spacy.attrs import LOWER
    from spacy.lang.en import English, EnglishDefaults

    class Defaults(EnglishDefaults):
        suffixes: ClassVar = [*EnglishDefaults.suffixes, *_SUFFIXES]
        # Loaded as texts need them (_NotingTokenizer): all 1,347 cost 75 ms of every start.
        tokenizer_exceptions: ClassVar = {}
        infixes: ClassVar = [_ELLIPSIS_INFIX, *EnglishDefaults.infixes, *_INFIXES]
        # A word's invisible characters (text.for_matching moves them to its start) are no part of
        # it: "Re\u00adlieves" is "relieves".
        lex_attr_getters: ClassVar = {**EnglishDefaults.lex_attr_getters, LOWER: visible_lower}
        url_match: ClassVar = staticmethod(_url_match)

    class ClaimcheckEnglish(English):
        pass

    ClaimcheckEnglish.Defaults = Defaults
    return ClaimcheckEnglish()


def is_sentence_start(nlp: Language, text: str, offset: int) -> bool:
    """Would the pipeline start a sentence at `offset` of `text`, and tokenize the text after it
    as it does when given the text before it too?

    True only when one space separates two runs of non-space characters there (the tokenizer
    splits text at whitespace and tokenizes each run on its own, so the tokens on either side
    do not depend on the other side), the run before ends in sentence-final punctuation
    followed by nothing but punctuation, and the run after starts with a word: then the
    sentencizer starts a sentence at that word whatever came before.
    """
    if not 1 < offset < len(text) or text[offset - 1] != " " or text[offset - 2].isspace() or text[offset].isspace():
        return False
    before_start = offset - 1
    while before_start > 0 and not text[before_start - 1].isspace():
        before_start -= 1
    after_end = offset
    while after_end < len(text) and not text[after_end].isspace():
        after_end += 1
    punct_chars = _punct_chars(nlp)
    before = [(token.text, token.is_punct) for token in nlp.tokenizer(text[before_start : offset - 1])]
    after = nlp.tokenizer(text[offset:after_end])
    if not len(after) or after[0].is_punct or after[0].text in punct_chars:
        return False
    if ends_spaced_ellipsis(text, offset - 1):
        return False  # claimcheck_ellipsis makes ". . ." one token that ends no sentence
    for word, is_punct in reversed(before):
        if word in punct_chars:
            return word in SENTENCE_FINAL  # what prefilter.py assumes a match must cross
        if not is_punct:
            return False
    return False


@cache
def _punct_chars(nlp: Language) -> frozenset[str]:
    return frozenset(nlp.get_pipe("sentencizer").punct_chars)


def _register_factory() -> None:
    from spacy.language import Language

    if Language.has_factory("claimcheck_matcher"):
        return

    @Language.component("claimcheck_ellipsis")
    def join_spaced_ellipses(doc: Any) -> Any:
        # Quoted copy marks omissions with a spaced ellipsis (". . ."), which the tokenizer
        # splits into three full stops and the sentencizer into sentences: "Helps . . . high
        # cholesterol" would lose its object. One token for the ellipsis keeps the clause whole.
        dots = _spaced_ellipses(doc) if _text_holds(doc, has_spaced_ellipsis) else []
        if dots:
            with doc.retokenize() as retokenizer:
                for start in dots:
                    retokenizer.merge(doc[start : start + 3])
        return doc

    @Language.component("claimcheck_hashtags")
    def split_hashtags(doc: Any) -> Any:
        # Social posts run claims together as hashtags: "#BeatDepression" says "beat depression",
        # "#diabetesreversed" "diabetes reversed". Splitting the words (no spaces added, so offsets
        # stay) lets patterns read them: the words of this pipeline's patterns, which its
        # tokenizer hands on from the matcher. (A component, not a factory that could hold the
        # matcher: spaCy builds a validation model for each factory, 1.7 MiB a process.)
        if not _text_holds(doc, has_hashtag_to_split):
            return doc
        return _split_hashtags(doc, doc.user_data.get(_PATTERN_WORDS, _no_pattern_words))

    @Language.component("claimcheck_line_ends")
    def start_sentences_at_statement_lines(doc: Any) -> Any:
        # A line that ends a statement the sentencizer does not see (text.line_sentence_starts):
        # "Northampton, Mass." then "For headache or neuralgia take as for colds."
        starts = _text_holds(doc, line_sentence_starts)
        if starts:
            offsets = doc.to_array("IDX").tolist()
            for offset in starts:
                index = bisect_left(offsets, offset)
                if index < len(offsets) and offsets[index] == offset:
                    doc[index].is_sent_start = True
        return doc

    @Language.factory("claimcheck_matcher", default_config={"ruleset": ""})
    def create_matcher(nlp: Language, name: str, ruleset: str) -> PackMatcher:
        return PackMatcher(nlp, *_PATTERNS.pop(ruleset))  # built once: the patterns are not needed after


class PackMatcher:
    """Runs every pack pattern (claims, modifiers, disclaimer phrasings) in one indexed pass,
    after joining into one token each entry of several words that a token test names."""

    def __init__(
        self, nlp: Language, patterns: dict[str, list[Any]], phrases: tuple[str, ...], whole_line: frozenset[Any]
    ) -> None:
        from claimcheck.matcher import IndexedMatcher, PatternError

        try:
            self.matcher = IndexedMatcher(nlp.vocab, patterns, line_start_keys=whole_line)
        except PatternError as error:
            raise ConfigError(f"invalid token pattern: {error}") from None
        self.phrases = frozenset(phrases)
        self.phrase_matcher = None
        if self.phrases:
            from spacy.matcher import PhraseMatcher

            self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            self.phrase_matcher.add("phrase", list(map(nlp.make_doc, sorted(self.phrases))))

    def __call__(self, doc: Any, skipped: frozenset[Any] = frozenset()) -> Any:
        """Match the Doc, but for the patterns of the skipped keys (annotate.py passes the claims
        of rules whose context the document lacks, through nlp.pipe's component_cfg)."""
        if self.phrase_matcher is not None:
            self._join_phrases(doc)
        # Plain tuples, not a span group: a Span per match costs more than the matching itself
        # once a pack has a few hundred patterns, and nothing downstream needs Span objects.
        doc.user_data[MATCHES] = self.matcher(doc, skipped)
        return doc

    def _join_phrases(self, doc: Any) -> None:
        """One token for each phrase the text spells as the entry does (lower-cased: "Pink eye"
        but not "athlete 's foot"), the longest where two overlap."""
        from spacy.util import filter_spans

        spans = self.phrase_matcher(doc, as_spans=True)
        spelt = [span for span in spans if span.text.lower() in self.phrases]
        if spelt:
            with doc.retokenize() as retokenizer:
                for span in filter_spans(spelt):
                    retokenizer.merge(span)


def _english_special_cases() -> dict[str, Any]:
    """spaCy's English tokenizer exceptions ("don't", "Dr.", ":)"), as English() loads them."""
    from spacy.lang.en import EnglishDefaults

    return dict(EnglishDefaults.tokenizer_exceptions)


# How much text the tokenizer reads with only the special cases it holds loaded; then it loads
# the rest at once: each one loaded empties the tokenizer's cache, and a long run need not scan
# every text for the few it has not met.
LAZY_CHARS = 50_000


class _NotingTokenizer:
    """The tokenizer, noting on each Doc whether its text holds what the components after it
    look for (". . .", CamelCase hashtags, lines that end statements). Asked of the string, that
    is a substring test or a regular expression; asked of the Doc, it means building doc.text, a
    Token object per token, which took about as long as the matching.

    It also loads the tokenizer's special cases as texts need them: a special case applies only
    where its string occurs, so a text tokenizes as with all of them loaded once those it holds
    are (a one-page run loads a few of the 1,347 rather than all: 75 ms of its start). A longer
    run loads the rest once it has read LAZY_CHARS."""

    def __init__(self, tokenizer: Any, special_cases: dict[str, Any] | None = None) -> None:
        self.tokenizer = tokenizer
        self.is_pattern_word: Callable[[str], bool] = _no_pattern_words  # the matcher's, once built
        self.pending = dict(special_cases or {})  # special cases not yet loaded
        self._finder: Any = None  # an Aho-Corasick automaton over the pending strings, made on first use
        self.read = 0  # characters read while loading lazily

    def load_special_cases(self, text: str | None = None) -> None:
        """Load the pending special cases the text holds (all of them without a text)."""
        if text is not None:
            self.read += len(text)
        if text is None or self.read > LAZY_CHARS:
            wanted = list(self.pending)
            self._finder = None  # nothing will be pending to find
        else:
            if self._finder is None:
                import ahocorasick

                self._finder = ahocorasick.Automaton()
                for string in self.pending:
                    self._finder.add_word(string, string)
                self._finder.make_automaton()
            wanted = [string for _, string in self._finder.iter(text)]
        for string in wanted:
            if string in self.pending:  # (not loaded before, nor found twice in the text)
                self.tokenizer.add_special_case(string, self.pending.pop(string))

    def __call__(self, text: str) -> Any:
        if self.pending:
            self.load_special_cases(text)
        doc = self.tokenizer(text)
        holds = doc.user_data[_TEXT_HOLDS] = {test: test(text) for test in _NOTED}
        if holds[has_hashtag_to_split]:
            doc.user_data[_PATTERN_WORDS] = self.is_pattern_word
        return doc


def _no_pattern_words(word: str) -> bool:
    return False


_TEXT_HOLDS = "claimcheck_text_holds"  # the Doc.user_data key _NotingTokenizer fills
_PATTERN_WORDS = "claimcheck_pattern_words"  # ... and the test of its pipeline's pattern words
_NOTED = (has_spaced_ellipsis, has_hashtag_to_split, line_sentence_starts)


def _text_holds(doc: Any, test: Callable[[str], Any]) -> Any:
    """The test's answer on the Doc's text (a truth, or the offsets it found): as the tokenizer
    noted it, else (a Doc made otherwise) asked now."""
    noted = doc.user_data.get(_TEXT_HOLDS)
    return noted[test] if noted is not None and test in noted else test(doc.text)


def _split_hashtags(doc: Any, is_pattern_word: Callable[[str], bool]) -> Any:
    hashtags = _hashtag_words(doc, is_pattern_word)
    if hashtags:
        with doc.retokenize() as retokenizer:
            for index, words in hashtags:
                heads = [(doc[index], 0)] * len(words)
                retokenizer.split(doc[index], words, heads=heads)
    return doc


def _hashtag_words(doc: Any, is_pattern_word: Callable[[str], bool]) -> list[tuple[int, list[str]]]:
    """Hashtags of several words, as (token index, its words): written in CamelCase
    ("#BeatDepression"), or in lower case as the fewest pattern words that spell it
    ("#diabetesreversed"; words no pattern names could not make a claim)."""
    found = []
    for token in doc[1:]:
        if doc[token.i - 1].text != "#" or doc[token.i - 1].whitespace_:
            continue
        words = camel_words(token.text)
        if len(words) < 2 and token.text.islower():
            words = run_together_words(token.text, is_pattern_word)
        if len(words) > 1:
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
