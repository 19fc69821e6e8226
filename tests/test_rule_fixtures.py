"""Rule cases as YAML fixtures (tests/rules/<pack>/<rule>.yml), sqlfluff-style, and every rule's examples.

The cases run through `claimcheck.packtest`, the code behind `claimcheck test-pack`, so the
project tests its packs exactly as a user's CI tests theirs. Each `report` case must fire its
rule (and, where `findings` are given, exactly there: line, column, excerpt); each `pass` case
must not fire it. Every claim pattern of the built-in packs must fire on at least one case (a
fixture or the rule's own examples): a pattern that matches nothing we have is either untested
or dead.
"""

from __future__ import annotations

import pytest

from claimcheck.config import Config
from claimcheck.packs import builtin_packs
from claimcheck.packtest import Runner, collect

PACKS = [collect(pack) for pack in builtin_packs()]
RUNNER = Runner()


@pytest.mark.parametrize(
    ("pack", "case"),
    [
        pytest.param(pack, case, id=f"{case.rule}:{case.expect}:{case.where.rsplit('/', 1)[-1]}")
        for pack in PACKS
        for case in pack.cases
    ],
)
def test_case(pack, case):
    problem = RUNNER.judge(pack, case)
    assert problem is None, f"{case.where}: {problem}"


@pytest.mark.parametrize("pack", PACKS, ids=lambda pack: pack.name)
def test_every_rule_has_cases_both_ways(pack):
    for rule in pack.rules:
        assert pack.texts(rule, "report"), f"{rule} has no 'report' case"
        assert pack.texts(rule, "pass"), f"{rule} has no 'pass' case"


def test_every_claim_pattern_fires_on_some_case():
    from claimcheck.matcher import IndexedMatcher
    from claimcheck.pipeline import get_pipeline

    unfired = []
    for pack in PACKS:
        ruleset = Config(packs=(pack.reference,)).ruleset()
        nlp = get_pipeline(ruleset)  # its Docs as the matcher sees them: entries of several tokens joined
        for rule_id in pack.rules:
            rule = ruleset.rules[rule_id]
            if rule.check != "claim":
                continue
            keyed = {f"{rule.id} pattern {n + 1}": [pattern] for n, pattern in enumerate(rule.patterns)}
            matcher = IndexedMatcher(nlp.vocab, keyed)
            fired = {key for doc in nlp.pipe(pack.texts(rule_id)) for key, _, _ in matcher(doc)}
            unfired += sorted(set(keyed) - fired, key=lambda key: int(key.rsplit(" ", 1)[1]))
    assert not unfired, "patterns that fire on no case:\n" + "\n".join(unfired)
