"""The library API: one pass from text to findings. The CLI runs exactly this."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimcheck.annotate import annotate
from claimcheck.checks import claims, disclaimers, footnotes
from claimcheck.config import Config, find_config
from claimcheck.documents import Document, format_for, read_document
from claimcheck.errors import InputError
from claimcheck.findings import Finding, LintResult
from claimcheck.packs import RuleSet
from claimcheck.pipeline import get_pipeline
from claimcheck.sources import read_text

# Directories never worth walking into.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", "site-packages"}
)


def lint_document(document: Document, ruleset: RuleSet, pipeline: str | None = None) -> list[Finding]:
    """All findings for one document, sorted by position."""
    needs_nlp = document.blocks and any(rule.check in ("claim", "disclaimer") for rule in ruleset.active)
    blocks = list(annotate(document, ruleset, get_pipeline(ruleset, pipeline))) if needs_nlp else []
    found = claims.find_claims(document, blocks, ruleset)
    findings = [
        *claims.check(document, found, ruleset),
        *footnotes.check(document, ruleset),
        *disclaimers.check(document, blocks, found, ruleset),
    ]
    return sorted(findings)


def lint_text(
    text: str, path: str = "<stdin>", format: str | None = None, config: Config | None = None
) -> list[Finding]:
    """Lint a string as if it were the file at `path` (whose extension picks the reader)."""
    config = config or Config()
    document = read_document(text, path, format or format_for(path) or "text")
    return lint_document(document, config.ruleset(), config.pipeline)


def discover(paths: Iterable[Path], config: Config | None = None) -> Iterator[Path]:
    """Files to lint: explicit files as given, directories walked for the formats claimcheck reads."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder, name)
                if (
                    format_for(name) not in (None,)
                    and Path(name).suffix
                    and not (config or find_config(candidate.parent)).excludes(candidate)
                ):
                    yield candidate


def lint_paths(
    paths: Iterable[Path],
    config: Config | None = None,
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> LintResult:
    """Lint files and directories; each file uses the nearest config unless one is given."""
    result = LintResult()
    for path in discover(paths, config):
        file_config = config or find_config(path.resolve().parent)
        try:
            text = read_text(path)
        except InputError as error:
            result.errors.append(str(error))
            continue
        document = read_document(text, str(path), format_for(str(path)) or "text")
        result.findings.extend(lint_document(document, file_config.ruleset(select, ignore), file_config.pipeline))
        result.files += 1
    result.findings.sort()
    return result
