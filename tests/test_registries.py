"""Every extension point has one registry, and each entry is complete."""

from __future__ import annotations

from claimcheck.checks import MODULES
from claimcheck.config import Config
from claimcheck.reporters import REPORTERS


def test_every_check_a_rule_names_has_one_module() -> None:
    handled = [name for module in MODULES for name in module.CHECKS]
    assert len(handled) == len(set(handled))
    named = {rule.check for rule in Config().ruleset().rules.values()}
    assert named - {"suppression"} <= set(handled)  # suppression: reported by the suppressions filter


def test_every_check_has_one_entry_point() -> None:
    for module in MODULES:
        assert callable(module.check) and module.check.__doc__, module.__name__


def test_reporters_are_registered_by_the_name_format_takes() -> None:
    assert list(REPORTERS) == ["text", "json", "sarif", "github", "junit", "gitlab", "html"]
