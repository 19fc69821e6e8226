"""Every rule of every built-in pack proves itself on its own examples.

The examples are what `claimcheck explain` shows, so they are tested as fixtures:
each `report` example must fire the rule and each `pass` example must not. A rule
without both kinds of example fails here.
"""

from __future__ import annotations

import pytest

from claimcheck import lint_text
from claimcheck.config import Config
from claimcheck.packs import builtin_packs

RULES = [rule for pack in builtin_packs() for rule in Config(packs=(pack,)).ruleset().rules.values()]


def _cases(key: str):
    return [
        pytest.param(rule, text, id=f"{rule.id}:{i}")
        for rule in RULES
        for i, text in enumerate(rule.examples.get(key, []))
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples_both_ways(rule):
    assert rule.examples.get("report"), f"{rule.id} has no 'report' examples"
    assert rule.examples.get("pass"), f"{rule.id} has no 'pass' examples"


@pytest.mark.parametrize(("rule", "text"), _cases("report"))
def test_report_example_fires(rule, text):
    config = Config(packs=(rule.pack,))
    assert rule.id in {f.rule for f in lint_text(text, "example.txt", config=config)}


@pytest.mark.parametrize(("rule", "text"), _cases("pass"))
def test_pass_example_does_not_fire(rule, text):
    config = Config(packs=(rule.pack,))
    assert rule.id not in {f.rule for f in lint_text(text, "example.txt", config=config)}
