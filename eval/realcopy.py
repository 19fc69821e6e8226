"""The real-copy corpus (eval/real/): loading, validation, the fixed split, and its scores.

Real health-marketing copy as regulators quoted it (FDA warning letters, FTC cases), and
real public-domain patient-education text as negatives. See eval/README.md for sources,
licences and how the split works.

    rows/*.yaml        one row per sentence, headline or bullet (regulator-quoted copy)
    negatives/*.yaml   the same format: patient-education sentences
    passages/*.txt     whole passages, each with <name>.expected.yaml
    sources/*.yaml     one entry per letter, case or page: url, agency, date, licence...
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from claimcheck.findings import Finding
from claimcheck.lint import lint_text

REAL = Path(__file__).parent / "real"
CLAIM_KINDS = ("efficacy", "quantified", "comparative", "absolute", "establishment")
SOURCE_FIELDS = ("id", "kind", "title", "agency", "url", "product_type", "licence")  # and a date, but for
# patient-education pages, which often carry none
ROW_FIELDS = ("text", "expect", "source")
DISCLAIMER_VALUES = ("present", "missing", "not-required")
DISCLAIMER_RULES = {
    "physician": "core/physician-disclaimer-missing",
    "supplement": "core/supplement-disclaimer-missing",
}

# The split is fixed by the source document's id, never by sentence, so no letter has rows
# on both sides. HELD_OUT_PERCENT of the hash space is held out: with a few hundred sources
# that is comfortably more than 30% of them. Changing this rule or an id re-deals the split:
# don't.
HELD_OUT_PERCENT = 36
SPLITS = ("development", "held-out")


# Marks a regulator adds when quoting, which the copy never had: "[sic]" after a misspelling,
# and a bracketed first letter whose case it changed to start its own sentence ("[R]elieves").
# Rows and passages are scored as the copy was written, with these undone.
_SIC = re.compile(r"[ \t]*\[sic\.?\]", re.IGNORECASE)
_RECASED_LETTER = re.compile(r"\[([A-Za-z])\](?=[a-z])")


def as_written(text: str) -> str:
    """The quoted copy without the regulator's editorial marks: "[R]eleiving [sic]" -> "Releiving"."""
    return _RECASED_LETTER.sub(r"\1", _SIC.sub("", text))


