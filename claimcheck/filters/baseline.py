"""Baselines: record today's findings so a legacy site can adopt claimcheck and fail only on new ones.

A finding is identified by a fingerprint that leaves out line and column, so it survives
edits elsewhere in the file and lines moving up or down:

    sha256(rule id, path, excerpt, sha256 of the text of the line(s) it is on, occurrence index)

The path is relative to the baseline file's directory, so the baseline matches however the
paths are spelled on the command line or whichever directory claimcheck runs from. Excerpt
and line text are compared case-insensitively with whitespace collapsed. The occurrence
index tells apart identical findings on identical lines of the same file (in file order).
The file format is documented in docs/baseline.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from claimcheck.errors import ClaimcheckError
from claimcheck.findings import Finding, LintResult
from claimcheck.text import split_lines, write_atomically

# Version of the baseline file format (docs/baseline.md). Bump on incompatible change.
# Version 1 hashed each finding's whole line(s) into its fingerprint: a minified page, one
# long line with thousands of findings, took time in the product of the two. Version 2 hashes
# the line once and its digest into each fingerprint. Version 1 files are still read (and
# matched by version 1 fingerprints); `baseline create` writes version 2.
BASELINE_VERSION = 2
_READ_VERSIONS = (1, 2)


@dataclass(frozen=True, order=True)
class Entry:
    """One recorded finding. Field order is the file's sort order: by path, rule, excerpt."""

    path: str
    rule: str
    excerpt: str
    fingerprint: str

    def describe(self) -> str:
        return f"{self.path}: {self.rule} '{self.excerpt}' ({self.fingerprint})"


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def baseline_path(finding_path: str, root: Path) -> str:
    """A finding's path relative to the baseline's directory, with forward slashes."""
    absolute = os.path.abspath(finding_path)
    try:
        return Path(os.path.relpath(absolute, root.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


def fingerprint(
    findings: Iterable[Finding], root: Path, texts: Mapping[str, str], version: int = BASELINE_VERSION
) -> list[Entry]:
    """The baseline entry of each finding, in sorted order; `texts` are the texts that were
    linted, by path; `version` the format whose fingerprints to make."""
    occurrences: Counter[tuple[str, ...]] = Counter()
    entries = []
    # Each file split and each line normalised once: thousands of findings on one long line
    # made both quadratic.
    lines_of: dict[str, list[str]] = {}
    contexts: dict[tuple[str, int, int], str] = {}
    for finding in sorted(findings):  # occurrence indexes count in file order
        path = baseline_path(finding.path, root)
        span = (finding.path, finding.line, finding.end_line)
        context = contexts.get(span)
        if context is None:
            lines = lines_of.get(finding.path)
            if lines is None:
                lines = lines_of[finding.path] = split_lines(texts.get(finding.path, ""))
            context = _normal(" ".join(lines[finding.line - 1 : finding.end_line]))
            if version >= 2:
                context = hashlib.sha256(context.encode("utf-8", "surrogatepass")).hexdigest()
            contexts[span] = context
        key = (finding.rule, path, _normal(finding.excerpt), context)
        index = occurrences[key]
        occurrences[key] += 1
        digest = hashlib.sha256("\0".join([*key, str(index)]).encode("utf-8", "surrogatepass")).hexdigest()
        entries.append(Entry(path, finding.rule, " ".join(finding.excerpt.split()), digest[:20]))
    return entries


def write(file: Path, findings: Iterable[Finding], texts: Mapping[str, str]) -> list[Entry]:
    """Record findings in a baseline file (sorted, so re-creating it changes only what changed)."""
    entries = sorted(fingerprint(findings, file.parent, texts))
    data = {
        "version": BASELINE_VERSION,
        "findings": [
            {"path": e.path, "rule": e.rule, "excerpt": e.excerpt, "fingerprint": e.fingerprint} for e in entries
        ],
    }
    # A file name that is not UTF-8 holds lone surrogates; backslashreplace writes each as the
    # JSON escape "\\udcXX", which reads back as the same name. Written atomically: a failed
    # write leaves the old baseline whole.
    encoded = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "backslashreplace")
    try:
        write_atomically(file, encoded)
    except OSError as error:
        raise ClaimcheckError(f"{file}: cannot write the baseline ({error.strerror})") from None
    return entries


def read(file: Path) -> tuple[int, list[Entry]]:
    """The format version and entries of a baseline file; a missing or malformed file is one clear error."""
    from claimcheck.errors import InputError
    from claimcheck.sources import read_bytes

    if not file.exists():
        raise ClaimcheckError(f"{file}: no such baseline file (create it with 'claimcheck baseline create')")
    try:
        data = json.loads(read_bytes(file).decode("utf-8"))
    except InputError as error:  # what a file to lint is told ("not linted") is not for a baseline
        raise ClaimcheckError(f"cannot read the baseline: {str(error).removesuffix(', not linted')}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # ValueError: JSON errors, 5,000-digit numbers
        raise ClaimcheckError(f"{file}: not a claimcheck baseline ({error})") from None
    malformed = ClaimcheckError(f"{file}: not a claimcheck baseline (expected version and findings)")
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list) or "version" not in data:
        raise malformed
    version = data["version"]
    if type(version) is not int or version not in _READ_VERSIONS:  # (true == 1 in Python; "1" is no number)
        raise ClaimcheckError(f"{file}: baseline version {version!r} is not supported; re-create it")
    fields = ("path", "rule", "excerpt", "fingerprint")
    entries = data["findings"]
    if not all(isinstance(e, dict) and all(isinstance(e.get(f), str) for f in fields) for e in entries):
        raise ClaimcheckError(f"{file}: not a claimcheck baseline (each finding needs {', '.join(fields)} as text)")
    return version, [Entry(*(e[f] for f in fields)) for e in entries]


def apply(file: Path, result: LintResult, rules: Iterable[str]) -> tuple[list[Finding], list[Entry]]:
    """The findings of `result` not in the baseline, and the stale entries: recorded for a file
    this run linted and a rule it checked, but matching no finding any more (fixed, or the line
    was rewritten)."""
    findings = result.findings
    version, entries = read(file)
    recorded = {entry.fingerprint for entry in entries}
    current = fingerprint(findings, file.parent, result.texts, version)
    seen = {entry.fingerprint for entry in current}
    pairs = zip(sorted(findings), current, strict=True)
    new = [finding for finding, entry in pairs if entry.fingerprint not in recorded]
    checked_paths = {baseline_path(path, file.parent) for path in result.paths}
    checked_rules = set(rules)
    stale = sorted(
        entry
        for entry in entries
        if entry.fingerprint not in seen and entry.path in checked_paths and entry.rule in checked_rules
    )
    return new, stale
