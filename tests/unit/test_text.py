"""Positions and blanking (claimcheck/text.py): every stage counts lines and columns the same way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.text import (
    blanked,
    for_matching,
    has_hashtag_to_split,
    line_sentence_starts,
    line_starts,
    newline_of,
    position,
    run_together_words,
    split_lines,
)

TEXTS = st.text(alphabet=st.sampled_from(list("ab \t\r\n\u2028\f.")), max_size=60)


def test_lines_break_at_crlf_cr_and_lf_only():
    text = "one\r\ntwo\rthree\nfour\u2028still four\fstill"
    assert split_lines(text) == ["one", "two", "three", "four\u2028still four\fstill"]
    assert line_starts(text) == (0, 5, 9, 15)


def test_position_is_one_based_and_counts_characters():
    starts = line_starts("ab\r\ncd\nef")
    assert position(starts, 0) == (1, 1)
    assert position(starts, 5) == (2, 2)
    assert position(starts, 8) == (3, 2)


def test_newline_of_is_the_first_break_or_lf():
    assert newline_of("a\r\nb\nc") == "\r\n"
    assert newline_of("single line") == "\n"


@given(TEXTS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4))
def test_blanking_keeps_length_and_line_breaks(text, spans):
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in spans]
    result = blanked(text, spans)
    assert len(result) == len(text)
    assert line_starts(result) == line_starts(text)


@given(TEXTS)
def test_every_offset_maps_back_to_its_character(text):
    starts = line_starts(text)
    lines = split_lines(text)
    for offset, char in enumerate(text):
        line, column = position(starts, offset)
        if char not in "\r\n":
            assert lines[line - 1][column - 1] == char


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("\u2022 For arthritis", "  For arthritis"),
        ("Uses\n  \u2714\ufe0f For arthritis", "Uses\n     For arthritis"),
        # Not within a line, nor a glyph that is no bullet's (a rating's stars, one stuck to a word).
        ("Price \u2022 $5", "Price \u2022 $5"),
        ("\u2605\u2605\u2605\u2605\u2605 Great", "\u2605\u2605\u2605\u2605\u2605 Great"),
        ("\u2705Relief", "\u2705Relief"),
    ],
)
def test_a_bullet_glyph_that_opens_a_line_matches_as_a_space(text, matched):
    assert for_matching(text) == matched
    assert len(matched) == len(text)


def test_invisible_characters_move_to_the_start_of_their_word_and_keep_offsets():
    text = "Re\u00adlieves joint pain\u200b. C\u200bu\u00adres"
    matched = for_matching(text)
    assert matched == "\u00adRelieves joint \u200bpain. \u200b\u00adCures"
    assert len(matched) == len(text)


def test_typographic_hyphens_match_as_ascii_hyphens_and_keep_offsets():
    text = "Cancer\u2011fighting, anti\u2010inflammatory \u2014 and caf\u00e9"
    matched = for_matching(text)
    assert matched == "Cancer-fighting, anti-inflammatory \u2014 and caf\u00e9"  # dashes and letters untouched
    assert len(matched) == len(text)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("Northampton, Mass.\nFor headache", ["For headache"]),
        ("Is Required * * *\nAllays Cough", ["Allays Cough"]),
        ("Pleasant tonic…\r\nSold by druggists", ["Sold by druggists"]),
        ("Dr. Higbee's Cough, Cold and Grip Powders\n\nA single powder", ["A single powder"]),
        ("BANISH BACK PAIN\nOrder today", ["Order today"]),
        # ... or with a digit: a product named by its number.
        ("999 Nerve Tonic Means Pep Vim Vigor\n999 Nerve Tonic is a remedy", ["999 Nerve Tonic is"]),
        ("Relief lasts up to\n12 hours", []),
        # Wrapped prose, a run-on abbreviation, a line after which the next is in lower case.
        ("Our clinic treats pain in the\nBack and neck.", []),
        ("Turmeric, Ginger,\nBoswellia", []),
        ("Ask Dr.\nSmith", []),
        ("Made by Acme Co.\nand sold here.", []),
        ("One Word\n", []),
        # The heading is the line's last sentence, whatever came before it on the line.
        ("Price 25 cents. Grip Powders\nA single powder", ["A single powder"]),
        ("Grip Powders, sold in cents\nA single powder", ["A single powder"]),
        # A title-case line wrapped in prose runs on into a name, and a question to its mark.
        ("According to the American Heart\nAssociation, fish oil", []),
        ("Researchers at Johns Hopkins\nUniversity say", []),
        ("Does Turmeric Help\nArthritis Pain?", []),
        ("Cough, Cold & Grip Powders\nA single powder", ["A single powder"]),
        # Label and bullet copy, a statement to a line: it starts with a capital and ends on a
        # word that closes a phrase ("[N]atural ..." as a letter quotes it).
        ("Helps regulate blood sugar\nSupports healthy joints", ["Supports healthy joints"]),
        ("[N]atural powder for diabetes support\nDiabetech supports blood sugar", ["Diabetech supports"]),
        # Wrapped prose leaves the line's sentence open, or the line starts inside a sentence.
        ("Our clinic is approved by the\nFDA for laser care", []),
        ("and our tea relieves pain\nFast and safely", []),
        ("Relieves pain\nFast", []),
        ("Our tea helps you\nSleep through the night", []),
        ("Can turmeric relieve pain\nIn arthritis?", []),
        ("Can help with the prevention of stroke\nIt helps to reduce risk", ["It helps"]),
        # Only the next line's first sentence decides (the fast path may drop the rest).
        ("Made for the Heart\nWow. Great stuff", []),
        # A word alone on its line may be a label's verb going on ("Cures\nRheumatism").
        ("Cures\nRheumatism and Neuralgia in every case.", []),
        # A title wrapped goes on in title case on the next line.
        ("Turmeric May Help\nEase Arthritis Pain", []),
        ("Studies Suggest Turmeric\nEases Arthritis Pain. Buy now", []),
    ],
)
def test_lines_that_end_statements_start_the_next_sentence(text, starts):
    offsets = line_sentence_starts(text)
    assert len(offsets) == len(starts)
    assert [text[offset : offset + len(start)] for offset, start in zip(offsets, starts, strict=True)] == starts


KNOWN = frozenset(
    {"diabetes", "reversed", "reverse", "cancer", "free", "ozone", "therapy", "the", "rapist", "rapy", "heal"}
)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("diabetesreversed", ["diabetes", "reversed"]),
        ("cancerfree", ["cancer", "free"]),
        ("ozonetherapy", ["ozone", "therapy"]),
        # The fewest words: "therapy" whole, not "the" and "rapy".
        ("therapyfree", ["therapy", "free"]),
        # Not spelt by known words end to end, one word alone, or too short or long to try.
        ("diabetesreversal", []),
        ("diabetes", []),
        ("healme", []),
        ("cancerfree" * 5, []),
        ("Cancerfree", []),
    ],
)
def test_run_together_words_are_the_fewest_known_words(tag, words):
    assert run_together_words(tag, KNOWN.__contains__) == words


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Day 60 #diabetesreversed", True),
        ("#BeatDepression", True),
        ("#flu and #covid", False),
        ("Call #5551234", False),
        ("no tags here", False),
    ],
)
def test_hashtags_to_split(text, holds):
    assert has_hashtag_to_split(text) is holds
