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
