"""Text: path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""

from __future__ import annotations

from collections.abc import Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import plural, printable, summary, text_lines


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""
    # Escaped: a terminal must never receive the ESC sequences or line breaks a document holds.
    lines = [printable(line) for f in result.findings for line in text_lines(f)]
    counts = summary(result)
    if result.findings:
        lines.append(
            f"Found {plural(counts['findings'], 'finding')} "
            f"({counts['errors']} error, {counts['warnings']} warning, {counts['info']} info) "
            f"in {plural(result.files, 'file')}."
        )
    else:
        lines.append(f"No findings in {plural(result.files, 'file')}.")
    return "\n".join(lines)