def split_of(source_id: str) -> str:
    bucket = int(hashlib.sha256(source_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "held-out" if bucket < HELD_OUT_PERCENT else "development"


class CorpusError(ValueError):
    """The corpus files break their format; the message names the file and entry."""


@dataclass(frozen=True)
class Row:
    text: str
    expect: frozenset[str]
    source: str
    source_kind: str
    product_type: str
    fragment: bool
    ambiguous: bool
    file: str


@dataclass(frozen=True)
class Passage:
    name: str
    text: str
    source: str
    expected: dict


@dataclass(frozen=True)
class Corpus:
    sources: dict[str, dict]
    rows: tuple[Row, ...]  # regulator-quoted copy
    negatives: tuple[Row, ...]  # patient-education text
    passages: tuple[Passage, ...]

    def split(self, name: str) -> Corpus:
        def keep(source: str) -> bool:
            return split_of(source) == name

        return Corpus(
            {key: value for key, value in self.sources.items() if keep(key)},
            tuple(row for row in self.rows if keep(row.source)),
            tuple(row for row in self.negatives if keep(row.source)),
            tuple(passage for passage in self.passages if keep(passage.source)),
        )


def load(root: Path = REAL) -> Corpus:
    """Read and validate every corpus file under root; CorpusError on the first problem."""
    sources: dict[str, dict] = {}
    for path in sorted((root / "sources").glob("*.yaml")):
        for index, entry in enumerate(yaml_list(path)):
            where = f"{path.name}[{index}]"
            require(
                entry, SOURCE_FIELDS if entry.get("kind") == "patient-education" else (*SOURCE_FIELDS, "date"), where
            )
            known = sources.setdefault(entry["id"], entry)
            if known["url"] != entry["url"]:  # the same letter may be listed by several files
                raise CorpusError(f"{where}: source id {entry['id']!r} is defined twice, with different urls")
    rows = tuple(_rows(root / "rows", sources))
    negatives = tuple(_rows(root / "negatives", sources))
    passages = tuple(_passages(root / "passages", sources))
    return Corpus(sources, rows, negatives, passages)


def yaml_list(path: Path) -> list[dict]:
    """A corpus file's entries: a YAML list of mappings; CorpusError otherwise."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise CorpusError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise CorpusError(f"{path}: expected a list of mappings")
    return data


def require(entry: dict, fields: Iterable[str], where: str) -> None:
    """CorpusError naming the fields an entry leaves empty."""
    missing = [name for name in fields if entry.get(name) in (None, "")]
    if missing:
        raise CorpusError(f"{where}: missing {', '.join(missing)}")


def _rows(folder: Path, sources: dict[str, dict]) -> Iterable[Row]:
    for path in sorted(folder.glob("*.yaml")):
        for index, entry in enumerate(yaml_list(path)):
            where = f"{path.parent.name}/{path.name}[{index}]"
            require(entry, ("text", "source"), where)
            expect = entry.get("expect")
            if not isinstance(expect, list) or not set(expect) <= set(CLAIM_KINDS):
                raise CorpusError(f"{where}: expect must be a list of {', '.join(CLAIM_KINDS)}")
            source = sources.get(entry["source"])
            if source is None:
                raise CorpusError(f"{where}: unknown source {entry['source']!r}")
            yield Row(
                text=as_written(" ".join(str(entry["text"]).split())),
                expect=frozenset(expect),
                source=entry["source"],
                source_kind=source["kind"],
                product_type=source["product_type"],
                fragment=bool(entry.get("fragment")),
                ambiguous=bool(entry.get("ambiguous")),
                file=f"{path.parent.name}/{path.name}",
            )


def _passages(folder: Path, sources: dict[str, dict]) -> Iterable[Passage]:
    for expected_file in sorted(folder.glob("*.expected.yaml")):
        name = expected_file.name.removesuffix(".expected.yaml")
        text_file = folder / f"{name}.txt"
        if not text_file.exists():
            raise CorpusError(f"{expected_file.name}: no {text_file.name} beside it")
        expected = yaml.safe_load(expected_file.read_text(encoding="utf-8")) or {}
        text = as_written(text_file.read_text(encoding="utf-8"))
        for group in ("claims", "ambiguous_claims"):
            for claim in expected.get(group) or []:
                if isinstance(claim.get("text"), str):
                    claim["text"] = as_written(claim["text"])
        where = expected_file.name
        if expected.get("source") not in sources:
            raise CorpusError(f"{where}: unknown source {expected.get('source')!r}")
        lines = text.splitlines()
        for group in ("claims", "ambiguous_claims"):
            for claim in expected.get(group) or []:
                line = claim.get("line")
                if not isinstance(line, int) or not 1 <= line <= len(lines) or claim.get("text") not in lines[line - 1]:
                    raise CorpusError(f"{where}: {group} span {claim.get('text')!r} is not on line {line}")
        for kind in DISCLAIMER_RULES:
            if expected.get(f"{kind}_disclaimer") not in DISCLAIMER_VALUES:
                raise CorpusError(f"{where}: {kind}_disclaimer must be one of {', '.join(DISCLAIMER_VALUES)}")
        yield Passage(name, text, expected["source"], expected)


# --- scoring -----------------------------------------------------------------------------


def _claim_kinds(findings: list[Finding], rules: dict) -> set[str]:
    return {rules[f.rule].claim_kind for f in findings if f.kind == "claim"}


def score(corpus: Corpus, score_type: type, rules: dict) -> dict:
    """Scores by name (Score objects from evaluate.py), in report order."""
    scores: dict = defaultdict(score_type)
    rows = [(row, _claim_kinds(lint_text(row.text, "row.txt"), rules)) for row in corpus.rows]
    negatives = [(row, _claim_kinds(lint_text(row.text, "row.txt"), rules)) for row in corpus.negatives]
    for row, reported in rows:
        _add(scores, "claims (regulator rows)", row, reported)
    for row, reported in rows + negatives:
        _add(scores, "claims (all rows)", row, reported)
    for row, reported in rows + negatives:
        _add(scores, f"claims, source: {row.source_kind}", row, reported, unambiguous=False)
    for row, reported in rows + negatives:
        if row.ambiguous:
            continue
        for kind in CLAIM_KINDS:
            scores[f"claims, kind: {kind}"].add(kind in row.expect, kind in reported, _label(row, reported))
    for row, reported in negatives:
        if not row.expect and not row.ambiguous:
            # Flag rate: the share of needs-no-report sentences that got a claim report.
            scores["patient-education flag rate"].add(False, bool(reported), _label(row, reported))
    for row, reported in _in_their_pages(corpus.negatives, rules):
        if not row.expect and not row.ambiguous:
            # The same, each page linted whole: what a feature that reads the whole document
            # (the page names a product, gives directions) does to real pages.
            scores["patient-education whole-page flag rate"].add(False, bool(reported), _label(row, reported))
    for passage in corpus.passages:
        _score_passage(scores, passage, rules)
    return dict(scores)


def _in_their_pages(rows: Iterable[Row], rules: dict) -> Iterator[tuple[Row, set[str]]]:
    """Each row with the claim kinds reported on its line when its page is linted as one
    document: the page's rows in order, each a paragraph of its own."""
    pages: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        pages[row.source].append(row)
    for page in pages.values():
        findings = lint_text("\n\n".join(row.text for row in page), "page.txt")
        by_line: dict[int, set[str]] = defaultdict(set)
        for finding in findings:
            if finding.kind == "claim":
                by_line[finding.line].add(rules[finding.rule].claim_kind)
        for index, row in enumerate(page):
            yield row, by_line[2 * index + 1]


def _label(row: Row, reported: set[str]) -> str:
    return f"{row.text!r} [{row.source}] expected {sorted(row.expect)} got {sorted(reported)}"


def _add(scores: dict, name: str, row: Row, reported: set[str], unambiguous: bool = True) -> None:
    label = _label(row, reported)
    scores[name].add(bool(row.expect), bool(reported), label)
    if unambiguous and not row.ambiguous:
        scores[f"{name}, unambiguous"].add(bool(row.expect), bool(reported), label)


def _score_passage(scores: dict, passage: Passage, rules: dict) -> None:
    """Claims by span (a reported claim overlapping the expected clause), markers, disclaimers."""
    findings = lint_text(passage.text, f"{passage.name}.txt")
    lines = passage.text.splitlines()
    wanted = [_span(lines, claim) for claim in passage.expected.get("claims") or []]
    unsure = [_span(lines, claim) for claim in passage.expected.get("ambiguous_claims") or []]
    reported = _merged(f for f in findings if f.kind == "claim")
    for span in wanted:
        hit = any(_overlap(span, got) for got in reported)
        scores["passages: claims"].add(True, hit, f"{passage.name}:{span[0]} {lines[span[0] - 1][span[1] : span[2]]!r}")
    for got in reported:
        if not any(_overlap(span, got) for span in wanted + unsure):
            excerpt = lines[got[0] - 1][got[1] : got[2]]
            scores["passages: claims"].add(False, True, f"{passage.name}:{got[0]} {excerpt!r}")
    unresolved = {(m["line"], str(m["marker"])) for m in passage.expected.get("markers") or [] if not m["resolves"]}
    got_markers = {(f.line, f.excerpt) for f in findings if f.rule == "core/footnote-unresolved"}
    for line, marker in sorted(unresolved | got_markers):
        label = f"{passage.name}:{line} {marker!r}"
        scores["passages: footnote-unresolved"].add((line, marker) in unresolved, (line, marker) in got_markers, label)
    for kind, rule in DISCLAIMER_RULES.items():
        expected = passage.expected[f"{kind}_disclaimer"]
        label = f"{passage.name} {kind} disclaimer expected {expected}"
        scores["passages: disclaimers"].add(expected == "missing", any(f.rule == rule for f in findings), label)


Span = tuple[int, int, int]  # line, start column, end column (0-based, end exclusive)


def _span(lines: list[str], claim: dict) -> Span:
    start = lines[claim["line"] - 1].index(claim["text"])
    return claim["line"], start, start + len(claim["text"])


def _merged(findings: Iterable[Finding]) -> list[Span]:
    """Reported claim spans, overlapping ones on a line merged: one claim reported by two rules counts once."""
    spans = sorted((f.line, f.column - 1, f.end_column - 1 if f.end_line == f.line else 10**9) for f in findings)
    merged: list[Span] = []
    for line, start, end in spans:
        if merged and merged[-1][0] == line and start < merged[-1][2]:
            merged[-1] = (line, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((line, start, end))
    return merged


def _overlap(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def describe(corpus: Corpus) -> list[str]:
    """Counts for the report: sources, rows and labels."""
    lines = []
    for name in SPLITS:
        part = corpus.split(name)
        kinds = defaultdict(int)
        for row in part.rows:
            for kind in row.expect or {"none"}:
                kinds[kind] += 1
        label_counts = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        regulator_sources = {row.source for row in part.rows} | {p.source for p in part.passages}
        lines.append(
            f"- {name}: {len(part.rows)} regulator-quoted rows from {len({r.source for r in part.rows})} letters "
            f"and cases ({sum(r.ambiguous for r in part.rows)} ambiguous; labels: {label_counts}); "
            f"{len(part.passages)} passages; {len(regulator_sources)} regulator documents in all; "
            f"{len(part.negatives)} patient-education sentences from "
            f"{len({r.source for r in part.negatives})} pages"
        )
    return lines
