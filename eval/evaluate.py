"""Measure claimcheck against the labelled corpora in this folder.

    python eval/evaluate.py            # print the report
    python eval/evaluate.py --write    # also write eval/REPORT.md
    python eval/evaluate.py --check    # exit 1 if any score is below eval/floors.yaml

First the real-copy corpus (eval/real/, see realcopy.py and README.md): regulator-quoted
marketing copy and patient-education text, split by source document into a development
and a held-out part. Then the self-written corpora: claims per kind and overall
(sentences.yaml, sentence level, plus the documents' claims by line), unresolved and orphan
footnote markers (footnotes.yaml and the documents, by line and marker), disclaimers
(disclaimers.yaml and the documents: reported missing or not).

Misses and false alarms are listed for the development parts only: the held-out parts are
reported as aggregate scores and nothing else, so nobody tunes on them.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import news
import realcopy
import yaml

from claimcheck.config import Config
from claimcheck.documents import format_for, read_document
from claimcheck.findings import Finding
from claimcheck.lint import lint_document

HERE = Path(__file__).parent
CLAIM_KINDS = ("efficacy", "quantified", "comparative", "absolute", "establishment")
DISCLAIMERS = {"core/physician-disclaimer-missing": "physician", "core/supplement-disclaimer-missing": "supplement"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def add(self, expected: bool, reported: bool, case: str) -> None:
        if expected and reported:
            self.tp += 1
        elif reported:
            self.fp += 1
            self.false_alarms.append(case)
        elif expected:
            self.fn += 1
            self.misses.append(case)
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def lint(text: str, name: str) -> list[Finding]:
    config = Config()
    document = read_document(text, name, format_for(name) or "text")
    return lint_document(document, config.ruleset(), config.pipeline)


def claim_kinds(findings: list[Finding], rules: dict) -> dict[int, set[str]]:
    """Reported claim kinds by line (info-level findings count: they are still reported)."""
    by_line: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        if f.kind == "claim":
            by_line[f.line].add(rules[f.rule].claim_kind)
    return by_line


def evaluate(root: Path = HERE) -> dict[str, Score]:
    """Score every part of the corpus under root that exists (sentences, documents, footnotes, disclaimers)."""
    rules = Config().ruleset().rules
    scores: dict[str, Score] = defaultdict(Score)

    for case in yaml.safe_load((root / "sentences.yaml").read_text(encoding="utf-8")):
        reported = set().union(*claim_kinds(lint(case["text"], "sentence.txt"), rules).values())
        expected = set(case["expect"])
        label = f"{case['text']!r} expected {sorted(expected)} got {sorted(reported)}"
        scores["claim (sentences)"].add(bool(expected), bool(reported), label)
        for kind in CLAIM_KINDS:
            scores[f"claim: {kind}"].add(kind in expected, kind in reported, label)

    for expected_file in sorted((root / "documents").glob("*.expected.yaml")):
        document = next(
            p
            for p in expected_file.parent.glob(expected_file.name.replace(".expected.yaml", ".*"))
            if p != expected_file
        )
        expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
        findings = lint(document.read_text(encoding="utf-8"), document.name)
        reported = claim_kinds(findings, rules)
        wanted: dict[int, set[str]] = defaultdict(set)
        for item in expected.get("findings") or []:
            if item["rule"] in CLAIM_KINDS:
                wanted[item["line"]].add(item["rule"])
        for line in sorted(set(wanted) | set(reported)):
            for kind in CLAIM_KINDS:
                label = f"{document.name}:{line} {kind}"
                scores["claim (documents)"].add(kind in wanted[line], kind in reported[line], label)
        _score_markers(scores, document.name, findings, expected.get("findings") or [])
        for rule_id, name in DISCLAIMERS.items():
            label = f"{document.name} {name} disclaimer expected {expected[name + '_disclaimer']}"
            scores["disclaimer"].add(
                expected[name + "_disclaimer"] == "missing", any(f.rule == rule_id for f in findings), label
            )

    footnote_cases = root / "footnotes.yaml"
    for case in yaml.safe_load(footnote_cases.read_text(encoding="utf-8")) if footnote_cases.exists() else []:
        name = "case.md" if case.get("format") == "markdown" else "case.txt"
        findings = lint(case["text"], name)
        expected = [{**m, "rule": "footnote-unresolved"} for m in case["unresolved"]]
        expected += [{**m, "rule": "footnote-orphan"} for m in case["orphans"]]
        _score_markers(scores, case["name"], findings, expected)

    disclaimer_cases = root / "disclaimers.yaml"
    for case in yaml.safe_load(disclaimer_cases.read_text(encoding="utf-8")) if disclaimer_cases.exists() else []:
        findings = lint(case["text"], "case.txt")
        for rule_id, name in DISCLAIMERS.items():
            label = f"{case['name']}: {name} expected {case[name]}"
            scores["disclaimer"].add(case[name] == "missing", any(f.rule == rule_id for f in findings), label)
    return dict(scores)


def _score_markers(scores: dict[str, Score], name: str, findings: list[Finding], expected: list[dict]) -> None:
    for rule in ("footnote-unresolved", "footnote-orphan"):
        wanted = {(m["line"], str(m["marker"])) for m in expected if m["rule"] == rule}
        got = {(f.line, f.excerpt) for f in findings if f.rule == f"core/{rule}"}
        for line, marker in sorted(wanted | got):
            label = f"{name}:{line} {marker!r}"
            scores[rule].add((line, marker) in wanted, (line, marker) in got, label)


def all_scores(corpus: realcopy.Corpus | None = None) -> dict[str, dict[str, Score]]:
    """Every corpus's scores, by corpus name (the keys of eval/floors.yaml)."""
    corpus = corpus or realcopy.load()
    rules = Config().ruleset().rules
    scores = {f"real-copy {name}": realcopy.score(corpus.split(name), Score, rules) for name in realcopy.SPLITS}
    news_corpus = news.load()
    for name in realcopy.SPLITS:
        part = news.NewsCorpus(news_corpus.sources, news_corpus.split(name), {})
        scores[f"news {name}"] = news.score(part, Score)
    scores["development"] = evaluate()
    scores["held-out"] = evaluate(HERE / "heldout")
    return scores


