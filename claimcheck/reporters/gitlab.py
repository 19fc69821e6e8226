"""GitLab Code Quality (the Code Climate issue format subset GitLab reads)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from claimcheck.findings import LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import fingerprints, repository_path

_GITLAB_SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """A JSON list of Code Quality issues, one per finding, with line and column positions.

    Severities: error is critical, warning is major (it fails a run by default), info is info.
    Fingerprints are the SARIF ones, so an issue keeps its identity across line shifts.
    """
    issues = []
    for f, fingerprint in zip(result.findings, fingerprints(result.findings), strict=True):
        issue: dict = {
            "type": "issue",
            "check_name": f.rule,
            "description": f"{f.rule}: {f.message}",
            "categories": ["Style"],
            "severity": _GITLAB_SEVERITIES[f.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": repository_path(f.path),
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
