"""The health-news corpus (eval/news/): loading, validation, the split, and labeller agreement.

Sentences from US government health news releases, each labelled for how it relates an
exposure to a health outcome (causal stated as fact, hedged causal, correlational, none) and
for what the release says the evidence is. It measures the health-news pack's check on
causal wording (`score`, reported by eval/evaluate.py); loading and validation run nothing.
See eval/news/README.md for sources and counts, and eval/news/GUIDELINES.md for the labels.

    sources.yaml       one entry per release or listing page: id, url, title, date, agency, licence, split
    sentences.yaml     one row per sentence or headline: id, document, text, claim, design, note
    second_pass.yaml   a blind relabelling of a sample of rows: id, claim, design
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from realcopy import SPLITS, CorpusError, require, split_of, yaml_list

NEWS = Path(__file__).parent / "news"
CLAIMS = ("causal-fact", "causal-hedged", "correlational", "none", "ambiguous")
DESIGNS = ("observational", "trial", "lab", "review", "unknown")
SOURCE_FIELDS = ("id", "url", "title", "agency", "licence", "split")
ROW_FIELDS = ("id", "document", "text", "claim", "design")
# A release's date as precisely as the page gives it; an undated page says so in its note.
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Sentence:
    id: str
    document: str
    text: str
    claim: str
    design: str
    note: str


@dataclass(frozen=True)
class NewsCorpus:
    sources: dict[str, dict]
    sentences: tuple[Sentence, ...]
    second_pass: dict[str, dict]  # sentence id -> {"claim": ..., "design": ...}

    def split(self, name: str) -> tuple[Sentence, ...]:
        """The sentences whose document falls on the named side of the split."""
        return tuple(row for row in self.sentences if self.sources[row.document]["split"] == name)


def load(root: Path = NEWS) -> NewsCorpus:
    """Read and validate the corpus files under root; CorpusError on the first problem."""
    sources = _sources(root / "sources.yaml")
    sentences = _sentences(root / "sentences.yaml", sources)
    second_pass = _second_pass(root / "second_pass.yaml", {row.id for row in sentences})
    return NewsCorpus(sources, sentences, second_pass)


def _sources(path: Path) -> dict[str, dict]:
    sources: dict[str, dict] = {}
    for index, entry in enumerate(yaml_list(path)):
        where = f"{path.name}[{index}]"
        require(entry, SOURCE_FIELDS, where)
        if entry["id"] in sources:
            raise CorpusError(f"{where}: document id {entry['id']!r} is defined twice")
        date = entry.get("date")
        if date is None and not entry.get("note"):
            raise CorpusError(f"{where}: an undated document needs a note saying so")
        if date is not None and not (isinstance(date, str) and DATE.fullmatch(date)):
            raise CorpusError(f"{where}: date must be a quoted YYYY, YYYY-MM or YYYY-MM-DD, not {date!r}")
        # The split is recorded so a reader sees it, but the hash of the id decides it.
        if entry["split"] != split_of(entry["id"]):
            raise CorpusError(f"{where}: split is {entry['split']!r} but the id hashes to {split_of(entry['id'])!r}")
        sources[entry["id"]] = entry
    return sources


def _sentences(path: Path, sources: dict[str, dict]) -> tuple[Sentence, ...]:
    rows: list[Sentence] = []
    seen: set[str] = set()
    for index, entry in enumerate(yaml_list(path)):
        where = f"{path.name}[{index}]"
        require(entry, ROW_FIELDS, where)
        if entry["id"] in seen:
            raise CorpusError(f"{where}: sentence id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        if entry["document"] not in sources:
            raise CorpusError(f"{where}: unknown document {entry['document']!r}")
        if entry["claim"] not in CLAIMS:
            raise CorpusError(f"{where}: claim must be one of {', '.join(CLAIMS)}")
        if entry["design"] not in DESIGNS:
            raise CorpusError(f"{where}: design must be one of {', '.join(DESIGNS)}")
        if entry["claim"] == "ambiguous" and not entry.get("note"):
            raise CorpusError(f"{where}: an ambiguous row needs a note saying why")
        rows.append(
            Sentence(
                id=entry["id"],
                document=entry["document"],
                text=" ".join(str(entry["text"]).split()),
                claim=entry["claim"],
                design=entry["design"],
                note=entry.get("note") or "",
            )
        )
    return tuple(rows)


def _second_pass(path: Path, sentence_ids: set[str]) -> dict[str, dict]:
    if not path.exists():
        return {}
    labels: dict[str, dict] = {}
    for index, entry in enumerate(yaml_list(path)):
        where = f"{path.name}[{index}]"
        require(entry, ("id", "claim", "design"), where)
        if entry["id"] not in sentence_ids:
            raise CorpusError(f"{where}: unknown sentence {entry['id']!r}")
        if entry["claim"] not in CLAIMS or entry["design"] not in DESIGNS:
            raise CorpusError(f"{where}: claim or design outside the allowed labels")
        labels[entry["id"]] = {"claim": entry["claim"], "design": entry["design"]}
    return labels


def agreement(corpus: NewsCorpus, field: str) -> tuple[float, float]:
    """Observed agreement and Cohen's kappa between the first labels and the blind second pass."""
    first = {row.id: getattr(row, field) for row in corpus.sentences}
    pairs = [(first[key], labels[field]) for key, labels in corpus.second_pass.items()]
    if not pairs:
        return 0.0, 0.0
    observed = sum(a == b for a, b in pairs) / len(pairs)
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[label] * right[label] for label in left) / len(pairs) ** 2
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return observed, kappa


NEWS_RULE = "health-news/causal-language"


def score(corpus: NewsCorpus, score_type: type) -> dict:
    """The causal-language check on one split: causal claims stated as fact are the positives;
    hedged, correlational and no-claim sentences the negatives; ambiguous rows are left out.
    The pack runs as a newsroom would run it: `packs: [health-news]`, `disable: [core]`."""
    from dataclasses import replace

    from claimcheck import lint_text
    from claimcheck.config import Config

    config = replace(Config(), packs=("health-news",), disable=frozenset({"core"}))
    scores: dict = {"causal claims": score_type(), "causal claims, observational evidence": score_type()}
    for row in corpus.sentences:
        if row.claim == "ambiguous":
            continue
        reported = any(f.rule == NEWS_RULE for f in lint_text(row.text, "news.txt", config=config))
        label = f"{row.text!r} [{row.document}] labelled {row.claim}, design {row.design}"
        scores["causal claims"].add(row.claim == "causal-fact", reported, label)
        if row.design == "observational":
            scores["causal claims, observational evidence"].add(row.claim == "causal-fact", reported, label)
    return scores


def describe(corpus: NewsCorpus) -> list[str]:
    """Counts per split and label, for the README."""
    lines = []
    for name in SPLITS:
        rows = corpus.split(name)
        documents = {row.document for row in rows}
        claims = Counter(row.claim for row in rows)
        label_counts = ", ".join(f"{claim} {claims[claim]}" for claim in CLAIMS)
        lines.append(f"- {name}: {len(rows)} sentences from {len(documents)} documents ({label_counts})")
    return lines


if __name__ == "__main__":
    news = load()
    print("\n".join(describe(news)))
    for field in ("claim", "design"):
        observed, kappa = agreement(news, field)
        print(f"second pass, {field}: {len(news.second_pass)} rows, agreement {observed:.2f}, kappa {kappa:.2f}")
