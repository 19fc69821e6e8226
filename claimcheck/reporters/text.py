"""Text: path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

import click

from claimcheck.findings import LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import plural, printable, summary, text_lines

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(result: LintResult, rules: Mapping[str, Rule], summary_line: bool = True, color: bool = False) -> str:
    """The report as one string (see `chunks`)."""
    return "".join(chunks(result, rules, summary_line, color))


def chunks(
    result: LintResult, rules: Mapping[str, Rule], summary_line: bool = True, color: bool = False
) -> Iterator[str]:
    """path:line:col: severity RULE message, then the excerpt and why, indented (editor-parsable).

    `summary_line`: end with the counts (`check --quiet` leaves them out); `color`: ANSI colours
    for a terminal (the severity in its colour, the location and rule in bold, the rest dimmed).
    Everything from the document is escaped first: a terminal must never receive the ESC
    sequences or line breaks a document holds. Written in pieces, a finding at a time; the
    report's lines are joined by line breaks, with none after the last.
    """
    separator = ""
    for f in result.findings:
        header, *rest = (printable(line) for line in text_lines(f))
        if color:
            location, _, tail = header.partition(f": {f.severity} ")
            header = (
                click.style(location, bold=True)
                + ": "
                + click.style(str(f.severity), fg=_COLOURS[f.severity], bold=True)
                + " "
                + click.style(f.rule, bold=True)
                + tail[len(f.rule) :]
            )
            rest = [click.style(line, dim=True) for line in rest]
        yield separator + "\n".join((header, *rest))
        separator = "\n"
    if not summary_line:
        return
    counts = summary(result)
    if result.findings:
        yield separator + (
            f"Found {plural(counts['findings'], 'finding')} "
            f"({counts['errors']} error, {counts['warnings']} warning, {counts['info']} info) "
            f"in {plural(result.files, 'file')}."
        )
    else:
        yield separator + f"No findings in {plural(result.files, 'file')}."


def statistics(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """`check --statistics`: one line per rule with findings, most frequent first: count, severity, rule, message."""
    counts = Counter(f.rule for f in result.findings)
    first = {}
    for f in result.findings:
        first.setdefault(f.rule, f)
    ordered = sorted(counts, key=lambda rule: (-counts[rule], rule))
    width = max((len(rule) for rule in ordered), default=0)
    count_width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [
        f"{counts[rule]:>{count_width}}  {first[rule].severity.value:<7}  {rule:<{width}}  "
        f"{rules[rule].message if rule in rules else first[rule].message}"
        for rule in ordered
    ]
    lines.append(f"{plural(len(result.findings), 'finding')} in {plural(result.files, 'file')}.")
    return "\n".join(lines)
