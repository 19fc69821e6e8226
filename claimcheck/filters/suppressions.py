"""Inline suppressions: comments in a document that silence findings, applied as a filter after the checks.

Each format writes them in its own comment syntax, and its reader finds them (claimcheck.readers):
Markdown and HTML use HTML comments, MDX ``{/* ... */}``, plain text and Word a line of its
own that starts with ``#`` or ``//``::

    <!-- claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03 -->
    Our cream cures arthritis. <!-- claimcheck-disable-line core/efficacy-claim -- approved -->
    <!-- claimcheck-disable core/comparative-claim, core/quantified-claim -- study table -->
    ...
    <!-- claimcheck-enable core/comparative-claim, core/quantified-claim -->
    <!-- claimcheck-disable-file core -- archived page, kept for reference -->

    # claimcheck-disable-next-line core/efficacy-claim -- approved by legal 2026-03

A RULE is a rule id, a pack name or a prefix, as in ``--select``; several are separated by
commas, and none means every rule. Everything after `` -- `` is the reason. A ``disable``
range runs to the ``enable`` that names the same rules (or to the end of the document);
``enable`` without rules ends every open range.

A directive that suppresses nothing, cannot be read, names no known rule or, with
``suppression_reason: required``, gives no reason is itself reported by the rules with
``check: suppression`` (``core/unused-suppression``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from claimcheck import selectors
from claimcheck.findings import Finding
from claimcheck.packs import Rule, RuleSet, matches
from claimcheck.readers import Comment, Document
from claimcheck.text import blanked

ACTIONS = ("disable-next-line", "disable-line", "disable", "enable", "disable-file")

_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")
_SELECTOR = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/(?:[a-z0-9][a-z0-9_-]*)?)?$")


class Directive(NamedTuple):
    """One suppression comment, where it is, and what it says."""

    action: str  # one of ACTIONS, or what was written when it is none of them
    selectors: tuple[str, ...]  # rule ids, packs or prefixes; empty means every rule
    reason: str
    start: int  # offsets of the whole comment in the document text
    end: int
    line: int  # 1-based line the comment starts on
    end_line: int  # 1-based line the comment ends on
    problem: str = ""  # why the directive cannot be read; empty when it can


@dataclass
class _Scope:
    """Where one directive's selectors apply, as (line, column) positions, and which selectors did anything."""

    directive: Directive
    selectors: tuple[str, ...]
    start: tuple[int, int]
    end: tuple[int, int] | None  # exclusive; None: to the end of the document
    used: set[str]


def parse(document: Document) -> list[Directive]:
    """Every suppression directive in the original text, in document order (the reader found the comments)."""
    return [_read(document, comment) for comment in document.comments]


def without_directives(document: Document) -> Document:
    """The document with its directives blanked out of the prose, as comments are: they are not copy.

    Without this, a plain-text directive's reason ("-- may be fine") would hedge the claim
    on the next line, and a claim in a reason would be reported.
    """
    directives = parse(document)
    if not directives:
        return document
    prose = blanked(document.prose, [(d.start, d.end) for d in directives])

    spans = _merged([(d.start, d.end) for d in directives])

    def outside(start: int) -> bool:
        return not _inside(spans, start)

    return replace(
        document,
        prose=prose,
        blocks=tuple((s, e) for s, e in document.blocks if prose[s:e].strip()),
        references=tuple(m for m in document.references if outside(m.start)),
        definitions=tuple(m for m in document.definitions if outside(m.start)),
    )


def _read(document: Document, comment: Comment) -> Directive:
    body = " ".join(comment.body.split())  # a comment may span lines
    head, reason = body, ""
    separator = _REASON.search(body)
    if separator:
        head, reason = body[: separator.start()], body[separator.end() :].strip()
    action, _, rules = head.removeprefix("claimcheck-").partition(" ")
    selectors = tuple(s for s in re.split(r"[,\s]+", rules) if s)
    line, _ = document.position(comment.start)
    end_line, _ = document.position(comment.end)
    problem = ""
    if action not in ACTIONS:
        problem = f"unknown directive 'claimcheck-{action}' (expected claimcheck-{', claimcheck-'.join(ACTIONS)})"
    elif bad := [s for s in selectors if not _SELECTOR.match(s)]:
        problem = f"'{bad[0]}' is not a rule id, pack or prefix (separate rules with commas)"
    return Directive(action, selectors, reason, comment.start, comment.end, line, end_line, problem)


