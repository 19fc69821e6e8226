"""The one pass, from a document to the findings a run reports. The CLI, stdin, the library and
the language server all run it:

    read (readers) -> lint_document: checks, then inline suppressions -> baseline -> changed lines
    -> fix planning (when asked)

`lint_text` lints one string, `lint_paths` files and directories; both return what the CLI reports.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimcheck import __version__, readers
from claimcheck import cache as disk_cache
from claimcheck.checks import CheckContext, run_checks
from claimcheck.config import Config, find_config
from claimcheck.errors import InputError
from claimcheck.filters import suppressions
from claimcheck.findings import Finding, LintResult
from claimcheck.packs import RuleSet
from claimcheck.readers import Document
from claimcheck.walk import discover

if TYPE_CHECKING:
    from claimcheck.progress import Progress


def lint_document(document: Document, ruleset: RuleSet, pipeline: str | None = None) -> list[Finding]:
    """All findings for one document that no inline suppression silences, sorted by position."""
    document = suppressions.without_directives(document)
    findings = run_checks(CheckContext(document, ruleset, pipeline))
    findings = suppressions.apply(document, findings, ruleset)
    return sorted(findings)


def read(text: str, path: str, format: str, config: Config) -> Document:
    """A document read as its format's reader reads it, with the config's reading options."""
    return readers.for_format(format).read(text, path, config.read_options)


def lint_text(
    text: str,
    path: str = "<stdin>",
    format: str | None = None,
    config: Config | None = None,
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Lint a string as if it were the file at `path` (whose extension picks the reader)."""
    config = (config or Config()).for_path(Path(path))
    document = read(text, path, format or readers.format_for(path) or "text", config)
    return lint_document(document, config.ruleset(select, ignore), config.pipeline)


def lint_source(
    text: str,
    name: str,
    config: Config,
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    fix: bool = False,
) -> LintResult:
    """One document given as text (stdin), reported under `name`: what lint_paths gives for a file."""
    result = LintResult(files=1, paths=[name], texts={name: text})
    result.findings = lint_text(text, name, None, config, select, ignore)
    if fix:
        result.fixes = _plan_fixes(result, lambda path: config.for_path(Path(path)), select, ignore)
    return result


def lint_paths(
    paths: Iterable[Path],
    config: Config | None = None,
    select: frozenset[str] = frozenset(),
    ignore: frozenset[str] = frozenset(),
    jobs: int = 1,
    use_cache: bool = False,
    baseline: Path | None = None,
    changed_since: str | None = None,
    fix: bool = False,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
    progress: Progress | None = None,
) -> LintResult:
    """Lint files and directories; each file uses the nearest config unless one is given.

    `use_cache` serves files whose content, rules and code are unchanged from the on-disk
    result cache. `jobs` > 1 spreads the files left to lint over that many worker processes
    when there is enough text to pay for starting them; the result is the same whatever
    `jobs` is. Then the run's filters: findings recorded in the `baseline` file are dropped
    (its stale entries kept in `result.stale`), and with `changed_since` (a git revision)
    findings off the changed lines. `fix` plans the fixes rules declare (`result.fixes`).
    `force_exclude` applies the config's `exclude` to files named explicitly too, and walks
    respect `.gitignore` and `.ignore` files unless `respect_gitignore` is off (walk.discover).
    `progress` is told how many files are left to lint, then how many are done as they finish.
    """
    paths = list(paths)
    changed = _changed_lines(changed_since, paths) if changed_since is not None else None
    result = LintResult()
    configs: dict[str, Config] = {}  # each file's config, with its overrides
    pending: list[_Item] = []  # files the cache could not answer, in discovery order
    for path in discover(paths, config, result.skipped, result.errors, force_exclude, respect_gitignore):
        try:
            # A file named explicitly is read as plain text when claimcheck has no reader for its kind.
            text, document = (readers.for_path(str(path)) or readers.for_format("text")).read_path(path)
        except InputError as error:
            result.errors.append(str(error))
            continue
        # Read first: a path that cannot be resolved (a symlink loop) has been refused by now.
        file_config = configs[str(path)] = (config or find_config(path.resolve().parent)).for_path(path)
        result.files += 1
        result.paths.append(str(path))
        result.texts[str(path)] = text
        item = _Item(str(path), text, file_config, document)
        cached = _cached(item, select, ignore) if use_cache else None
        if cached is None:
            pending.append(item)
        else:
            result.findings.extend(cached)
    if progress is not None:
        progress.start(len(pending))
    if jobs > 1 and len(pending) >= 2 * jobs and sum(len(item.text) for item in pending) >= MIN_CHARS_PER_JOB * jobs:
        result.findings.extend(_lint_in_workers(pending, select, ignore, use_cache, jobs, progress))
    elif progress is not None:
        for chunk in _chunks(pending, PROGRESS_STEPS):
            result.findings.extend(_lint_items(chunk, select, ignore, use_cache))
            progress.advance(len(chunk), _words(chunk))
    else:
        result.findings.extend(_lint_items(pending, select, ignore, use_cache))
    result.findings.sort()
    if baseline is not None:
        from claimcheck.filters import baseline as baselines

        reported = {rule for c in configs.values() for rule in c.ruleset(select, ignore).reported}
        result.findings, result.stale = baselines.apply(baseline, result.findings, result.texts, reported)
    if changed is not None:
        result.findings = [finding for finding in result.findings if changed.keep(finding)]
    if fix:
        result.fixes = _plan_fixes(result, configs.__getitem__, select, ignore)
    return result


