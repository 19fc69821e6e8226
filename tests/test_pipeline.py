"""The pipeline's own pieces: what building it leaves behind, and the components that read what
the tokenizer noted about a text."""

from __future__ import annotations

import gc

import pytest

from claimcheck import collector, pipeline
from claimcheck.config import Config

TEXT = "Our tea helps . . . high cholesterol. Share it: #BeatDepression today. Nothing else here."


@pytest.mark.parametrize("enabled", [True, False])
def test_building_a_pipeline_leaves_the_collector_as_it_found_it(fresh_pipelines, enabled):
    # The collector is paused while the pipeline is built (spaCy's objects are many and live long).
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        pipeline.get_pipeline(Config().ruleset())
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_paused_block_makes_is_frozen_before_the_collector_resumes():
    # Else the first allocation after it walks all of it: every object it made is in the
    # youngest generation, which the collector never got to empty while paused.
    before = gc.get_freeze_count()
    with collector.paused():
        made = [[number] for number in range(1000)]
    assert gc.get_freeze_count() >= before + len(made)
    assert gc.get_count()[0] < len(made)


def test_a_pipeline_that_has_learnt_its_budget_of_words_forgets_each_later_document_s_words(
    fresh_pipelines, monkeypatch
):
    # spaCy's vocabulary keeps every word it reads: unbounded over a large export.
    from claimcheck.lint import lint_text

    monkeypatch.setattr(pipeline, "VOCABULARY_BUDGET", 40)
    nlp = pipeline.get_pipeline(Config().ruleset())
    learnt = " ".join(f"zq{number}x" for number in range(60))
    first = [(f.rule, f.line, f.column, f.message) for f in lint_text(f"Our tea cures anxiety and {learnt}.", "x.txt")]
    nlp.tokenizer.load_special_cases()  # as the first zone does before it opens: their strings stay
    known = len(nlp.vocab.strings)  # past the budget: these words stay known
    assert "zq59x" in nlp.vocab.strings
    later = " ".join(f"qz{number}y" for number in range(60))
    again = [(f.rule, f.line, f.column, f.message) for f in lint_text(f"Our tea cures anxiety and {later}.", "x.txt")]
    assert again == first  # the same findings, messages included: nothing read after the zone
    assert len(nlp.vocab.strings) == known and "qz59y" not in nlp.vocab.strings
    assert pipeline.get_pipeline(Config().ruleset()) is nlp  # never built again


def test_special_cases_loaded_as_texts_need_them_tokenize_as_all_of_them_do(monkeypatch):
    # The tokenizer loads a special case ("don't", "Dr.", ":)") when a text holds its string:
    # every text must come out as it does with all 1,347 loaded at the start.
    monkeypatch.setattr(pipeline, "LAZY_CHARS", 10_000_000)  # lazy throughout
    cases = pipeline._english_special_cases()
    lazy = pipeline._NotingTokenizer(pipeline._blank_english().tokenizer, cases)
    full = pipeline._NotingTokenizer(pipeline._blank_english().tokenizer, cases)
    full.load_special_cases()
    assert not full.pending and len(lazy.pending) == len(cases)
    texts = [f"She said {string} twice ({string}), then {string}." for string in sorted(cases)]
    texts += ["I don't know, Dr. Smith said e.g. it can't hurt :) y'all gonna love it.", "ok\n\tdone"]
    for text in texts:
        assert [t.text for t in lazy(text)] == [t.text for t in full(text)], text
    assert not lazy.pending  # each text loaded what it held, and every one was held by one


def test_after_lazy_chars_the_rest_of_the_special_cases_load_at_once(monkeypatch):
    # A long run stops scanning each text for the few cases it has not met.
    monkeypatch.setattr(pipeline, "LAZY_CHARS", 100)
    tokenizer = pipeline._NotingTokenizer(pipeline._blank_english().tokenizer, pipeline._english_special_cases())
    tokenizer("A short text with nothing special.")
    assert tokenizer.pending  # under the limit: only what the text held
    tokenizer("x" * 120)
    assert not tokenizer.pending
    assert [t.text for t in tokenizer("It can't hurt.")] == ["It", "ca", "n't", "hurt", "."]


def test_a_memory_zone_opens_only_once_every_special_case_is_loaded(fresh_pipelines, monkeypatch):
    # One added inside a zone would point at memory the zone frees as it ends.
    monkeypatch.setattr(pipeline, "VOCABULARY_BUDGET", 0)
    nlp = pipeline.get_pipeline(Config().ruleset())
    assert nlp.tokenizer.pending
    with pipeline.words_forgotten(Config().ruleset()):
        assert nlp.vocab.in_memory_zone and not nlp.tokenizer.pending
        tokens = [t.text for t in nlp.make_doc("It can't hurt, Dr. Who.")]
        assert tokens == ["It", "ca", "n't", "hurt", ",", "Dr.", "Who", "."]


