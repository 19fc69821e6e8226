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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claimcheck import __version__, readers
from claimcheck import cache as disk_cache
from claimcheck.checks import CheckContext, run_checks
from claimcheck.config import Config, find_config
from claimcheck.errors import InputError
from claimcheck.filters import suppressions
from claimcheck.findings import Finding, LintResult
from claimcheck.packs import RuleSet
from claimcheck.readers import Document
from claimcheck.stops import Stops
from claimcheck.walk import discover

if TYPE_CHECKING:
    from claimcheck.progress import Progress


def lint_document(document: Document, ruleset: RuleSet, pipeline: str | None = None) -> list[Finding]:
    """All findings for one document that no inline suppression silences, sorted by position."""
    from claimcheck.pipeline import words_forgotten

    document = suppressions.without_directives(document)
    with words_forgotten(ruleset, pipeline):  # the Docs of the context die within
        findings = run_checks(CheckContext(document, ruleset, pipeline))
    findings = suppressions.apply(document, findings, ruleset)
    return sorted(findings)


# How much text consecutive documents share one memory zone for (pipeline.words_forgotten): a
# zone's end forgets the words its documents brought, and within one spaCy's tokenizer caches
# no word's splitting. A zone per short page made the tokenizer 1.6 times slower than none and
# linting the benchmark's export 10% slower; a zone per this much text, as fast as none.
ZONE_CHARS = 50_000


