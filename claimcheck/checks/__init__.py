"""Checks: one module per kind of check, each with one entry point, ``check(ctx)``, yielding Findings.

A module names the ``check:`` values of the rules it runs (``CHECKS``) and reads what it needs
from the CheckContext (the document, the rule set, and the NLP results, computed on first use).
A new kind of check is one module here and one line in ``MODULES``.

``check: suppression`` rules (directives that suppress nothing) are reported by the suppressions
filter (claimcheck.filters.suppressions), which is the stage that knows what each directive did.
"""

from __future__ import annotations

from claimcheck.checks import claims, disclaimers, footnotes
from claimcheck.checks.context import CheckContext
from claimcheck.findings import Finding

__all__ = ["MODULES", "CheckContext", "run_checks"]

MODULES = (claims, footnotes, disclaimers)


def run_checks(ctx: CheckContext) -> list[Finding]:
    """Every check's findings for one document, before any filter."""
    return [finding for module in MODULES for finding in module.check(ctx)]
