"""What the reporters share: the summary counts, the text form of a finding, CI-friendly paths and
fingerprints that survive edits. Reporters render a LintResult and never touch the disk."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

from claimcheck import __version__
from claimcheck.findings import Finding, LintResult

# Bump if the fingerprint recipe changes: CI systems would see every finding as new.
FINGERPRINT_KEY = "claimcheck/v1"


# Characters never printed as they are: C0/C1 controls (line breaks, ESC starting ANSI/OSC
# sequences that recolour a terminal or, in CI logs, start workflow commands), Unicode line
# separators, and the lone surrogates that stand for the bytes of a non-UTF-8 file name.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # surrogateescape: a byte of a file name that is not UTF-8
        return f"\\x{ord(char) - 0xDC00:02x}"
    return _NAMED_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """Text safe to print on one line of a terminal or CI log, and to encode as UTF-8: control
    characters and undecodable bytes written as Python-style escapes (a newline as \\n)."""
    return _UNPRINTABLE.sub(_escape, text)


def for_output(result: LintResult) -> LintResult:
    """The result with every file name (and error line, which names files) made printable, so all
    formats show the same names and none is broken by a newline or a non-UTF-8 byte in one.

    A finding whose path is printable already is kept, not copied: on a large tree a copy of
    every finding would be held next to the original until the report is written."""
    return dataclasses.replace(
        result,
        findings=[_printable_path(f) for f in result.findings],
        errors=[printable(error) for error in result.errors],
        skipped=[printable(skipped) for skipped in result.skipped],
        paths=[printable(path) for path in result.paths],
        texts={printable(path): text for path, text in result.texts.items()},
    )


def _printable_path(f: Finding) -> Finding:
    path = printable(f.path)
    return f if path == f.path else dataclasses.replace(f, path=path)


class Streamed:
    """A JSON array that `json_chunks` writes item by item as `items` yields them, so a report of
    many findings is never held whole. Its items are plain JSON values (dicts of scalars)."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


def json_chunks(value: object, depth: int = 0) -> Iterator[str]:
    """The text of `json.dumps(value, ensure_ascii=False, indent=2)`, in pieces: `Streamed` arrays
    (anywhere in `value`) are written one item a piece, each item made only when it is written.
    Object keys must be strings, as they are in every report (json.dumps would convert others)."""
    pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
    if isinstance(value, dict) and value:
        yield "{"
        for number, (key, item) in enumerate(value.items()):
            yield f"{',' * (number > 0)}{inner}{json.dumps(key, ensure_ascii=False)}: "
            yield from json_chunks(item, depth + 1)
        yield pad + "}"
    elif isinstance(value, (list, tuple)) and value:
        for number, item in enumerate(value):
            yield ("," if number else "[") + inner
            yield from json_chunks(item, depth + 1)
        yield pad + "]"
    elif isinstance(value, Streamed):
        opened = False
        for item in value.items:
            # Dumped whole by json, then indented to its depth: json escapes line breaks inside
            # strings, so every line break in the item's text is the layout's.
            text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", inner)
            yield ("," if opened else "[") + inner + text
            opened = True
        yield pad + "]" if opened else "[]"
    else:
        yield json.dumps(value, ensure_ascii=False)


def version() -> str:
    """claimcheck's version as reports state it."""
    return __version__


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


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def text_lines(f: Finding) -> list[str]:
    """One finding as the text reporter prints it: header, excerpt, and why it matched."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"]
    excerpt = " ".join(f.excerpt.split())
    lines.append(f"    | {excerpt[:157] + '...' if len(excerpt) > 160 else excerpt}")
    if f.explanation:
        lines.append(f"    = {f.explanation}")
    return lines


def relative_path(path: str) -> str:
    """The path with forward slashes, relative to the current directory when it is inside it.

    CI systems match annotations to files in the checkout by repository-relative path, and
    claimcheck runs from the checkout's root in CI.
    """
    pure = PurePath(path)
    if pure.is_absolute():
        with contextlib.suppress(ValueError):
            pure = pure.relative_to(Path.cwd())
    return pure.as_posix()


def repository_root(start: Path | None = None) -> Path:
    """The repository the run is in: the nearest folder at or above `start` (the current
    directory) holding `.git`, else `start` itself. Looks at no file's content."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if (folder / ".git").exists()), here)


def repository_path(path: str) -> str:
    """The path relative to the repository root, with forward slashes, whatever the current
    directory: what code scanning, pull-request annotations and Code Quality match files by.
    A path outside the repository stays absolute."""
    root = repository_root()
    absolute = Path(path) if PurePath(path).is_absolute() else Path.cwd() / path
    try:
        return Path(os.path.normpath(absolute)).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A stable id for each finding: rule, path, excerpt (whitespace collapsed) and occurrence.

    The line number is left out on purpose, so a finding keeps its id when text above it is
    added or removed; the occurrence index (the nth identical excerpt for this rule in this
    file, in document order) tells repeated identical claims apart.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    fingerprints = []
    for f in findings:
        key = (f.rule, relative_path(f.path), " ".join(f.excerpt.split()))
        occurrence = seen[key]
        seen[key] += 1
        text = "\0".join((*key, str(occurrence)))
        fingerprints.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return fingerprints


def finding_text(f: Finding) -> str:
    """The message, then why it matched (when known) on a second line."""
    return f"{f.message}\n{f.explanation}" if f.explanation else f.message
