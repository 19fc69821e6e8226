"""Reporters: every one renders the same LintResult; `rules` gives each rule's metadata."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping

from claimcheck import __version__
from claimcheck.findings import LintResult
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


def render_text(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""
    lines = []
    for f in result.findings:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
        excerpt = " ".join(f.excerpt.split())
        lines.append(f"    | {excerpt[:157] + '...' if len(excerpt) > 160 else excerpt}")
        if f.explanation:
            lines.append(f"    = {f.explanation}")
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


Reporter = Callable[[LintResult, Mapping[str, Rule]], str]
REPORTERS: dict[str, Reporter] = {"text": render_text, "json": render_json}
