"""JUnit XML (Jenkins, GitLab test reports, Azure Pipelines...)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping

from claimcheck.findings import Finding, LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import plural, relative_path, text_lines

# Characters XML 1.0 cannot contain at all, even escaped.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML can hold: invalid characters replaced, line ends as the parser would normalise them."""
    return _XML_INVALID.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """One testsuite "claimcheck" with one testcase per linted file.

    A file with findings at or above the run's fail level (`--fail-on`) fails: its <failure>
    has a one-line summary as `message`, the rules as `type`, and the findings in the text
    format as its body. Files without such findings pass (findings below the fail level are
    listed in the testcase's <system-out>), so the report and the exit code agree; files that
    could not be read are testcases with an <error>.
    """
    by_path: dict[str, list[Finding]] = {}
    for path in result.paths:
        by_path.setdefault(path, [])
    for f in result.findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(1 for findings in by_path.values() if any(result.fails(f) for f in findings))
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
        name = _xml_text(relative_path(path))
        case = ET.SubElement(suite, "testcase", {"classname": "claimcheck", "name": name, "file": name})
        below = [f for f in findings if not result.fails(f)]
        findings = [f for f in findings if result.fails(f)]
        if findings:
            counts = Counter(f.severity for f in findings)
            by_rank = sorted(counts, key=lambda severity: -severity.rank)
            message = f"{plural(len(findings), 'finding')} ({', '.join(f'{counts[s]} {s}' for s in by_rank)})"
            failure = ET.SubElement(
                case,
                "failure",
                {"message": message, "type": _xml_text(" ".join(sorted({f.rule for f in findings})))},
            )
            failure.text = _xml_text("\n".join(line for f in findings for line in text_lines(f)))
        if below:  # after <failure>, where the JUnit schema puts it
            output = ET.SubElement(case, "system-out")
            output.text = _xml_text("\n".join(line for f in below for line in text_lines(f)))
    for error in result.errors:
        name = _xml_text(error.split(": ", 1)[0])
        case = ET.SubElement(suite, "testcase", {"classname": "claimcheck", "name": name, "file": name})
        ET.SubElement(case, "error", {"message": _xml_text(error), "type": "unreadable"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
