"""Reporters: every one renders the same LintResult (and `rules`, each rule's metadata) as text.

REPORTERS is the registry `check --format` picks from: a new output format is one module here
with a `render(result, rules)` function, and one line below. Reporters never touch the disk.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import FINGERPRINT_KEY

__all__ = ["FINGERPRINT_KEY", "REPORTERS", "Reporter"]

Reporter = Callable[[LintResult, Mapping[str, Rule]], str]


def _on_demand(name: str) -> Reporter:
    """The `render` of module `name`, imported when first called: a run uses one format, and
    importing them all (xml.etree for JUnit, the HTML page template) costs every run."""

    def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
        return importlib.import_module(f"claimcheck.reporters.{name}").render(result, rules)

    return render


REPORTERS: dict[str, Reporter] = {
    name: _on_demand(name) for name in ("text", "json", "sarif", "github", "junit", "gitlab", "html")
}
