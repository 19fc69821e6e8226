"""Reporters: every one renders the same LintResult (and `rules`, each rule's metadata) as text.

REPORTERS is the registry `check --format` picks from: a new output format is one module here
with a `render(result, rules)` function, and one line below. Reporters never touch the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters import github, gitlab, json, junit, sarif, text
from claimcheck.reporters.common import FINGERPRINT_KEY

__all__ = ["FINGERPRINT_KEY", "REPORTERS", "Reporter"]

Reporter = Callable[[LintResult, Mapping[str, Rule]], str]


def _html(result: LintResult, rules: Mapping[str, Rule]) -> str:
    from claimcheck.reporters import html  # its page template is large; loaded only when asked for

    return html.render(result, rules)


REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "html": _html,
}
