"""Safe fixes: the text a rule declares (`fix: {append, where}`), added as a paragraph of its own.

A fix is planned from the text that was linted, checked by linting the fixed text again
(the rule must no longer fire, so a second `--fix` changes nothing), and written back
atomically only while the file on disk still holds those bytes. Everything else in the
file is kept as it was: line endings, the trailing newline or its absence, the encoding
and its byte-order mark.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import hashlib
import html
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimcheck.documents import format_for, read_document
from claimcheck.errors import InputError
from claimcheck.findings import Finding
from claimcheck.packs import Fix, RuleSet
from claimcheck.sources import decode

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # lines as documents.py counts them
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)", re.DOTALL
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ENCODINGS = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


class FileChanged(Exception):
    """The file on disk no longer holds the text that was linted; it is left alone."""


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
        lines = difflib.unified_diff(
            _LINE.findall(self.before),
            _LINE.findall(self.after),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
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
        format = format_for(path) or "text"
        if format == "docx":
            rules = ", ".join(sorted({f.rule for f in fixable}))
            plan.notes.append(f"{path}: .docx files are never written; add the text in Word by hand ({rules})")
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
        still = {f.rule for f in lint_document(read_document(after, path, format), check, pipeline)}
        if not still & set(candidates):
            break
        candidates = {rule_id: fix for rule_id, fix in candidates.items() if rule_id not in still}
    if not candidates:
        return None
    fixed = [f for f in findings if f.rule in candidates]
    others = [_moved(f, text, after, inserts) for f in findings if f.rule not in candidates]
    return FilePlan(path, text, after, fixed, others)


def apply_fix(text: str, format: str, fix: Fix) -> tuple[str, tuple[int, str]]:
    """The text with the fix's paragraph added, and where: (offset, inserted text).

    Markdown and plain text get a paragraph separated by a blank line, HTML a `<p>` before
    `</body>` (or at the end, without one). The document's own line break is used.
    """
    newline = _newline(text)
    if format == "html":
        paragraph = f"<p>{html.escape(fix.append, quote=False)}</p>"
        offset, inserted = _html_insert(text, paragraph, newline, fix.where)
    elif fix.where == "start":
        offset, inserted = _prepend(text, fix.append, newline, front_matter=format == "markdown")
    else:
        offset, inserted = _append(text, fix.append, newline)
    return text[:offset] + inserted + text[offset:], (offset, inserted)


def _newline(text: str) -> str:
    """The document's line break (its first one), or "\n" for a single line."""
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _trailing_breaks(text: str) -> int:
    return len(_LINE_BREAK.findall(text[len(text.rstrip("\r\n")) :]))


def _append(text: str, paragraph: str, newline: str) -> tuple[int, str]:
    """A paragraph after a blank line, keeping whether the file ends with a line break."""
    if not text.strip():
        return 0, paragraph + (newline if _trailing_breaks(text) else "")
    breaks = _trailing_breaks(text)
    if breaks == 0:
        return len(text), newline * 2 + paragraph
    if breaks == 1:
        return len(text), newline + paragraph + newline
    return len(text), paragraph + newline  # already ends with a blank line


def _prepend(text: str, paragraph: str, newline: str, front_matter: bool) -> tuple[int, str]:
    """A paragraph and a blank line at the start (after Markdown's front matter)."""
    front = _FRONT_MATTER.match(text) if front_matter else None
    if front is None:
        return 0, paragraph + newline * 2
    end = front.end()
    if end == len(text) and not text.endswith(("\n", "\r")):
        return end, newline + newline + paragraph
    blank_after = text.startswith(("\n", "\r"), end)
    return end, newline + paragraph + newline * (1 if blank_after else 2)


def _html_insert(text: str, paragraph: str, newline: str, where: str) -> tuple[int, str]:
    if where == "start":
        body = _BODY_OPEN.search(text)
        if body is None:
            return 0, paragraph + newline
        return body.end(), newline + paragraph
    closes = list(_BODY_CLOSE.finditer(text))
    if not closes:
        breaks = _trailing_breaks(text)
        return len(text), (paragraph + newline) if breaks else (newline + paragraph if text.strip() else paragraph)
    close = closes[-1].start()
    line_start = max(text.rfind("\n", 0, close), text.rfind("\r", 0, close)) + 1
    indent = text[line_start:close]
    if indent.strip():  # `</body>` follows other markup on its line: insert right before it
        return close, paragraph
    return line_start, indent + paragraph + newline


def _moved(finding: Finding, before: str, after: str, inserts: list[tuple[int, str]]) -> Finding:
    """A finding at its position in the fixed text (text inserted before it moves it)."""
    old_starts, new_starts = _line_starts(before), _line_starts(after)

    def move(line: int, column: int) -> tuple[int, int]:
        offset = old_starts[line - 1] + column - 1
        for at, inserted in inserts:
            if offset >= at:
                offset += len(inserted)
        index = bisect.bisect_right(new_starts, offset) - 1
        return index + 1, offset - new_starts[index] + 1

    line, column = move(finding.line, finding.column)
    end_line, end_column = move(finding.end_line, finding.end_column)
    return replace(finding, line=line, column=column, end_line=end_line, end_column=end_column)


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def encode_like(original: bytes, text: str) -> bytes:
    """Text encoded as the original bytes were: UTF-8, or UTF-8/UTF-16 with the same byte-order mark."""
    for bom in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(_ENCODINGS[bom], "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


def write_fix(file_plan: FilePlan) -> None:
    """Write a planned fix atomically; raise FileChanged if the file no longer holds the linted text."""
    path = Path(file_plan.path).resolve()  # through a symlink, replace its target, not the link
    try:
        original = path.read_bytes()
        if decode(original, file_plan.path) != file_plan.before:
            raise FileChanged(file_plan.path)
    except (OSError, InputError):
        raise FileChanged(file_plan.path) from None
    write_atomically(path, encode_like(original, file_plan.after), expected=original)


def write_atomically(path: Path, data: bytes, expected: bytes) -> None:
    """Replace a file's bytes with `data` through a temporary file in its directory.

    The file keeps its permission bits. Right before the replace, the bytes on disk are
    compared with `expected`; if someone changed the file meanwhile, it is left alone
    (FileChanged) and the temporary file removed.
    """
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".claimcheck-fix")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if _digest(path.read_bytes()) != _digest(expected):
            raise FileChanged(str(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
