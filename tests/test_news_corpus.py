"""The health-news corpus (eval/news/): its files are well formed, every row belongs to a recorded
source, the labels come from the allowed sets, and the split is fixed by document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).parent.parent / "eval"
sys.path.insert(0, str(EVAL))

import news  # noqa: E402
import realcopy  # noqa: E402

# The agencies the brief allows (US government works); a new one is a deliberate change here.
AGENCIES = {"NIH", "NIH OBSSR", "NCI", "NHLBI", "NIA", "NIDDK", "NIEHS", "NCCIH", "NIAID", "NICHD", "NIDA", "NIMH"}
AGENCIES |= {"CDC", "FDA", "AHRQ", "NEI", "NIAAA", "NINDS", "USDA ARS", "VA", "EPA"}
AGENCIES |= {"NHGRI", "NIBIB", "NIDCR", "NIDCD", "NIGMS", "SAMHSA"}


@pytest.fixture(scope="module")
def corpus():
    return news.load()


def test_corpus_is_as_large_and_as_varied_as_promised(corpus):
    claims = [row.claim for row in corpus.sentences]
    assert len(corpus.sentences) >= 400
    assert len({row.document for row in corpus.sentences}) >= 50
    assert claims.count("causal-fact") >= 100
    assert claims.count("correlational") >= 80
    assert claims.count("causal-hedged") >= 40
    assert claims.count("none") >= 150  # the precision test: sentences a check must leave alone
    assert {row.design for row in corpus.sentences} == set(news.DESIGNS)


def test_rows_have_allowed_labels_and_known_documents(corpus):
    ids = [row.id for row in corpus.sentences]
    assert len(ids) == len(set(ids))
    for row in corpus.sentences:
        assert row.claim in news.CLAIMS, row.id
        assert row.design in news.DESIGNS, row.id
        assert row.document in corpus.sources, row.id
        assert row.text.strip(), row.id
        assert row.claim != "ambiguous" or row.note, row.id


def test_every_document_says_where_it_came_from_and_why_it_may_be_shared(corpus):
    for source in corpus.sources.values():
        assert source["url"].startswith("http"), source["id"]
        assert "17 U.S.C. 105" in source["licence"], source["id"]
        assert source["agency"] in AGENCIES, source["id"]
    used = {row.document for row in corpus.sentences}
    assert used == set(corpus.sources), "every document contributes rows and every row has a document"


def test_split_is_recorded_per_document_and_computed_by_the_real_copy_rule(corpus):
    for source in corpus.sources.values():
        assert source["split"] == realcopy.split_of(source["id"]), source["id"]
    held_out = {row.document for row in corpus.split("held-out")}
    development = {row.document for row in corpus.split("development")}
    assert held_out.isdisjoint(development)
    assert len(held_out) >= 0.3 * len(corpus.sources)
    assert len(corpus.split("held-out")) + len(corpus.split("development")) == len(corpus.sentences)


def test_no_text_is_on_both_sides_of_the_split(corpus):
    def texts(rows):
        return {" ".join(row.text.lower().split()) for row in rows}

    assert not texts(corpus.split("held-out")) & texts(corpus.split("development"))


def test_second_pass_covers_a_tenth_of_the_rows(corpus):
    assert len(corpus.second_pass) >= 0.1 * len(corpus.sentences)
    observed, kappa = news.agreement(corpus, "claim")
    assert 0 <= kappa <= observed <= 1


def test_agreement_is_cohens_kappa():
    rows = tuple(news.Sentence(str(n), "d", "t", claim, "unknown", "") for n, claim in enumerate("aabb"))
    same = news.NewsCorpus({}, rows, {str(n): {"claim": c, "design": "unknown"} for n, c in enumerate("aabb")})
    half = news.NewsCorpus({}, rows, {str(n): {"claim": c, "design": "unknown"} for n, c in enumerate("abab")})
    assert news.agreement(same, "claim") == (1.0, 1.0)
    assert news.agreement(half, "claim") == (0.5, 0.0)


SOURCE = '- {id: doc-a, url: "https://www.nih.gov/x", title: t, agency: NIH, date: "2024", licence: l, split: %s}\n'
ROW = "- {id: %s, document: %s, text: Some text., claim: %s, design: unknown}\n"


@pytest.mark.parametrize(
    ("split", "rows", "message"),
    [
        ("{other}", "", r"sources.yaml\[0\]: split is"),
        ("{split}", ROW % ("r1", "doc-b", "none"), r"sentences.yaml\[0\]: unknown document 'doc-b'"),
        ("{split}", ROW % ("r1", "doc-a", "causal"), r"sentences.yaml\[0\]: claim must be one of"),
        ("{split}", ROW % ("r1", "doc-a", "none") * 2, r"sentences.yaml\[1\]: sentence id 'r1' is used twice"),
        ("{split}", ROW % ("r1", "doc-a", "ambiguous"), r"sentences.yaml\[0\]: an ambiguous row needs a note"),
    ],
)
def test_bad_corpus_files_are_named(tmp_path, split, rows, message):
    right = realcopy.split_of("doc-a")
    split = split.format(split=right, other=next(side for side in realcopy.SPLITS if side != right))
    (tmp_path / "sources.yaml").write_text(SOURCE % split, encoding="utf-8")
    (tmp_path / "sentences.yaml").write_text(rows, encoding="utf-8")
    with pytest.raises(realcopy.CorpusError, match=message):
        news.load(tmp_path)
