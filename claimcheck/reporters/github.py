"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from claimcheck.findings import LintResult, Severity
from claimcheck.packs import Rule
from claimcheck.reporters.common import finding_text, printable, repository_path

_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)  # what is left of control characters (ESC) never reaches the log


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """The report as one string (see `chunks`)."""
    return "".join(chunks(result, rules))


def chunks(result: LintResult, rules: Mapping[str, Rule]) -> Iterator[str]:
    """One `::error|warning|notice file=...,line=...::message` command per finding.

    Unreadable files become `::error title=claimcheck::...` commands. No findings: no output.
    Written in pieces, a command at a time, joined by line breaks (none after the last).
    """
    separator = ""
    for f in result.findings:
        properties = {
            "file": repository_path(f.path),
            "line": f.line,
            "col": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
            "title": f.rule,
        }
        joined = ",".join(f"{key}={_github_property(str(value))}" for key, value in properties.items())
        yield f"{separator}::{_GITHUB_COMMANDS[f.severity]} {joined}::{_github_data(finding_text(f))}"
        separator = "\n"
    for error in result.errors:
        yield f"{separator}::error title=claimcheck::{_github_data(error)}"
        separator = "\n"
