"""The optional trained-pipeline path: a dependency parse keeps a hedge inside its own clause.

Skipped cleanly when no trained English pipeline is installed (claimcheck never downloads one).
"""

from __future__ import annotations

import importlib.util

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