def report(scores: dict[str, dict[str, Score]], corpus: realcopy.Corpus) -> str:
    lines = ["# claimcheck evaluation report", "", "Generated by `python eval/evaluate.py --write`.", ""]
    lines += [
        "## Real copy (`eval/real/`)",
        "",
        "Marketing copy as FDA warning letters and FTC cases quoted it, and US government",
        "patient-education text as negatives; nobody on the project wrote it. Split by source",
        "document (`eval/README.md`); the held-out part is reported here as aggregates only.",
        "",
        *realcopy.describe(corpus),
        "",
        "Row scores count a row as reported when claimcheck reports any claim on it. The",
        "patient-education flag rate is the share of sentences labelled as needing no report",
        'that got one (its "precision" column is meaningless and its "FP" the flagged count).',
        "",
        "### Real copy, held-out part",
        "",
        *_table(scores["real-copy held-out"]),
        "",
        "### Real copy, development part",
        "",
        *_table(scores["real-copy development"]),
        "",
        "## Health news (`eval/news/`)",
        "",
        "Sentences from NIH, NCI and CDC news releases, scored on the health-news pack's",
        "causal-language check (run with `disable: [core]`): causal claims stated as fact are",
        "the positives; hedged, correlational and no-claim sentences the negatives.",
        "",
        "### Health news, held-out part",
        "",
        *_table(scores["news held-out"]),
        "",
        "### Health news, development part",
        "",
        *_table(scores["news development"]),
        "",
        "## Self-written corpora",
        "",
        "Written by the project, with the words its rules know: they flatter the rules. The",
        "development set (`eval/`) is tuned on; the held-out set (`eval/heldout/`) was written",
        "separately and never tuned on.",
        "",
        "### Self-written, held-out set",
        "",
        *_table(scores["held-out"]),
        "",
        "### Self-written, development set",
        "",
        *_table(scores["development"]),
    ]
    # Errors are listed for the development parts only: a held-out part is read as aggregates,
    # so that nobody tunes on it by reading its misses here.
    lines += _errors("real copy, development part", scores["real-copy development"])
    lines += _errors("health news, development part", scores["news development"])
    lines += _errors("self-written development set", scores["development"])
    return "\n".join(lines) + "\n"


def _table(scores: dict[str, Score]) -> list[str]:
    lines = ["| check | precision | recall | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for name, s in scores.items():
        if name.endswith("flag rate"):
            total = s.fp + s.tn
            lines.append(f"| {name} | | | | | {s.fp} of {total} ({s.fp / total if total else 0:.3f}) | |")
            continue
        lines.append(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |")
    for name in ("disclaimer", "passages: disclaimers"):
        if name in scores:
            lines += ["", f"{name}: present/missing accuracy {scores[name].accuracy:.3f}"]
    return lines


def _errors(title: str, scores: dict[str, Score]) -> list[str]:
    lines = []
    for name, s in scores.items():
        if name.startswith(("claim:", "claims, kind:", "claims, source:")) or name.endswith(", unambiguous"):
            continue  # these repeat the row lists
        if name == "claims (all rows)":
            continue  # the regulator rows are listed, and the negatives under the flag rate
        for kind, items in (("Misses", s.misses), ("False alarms", s.false_alarms)):
            if items:
                lines += ["", f"### {title}, {name}: {kind.lower()} ({len(items)})", ""]
                lines += [f"- {item}" for item in items]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write eval/REPORT.md")
    parser.add_argument("--check", action="store_true", help="fail if a score is below eval/floors.yaml")
    args = parser.parse_args()
    corpus = realcopy.load()
    scores = all_scores(corpus)
    text = report(scores, corpus)
    print(text)
    if args.write:
        (HERE / "REPORT.md").write_text(text, encoding="utf-8")
    if args.check:
        failed = below_floors(scores)
        for failure in failed:
            print(f"BELOW FLOOR: {failure}", file=sys.stderr)
        return 1 if failed else 0
    return 0


def below_floors(scores: dict[str, dict[str, Score]]) -> list[str]:
    """Each score under its floor in eval/floors.yaml, as one line."""
    floors = yaml.safe_load((HERE / "floors.yaml").read_text(encoding="utf-8"))
    return [
        f"{corpus}: {name} {metric} {_metric(scores[corpus][name], metric):.3f} {_relation(metric)} floor {floor}"
        for corpus, checks in floors.items()
        for name, metrics in checks.items()
        for metric, floor in metrics.items()
        if not _within(_metric(scores[corpus][name], metric), metric, floor)
    ]


def _metric(score: Score, metric: str) -> float:
    if metric == "max_flag_rate":
        total = score.fp + score.tn
        return score.fp / total if total else 0.0
    return getattr(score, metric)


def _relation(metric: str) -> str:
    return ">" if metric.startswith("max_") else "<"


def _within(value: float, metric: str, floor: float) -> bool:
    return value <= floor if metric.startswith("max_") else value >= floor


if __name__ == "__main__":
    sys.exit(main())
