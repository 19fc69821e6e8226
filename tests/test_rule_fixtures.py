"""Rule cases as YAML fixtures (tests/rules/<pack>/<rule>.yml), sqlfluff-style.

Each `report` case must fire its rule, and where `findings` are given, exactly there (line,
column, excerpt); each `pass` case must not fire it. Every claim pattern of the built-in
packs must fire on at least one case (a fixture or the rule's own examples): a pattern that
matches nothing we have is either untested or dead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.packs import builtin_packs

FIXTURES = sorted((Path(__file__).parent / "rules").glob("*/*.yml"))


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rule"].split("/", 1)[1] == path.stem, f"{path.name} holds cases for {data['rule']}"
    return data


CASES = [(path, _load(path)) for path in FIXTURES]


def _findings(rule: str, text: str):
    config = Config(packs=(rule.split("/")[0],))
    return [f for f in lint_text(text, "case.txt", config=config) if f.rule == rule]


@pytest.mark.parametrize(
    ("rule", "case"),
    [
        pytest.param(data["rule"], case, id=f"{data['rule']}:{i}")
        for _, data in CASES
        for i, case in enumerate(data.get("report", []))
    ],
)
def test_report_case(rule, case):
    found = _findings(rule, case["text"])
    assert found, f"{rule} did not fire on {case['text']!r}"
    if "findings" in case:
        got = [{"line": f.line, "column": f.column, "excerpt": f.excerpt} for f in found]
        assert got == case["findings"]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        pytest.param(data["rule"], text, id=f"{data['rule']}:{i}")
        for _, data in CASES
        for i, text in enumerate(data.get("pass", []))
    ],
)
def test_pass_case(rule, text):
    assert not _findings(rule, text), f"{rule} fired on {text!r}"


def test_every_claim_pattern_fires_on_some_case():
    import spacy

    from claimcheck.matcher import IndexedMatcher

    texts: dict[str, list[str]] = {}
    rules = [rule for pack in builtin_packs() for rule in Config(packs=(pack,)).ruleset().rules.values()]
    for rule in rules:
        texts.setdefault(rule.id, []).extend(rule.examples.get("report", []))
    for _, data in CASES:
        texts.setdefault(data["rule"], []).extend(case["text"] for case in data.get("report", []))
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    unfired = []
    for rule in rules:
        if rule.check != "claim":
            continue
        keyed = {f"{rule.id} pattern {n + 1}": [pattern] for n, pattern in enumerate(rule.patterns)}
        matcher = IndexedMatcher(nlp.vocab, keyed)
        fired = {key for doc in nlp.pipe(texts.get(rule.id, [])) for key, _, _ in matcher(doc)}
        unfired += sorted(set(keyed) - fired, key=lambda key: int(key.rsplit(" ", 1)[1]))
    assert not unfired, "patterns that fire on no case:\n" + "\n".join(unfired)
