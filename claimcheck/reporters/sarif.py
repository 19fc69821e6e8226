"""SARIF 2.1.0 (GitHub code scanning, and any SARIF viewer)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePath
from urllib.parse import quote

from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import (
    FINGERPRINT_KEY,
    Streamed,
    finding_text,
    fingerprints,
    json_chunks,
    repository_path,
    version,
)

INFORMATION_URI = "https://github.com/claimcheck/claimcheck"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _artifact_uri(path: str) -> str:
    """A URI reference for SARIF: relative to the repository root and percent-encoded, whatever the
    current directory, or a file: URI outside the repository."""
    relative = repository_path(path)
    if PurePath(relative).is_absolute():
        return Path(relative).as_uri()
    return quote(relative, safe="/")


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
    tags = [rule.finding_kind, *([rule.claim_kind] if rule.claim_kind else []), "health-marketing"]
    descriptor: dict = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.explanation, "markdown": rule.explanation},
        "help": {"text": f"{rule.message}\n\n{rule.explanation}{references_text}", "markdown": help_markdown},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"kind": rule.finding_kind, "pack": rule.pack, "tags": tags},
    }
    urls = [ref["url"] for ref in rule.references if ref.get("url")]
    if urls:
        descriptor["helpUri"] = urls[0]
    return descriptor


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """The report as one string (see `chunks`)."""
    return "".join(chunks(result, rules))


def chunks(result: LintResult, rules: Mapping[str, Rule]) -> Iterator[str]:
    """SARIF 2.1.0: one run whose driver describes every rule that has findings (sorted by id).

    Only reported rules are described, so the file stays small and every descriptor is used.
    Columns are 1-based code points with exclusive ends, as claimcheck's are. Each result
    carries a line-independent fingerprint under partialFingerprints["claimcheck/v1"].
    Files that could not be read are tool execution notifications. Written in pieces, each
    result made as it is written.
    """
    first_finding = {}
    for f in result.findings:
        first_finding.setdefault(f.rule, f)
    rule_ids = sorted(first_finding)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run = {
        "tool": {
            "driver": {
                "name": "claimcheck",
                "version": version(),
                "semanticVersion": version(),
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
        "results": Streamed(_results(result.findings, index)),
    }
    return json_chunks({"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]})


def _results(findings: list[Finding], index: dict[str, int]) -> Iterator[dict]:
    """A SARIF result per finding, made as it is written."""
    for f, fingerprint in zip(findings, fingerprints(findings), strict=True):
        yield {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVELS[f.severity],
            "message": {"text": finding_text(f)},
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
