"""The seed article: everything a careful reviewer flags is reported, nothing they clear is."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimcheck import lint_text
from claimcheck.findings import Severity

SEED = Path(__file__).parent / "fixtures" / "seed"
EXPECTED = yaml.safe_load((SEED / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings():
    text = (SEED / EXPECTED["document"]).read_text(encoding="utf-8")
    return lint_text(text, path=EXPECTED["document"])


def _kind(description: str) -> str:
    if "footnote" in description:
        return "footnote"
    if "disclaimer" in description:
        return "disclaimer"
    return "claim"


@pytest.mark.parametrize("item", EXPECTED["must_report"], ids=lambda i: f"line{i['line']}-{i['kind'][:20]}")
def test_must_report(findings, item):
    kind = _kind(item["kind"])
    on_line = [f for f in findings if f.line == item["line"] and f.kind == kind]
    assert on_line, f"nothing of kind {kind} reported on line {item['line']}"
    if "marker" in item:
        assert any(f.excerpt == item["marker"] for f in on_line)
    if "span" in item:
        # The reported claims together cover the reviewer's span.
        covered = " ".join(f.excerpt for f in on_line)
        for word in ("helped", "75,000", "relief") if "75,000" in item["span"] else ("shorter recovery", "lower risk"):
            assert word in covered


@pytest.mark.parametrize("item", EXPECTED["must_not_report"], ids=lambda i: f"line{i['line']}")
def test_must_not_report(findings, item):
    kind = _kind(item.get("kind", "claim"))
    on_line = [f for f in findings if f.line == item["line"] and f.kind == kind]
    if "span" in item:
        on_line = [f for f in on_line if f.excerpt in item["span"] or item["span"] in f.excerpt]
    assert not on_line, on_line


@pytest.mark.parametrize("item", EXPECTED["either_way"], ids=lambda i: f"line{i['line']}")
def test_either_way_is_at_most_a_warning(findings, item):
    for f in findings:
        if f.line == item["line"] and (f.excerpt in item["span"] or item["span"] in f.excerpt):
            assert f.severity.rank <= Severity.WARNING.rank


def test_nothing_else_is_reported(findings):
    expected_lines = {item["line"] for item in EXPECTED["must_report"]} | {
        item["line"] for item in EXPECTED["either_way"]
    }
    assert {f.line for f in findings} <= expected_lines
