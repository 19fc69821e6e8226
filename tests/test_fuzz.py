"""Fuzzing every reader (issue 11): random bytes, random Markdown/HTML structure and random packs'
patterns. Whatever comes in, claimcheck raises only its own errors, every finding's range is
exactly its excerpt in the text, and time grows linearly with the input."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimcheck.config import Config
from claimcheck.engine import lint_text
from claimcheck.errors import ClaimcheckError
from claimcheck.readers.docx import read_docx
from claimcheck.sources import decode
from claimcheck.text import line_starts

FORMATS = {"text": "page.txt", "markdown": "page.md", "mdx": "page.mdx", "html": "page.html"}

# Pieces of structure the readers treat specially, and of copy the rules look for.
FRAGMENTS = [
    *("> ", "- ", "* ", "1. ", "# ", "    ", "\t", "```\n", "~~~", "`", "---\n", "|", "| --- |", "\\"),
    *("<code>", "</code>", "<script>", "</script>", "<!--", "-->", "<p>", "</p>", "<b>", "<sup>1</sup>", "<"),
    *("&amp;", "&#", "[^1]", "[^1]: ", "[link](http://x.y)", "![img](a.png)", "{/* ", " */}", "*", "^", "¹"),
    *("\n", "\n\n", "\r\n", "\r", " ", "!!!", "...", "\u2028", "\x1b[31m", "🦴", "é"),
    *("Our tea cures anxiety.", "may help", "clinically proven", "Talk to your doctor.", "relieves pain"),
    *("<!-- claimcheck-disable-next-line core/efficacy-claim -- ok -->", "# claimcheck-disable-line"),
]
structured = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
mixed = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5)).map("".join)
texts = st.one_of(structured, st.text(max_size=400), mixed)
formats = st.sampled_from(sorted(FORMATS))
SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def lint_and_check(text: str, format: str, config: Config | None = None) -> None:
    """Lint; only claimcheck's own errors may escape, and every range must be its excerpt."""
    try:
        findings = lint_text(text, FORMATS[format], format, config)
    except ClaimcheckError:
        return
    starts = line_starts(text)
    for finding in findings:
        start = starts[finding.line - 1] + finding.column - 1
        end = starts[finding.end_line - 1] + finding.end_column - 1
        assert 0 <= start <= end <= len(text), finding
        assert text[start:end] == finding.excerpt, finding


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW)
@given(text=texts, format=formats)
def test_random_structure_in_every_reader(text, format):
    lint_and_check(text, format)


@settings(max_examples=100, deadline=None, suppress_health_check=SLOW)
@given(data=st.binary(max_size=2000), format=formats)
def test_random_bytes_in_every_reader(data, format):
    try:
        text = decode(data, "fuzz")
    except ClaimcheckError:
        return
    lint_and_check(text, format)


@settings(max_examples=40, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=2000).map(lambda tail: b"PK\x03\x04" + tail),
        st.dictionaries(
            st.sampled_from(["[Content_Types].xml", "word/document.xml", "_rels/.rels", "word/_rels/x"]),
            st.binary(max_size=300),
        ).map(lambda parts: _zipped(parts)),
    )
)
def test_random_docx_bytes_are_an_input_error_at_worst(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("docx") / "page.docx"
    path.write_bytes(data)
    try:
        document = read_docx(path)
    except ClaimcheckError:
        return
    assert document.text == document.text  # read without an exception of another kind


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Random packs' worth of patterns: token patterns over a small vocabulary, with every operator.
WORDS = st.sampled_from(["cure", "cures", "tea", "anxiety", "may", "help", "!", "."])
OPERATORS = st.sampled_from(["*", "+", "?", "!", "{0,2}", "{1,3}"])
token = st.sampled_from(["LOWER", "ORTH", "LEMMA"]).flatmap(
    lambda attribute: st.fixed_dictionaries({attribute: WORDS}, optional={"OP": OPERATORS})
)
patterns = st.lists(st.lists(token, min_size=1, max_size=6), min_size=1, max_size=4)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(pack_patterns=patterns, text=structured, format=formats)
def test_random_pack_patterns(tmp_path, pack_patterns, text, format):
    import yaml

    pack = {
        "pack": "fuzz",
        "rules": [
            {
                "id": "fuzz/claim",
                "check": "claim",
                "kind": "efficacy",
                "severity": "warning",
                "message": "Fuzzed.",
                "explanation": "Fuzzed.",
                "patterns": pack_patterns,
                "examples": {"report": ["x"], "pass": ["y"]},
            }
        ],
    }
    path = tmp_path / f"fuzz-{abs(hash(json.dumps(pack_patterns)))}.yaml"
    path.write_text(yaml.safe_dump(pack), encoding="utf-8")
    try:
        config = Config(packs=("core", str(path)))
        config.ruleset()
    except ClaimcheckError:
        return  # the pack validator refused it: its one clear error is the expected outcome
    lint_and_check(text, format, config)


# Linear time: a random structure repeated n and 4n times takes about 4 times as long, not 16.


def _seconds(text: str, format: str) -> float:
    start = time.perf_counter()
    lint_and_check(text, format)
    return time.perf_counter() - start


@settings(max_examples=6, deadline=None, suppress_health_check=SLOW)
@given(
    unit=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join),
    format=formats,
)
@example(unit=" */}", format="text")  # asterisks that open no emphasis: each once scanned to the line's end
# Found by a hostile-input sweep, each once scanned to the line's or the run's end from every start:
@example(unit="[", format="markdown")  # link text that never closes
@example(unit="![", format="markdown")  # image text that never closes
@example(unit="<a ", format="markdown")  # a tag that never closes
@example(unit="[^1]: note\n", format="markdown")  # footnote definitions (each line counted from the start)
@example(unit="a.", format="text")  # an e-mail address's local part with no "@"
def test_time_grows_linearly(unit, format):
    repeats = max(1, 4000 // len(unit))
    small = _seconds(unit * repeats, format)  # one run each: spaCy caches what it tokenized
    large = _seconds(unit * repeats * 4, format)
    assert large < 12 * max(small, 0.15), (unit, small, large)


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    lint_text("Our tea cures anxiety.", "warm.txt")