def apply(document: Document, findings: Iterable[Finding], ruleset: RuleSet) -> list[Finding]:
    """The findings no directive suppresses, plus findings about directives that suppress nothing or are broken."""
    directives = parse(document)
    if not directives:
        return list(findings)
    scopes, problems = _scopes(document, directives, ruleset)
    findings = list(findings)
    # Each finding's position, by rule; each rule's suppressed ranges, merged. A finding is then
    # found in its rule's ranges by bisection: checking every scope for every finding was
    # quadratic in a page of thousands of "claimcheck-disable" comments.
    spots: dict[str, list[tuple[int, int]]] = {}
    for finding in findings:
        spots.setdefault(finding.rule, []).append((finding.line, finding.column))
    ranges: dict[str, list[tuple[tuple[int, int], tuple[float, int]]]] = {rule: [] for rule in spots}
    for rule, where in spots.items():
        where.sort()
        for scope in scopes:
            for selector in scope.selectors or ("",):
                if _selects(selector, rule):
                    end = scope.end or _END
                    ranges[rule].append((scope.start, end))
                    first = bisect_left(where, scope.start)
                    if first < len(where) and where[first] < end:
                        scope.used.add(selector)
    merged = {rule: _merged(found) for rule, found in ranges.items()}
    kept = [f for f in findings if not _inside(merged[f.rule], (f.line, f.column))]
    reported = set(ruleset.reported)
    for scope in scopes:
        # A selector for rules that are not reported this run (disabled, --select) may well be needed.
        idle = [
            s
            for s in scope.selectors or ("",)
            if s not in scope.used and any(_selects(s, rule_id) for rule_id in reported)
        ]
        if idle:
            problems.append((scope.directive, _nothing_suppressed(scope, idle)))
    details: dict[Directive, list[str]] = {}
    for directive, detail in problems:
        details.setdefault(directive, []).append(detail)
    for rule in ruleset.by_check("suppression"):
        kept.extend(_finding(document, rule, directive, "; ".join(found)) for directive, found in details.items())
    return kept


def _selects(selector: str, rule_id: str) -> bool:
    return not selector or matches(rule_id, selector)


_END = (float("inf"), 0)  # the end of a range open to the end of the document


def _merged(ranges: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Ranges [start, end) sorted and joined where they overlap or touch."""
    merged: list[tuple[Any, Any]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(merged: list[tuple[Any, Any]], where: Any) -> bool:
    """Is `where` in one of these merged ranges? (Found by bisection on their starts.)"""
    index = bisect_right(merged, where, key=lambda span: span[0]) - 1
    return index >= 0 and merged[index][0] <= where < merged[index][1]


def _scopes(
    document: Document, directives: list[Directive], ruleset: RuleSet
) -> tuple[list[_Scope], list[tuple[Directive, str]]]:
    """Where each readable directive applies, and what is wrong with the others."""
    scopes: list[_Scope] = []
    problems: list[tuple[Directive, str]] = []
    open_ranges: list[_Scope] = []
    for directive in directives:
        if directive.problem:
            problems.append((directive, directive.problem))
            continue
        resolved = tuple(selectors.resolve(s, ruleset.rules) for s in directive.selectors)  # 'efficacy-claim' too
        unknown = [s for s in resolved if not any(matches(rule_id, s) for rule_id in ruleset.rules)]
        if unknown:
            hint = selectors.did_you_mean(unknown[0], selectors.known_selectors(ruleset.rules))
            problems.append((directive, f"no rule matches {', '.join(unknown)}{hint} (run 'claimcheck rules')"))
        if ruleset.suppression_reason == "required" and directive.action != "enable" and not directive.reason:
            problems.append((directive, "a reason is required (suppression_reason: required): add ' -- why'"))
        known = tuple(s for s in resolved if s not in unknown)
        if unknown and not known:
            continue
        end = document.position(directive.end)
        if directive.action == "disable-next-line":
            scopes.append(_Scope(directive, known, (directive.end_line + 1, 1), (directive.end_line + 2, 1), set()))
        elif directive.action == "disable-line":  # the lines the comment itself is on
            scopes.append(_Scope(directive, known, (directive.line, 1), (directive.end_line + 1, 1), set()))
        elif directive.action == "disable-file":
            scopes.append(_Scope(directive, known, (1, 1), None, set()))
        elif directive.action == "disable":
            # One range per selector, so `enable` can end some of them and leave the rest.
            for selector in known or ("",):
                scope = _Scope(directive, (selector,) if selector else (), end, None, set())
                scopes.append(scope)
                open_ranges.append(scope)
        else:  # enable
            ending = [r for r in open_ranges if not known or (r.selectors or ("",))[0] in known]
            closed = {(r.selectors or ("",))[0] for r in ending}
            for scope in ending:
                scope.end = document.position(directive.start)
                open_ranges.remove(scope)
            missing = [s for s in known if s not in closed]
            if not ending or missing:
                names = ", ".join(missing) or "any rule"
                problems.append((directive, f"no claimcheck-disable above it is open for {names}"))
    return scopes, problems


def _nothing_suppressed(scope: _Scope, idle: list[str]) -> str:
    rules = ", ".join(s for s in idle if s) or "any rule"
    where = {
        "disable-next-line": f"on line {scope.directive.end_line + 1}",
        "disable-line": f"on line {scope.directive.line}",
        "disable-file": "in this document",
        "disable": "in its range",
    }[scope.directive.action]
    return f"no finding for {rules} {where} to suppress"


def _finding(document: Document, rule: Rule, directive: Directive, detail: str) -> Finding:
    return document.finding(rule, directive.start, directive.end, explanation=detail)
