"""Safe fixes: the text a rule declares (`fix: {append, where}`), added as a paragraph of its own.

A fix is planned from the text that was linted, checked by linting the fixed text again
(the rule must no longer fire, so a second `--fix` changes nothing), and written back
atomically only while the file on disk still holds those bytes. Everything else in the
file is kept as it was: line endings, the trailing newline or its absence, the encoding
and its byte-order mark.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimcheck import readers
from claimcheck.errors import InputError
from claimcheck.findings import Finding
from claimcheck.packs import Fix, RuleSet
from claimcheck.sources import decode
from claimcheck.text import LINE, FileChanged, encode_like, line_starts, position, write_atomically

__all__ = [
    "FileChanged",
    "FilePlan",
    "NotWritten",
    "Plan",
    "apply_fix",
    "encode_like",
    "plan_fixes",
    "write_atomically",
    "write_fix",
]


@dataclass
class FilePlan:
    """What `--fix` would do to one file: its text before and after, and the findings that go away."""

    path: str
    before: str
    after: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # the file's other findings, at their new positions

    def diff(self) -> str:
        """A unified diff of the change, as `--diff` prints it."""
        from claimcheck.reporters.common import printable

        name = printable(self.path)  # a newline in a file name must not end the header line
        lines = difflib.unified_diff(
            LINE.findall(self.before), LINE.findall(self.after), fromfile=f"a/{name}", tofile=f"b/{name}"
        )
        return "".join(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
        )


@dataclass
class Plan:
    """Every file a run would fix, and notes about findings that have a fix claimcheck cannot apply."""

    files: list[FilePlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_fixes(
    findings: Iterable[Finding],
    texts: dict[str, str],
    ruleset_for: Callable[[str], tuple[RuleSet, str | None]],
) -> Plan:
    """Plan the fixes for the findings whose rule declares one.

    `texts` maps each path to the text that was linted; `ruleset_for(path)` gives that
    file's rule set and pipeline, to lint the fixed text again.
    """
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    plan = Plan()
    for path, found in by_path.items():
        ruleset, pipeline = ruleset_for(path)
        fixable = [f for f in found if f.rule in ruleset.rules and ruleset.rules[f.rule].fix is not None]
        if not fixable or path not in texts:
            continue
        format = readers.format_for(path) or "text"
        if readers.for_format(format).never_written:
            rules = ", ".join(sorted({f.rule for f in fixable}))
            plan.notes.append(f"{path}: {readers.for_format(format).never_written} ({rules})")
            continue
        file_plan = fix_document(path, texts[path], format, found, ruleset, pipeline)
        if file_plan is not None:
            plan.files.append(file_plan)
    return plan


def fix_document(
    path: str, text: str, format: str, findings: list[Finding], ruleset: RuleSet, pipeline: str | None = None
) -> FilePlan | None:
    """The fixed text of one document, or None when nothing can be fixed.

    Each rule's fix is kept only if the rule stops firing on the fixed text, so applying
    the plan twice changes nothing the second time.
    """
    from claimcheck.lint import lint_document

    fixes = {f.rule: ruleset.rules[f.rule].fix for f in findings if f.rule in ruleset.rules}
    candidates = {rule_id: fix for rule_id, fix in sorted(fixes.items()) if fix is not None}
    after, inserts = text, []
    while candidates:
        after, inserts = text, []
        for fix in candidates.values():
            after, insert = apply_fix(after, format, fix)
            inserts.append(insert)
        check = ruleset.selecting(frozenset(candidates))
        still = {f.rule for f in lint_document(readers.read_document(after, path, format), check, pipeline)}
        if not still & set(candidates):
            break
        candidates = {rule_id: fix for rule_id, fix in candidates.items() if rule_id not in still}
    if not candidates:
        return None
    fixed = [f for f in findings if f.rule in candidates]
    others = [_moved(f, text, after, inserts) for f in findings if f.rule not in candidates]
    return FilePlan(path, text, after, fixed, others)


def apply_fix(text: str, format: str, fix: Fix) -> tuple[str, tuple[int, str]]:
    """The text with the fix's paragraph added where the format's reader puts one, and where:
    (offset, inserted text)."""
    offset, inserted = readers.for_format(format).insert_paragraph(text, fix.append, fix.where)
    return text[:offset] + inserted + text[offset:], (offset, inserted)


def _moved(finding: Finding, before: str, after: str, inserts: list[tuple[int, str]]) -> Finding:
    """A finding at its position in the fixed text (text inserted before it moves it)."""
    old_starts, new_starts = line_starts(before), line_starts(after)

    def move(line: int, column: int) -> tuple[int, int]:
        offset = old_starts[line - 1] + column - 1
        for at, inserted in inserts:
            if offset >= at:
                offset += len(inserted)
        return position(new_starts, offset)

    line, column = move(finding.line, finding.column)
    end_line, end_column = move(finding.end_line, finding.end_column)
    return replace(finding, line=line, column=column, end_line=end_line, end_column=end_column)


class NotWritten(Exception):
    """A fix claimcheck will not write, with the reason (the file is left alone)."""


def write_fix(file_plan: FilePlan) -> None:
    """Write a planned fix atomically; raise FileChanged if the file no longer holds the linted text,
    NotWritten if writing it would reach outside the tree or split hard links, OSError if it fails."""
    path = Path(file_plan.path).resolve()  # through a symlink, replace its target, not the link
    if Path(file_plan.path).is_symlink() and not path.is_relative_to(Path.cwd().resolve()):
        raise NotWritten(f"{file_plan.path}: a symlink to {path}, outside the current directory; not fixed")
    if path.stat().st_nlink > 1:
        # Replacing the file would leave its other names with the old text.
        raise NotWritten(f"{file_plan.path}: has {path.stat().st_nlink} hard links; not fixed")
    try:
        original = path.read_bytes()
        if decode(original, file_plan.path) != file_plan.before:
            raise FileChanged(file_plan.path)
    except (OSError, InputError):
        raise FileChanged(file_plan.path) from None
    write_atomically(path, encode_like(original, file_plan.after), expected=original)
