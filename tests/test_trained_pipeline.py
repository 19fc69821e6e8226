"""The optional trained-pipeline path: a dependency parse keeps a hedge inside its own clause.

No trained English pipeline can be installed in CI, so the path is exercised with a tiny
tagger and parser trained here with spaCy's training API on a few dozen hand-annotated
sentences, saved to disk and named in the config like any trained pipeline. The tests
that use en_core_web_sm are skipped cleanly when it is not installed (claimcheck never
downloads one).
"""

from __future__ import annotations

import importlib.util
import random
from itertools import product

import pytest

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.errors import ConfigError

MODEL = "en_core_web_sm"
installed = importlib.util.find_spec(MODEL) is not None
needs_model = pytest.mark.skipif(not installed, reason=f"{MODEL} is not installed")


def test_a_missing_pipeline_is_a_clear_config_error():
    config = Config(pipeline="en_core_web_nonexistent_pipeline")
    with pytest.raises(ConfigError, match="is not installed"):
        lint_text("Our surgery cures sciatica.", "page.txt", config=config)


@needs_model
def test_the_parse_keeps_a_hedge_in_its_clause():
    config = Config(pipeline=MODEL)
    text = "Acupuncture may help some people, and our surgery cures sciatica."
    rules = {f.rule for f in lint_text(text, "page.txt", config=config)}
    assert "core/efficacy-claim" in rules


@needs_model
def test_the_parse_still_sees_a_covering_hedge():
    config = Config(pipeline=MODEL)
    text = "Acupuncture may help to reduce chronic back pain."
    assert "core/efficacy-claim" not in {f.rule for f in lint_text(text, "page.txt", config=config)}


# Two sentence shapes, annotated once (Penn tags, dependency heads and labels); the words in
# {braces} vary, so the parser learns the shape rather than the words.
_CONJOINED = (
    "{therapy} may help some people , and our {product} cures {condition} .",
    ["NN", "MD", "VB", "DT", "NNS", ",", "CC", "PRP$", "NN", "VBZ", "NN", "."],
    [2, 2, 2, 4, 2, 2, 2, 8, 9, 2, 9, 2],
    ["nsubj", "aux", "ROOT", "det", "dobj", "punct", "cc", "poss", "nsubj", "conj", "dobj", "punct"],
)
_HEDGED = (
    "{therapy} may help to {verb} chronic back {condition} .",
    ["NN", "MD", "VB", "TO", "VB", "JJ", "NN", "NN", "."],
    [2, 2, 2, 4, 2, 7, 7, 4, 2],
    ["nsubj", "aux", "ROOT", "aux", "xcomp", "amod", "compound", "dobj", "punct"],
)
_THERAPIES = ["Acupuncture", "Massage", "Reflexology", "Chiropractic", "Meditation"]
_PRODUCTS = ["surgery", "cream", "formula", "device"]
_CONDITIONS = ["sciatica", "arthritis", "pain", "eczema"]
_VERBS = ["reduce", "relieve", "ease"]


def _examples(nlp):
    from spacy.tokens import Doc
    from spacy.training import Example

    examples = []
    for template, tags, heads, deps in (_CONJOINED, _HEDGED):
        for therapy, item, condition, verb in product(_THERAPIES, _PRODUCTS, _CONDITIONS, _VERBS):
            words = template.format(therapy=therapy, product=item, condition=condition, verb=verb).split()
            reference = Doc(nlp.vocab, words=words, tags=tags, heads=heads, deps=deps)
            examples.append(Example(nlp.make_doc(" ".join(words)), reference))
    return list({example.text: example for example in examples}.values())


@pytest.fixture(scope="module")
def tiny_pipeline(tmp_path_factory):
    """A tagger and parser trained on the two shapes above, saved like any trained pipeline."""
    import spacy

    random.seed(0)
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.add_pipe("parser")
    examples = _examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(12):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    path = tmp_path_factory.mktemp("pipeline") / "tiny_en"
    nlp.to_disk(path)
    return str(path)


def _efficacy(text: str, pipeline: str | None) -> list[tuple[int, int, str]]:
    findings = lint_text(text, "page.txt", config=Config(pipeline=pipeline))
    return [(f.line, f.column, f.excerpt) for f in findings if f.rule == "core/efficacy-claim"]


def test_a_trained_pipeline_is_loaded_and_its_parse_scopes_the_hedge(tiny_pipeline):
    # The conjoined shape with words the parser never saw: the rule-based scope lets "may" reach
    # "cure insomnia" (a plural subject's verb is no finite third person it can tell from a base
    # form); the parse keeps the hedge in its own clause, so the claim is reported.
    text = "Yoga may help some people, and our teas cure insomnia."
    assert _efficacy(text, None) == []
    assert _efficacy(text, tiny_pipeline) == [(1, 41, "cure insomnia")]


def test_a_trained_pipeline_still_sees_a_covering_hedge(tiny_pipeline):
    assert _efficacy("Yoga may help to soothe chronic back pain.", tiny_pipeline) == []


def test_findings_from_a_trained_pipeline_have_the_rule_based_positions(tiny_pipeline):
    text = "Some people like yoga.\nOur cream cures eczema."
    assert _efficacy(text, tiny_pipeline) == _efficacy(text, None) == [(2, 11, "cures eczema")]