def lint_documents(
    documents: Iterable[Document], ruleset: RuleSet, pipeline: str | None = None
) -> Iterator[list[Finding]]:
    """lint_document's findings for each document in turn, consecutive documents sharing a memory
    zone (which stays open while the caller handles a document's findings: plain data)."""
    from claimcheck.pipeline import words_forgotten

    documents = iter(documents)
    while True:
        chars = 0
        with words_forgotten(ruleset, pipeline):
            for document in documents:
                yield lint_document(document, ruleset, pipeline)
                chars += len(document.text)
                if chars >= ZONE_CHARS:
                    break
            else:
                return


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
    (at most one per usable CPU) when there is enough text to pay for starting them; the
    result is the same whatever `jobs` is. Then the run's filters: findings recorded in the
    `baseline` file are dropped (its stale entries kept in `result.stale`), and with
    `changed_since` (a git revision) findings off the changed lines. `fix` plans the fixes
    rules declare (`result.fixes`).
    `force_exclude` applies the config's `exclude` to files named explicitly too, and walks
    respect `.gitignore` and `.ignore` files unless `respect_gitignore` is off (walk.discover).
    `progress` is told how many files are left to lint, then how many are done as they finish.
    """
    paths = list(paths)
    changed = _changed_lines(changed_since, paths) if changed_since is not None else None
    result = LintResult()
    configs: dict[str, Config] = {}  # each file's config, with its overrides
    # The files the cache could not answer go to the linter as they are read (in discovery order).
    with _Linter(select, ignore, use_cache, jobs, progress) as linter:
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
            item = _Item(str(path), text, file_config, document)
            cached = _cached(item, select, ignore) if use_cache else None
            if cached is None:
                linter.add(item)
            else:
                result.findings.extend(cached)
                if cached:
                    result.texts[item.path] = text
        findings, texts = linter.finish()
        result.findings.extend(findings)
        result.texts.update(texts)
    result.findings.sort()
    if baseline is not None:
        from claimcheck.filters import baseline as baselines

        reported = {rule for c in configs.values() for rule in c.ruleset(select, ignore).reported}
        result.findings, result.stale = baselines.apply(baseline, result, reported)
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


class _Item(NamedTuple):
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
        ruleset.suppression_reason,
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
    # Runs of files with the same rule set and pipeline (one, unless per-path overrides differ).
    # (The rule set itself, not its digest: the digest names the packs a pipeline is built from,
    # and rules disabled by an override (or by --select and --ignore) leave it as it is.)
    for (ruleset, pipeline), run in groupby(
        items, key=lambda item: (item.config.ruleset(select, ignore), item.config.pipeline)
    ):
        run = list(run)
        documents = (item.document or read(item.text, item.path, item.format, item.config) for item in run)
        for item, found in zip(run, lint_documents(documents, ruleset, pipeline), strict=True):
            if use_cache:
                disk_cache.store("results", _cache_key(item, ruleset), [finding.to_dict() for finding in found])
            findings.extend(found)
    return findings


class _Linter:
    """Lints the files the cache could not answer: in this process, or in `jobs` worker processes
    once the files read so far hold enough text to pay for starting them (MIN_CHARS_PER_JOB each).

    Files are linted while the tree is still being read, in chunks of about CHUNK_CHARS
    characters: in this process as each chunk fills, or sent to the workers, which take the
    next as they free up, so that no worker sits idle at the end while another finishes a long
    chunk. Each worker builds its pipeline once (pipeline.py caches it per process). "spawn"
    behaves the same on every platform and never forks a parent that has threads or spaCy
    loaded. A chunk's findings are taken as soon as it is done and its texts let go, but for the
    files with findings (what the HTML report shows, the baseline fingerprints and fixes rewrite):
    a run over a large tree holds its findings, not the tree. Should a worker die, the chunks not
    yet done are linted in this process. Leaving the `with` block on an exception (Ctrl-C,
    SIGTERM) stops the workers at once. Every call into the executor is made with stops deferred
    (see stops.Stops).
    """

    def __init__(
        self, select: frozenset[str], ignore: frozenset[str], use_cache: bool, jobs: int, progress: Progress | None
    ) -> None:
        self.options = (select, ignore, use_cache)
        # More workers than CPUs only take turns on them, each with a pipeline of its own in
        # memory (-j 32 on 2 CPUs: 3.9 GB, and slower). Nor more than files: workers start only
        # once twice as many files are read (_worth_workers).
        self.jobs = min(jobs, usable_cpus())
        self.progress = progress
        self.here = self.jobs <= 1  # lint in this process (no workers wanted, none could start, or one died)
        self.files = 0  # files added
        self.chars = 0  # and their characters
        self.unsent: list[_Item] = []  # added, not yet linted nor sent to a worker
        self.unsent_chars = 0
        self.pool: Any = None
        self.sent: dict[Any, list[_Item]] = {}  # future -> its chunk, until its findings are taken
        self.stops = Stops()
        self.findings: list[Finding] = []
        self.texts: dict[str, str] = {}  # the text of each file with findings, by path

    def add(self, item: _Item) -> None:
        self.files += 1
        self.chars += len(item.text)
        self.unsent.append(item)
        self.unsent_chars += len(item.text)
        if self.pool is None and not self.here and self._worth_workers():
            with self.stops.deferred():
                self.pool = _start_pool(self.jobs)
            self.here = self.pool is None  # no processes on this system: everything in this process
        if self.here:
            self._lint_here(self._ready_chunks(final=False))
        elif self.pool is not None:
            chunks = self._ready_chunks(final=False)
            if chunks:
                self._send(chunks)
                self._take(keep=QUEUED_CHUNKS * self.jobs)

    def _worth_workers(self) -> bool:
        return self.files >= 2 * self.jobs and self.chars >= MIN_CHARS_PER_JOB * self.jobs

    def finish(self) -> tuple[list[Finding], dict[str, str]]:
        """The findings of every file added (in no particular order: lint_paths sorts them), and
        the texts of the files they are in."""
        if self.progress is not None:
            self.progress.start(self.files)
        self.here = self.here or self.pool is None
        if not self.here:
            self._send(self._ready_chunks(final=True))
            self._take(keep=0)
        self._lint_here(self._ready_chunks(final=True))  # all of them, unless a worker died
        return self.findings, self.texts

    def _ready_chunks(self, final: bool) -> list[list[_Item]]:
        """Take every complete chunk of the unsent files (all of them when `final`)."""
        if not final and self.unsent_chars < CHUNK_CHARS:
            return []  # (a file at a time: cutting the unsent files into chunks at each would cost)
        chunks = _chunks(self.unsent, CHUNK_CHARS)
        if chunks and not final and sum(len(item.text) for item in chunks[-1]) < CHUNK_CHARS:
            self.unsent = chunks.pop()  # still filling
        else:
            self.unsent = []
        self.unsent_chars = sum(len(item.text) for item in self.unsent)
        return chunks

    def _lint_here(self, chunks: list[list[_Item]]) -> None:
        for chunk in chunks:
            self._record(chunk, _lint_items(chunk, *self.options))

    def _send(self, chunks: list[list[_Item]]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            with self.stops.deferred():
                while chunks:
                    future = self.pool.submit(_lint_items, chunks[0], *self.options)
                    self.sent[future] = chunks.pop(0)
        except BrokenProcessPool:  # a worker died
            self._fall_back(kill=False, unsent=[item for chunk in chunks for item in chunk])

    def _take(self, keep: int) -> None:
        """Record the findings of the chunks done, waiting while more than `keep` of those sent are not.

        A worker that dies while sending a result leaves the executor waiting for the rest of the
        message, and no future would ever complete (see _kill_workers): so while none does, the
        workers are looked at every STOP_CHECK_SECONDS, as is a stop noted meanwhile.
        """
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        try:
            while self.sent:
                waiting = len(self.sent) > keep
                with self.stops.deferred():
                    done, _ = wait(self.sent, timeout=STOP_CHECK_SECONDS if waiting else 0, return_when=FIRST_COMPLETED)
                    for future in done:
                        found = future.result()
                        self._record(self.sent.pop(future), found)
                if not done:
                    if not waiting:
                        return
                    if not all(process.is_alive() for process in _workers(self.pool)):
                        raise BrokenProcessPool("a worker process died")
        except (BrokenProcessPool, OSError):
            self._fall_back(kill=True, unsent=[])

    def _fall_back(self, kill: bool, unsent: list[_Item]) -> None:
        """A worker died: the chunks it and the others had not finished are linted in this process."""
        if kill:
            with self.stops.deferred():
                _kill_workers(self.pool)
        self.unsent = [item for chunk in self.sent.values() for item in chunk] + unsent + self.unsent
        self.unsent_chars = sum(len(item.text) for item in self.unsent)
        self.sent = {}
        self.here = True

    def _record(self, chunk: list[_Item], found: list[Finding]) -> None:
        self.findings.extend(found)
        flagged = {finding.path for finding in found}
        self.texts.update((item.path, item.text) for item in chunk if item.path in flagged)
        if self.progress is not None:
            self.progress.start(None)  # the first chunk done starts the clock
            self.progress.advance(len(chunk), _words(chunk))

    def __enter__(self) -> _Linter:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self.pool is None:
            return
        if error is not None:
            self.stops.stopping = True  # a stop while cleaning up after one ends the process
        with self.stops.deferred():
            if error is not None:
                _kill_workers(self.pool)
            self.pool.shutdown(wait=True, cancel_futures=True)


def _workers(pool: Any) -> list[Any]:
    """The pool's worker processes: its process table is the executor's one handle on them."""
    return list((pool._processes or {}).values())


def _kill_workers(pool: Any) -> None:
    """Stop the workers now rather than wait for their chunks: on Ctrl-C or SIGTERM, or when one died.

    The executor has no public way to do this (Python 3.14 adds one), so this goes by its
    process table and its result pipe. A worker killed while it was sending a result (which a
    signal to the whole process group does too) leaves half a message in the pipe, and the
    executor's thread would wait for the rest for ever, because this process holds a writing
    end of the pipe as well. Closing that end once the workers are gone makes the wait end.
    The work queue is the same the other way round: its thread may be blocked writing chunks no
    worker will read, and before Python 3.11.5 (gh-94777) nothing fails that write, so the
    executor's thread would wait for that thread for ever: it is told not to. (Closing the
    queue's reading end here instead raced with the executor's own thread, which closes it from
    3.11.5 on: one descriptor closed twice, and the second close failed.)
    """
    processes = _workers(pool)
    for process in processes:
        process.kill()
    for process in processes:
        process.join()
    if pool._result_queue is not None:
        pool._result_queue._writer.close()
    if pool._call_queue is not None:
        pool._call_queue.cancel_join_thread()


def _start_pool(jobs: int) -> Any:
    """A pool of `jobs` "spawn" worker processes, or None when this system cannot start processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
    except OSError:
        return None
    try:
        # Started now, not at the first chunk, so the workers import spaCy while files are read.
        with _children_ignore_ctrl_c():
            for _ in range(jobs):
                pool.submit(os.getpid)
    except BaseException as error:
        # The caller never gets this pool, so cannot stop it: a Ctrl-C pressed while the workers
        # started is raised as the block ends, and SIGTERM can land anywhere in it.
        _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(error, OSError):
            return None
        raise
    return pool