def _changed_lines(ref: str, paths: list[Path]):  # type: ignore[no-untyped-def]
    from claimcheck.filters.changed_lines import ChangedLines

    changed = ChangedLines(ref)
    changed.verify(paths)  # a bad ref fails before any linting
    return changed


def _plan_fixes(result: LintResult, config_of, select: frozenset[str], ignore: frozenset[str]):  # type: ignore[no-untyped-def]
    """The fixes for the reported findings; each file's own config decides its rules, as when linting."""
    from claimcheck import fixes

    def ruleset_for(path: str) -> tuple[RuleSet, str | None]:
        file_config = config_of(path)
        return file_config.ruleset(select, ignore), file_config.pipeline

    return fixes.plan_fixes(result.findings, result.texts, ruleset_for)


# Starting a worker process costs most of a second (importing spaCy, building the pipeline),
# about what one process lints in 250,000 characters (~40k words), so workers are started
# only when each gets at least that much text.
MIN_CHARS_PER_JOB = 250_000


@dataclass(frozen=True)
class _Item:
    """One readable file to lint; plain data, so it pickles to worker processes."""

    path: str
    text: str
    config: Config
    document: Document | None = None  # already read (a .docx), else read from `text`

    @property
    def format(self) -> str:
        return readers.format_for(self.path) or "text"


def _cache_key(item: _Item, ruleset: RuleSet) -> str:
    # Keyed by the text that is linted (not bytes re-read later), so an edit racing the run
    # can never store one version's findings under another version's key.
    content = hashlib.sha256(item.text.encode("utf-8", "surrogatepass"))
    if item.document is not None:  # markers read from outside the text (Word footnotes)
        content.update(repr((item.document.references, item.document.definitions)).encode())
    rules = [
        ruleset.digest,
        sorted(ruleset.reported),
        item.config.pipeline or "",
        astuple(item.config.read_options),
    ]
    return json.dumps([content.hexdigest(), item.format, *rules, __version__, disk_cache.code_digest()])


def _cached(item: _Item, select: frozenset[str], ignore: frozenset[str]) -> list[Finding] | None:
    """A file's findings from the result cache, re-pathed to this file; None when not cached."""
    ruleset = item.config.ruleset(select, ignore)
    cached = disk_cache.load("results", _cache_key(item, ruleset))
    # Findings are cached with the path of whichever file produced them; report this one.
    findings = Finding.list_from_data(cached, item.path)
    if findings is None or any(f.rule not in ruleset.rules or f.end_line > len(item.text) + 1 for f in findings):
        return None  # not what this version stores, or not about this text: lint it again
    return findings


def _lint_items(items: list[_Item], select: frozenset[str], ignore: frozenset[str], use_cache: bool) -> list[Finding]:
    """Lint files in this process, caching the results. Module-level, so "spawn" workers can run it."""
    findings = []
    for item in items:
        ruleset = item.config.ruleset(select, ignore)
        document = item.document or read(item.text, item.path, item.format, item.config)
        found = lint_document(document, ruleset, item.config.pipeline)
        if use_cache:
            disk_cache.store("results", _cache_key(item, ruleset), [finding.to_dict() for finding in found])
        findings.extend(found)
    return findings


def _lint_in_workers(
    items: list[_Item],
    select: frozenset[str],
    ignore: frozenset[str],
    use_cache: bool,
    jobs: int,
    progress: Progress | None = None,
) -> list[Finding]:
    """Lint chunks of files in worker processes.

    Each worker builds its pipeline once (pipeline.py caches it per process) and lints many
    chunks of about the same amount of text, handed out as workers free up, so that no worker
    sits idle at the end while another finishes a long chunk. "spawn" behaves the same on
    every platform and never forks a parent that has threads or spaCy loaded.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    chunks = _chunks(items, jobs * CHUNKS_PER_JOB)
    try:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
    except OSError:  # no processes on this system: the same work, in this process
        return _lint_items(items, select, ignore, use_cache)
    try:
        futures = {pool.submit(_lint_items, chunk, select, ignore, use_cache): chunk for chunk in chunks}
        findings = []
        for future in as_completed(futures):
            findings.extend(future.result())
            if progress is not None:
                progress.advance(len(futures[future]), _words(futures[future]))
        return findings  # in completion order: lint_paths sorts them
    except (BrokenProcessPool, OSError):
        # A worker died: the same work, in this process.
        return _lint_items(items, select, ignore, use_cache)
    except BaseException:
        # Ctrl-C or SIGTERM: stop the workers now rather than wait for their chunks.
        # The executor has no public way to do this; its process table is the one handle on them.
        for process in list((pool._processes or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# Chunks per worker: enough that workers finish together and the progress bar moves, few
# enough that sending a chunk (its texts, pickled) costs nothing next to linting it.
CHUNKS_PER_JOB = 16
PROGRESS_STEPS = 64  # chunks of an in-process run with a progress bar


def _chunks(items: list[_Item], count: int) -> list[list[_Item]]:
    """`items` in order, cut into at most `count` runs of about the same number of characters."""
    total = sum(len(item.text) for item in items)
    target = max(1, -(-total // max(1, count)))
    chunks: list[list[_Item]] = [[]]
    size = 0
    for item in items:
        if size >= target:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += len(item.text)
    return [chunk for chunk in chunks if chunk]


def _words(items: list[_Item]) -> int:
    return sum(len(item.text.split()) for item in items)


def _worker_start(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and exit as soon as the parent is gone.

    A parent killed with SIGKILL cannot stop its workers, and they would otherwise wait on the
    work queue forever (each holding a spaCy pipeline's memory).
    """
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="claimcheck-parent-watch").start()


def default_jobs() -> int:
    """The CPUs this process may use (its affinity where the OS has one, else all of them)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
