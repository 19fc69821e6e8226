"""Every rule of every built-in pack has examples both ways.

The examples are what `claimcheck explain` shows; they run as cases with the YAML fixtures
in tests/test_rule_fixtures.py (through claimcheck.packtest, as `claimcheck test-pack` runs
them). A rule without both kinds of example fails here.
"""

from __future__ import annotations

import pytest

from claimcheck.config import Config
from claimcheck.packs import builtin_packs

RULES = [rule for pack in builtin_packs() for rule in Config(packs=(pack,)).ruleset().rules.values()]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples_both_ways(rule):
    assert rule.examples.get("report"), f"{rule.id} has no 'report' examples"
    assert rule.examples.get("pass"), f"{rule.id} has no 'pass' examples"
