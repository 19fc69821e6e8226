"""A line that introduces a list ("Acupuncture may help:") qualifies its items, in every format."""

from __future__ import annotations

import pytest

from claimcheck import lint_text

HEDGED = {
    "lead.txt": "Acupuncture may help:\n- Relieve neck pain.\n- Ease tension headaches.\n",
    "lead.md": "Some people use massage for:\n\n* easing back pain\n* reducing anxiety\n",
    "lead.html": "<p>Acupuncture may be useful for:</p><ul><li>Relieve neck pain.</li><li>Ease headaches.</li></ul>",
}


def claims(text: str, path: str) -> list[tuple[str, str]]:
    return [(f.rule, f.excerpt) for f in lint_text(text, path) if f.kind == "claim"]


@pytest.mark.parametrize("path", sorted(HEDGED))
def test_a_hedged_lead_qualifies_its_list_items(path):
    assert claims(HEDGED[path], path) == []


def test_the_hedge_does_not_reach_past_the_list():
    text = "Acupuncture may help:\n- Relieve neck pain.\n\nOur tea cures arthritis.\n"
    assert ("core/efficacy-claim", "cures arthritis") in claims(text, "x.txt")


def test_a_lead_that_is_no_list_lead_changes_nothing():
    # No colon: the next line is a sentence of its own.
    text = "Acupuncture may help.\n- Relieves neck pain.\n"
    assert ("core/efficacy-claim", "Relieves neck pain") in claims(text, "x.txt")


def test_an_absolute_claim_in_the_list_stays():
    # A hedge does not qualify a guarantee (core/absolute-claim is not suppressed by hedges).
    text = "Our formula may help:\n- Guaranteed relief from back pain.\n"
    assert "core/absolute-claim" in [rule for rule, _ in claims(text, "x.txt")]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("lead.md", "Our tea treats:\n\n- arthritis\n- gout\n"),
        ("lead.html", "<p>Our tea treats:</p><ul><li>arthritis</li><li>gout</li></ul>"),
        ("lead.txt", "Our tea treats:\n- arthritis\n- gout\n"),
    ],
)
def test_conditions_listed_under_a_claim_are_claims_in_every_format(path, text):
    listed = [excerpt for rule, excerpt in claims(text, path) if rule == "core/listed-claim"]
    assert listed == ["arthritis", "gout"]


def test_the_explanation_names_the_hedge_of_the_lead():
    text = "Acupuncture may help:\n- Guaranteed relief from back pain.\n"
    found = [f for f in lint_text(text, "x.txt") if f.rule == "core/absolute-claim"]
    assert found and "hedge 'may'" in found[0].explanation


NESTED = {
    "nested.md": "Our tea:\n\n- may help with:\n  - relieving joint pain\n- cures gout\n",
    "nested.html": "<p>Our tea:</p><ul><li>may help with:<ul><li>relieving joint pain</li></ul></li>"
    "<li>cures gout</li></ul>",
    "nested.txt": "Our tea:\n- may help with:\n    - relieving joint pain\n- cures gout\n",
}


@pytest.mark.parametrize("path", sorted(NESTED))
def test_a_hedged_item_qualifies_the_items_nested_under_it_not_its_siblings(path):
    found = claims(NESTED[path], path)
    assert ("core/efficacy-claim", "cures gout") in found
    assert not [excerpt for _, excerpt in found if "joint pain" in excerpt]


def test_a_sibling_of_an_item_that_introduces_a_list_keeps_the_outer_lead():
    text = "Acupuncture may help:\n- with these:\n  - neck pain relief\n- Relieve tension headaches.\n"
    assert claims(text, "x.md") == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("lead.md", "## Conditions We Treat\n\n- Back pain\n- Sciatica\n"),
        ("lead.html", "<h2>Conditions We Treat</h2><ul><li>Back pain</li><li>Sciatica</li></ul>"),
        ("lead.txt", "Conditions We Treat\n- Back pain\n- Sciatica\n"),
    ],
)
def test_a_heading_without_a_colon_introduces_its_list(path, text):
    listed = [excerpt for rule, excerpt in claims(text, path) if rule == "core/listed-claim"]
    assert listed == ["pain", "Sciatica"]


@pytest.mark.parametrize(
    "text",
    [
        "Acupuncture May Help With\n\n- Back pain\n- Headaches\n",  # the heading's hedge reaches its items
        "Symptoms of Arthritis\n\n- Joint pain\n- Stiffness\n",  # a heading that claims nothing
        "Our tea treats arthritis.\n\n- Joint pain\n",  # a sentence, not a heading
    ],
)
def test_a_heading_introduces_only_what_it_claims(text):
    assert [rule for rule, _ in claims(text, "x.md") if rule == "core/listed-claim"] == []


def test_list_items_without_full_stops_do_not_introduce_each_other():
    text = "Our tea treats:\n\n- Arthritis\n- Gout\n\nShipping\n\n- Back pain\n"
    listed = [excerpt for rule, excerpt in claims(text, "x.md") if rule == "core/listed-claim"]
    assert listed == ["Arthritis", "Gout"]
