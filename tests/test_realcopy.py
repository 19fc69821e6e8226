"""The real-copy corpus (eval/real/): its files are well formed, it is as large and as varied as
promised, and the split is fixed by source document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).parent.parent / "eval"
sys.path.insert(0, str(EVAL))

import realcopy  # noqa: E402


@pytest.fixture(scope="module")
def corpus():
    return realcopy.load()


def test_corpus_size_and_spread(corpus):
    letters = {row.source for row in corpus.rows}
    assert len(corpus.rows) >= 1000
    assert len(letters) >= 120
    assert len(corpus.passages) >= 30
    assert len(corpus.negatives) >= 400
    assert len({row.product_type for row in corpus.rows}) >= 12


def test_every_source_says_where_it_came_from_and_why_it_may_be_shared(corpus):
    for source in corpus.sources.values():
        assert source["url"].startswith("http"), source["id"]
        assert source["licence"].strip(), source["id"]


def test_split_is_by_source_document_and_holds_out_at_least_30_percent(corpus):
    held_out = corpus.split("held-out")
    development = corpus.split("development")
    assert {row.source for row in held_out.rows}.isdisjoint({row.source for row in development.rows})
    letters = {row.source for row in corpus.rows}
    assert len({row.source for row in held_out.rows}) >= 0.3 * len(letters)
    assert len(held_out.passages) >= 0.3 * len(corpus.passages)
    assert len(held_out.rows) + len(development.rows) == len(corpus.rows)


def test_split_rule_is_fixed():
    # The rule is a hash of the id: the same id always lands on the same side, on every machine.
    assert [realcopy.split_of(f"fda-{n}") for n in (1, 2, 3, 4, 5)] == [
        realcopy.split_of(f"fda-{n}") for n in (1, 2, 3, 4, 5)
    ]
    sides = {realcopy.split_of(f"source-{n}") for n in range(200)}
    assert sides == {"development", "held-out"}


def test_no_text_is_on_both_sides_of_the_split(corpus):
    # The same sentence quoted in two letters must not leak from one part into the other.
    def texts(part):
        return {" ".join(row.text.lower().split()) for row in part.rows + part.negatives}

    assert not texts(corpus.split("held-out")) & texts(corpus.split("development"))


def test_bad_corpus_files_are_named(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "rows").mkdir()
    (tmp_path / "sources" / "a.yaml").write_text("- {id: x, kind: k, title: t, agency: FDA}\n", encoding="utf-8")
    with pytest.raises(realcopy.CorpusError, match=r"a.yaml\[0\]: missing url, product_type, licence, date"):
        realcopy.load(tmp_path)


def test_merged_spans_count_one_claim_once():
    class F:
        def __init__(self, line, column, end_column):
            self.line, self.column, self.end_line, self.end_column = line, column, line, end_column

    assert realcopy._merged([F(1, 1, 10), F(1, 5, 20), F(1, 30, 40), F(2, 1, 3)]) == [
        (1, 0, 19),
        (1, 29, 39),
        (2, 0, 2),
    ]


@pytest.mark.parametrize(
    ("quoted", "written"),
    [
        ("[R]eleiving [sic] many of the symptoms", "Releiving many of the symptoms"),
        ("Inf arction [SIC.]…spinal", "Inf arction…spinal"),
        ("[e]xclusively for [their] patients", "exclusively for [their] patients"),  # an inserted word stays
        ("[1] see note [A] below", "[1] see note [A] below"),  # not a recased first letter
    ],
)
def test_the_regulators_marks_are_undone(quoted, written):
    assert realcopy.as_written(quoted) == written


def test_passage_lines_keep_their_numbers_when_marks_are_undone():
    assert realcopy.as_written("one\n[sic] two\nthree [sic]\n").splitlines() == ["one", " two", "three"]
