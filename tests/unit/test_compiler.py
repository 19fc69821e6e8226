"""The pack compiler: lexicons (with includes), fragments and LEMMA expansion to plain Matcher patterns."""

from __future__ import annotations

import pytest

from claimcheck.errors import ConfigError
from claimcheck.packs import _PatternCompiler


def compile_one(token: dict, lexicons: dict | None = None, fragments: dict | None = None) -> dict:
    return _PatternCompiler(lexicons or {}, fragments or {})([token])[0]


def test_a_lexicon_reference_becomes_its_words():
    assert compile_one({"LOWER": "$unit"}, {"unit": ["day", "week"]}) == {"LOWER": {"IN": ["day", "week"]}}
    assert compile_one({"LOWER": {"NOT_IN": "$unit"}}, {"unit": ["day"]}) == {"LOWER": {"NOT_IN": ["day"]}}


def test_a_lexicon_may_include_lexicons_once_each():
    lexicons = {"a": ["x", "y"], "b": ["y", "z"], "both": ["$a", "$b", "w"]}
    assert compile_one({"LOWER": "$both"}, lexicons) == {"LOWER": {"IN": ["x", "y", "z", "w"]}}


def test_a_lexicon_that_includes_itself_is_an_error():
    with pytest.raises(ConfigError, match=r"includes itself \(\$a -> \$b -> \$a\)"):
        compile_one({"LOWER": "$a"}, {"a": ["$b"], "b": ["$a"]})


def test_unknown_lexicons_and_fragments_are_named():
    with pytest.raises(ConfigError, match="unknown lexicon '\\$nope'"):
        compile_one({"LOWER": "$nope"})
    with pytest.raises(ConfigError, match="unknown fragment 'gap'"):
        compile_one({"USE": "gap"})


def test_a_fragment_is_merged_under_the_tokens_own_keys():
    fragments = {"gap": {"ORTH": {"NOT_IN": [","]}, "OP": "*"}}
    assert compile_one({"USE": "gap", "OP": "{0,3}"}, fragments=fragments) == {
        "ORTH": {"NOT_IN": [","]},
        "OP": "{0,3}",
    }


def test_lemma_becomes_lower_over_every_form():
    compiled = compile_one({"LEMMA": "relieve"})
    assert set(compiled) == {"LOWER"}
    assert {"relieve", "relieves", "relieved", "relieving"} <= set(compiled["LOWER"]["IN"])
    many = compile_one({"LEMMA": {"IN": "$verbs"}}, {"verbs": ["cure", "heal"]})
    assert {"cures", "healed"} <= set(many["LOWER"]["IN"])


def test_numbers_and_booleans_in_text_attributes_are_strings():
    assert compile_one({"ORTH": 100}) == {"ORTH": "100"}
    assert compile_one({"LOWER": {"IN": [True, 24]}}) == {"LOWER": {"IN": ["true", "24"]}}


def test_an_entry_of_several_words_inflects_its_last_and_takes_curly_apostrophes():
    compile_ = _PatternCompiler({"ailment": ["cold sore", "athlete's foot", "tumor growth"]})
    (token,) = compile_([{"LEMMA": "$ailment"}])
    forms = set(token["LOWER"]["IN"])
    assert {"cold sore", "cold sores", "athlete's foot", "athlete’s foot", "tumour growths"} <= forms
    assert "colds sore" not in forms
