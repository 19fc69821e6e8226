"""What the commerce and correlation categories do to disclaimers: a price comparison needs no
disclaimer, and a health claim beside a shop's words still does."""

from __future__ import annotations

from claimcheck.lint import lint_text


def _rules(text: str) -> set[str]:
    return {finding.rule for finding in lint_text(text, "page.txt")}


def test_a_price_comparison_alone_needs_no_disclaimer():
    assert _rules("Cheaper than the leading brand.") == set()


def test_a_health_claim_beside_a_shops_words_still_needs_its_disclaimers():
    found = _rules("Our discount supplement cures arthritis.")
    assert {"core/efficacy-claim", "core/physician-disclaimer-missing", "core/supplement-disclaimer-missing"} <= found
    assert "core/physician-disclaimer-missing" in _rules("Our best-selling cream relieves arthritis pain.")


def test_a_claim_qualified_by_a_correlation_counts_for_disclaimers_as_a_hedged_one_does():
    found = _rules("Statin use is associated with lower cholesterol and prevents heart attacks.")
    assert found == {"core/physician-disclaimer-missing"}
