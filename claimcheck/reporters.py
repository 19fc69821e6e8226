"""Reporters: every one renders the same LintResult; `rules` gives each rule's metadata."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from urllib.parse import quote

from claimcheck import __version__
from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.packs import Rule

# Version of the JSON output contract (docs/json-output.md). Bump on incompatible change.
JSON_VERSION = 1


def summary(result: LintResult) -> dict:
    counts = Counter(f.severity.value for f in result.findings)
    return {
        "files": result.files,
        "findings": len(result.findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "unreadable": list(result.errors),
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _text_lines(f: Finding) -> list[str]:
    """One finding as the text reporter prints it: header, excerpt, and why it matched."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"]
    excerpt = " ".join(f.excerpt.split())
    lines.append(f"    | {excerpt[:157] + '...' if len(excerpt) > 160 else excerpt}")
    if f.explanation:
        lines.append(f"    = {f.explanation}")
    return lines


def render_text(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""
    lines = [line for f in result.findings for line in _text_lines(f)]
    counts = summary(result)
    if result.findings:
        lines.append(
            f"Found {_plural(counts['findings'], 'finding')} "
            f"({counts['errors']} error, {counts['warnings']} warning, {counts['info']} info) "
            f"in {_plural(result.files, 'file')}."
        )
    else:
        lines.append(f"No findings in {_plural(result.files, 'file')}.")
    return "\n".join(lines)


def render_json(result: LintResult, rules: Mapping[str, Rule]) -> str:
    return json.dumps(
        {
            "version": JSON_VERSION,
            "claimcheck": __version__,
            "findings": [f.to_dict() for f in result.findings],
            "summary": summary(result),
        },
        ensure_ascii=False,
        indent=2,
    )


# ---------------------------------------------------------------------------------------------
# Shared by the CI formats: paths as CI systems want them, and fingerprints that survive edits.

INFORMATION_URI = "https://github.com/claimcheck/claimcheck"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Bump if the fingerprint recipe changes: CI systems would see every finding as new.
FINGERPRINT_KEY = "claimcheck/v1"


def _relative_path(path: str) -> str:
    """The path with forward slashes, relative to the current directory when it is inside it.

    CI systems match annotations to files in the checkout by repository-relative path, and
    claimcheck runs from the checkout's root in CI.
    """
    pure = PurePath(path)
    if pure.is_absolute():
        with contextlib.suppress(ValueError):
            pure = pure.relative_to(Path.cwd())
    return pure.as_posix()


def _artifact_uri(path: str) -> str:
    """A URI reference for SARIF: relative and percent-encoded, or a file: URI outside the checkout."""
    relative = _relative_path(path)
    if PurePath(relative).is_absolute():
        return Path(relative).as_uri()
    return quote(relative, safe="/")


def _fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A stable id for each finding: rule, path, excerpt (whitespace collapsed) and occurrence.

    The line number is left out on purpose, so a finding keeps its id when text above it is
    added or removed; the occurrence index (the nth identical excerpt for this rule in this
    file, in document order) tells repeated identical claims apart.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    fingerprints = []
    for f in findings:
        key = (f.rule, _relative_path(f.path), " ".join(f.excerpt.split()))
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        fingerprints.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return fingerprints


def _finding_text(f: Finding) -> str:
    """The message, then why it matched (when known) on a second line."""
    return f"{f.message}\n{f.explanation}" if f.explanation else f.message


# ---------------------------------------------------------------------------------------------
# SARIF 2.1.0 (GitHub code scanning, and any SARIF viewer).

_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_rule(rule_id: str, rule: Rule | None, fallback: Finding) -> dict:
    """A reportingDescriptor; a rule missing from `rules` is described from its finding."""
    if rule is None:
        return {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": fallback.message},
            "properties": {"kind": fallback.kind, "pack": fallback.pack, "tags": [fallback.kind]},
        }
    references_text = "".join(
        f"\nSee: {ref['title']}" + (f" <{ref['url']}>" if ref.get("url") else "") for ref in rule.references
    )
    references_markdown = "".join(
        f"\n- [{ref['title']}]({ref['url']})" if ref.get("url") else f"\n- {ref['title']}" for ref in rule.references
    )
    help_markdown = f"**{rule.message}**\n\n{rule.explanation}"
    if references_markdown:
        help_markdown += "\n\nReferences:" + references_markdown
    tags = [rule.kind, *([rule.claim_kind] if rule.claim_kind else []), "health-marketing"]
    descriptor: dict = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.explanation, "markdown": rule.explanation},
        "help": {"text": f"{rule.message}\n\n{rule.explanation}{references_text}", "markdown": help_markdown},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"kind": rule.kind, "pack": rule.pack, "tags": tags},
    }
    urls = [ref["url"] for ref in rule.references if ref.get("url")]
    if urls:
        descriptor["helpUri"] = urls[0]
    return descriptor