@pytest.mark.parametrize(("zone_chars", "zones"), [(50_000, 1), (60, 3)])
def test_consecutive_documents_share_a_memory_zone_up_to_its_size(fresh_pipelines, monkeypatch, zone_chars, zones):
    # Within a zone spaCy's tokenizer caches nothing: one zone per short page cost it 1.6x.
    from claimcheck import engine
    from claimcheck.lint import lint_text

    monkeypatch.setattr(pipeline, "VOCABULARY_BUDGET", 40)
    monkeypatch.setattr(engine, "ZONE_CHARS", zone_chars)
    config = Config()
    ruleset = config.ruleset()
    nlp = pipeline.get_pipeline(ruleset)
    lint_text(
        "Our tea cures anxiety and " + " ".join(f"zq{number}x" for number in range(60)), "x.txt"
    )  # past the budget
    texts = [f"Our tea cures anxiety and qz{number}y." for number in range(5)]  # 34 characters each
    documents = [engine.read(text, f"{number}.txt", "text", config) for number, text in enumerate(texts)]
    expected = [engine.lint_document(document, ruleset) for document in documents]
    known = len(nlp.vocab.strings)
    opened = []
    memory_zone = nlp.memory_zone
    monkeypatch.setattr(nlp, "memory_zone", lambda: opened.append(1) or memory_zone())
    assert list(engine.lint_documents(documents, ruleset)) == expected
    assert len(opened) == zones
    assert len(nlp.vocab.strings) == known and "qz4y" not in nlp.vocab.strings


def test_below_its_budget_a_pipeline_keeps_what_it_learns(fresh_pipelines):
    from claimcheck.lint import lint_text

    nlp = pipeline.get_pipeline(Config().ruleset())
    lint_text("Our tea cures anxiety and zqunseenx.", "x.txt")
    assert "zqunseenx" in nlp.vocab.strings


def test_the_components_read_the_tokenizers_note_or_the_text():
    nlp = pipeline.get_pipeline(Config().ruleset())
    noted = nlp(TEXT)
    assert pipeline._TEXT_HOLDS in noted.user_data
    # A Doc made by spaCy's own tokenizer carries no note: the components ask its text instead.
    plain = nlp.tokenizer.tokenizer(TEXT)
    assert pipeline._TEXT_HOLDS not in plain.user_data
    for _, component in nlp.pipeline:
        plain = component(plain)
    words = [token.text for token in noted]
    assert words == [token.text for token in plain]
    assert ". . ." in words  # joined into one token
    assert words[words.index("#") + 1 : words.index("#") + 3] == ["Beat", "Depression"]  # split
    assert [s.text for s in noted.sents] == [s.text for s in plain.sents]
    assert noted.user_data[pipeline.MATCHES] == plain.user_data[pipeline.MATCHES]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A label's line ends in an abbreviation the tokenizer keeps whole: still a sentence end.
        (
            "E. W. Higbee, Northampton, Mass.\nFor headache take as for colds.",
            ["E. W. Higbee, Northampton, Mass.\n", "For headache take as for colds."],
        ),
        ("Made by Acme Co.\r\nRelieves pain.", ["Made by Acme Co.\r\n", "Relieves pain."]),
        # A title or an example runs on into the next line, as does a line in lower case.
        ("Ask Dr.\nSmith about it.", ["Ask Dr.\nSmith about it."]),
        ("Made by Acme Co.\nand sold here.", ["Made by Acme Co.\nand sold here."]),
        # Within a line an abbreviation ends nothing.
        ("Acme Co. Relieves pain.", ["Acme Co. Relieves pain."]),
        # An elision ends a quoted statement, and a heading in title case is a line of its own.
        ("Is Required * * *\nAllays Cough", ["Is Required * * *\n", "Allays Cough"]),
        ("Grip Powders\nA single powder breaks up a cold.", ["Grip Powders\n", "A single powder breaks up a cold."]),
        # Wrapped prose goes on: a line in lower case, or ending with a comma.
        ("Our clinic treats pain in the\nBack and neck.", ["Our clinic treats pain in the\nBack and neck."]),
        ("Turmeric, Ginger,\nBoswellia and more.", ["Turmeric, Ginger,\nBoswellia and more."]),
        # ... and so does a title-case line that starts a name or a question.
        (
            "According to the American Heart\nAssociation, fish oil lowers triglycerides.",
            ["According to the American Heart\nAssociation, fish oil lowers triglycerides."],
        ),
        ("Does Turmeric Help\nArthritis Pain?", ["Does Turmeric Help\nArthritis Pain?"]),
        ("Turmeric May Help\nEase Arthritis Pain", ["Turmeric May Help\nEase Arthritis Pain"]),
    ],
)
def test_a_line_that_ends_a_statement_ends_a_sentence_before_a_capital(text, sentences):
    nlp = pipeline.get_pipeline(Config().ruleset())
    assert [sentence.text_with_ws for sentence in nlp(text).sents] == sentences


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("【CLINICALLY PROVEN】Reduces snoring", ["【", "CLINICALLY", "PROVEN", "】", "Reduces", "snoring"]),
        ("「Best」price（new）", ["「", "Best", "」", "price", "（", "new", "）"]),
        ("lowers your A1C.", ["lowers", "your", "A1C", "."]),
        ("for TBI's***helps reduce", ["for", "TBI's", "***", "helps", "reduce"]),
        ("a*b", ["a*b"]),
        # An ellipsis run into full stops between words is no URL, and one token.
        ("Can help….with the prevention", ["Can", "help", "….", "with", "the", "prevention"]),
        ("help…with", ["help", "…", "with"]),
        ("see example.com now", ["see", "example.com", "now"]),
    ],
)
def test_the_tokenizer_splits_wide_brackets_and_a_code_s_full_stop(text, tokens):
    nlp = pipeline.get_pipeline(Config().ruleset())
    assert [token.text for token in nlp.make_doc(text)] == tokens
