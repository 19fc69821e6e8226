"""Reporters: every one renders the same Finding fields."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from claimcheck import __version__
from claimcheck.findings import Finding

# Version of the JSON output contract (docs/json-output.md). Bump on incompatible change.
JSON_VERSION = 1


def summary(findings: Sequence[Finding], files: int, errors: Sequence[str]) -> dict:
    counts = Counter(f.severity.value for f in findings)
    return {
        "files": files,
        "findings": len(findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "unreadable": list(errors),
    }


def render_text(findings: Sequence[Finding], files: int, errors: Sequence[str]) -> str:
    """path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
        excerpt = " ".join(f.excerpt.split())
        lines.append(f"    | {excerpt[:157] + '...' if len(excerpt) > 160 else excerpt}")
        if f.explanation:
            lines.append(f"    = {f.explanation}")
    counts = summary(findings, files, errors)
    if findings:
        lines.append(
            f"Found {counts['findings']} finding{'s' * (counts['findings'] != 1)} "
            f"({counts['errors']} error, {counts['warnings']} warning, {counts['info']} info) "
            f"in {files} file{'s' * (files != 1)}."
        )
    else:
        lines.append(f"No findings in {files} file{'s' * (files != 1)}.")
    return "\n".join(lines)


def render_json(findings: Sequence[Finding], files: int, errors: Sequence[str]) -> str:
    return json.dumps(
        {
            "version": JSON_VERSION,
            "claimcheck": __version__,
            "findings": [f.to_dict() for f in findings],
            "summary": summary(findings, files, errors),
        },
        ensure_ascii=False,
        indent=2,
    )


REPORTERS = {"text": render_text, "json": render_json}
