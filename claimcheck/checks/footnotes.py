"""Footnotes: markers in the body that no footnote answers, and footnotes that nothing references.

Markers and definitions are found by the document reader (markers.py); this check only
compares them, so it needs no NLP at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from claimcheck.checks.context import CheckContext
from claimcheck.findings import Finding
from claimcheck.packs import Rule
from claimcheck.readers import Document
from claimcheck.readers.markers import Marker

CHECKS = ("footnote-unresolved", "footnote-orphan")


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Markers no footnote answers (footnote-unresolved), footnotes nothing references (footnote-orphan)."""
    document, ruleset = ctx.document, ctx.ruleset
    defined = {d.key for d in document.definitions}
    referenced = {r.key for r in document.references}
    for rule in ruleset.by_check("footnote-unresolved"):
        for marker in document.references:
            if marker.key not in defined:
                yield _finding(document, rule, marker, f"{rule.message} ('{marker.text}')")
    for rule in ruleset.by_check("footnote-orphan"):
        for marker in document.definitions:
            if marker.key not in referenced and not marker.ambiguous:
                yield _finding(document, rule, marker, f"{rule.message} ('{marker.text}')")


def _finding(document: Document, rule: Rule, marker: Marker, message: str) -> Finding:
    return document.finding(rule, marker.start, marker.end, message=message)