def render_sarif(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """SARIF 2.1.0: one run whose driver describes every rule that has findings (sorted by id).

    Only reported rules are described, so the file stays small and every descriptor is used.
    Columns are 1-based code points with exclusive ends, as claimcheck's are. Each result
    carries a line-independent fingerprint under partialFingerprints["claimcheck/v1"].
    Files that could not be read are tool execution notifications.
    """
    first_finding = {}
    for f in result.findings:
        first_finding.setdefault(f.rule, f)
    rule_ids = sorted(first_finding)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = []
    for f, fingerprint in zip(result.findings, _fingerprints(result.findings), strict=True):
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _SARIF_LEVELS[f.severity],
                "message": {"text": _finding_text(f)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _artifact_uri(f.path)},
                            "region": {
                                "startLine": f.line,
                                "startColumn": f.column,
                                "endLine": f.end_line,
                                "endColumn": f.end_column,
                                "snippet": {"text": f.excerpt},
                            },
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
                "properties": {"kind": f.kind, "pack": f.pack},
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "claimcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(rule_id, rules.get(rule_id), first_finding[rule_id]) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error}} for error in result.errors
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return json.dumps(
        {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]},
        ensure_ascii=False,
        indent=2,
    )


# ---------------------------------------------------------------------------------------------
# GitHub Actions workflow commands: annotations on the pull request's diff.

_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """One `::error|warning|notice file=...,line=...::message` command per finding.

    Unreadable files become `::error title=claimcheck::...` commands. No findings: no output.
    """
    lines = []
    for f in result.findings:
        properties = {
            "file": _relative_path(f.path),
            "line": f.line,
            "col": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
            "title": f.rule,
        }
        joined = ",".join(f"{key}={_github_property(str(value))}" for key, value in properties.items())
        lines.append(f"::{_GITHUB_COMMANDS[f.severity]} {joined}::{_github_data(_finding_text(f))}")
    lines.extend(f"::error title=claimcheck::{_github_data(error)}" for error in result.errors)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# JUnit XML (Jenkins, GitLab test reports, Azure Pipelines...).

# Characters XML 1.0 cannot contain at all, even escaped.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML can hold: invalid characters replaced, line ends as the parser would normalise them."""
    return _XML_INVALID.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def render_junit(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """One testsuite "claimcheck" with one testcase per linted file.

    A file with findings fails: its <failure> has a one-line summary as `message`, the rules
    as `type`, and the findings in the text format as its body. Files without findings
    pass, and files that could not be read are testcases with an <error>.
    """
    by_path: dict[str, list[Finding]] = {}
    for path in result.paths:
        by_path.setdefault(path, [])
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(1 for findings in by_path.values() if findings)
    suite_attributes = {
        "name": "claimcheck",
        "tests": str(len(by_path) + len(result.errors)),
        "failures": str(failures),
        "errors": str(len(result.errors)),
        "skipped": "0",
    }
    root = ET.Element("testsuites", suite_attributes)
    suite = ET.SubElement(root, "testsuite", suite_attributes)
    for path, findings in by_path.items():
        name = _xml_text(_relative_path(path))
        case = ET.SubElement(suite, "testcase", {"classname": "claimcheck", "name": name, "file": name})
        if findings:
            counts = Counter(f.severity for f in findings)
            by_rank = sorted(counts, key=lambda severity: -severity.rank)
            message = f"{_plural(len(findings), 'finding')} ({', '.join(f'{counts[s]} {s}' for s in by_rank)})"
            failure = ET.SubElement(
                case,
                "failure",
                {"message": message, "type": _xml_text(" ".join(sorted({f.rule for f in findings})))},
            )
            failure.text = _xml_text("\n".join(line for f in findings for line in _text_lines(f)))
    for error in result.errors:
        name = _xml_text(error.split(": ", 1)[0])
        case = ET.SubElement(suite, "testcase", {"classname": "claimcheck", "name": name, "file": name})
        ET.SubElement(case, "error", {"message": _xml_text(error), "type": "unreadable"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


# ---------------------------------------------------------------------------------------------
# GitLab Code Quality (the Code Climate issue format subset GitLab reads).

_GITLAB_SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render_gitlab(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """A JSON list of Code Quality issues, one per finding, with line and column positions.

    Severities: error is critical, warning is major (it fails a run by default), info is info.
    Fingerprints are the SARIF ones, so an issue keeps its identity across line shifts.
    """
    issues = []
    for f, fingerprint in zip(result.findings, _fingerprints(result.findings), strict=True):
        issue: dict = {
            "type": "issue",
            "check_name": f.rule,
            "description": f"{f.rule}: {f.message}",
            "categories": ["Style"],
            "severity": _GITLAB_SEVERITIES[f.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": _relative_path(f.path),
                "positions": {
                    "begin": {"line": f.line, "column": f.column},
                    "end": {"line": f.end_line, "column": f.end_column},
                },
            },
        }
        if f.explanation:
            issue["content"] = {"body": f.explanation}
        issues.append(issue)
    return json.dumps(issues, ensure_ascii=False, indent=2)


def render_html(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """A self-contained HTML report for reviewers; claimcheck.html_report is imported only when used."""
    from claimcheck.html_report import render_html as render

    return render(result, rules)


Reporter = Callable[[LintResult, Mapping[str, Rule]], str]
REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "junit": render_junit,
    "gitlab": render_gitlab,
    "html": render_html,
}
