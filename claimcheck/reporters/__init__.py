"""Reporters: every one renders the same LintResult (and `rules`, each rule's metadata) as text.

REPORTERS is the registry `check --format` picks from: a new output format is one module here
with a `render(result, rules)` function, and one line below. Reporters never touch the disk.
A module that can also give its report in pieces has `chunks(result, rules)` (an iterator of
strings that join to what `render` returns): the CLI writes those as they come, so the report
of a large tree is never held whole (`report_chunks`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import FINGERPRINT_KEY

__all__ = ["FINGERPRINT_KEY", "REPORTERS", "Reporter", "report_chunks"]

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


def report_chunks(name: str, result: LintResult, rules: Mapping[str, Rule]) -> Iterator[str]:
    """The report of format `name` in pieces: the module's `chunks`, else `render`'s one string."""
    module = importlib.import_module(f"claimcheck.reporters.{name}")
    chunks = getattr(module, "chunks", None)
    return chunks(result, rules) if chunks is not None else iter((module.render(result, rules),))