@contextmanager
def _children_ignore_ctrl_c() -> Iterator[None]:
    """Processes started in this block ignore Ctrl-C from their first instruction.

    A worker inherits an ignored SIGINT, whereas _worker_start runs only once it has started up,
    and a Ctrl-C before that printed a worker's traceback. SIGINT is blocked here as well, so
    that a Ctrl-C meant for this process waits until the end of the block instead of being lost
    (the threads started here inherit the block; claimcheck has no thread started before).
    """
    import signal
    import threading

    # Handlers live in the main thread; and Windows has no signal masks (nor inherits dispositions).
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # multiprocessing's resource tracker unblocks SIGINT as it first starts: started here, before.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    # Once blocked, no Ctrl-C can land between these lines (a SIGTERM still can: each step is undone).
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, handler)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


# How often the parent, waiting for chunks, lets a Ctrl-C or SIGTERM noted meanwhile through
# (see stops.Stops) and looks for a worker that died.
STOP_CHECK_SECONDS = 0.1

# About 8,000 words: enough that sending a chunk (its texts, pickled) costs nothing next to
# linting it, small enough that workers finish together and the progress bar moves.
CHUNK_CHARS = 50_000
# Chunks sent to each worker and not yet done before reading more files waits for them: enough
# that no worker waits for the next, few enough that a large tree is never held whole.
QUEUED_CHUNKS = 4


def _chunks(items: list[_Item], size: int) -> list[list[_Item]]:
    """`items` in order, cut into runs of at least `size` characters (the last may be shorter)."""
    chunks: list[list[_Item]] = [[]]
    chars = 0
    for item in items:
        if chars >= size:
            chunks.append([])
            chars = 0
        chunks[-1].append(item)
        chars += len(item.text)
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

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited already, where _children_ignore_ctrl_c works

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="claimcheck-parent-watch").start()


def usable_cpus() -> int:
    """The CPUs this process may use (its affinity where the OS has one, else all of them):
    --jobs's default, and its most."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
