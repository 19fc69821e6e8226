"""GitLab Code Quality (the Code Climate issue format subset GitLab reads)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from claimcheck.findings import LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import Streamed, fingerprints, json_chunks, repository_path

_GITLAB_SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """The report as one string (see `chunks`)."""
    return "".join(chunks(result, rules))


def chunks(result: LintResult, rules: Mapping[str, Rule]) -> Iterator[str]:
    """A JSON list of Code Quality issues, one per finding, with line and column positions.

    Severities: error is critical, warning is major (it fails a run by default), info is info.
    Fingerprints are the SARIF ones, so an issue keeps its identity across line shifts.
    Written in pieces, each issue made as it is written.
    """
    return json_chunks(Streamed(_issues(result)))


def _issues(result: LintResult) -> Iterator[dict]:
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
        yield issue
