#!/usr/bin/env python3
"""Measure claimcheck's start-up time, throughput and memory, next to spaCy's own floor.

    python bench/benchmark.py [--corpus DIR] [--words 1000000] [--repeat 3] [--json PATH]
                              [--pages 100000 | --export FILE] [--scan-repeat N]
                              [--no-in-process] [--quick] [--profile [WORDS]] [--profile-out FILE]

Everything is measured in one run on the same text:

1. Cold start: wall time of fresh processes (median of --repeat runs, each after one untimed
   run that warms the OS file cache and claimcheck's user cache): ``python -c pass``,
   ``python -c "import spacy"``, ``python -c "import spacy; spacy.blank('en')"``,
   ``claimcheck --version``, and ``claimcheck check FILE`` for a one-paragraph file with
   claims and one without; plus one run of the claim file with CLAIMCHECK_NO_CACHE=1.
2. Throughput in this process (median of --repeat passes, each on freshly built pipelines so
   spaCy's tokenizer cache starts empty as it does in a real run): spaCy blank("en")
   tokenizer alone, blank("en") + sentencizer through ``nlp.pipe``, and
   ``claimcheck.lint.lint_paths([corpus])`` after a warm-up on a small file (so the pipeline
   build is not counted). Skipped with --no-in-process.
3. Whole processes over the corpus: spaCy's blank("en") tokenizer alone (the floor), and
   ``claimcheck check CORPUS --format json > /dev/null`` with --jobs 1, --jobs 2, and again
   on the unchanged tree (the result cache answers).
4. ``claimcheck scan`` over a JSON Lines export of --pages short pages (generated with
   ``make_corpus.py --export``), in one process and on a 2-worker Dask LocalCluster.
5. Peak RSS of each child process (``os.wait4``), and the issue's targets: met or not.

Words are whitespace-split words of every file lint_paths reads (of every record's text for
scan). Without --corpus, a corpus of --words words is generated into a temporary directory
with bench/make_corpus.py. --quick is a short look (100k words, 10k pages, one run each).
This is a script, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAKE_CORPUS = HERE / "make_corpus.py"
WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")  # as make_corpus.py counts distinct tokens

CLAIM_TEXT = (
    "Our turmeric capsules cure arthritis and eliminate joint pain in just two weeks. "
    "Thousands of patients in Austin have already switched from prescription painkillers, "
    "and most say they will never go back.\n"
)
PLAIN_TEXT = (
    "Our clinic in Austin is open Monday through Friday from eight to six. Parking is free "
    "behind the building, and new patients are asked to arrive fifteen minutes early to fill "
    "in a short form.\n"
)
SPACY_FLOOR = "import spacy; spacy.blank('en')"
SPACY_IMPORT = "import spacy"
# spaCy's blank English tokenizer alone over the files listed in argv[1], as a whole process:
# the floor that claimcheck's whole-process words/s is measured against.
TOKENIZER_PROCESS = """
import sys
import spacy
nlp = spacy.blank("en")
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
texts = (open(path, encoding="utf-8", errors="replace").read() for path in paths)
for _ in nlp.tokenizer.pipe(texts, batch_size=1000):
    pass
"""

# The targets (issue 14): (key, description, the measured value's format, test).
TARGETS = (
    ("jobs1_vs_tokenizer", "words/s --jobs 1 >= 0.5x spaCy tokenizer (whole process)", "{:.2f}x", lambda v: v >= 0.5),
    ("jobs2_vs_jobs1", "words/s --jobs 2 >= 1.7x --jobs 1", "{:.2f}x", lambda v: v >= 1.7),
    ("cold_vs_import_spacy", 'one-page cold start <= 1.2x python -c "import spacy"', "{:.2f}x", lambda v: v <= 1.2),
    ("no_fire_page_s", "no-fire page <= 0.15 s", "{:.3f} s", lambda v: v <= 0.15),
    ("peak_rss_mib", "peak RSS <= 150 MiB per process", "{:.0f} MiB", lambda v: v <= 150),
    (
        "jobs2_vs_scan_cluster",
        "scan on a 2-worker LocalCluster within 1.3x of --jobs 2 (same pages)",
        "{:.2f}x",
        lambda v: v <= 1.3,
    ),
)


# --------------------------------------------------------------------------
# Child processes
# --------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds, perf_counter around spawn..reap
    rss: int | None  # peak resident set size of the child, bytes
    code: int
    stdout: str
    stderr: str
    cpu: float | None = None  # user + system seconds of the child and the children it waited for


# Runs argv[2:] and writes its wall time, exit status, peak RSS and CPU time to argv[1] as JSON.
# Every child is started through this small process: on Linux a process inherits its parent's
# peak RSS across fork and exec, so a command started straight from this (large) benchmark
# process would report the benchmark's own memory as its peak.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
report = {"wall": wall, "code": os.waitstatus_to_exitcode(status), "maxrss": usage.ru_maxrss,
          "cpu": usage.ru_utime + usage.ru_stime}
with open(sys.argv[1], "w", encoding="utf-8") as stream:
    json.dump(report, stream)
"""


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, capture: bool = False) -> Run:
    """Run one command; stdout goes to /dev/null unless captured. Measures wall time, peak RSS and CPU."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        stdout = out if capture else subprocess.DEVNULL
        if hasattr(os, "wait4"):
            report = Path(tmp) / "usage.json"
            launcher = [sys.executable, "-c", LAUNCHER, str(report), *cmd]
            subprocess.run(launcher, stdout=stdout, stderr=err, env=env, cwd=cwd, check=False)
            usage = json.loads(report.read_text(encoding="utf-8"))
            wall, code, cpu = usage["wall"], usage["code"], usage["cpu"]
            rss = usage["maxrss"] * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - no per-child rusage on this platform
            start = time.perf_counter()
            code = subprocess.run(cmd, stdout=stdout, stderr=err, env=env, cwd=cwd, check=False).returncode
            wall, rss, cpu = time.perf_counter() - start, None, None
        out.seek(0)
        err.seek(0)
        output = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        return Run(wall, rss, code, *output, cpu)


def checked(run: Run, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
    if run.code not in ok:
        sys.exit(f"benchmark: {' '.join(cmd)} exited {run.code}:\n{run.stderr.strip()}")
    return run


def claimcheck_command() -> list[str]:
    """The installed console script next to this interpreter, else on PATH, else `python -m claimcheck`."""
    beside = Path(sys.executable).parent / ("claimcheck.exe" if os.name == "nt" else "claimcheck")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("claimcheck")
    return [found] if found else [sys.executable, "-m", "claimcheck"]


def child_env(no_cache: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CLAIMCHECK_NO_CACHE", None)
    # Let the warm-up runs leave bytecode behind, as an installed package has: otherwise every
    # fresh process would recompile claimcheck's modules from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if no_cache:
        env["CLAIMCHECK_NO_CACHE"] = "1"
    return env


def timed_runs(cmd: list[str], cwd: Path, repeat: int, ok: tuple[int, ...] = (0,), warm: bool = True) -> dict:
    """One untimed warm-up run (optional), then `repeat` timed runs; median wall, max RSS."""
    env = child_env()
    if warm:
        checked(run_child(cmd, env, cwd), cmd, ok)
    runs = [checked(run_child(cmd, env, cwd), cmd, ok) for _ in range(repeat)]
    return summarise(cmd, runs)


def summarise(cmd: list[str], runs: list[Run]) -> dict:
    rss = [r.rss for r in runs if r.rss is not None]
    return {
        "command": cmd,
        "median_s": statistics.median(r.wall for r in runs),
        "runs_s": [r.wall for r in runs],
        "peak_rss_bytes": max(rss) if rss else None,
        # CPU time says what a shared machine's wall time cannot (a busy machine stretches wall time).
        "median_cpu_s": statistics.median(r.cpu for r in runs) if all(r.cpu is not None for r in runs) else None,
        "exit_codes": sorted({r.code for r in runs}),
    }


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def generate_corpus(out: Path, words: int) -> str:
    files = min(1000, max(1, words // 1000))  # ~1,000 words a file, as in the default tree
    cmd = [sys.executable, str(MAKE_CORPUS), str(out), "--words", str(words), "--files", str(files)]
    print(f"generating a {words:,}-word corpus in {out} ...", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"benchmark: make_corpus.py failed:\n{done.stderr}")
    return done.stdout.strip()


def generate_export(out: Path, pages: int) -> str:
    cmd = [sys.executable, str(MAKE_CORPUS), "--export", str(out), "--pages", str(pages)]
    print(f"generating a {pages:,}-page export in {out} ...", file=sys.stderr, flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"benchmark: make_corpus.py --export failed:\n{done.stderr}")
    return done.stdout.strip()


def export_words(export: Path) -> tuple[int, int]:
    """Records and whitespace-split words of a JSON Lines export (as `claimcheck scan` counts them)."""
    records = words = 0
    with open(export, encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                records += 1
                words += len(json.loads(line).get("text", "").split())
    return records, words


_SUFFIXES = {"text": ".txt", "markdown": ".md", "mdx": ".mdx", "html": ".html"}


def export_tree(export: Path, out: Path) -> int:
    """The export's records as files, one each (named by its format), a thousand to a folder: the
    same records for `check --jobs 2`, which the scan target compares against."""
    count = 0
    with open(export, encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            record = json.loads(line)
            folder = out / f"{count // 1000:04d}"
            if count % 1000 == 0:
                folder.mkdir(parents=True, exist_ok=True)
            suffix = _SUFFIXES.get(record.get("format") or "text", ".txt")
            (folder / f"{count}{suffix}").write_text(record.get("text") or "", encoding="utf-8")
            count += 1
    return count


def read_corpus(corpus: Path) -> tuple[list[Path], list[str]]:
    """The files lint_paths would read, in its order, and their texts."""
    from claimcheck.sources import read_text
    from claimcheck.walk import discover

    files, texts = [], []
    for path in discover([corpus]):
        try:
            texts.append(read_text(path))
        except Exception:
            continue
        files.append(path)
    return files, texts


# --------------------------------------------------------------------------
# In-process throughput
# --------------------------------------------------------------------------


def _time(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        setup = fn()  # returns the callable to time, built untimed
        gc.collect()
        start = time.perf_counter()
        setup()
        times.append(time.perf_counter() - start)
    return times


def throughput(corpus: Path, texts: list[str], small: Path, repeat: int) -> tuple[dict, dict]:
    import spacy

    from claimcheck import lint, pipeline, walk
    from claimcheck.sources import read_text

    def read_only():  # type: ignore[no-untyped-def]
        def go() -> None:
            for path in walk.discover([corpus]):
                read_text(path)

        return go

    def tokenizer():  # type: ignore[no-untyped-def]
        nlp = spacy.blank("en")

        def go() -> None:
            for _ in nlp.tokenizer.pipe(texts, batch_size=1000):
                pass

        return go

    def sentencizer():  # type: ignore[no-untyped-def]
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")

        def go() -> None:
            for _ in nlp.pipe(texts, batch_size=256):
                pass

        return go

    results: dict = {}

    def lint_corpus():  # type: ignore[no-untyped-def]
        pipeline._cache.clear()  # a fresh pipeline (empty tokenizer cache) for every pass ...
        lint.lint_paths([small])  # ... built here, by the warm-up, not in the timed pass

        def go() -> None:
            results["last"] = lint.lint_paths([corpus])

        return go

    out = {
        "read_only": _time(read_only, repeat),
        "spacy_tokenizer": _time(tokenizer, repeat),
        "spacy_sentencizer": _time(sentencizer, repeat),
        "lint_paths": _time(lint_corpus, repeat),
    }
    last = results["last"]
    info = {"files": last.files, "findings": len(last.findings), "errors": len(last.errors)}
    return out, info


def profile_subset(
    files: list[Path], texts: list[str], words: int, small: Path, top: int, out_file: Path | None
) -> dict:
    """cProfile of lint_paths over every k-th corpus file, about `words` words in all."""
    from claimcheck import lint

    counts = [len(t.split()) for t in texts]
    stride = max(1, round(sum(counts) / words))
    subset = files[::stride]
    subset_words = sum(counts[::stride])
    lint.lint_paths([small])  # pipeline built outside the profile
    gc.collect()
    start = time.perf_counter()
    lint.lint_paths(subset)
    plain = time.perf_counter() - start
    profiler = cProfile.Profile()
    gc.collect()
    start = time.perf_counter()
    profiler.enable()
    lint.lint_paths(subset)
    profiler.disable()
    profiled = time.perf_counter() - start
    if out_file:
        profiler.dump_stats(str(out_file))
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return {
        "files": len(subset),
        "words": subset_words,
        "wall_s": plain,
        "wall_profiled_s": profiled,
        "top": top,
        "report": buffer.getvalue(),
    }


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # pragma: no cover - not on this platform
        return None


def cpu(row: dict) -> str:
    """A row's median CPU seconds (user + system, children included), or '-' for in-process rows."""
    return "-" if row.get("median_cpu_s") is None else f"{row['median_cpu_s']:.2f} s"


def mib(value: int | None) -> str:
    return "-" if value is None else f"{value / 1_048_576:.0f} MiB"


def targets(data: dict) -> dict:
    """Each target of the issue: the measured value and whether it is met (None: not measured)."""
    cold, tp, scan = data["cold_start"], data["throughput"], data["scan"]
    rss = [row["peak_rss_bytes"] for row in (tp["whole_process"], tp["whole_process_jobs2"], cold["check_claim_lint"])]
    rss += [
        scan[key]["peak_rss_bytes"] for key in ("local", "cluster_2_workers", "check_jobs2_same_records") if key in scan
    ]
    values = {
        "jobs1_vs_tokenizer": tp["whole_process"]["words_per_s"] / tp["tokenizer_process"]["words_per_s"],
        "jobs2_vs_jobs1": tp["whole_process_jobs2"]["words_per_s"] / tp["whole_process"]["words_per_s"],
        "cold_vs_import_spacy": cold["check_claim_lint"]["median_s"] / cold["spacy_import"]["median_s"],
        "no_fire_page_s": cold["check_noclaim_lint"]["median_s"],
        "peak_rss_mib": max(r for r in rss if r is not None) / 1_048_576 if any(rss) else None,
        "jobs2_vs_scan_cluster": (
            scan["check_jobs2_same_records"]["words_per_s"] / scan["cluster_2_workers"]["words_per_s"]
            if "cluster_2_workers" in scan
            else None
        ),
    }
    return {
        key: {"target": text, "value": values[key], "met": None if values[key] is None else bool(test(values[key]))}
        for key, text, _, test in TARGETS
    }


def cpu_ratios(data: dict) -> dict:
    """The single-process targets' ratios from median CPU seconds instead of wall time.

    On a machine shared with other work, wall time measures the queue for a core as much as the
    work; CPU time (user + system) much less so. The targets stay defined on wall time; these
    say how far the work itself is from them. None where a CPU time is missing.
    """
    cold, tp = data["cold_start"], data["throughput"]

    def ratio(numerator: dict, denominator: dict) -> float | None:
        top, bottom = numerator.get("median_cpu_s"), denominator.get("median_cpu_s")
        return top / bottom if top is not None and bottom else None

    return {
        # words/s ratio = inverse ratio of seconds for the same words
        "jobs1_vs_tokenizer": ratio(tp["tokenizer_process"], tp["whole_process"]),
        "cold_vs_import_spacy": ratio(cold["check_claim_lint"], cold["spacy_import"]),
        "no_fire_page_s": cold["check_noclaim_lint"].get("median_cpu_s"),
    }


def print_table(data: dict) -> None:
    meta, corpus, cold, tp = data["meta"], data["corpus"], data["cold_start"], data["throughput"]
    repeat = meta["repeat"]
    print(
        f"claimcheck {meta['claimcheck']} | spaCy {meta['spacy']} | Python {meta['python']} | "
        f"{meta['cpus']} CPUs | {meta['platform']}"
    )
    load = meta["load_average_1min"]
    if load["start"] is not None:
        busy = max(load["start"], load["end"] or 0) > 1.5  # this benchmark alone keeps about 1 busy
        print(
            f"load average (1 min): {load['start']} at start, {load['end']} at end"
            + ("  <- other work was running; numbers are noisy" if busy else "")
        )
    print(
        f"corpus: {corpus['path']}{' (generated)' if corpus['generated'] else ''}: {corpus['files']:,} files, "
        f"{corpus['words']:,} words, {corpus['distinct_words']:,} distinct lowercase words"
    )
    print()
    print(f"Cold start (fresh process; median of {repeat} after a warm-up run)      wall   peak RSS  exit      CPU")
    rows = [
        ("python -c pass", cold["python_pass"]),
        ('python -c "import spacy"', cold["spacy_import"]),
        ("python -c \"import spacy; spacy.blank('en')\"", cold["spacy_blank"]),
        ("claimcheck --version", cold["version"]),
        ("claimcheck check claim.txt    (result cache answers)", cold["check_claim"]),
        ("claimcheck check noclaim.txt  (result cache answers)", cold["check_noclaim"]),
        ("claimcheck check --no-cache claim.txt    (linted)", cold["check_claim_lint"]),
        ("claimcheck check --no-cache noclaim.txt  (linted)", cold["check_noclaim_lint"]),
        ("claimcheck check claim.txt    CLAIMCHECK_NO_CACHE=1, 1 run", cold["check_claim_no_cache"]),
    ]
    for label, row in rows:
        codes = ",".join(str(c) for c in row["exit_codes"])
        print(f"  {label:<64} {row['median_s']:6.3f} s {mib(row['peak_rss_bytes']):>9}  {codes:>4} {cpu(row):>8}")
    print(f"  (claim.txt: {cold['claim_findings']} findings; noclaim.txt: {cold['noclaim_findings']} findings)")
    print()
    words = corpus["words"]
    floor = tp["tokenizer_process"]["words_per_s"]
    print(
        f"Throughput on {words:,} words (median of {repeat})                 seconds      words/s  vs tok   peak RSS"
        "      CPU"
    )
    rows = []
    if "lint_paths" in tp:
        rows += [
            ("discover + read + decode only (in-process)", tp["read_only"]),
            ("spaCy blank('en') tokenizer.pipe (in-process)", tp["spacy_tokenizer"]),
            ("spaCy blank('en') + sentencizer, nlp.pipe (in-process)", tp["spacy_sentencizer"]),
            ("claimcheck.lint.lint_paths([corpus]) (in-process, warm)", tp["lint_paths"]),
        ]
    rows += [
        ("spaCy blank('en') tokenizer alone (process)", tp["tokenizer_process"]),
        ("claimcheck check CORPUS --jobs 1 --no-cache (process)", tp["whole_process"]),
        ("claimcheck check CORPUS --jobs 2 --no-cache (process)", tp["whole_process_jobs2"]),
        ("claimcheck check CORPUS --jobs 2, unchanged tree (cache)", tp["warm_cache_rerun"]),
    ]
    for label, row in rows:
        print(
            f"  {label:<58} {row['median_s']:7.2f} {row['words_per_s']:12,.0f} {row['words_per_s'] / floor:6.2f}x"
            f" {mib(row.get('peak_rss_bytes')):>10} {cpu(row):>8}"
        )
    if "lint_paths" in tp:
        info = tp["lint_paths"]
        print(f"  lint_paths: {info['files']:,} files, {info['findings']:,} findings, {info['errors']} unreadable")
    scan = data["scan"]
    if scan:
        print()
        runs = len(scan["local"]["runs_s"])
        print(
            f"claimcheck scan over {scan['records']:,} pages, {scan['words']:,} words (median of {runs})"
            "    seconds      words/s  vs tok   peak RSS      CPU"
        )
        for label, row in (
            ("scan EXPORT --jobs 1 (this process)", scan["local"]),
            ("scan EXPORT --jobs 2 (2-worker LocalCluster, start-up counted)", scan["cluster_2_workers"]),
            ("check --jobs 2 over the same pages, one file each", scan["check_jobs2_same_records"]),
        ):
            print(
                f"  {label:<64} {row['median_s']:7.2f} {row['words_per_s']:12,.0f} {row['words_per_s'] / floor:6.2f}x"
                f" {mib(row['peak_rss_bytes']):>10} {cpu(row):>8}"
            )
    print()
    print("Targets (issue 14)                                                     measured  met")
    for key, _, shown, _ in TARGETS:
        target = data["targets"][key]
        value = "-" if target["value"] is None else shown.format(target["value"])
        met = {True: "yes", False: "NO", None: "-"}[target["met"]]
        print(f"  {target['target']:<66} {value:>10}  {met}")
    by_cpu = data.get("targets_cpu", {})
    shown = {key: fmt for key, _, fmt, _ in TARGETS}
    parts = [f"{key} {shown[key].format(value)}" for key, value in by_cpu.items() if value is not None]
    if parts:
        print(f"  by CPU seconds instead of wall time (see bench/README.md): {', '.join(parts)}")
    if "profile" in data:
        prof = data["profile"]
        print()
        print(
            f"Profile of lint_paths on {prof['files']} files, {prof['words']:,} words "
            f"({prof['wall_s']:.2f} s unprofiled, {prof['words'] / prof['wall_s']:,.0f} words/s; "
            f"{prof['wall_profiled_s']:.2f} s under cProfile), top {prof['top']} by tottime:"
        )
        print(prof["report"].rstrip())


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="an existing tree to lint (default: generate one into a temp dir)")
    ap.add_argument("--words", type=int, default=1_000_000, help="words to generate without --corpus (default 1000000)")
    ap.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measurement; medians are reported (default 3)"
    )
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every number as JSON here")
    ap.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=100_000,
        metavar="WORDS",
        help="also cProfile lint_paths on about WORDS words (default 100000); print the top 25 by tottime",
    )
    ap.add_argument("--profile-out", type=Path, metavar="FILE", help="with --profile, save the raw pstats here")
    ap.add_argument(
        "--pages", type=int, default=100_000, help="pages of the generated export to scan (default 100000; 0: no scan)"
    )
    ap.add_argument("--export", type=Path, metavar="FILE", help="scan this JSON Lines export instead of generating one")
    ap.add_argument("--scan-repeat", type=int, metavar="N", help="timed runs of each scan (default: --repeat)")
    ap.add_argument("--no-in-process", action="store_true", help="skip the in-process throughput passes")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="a quick look: 100,000 words, 10,000 pages, one run each, no in-process passes",
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.words, args.pages, args.repeat, args.no_in_process = 100_000, min(args.pages, 10_000), 1, True
    args.scan_repeat = args.scan_repeat or args.repeat
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.corpus and not args.corpus.is_dir():
        ap.error(f"--corpus {args.corpus}: not a directory (make one with: python {MAKE_CORPUS} DIR)")

    work = Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    generated = args.corpus is None
    corpus = (work / "corpus") if generated else args.corpus.resolve()
    corpus_report = generate_corpus(corpus, args.words) if generated else ""

    small_dir = work / "small"
    small_dir.mkdir()
    claim, noclaim = small_dir / "claim.txt", small_dir / "noclaim.txt"
    claim.write_text(CLAIM_TEXT, encoding="utf-8")
    noclaim.write_text(PLAIN_TEXT, encoding="utf-8")

    cc = claimcheck_command()
    repeat = args.repeat
    load_before = load_average()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    # 1. Cold start. The untimed warm-up run of each command fills the OS file cache and,
    # for `check`, claimcheck's user cache (the compiled rule set).
    log("cold start ...")
    cold: dict = {}
    cold["python_pass"] = timed_runs([sys.executable, "-c", "pass"], small_dir, repeat)
    cold["spacy_import"] = timed_runs([sys.executable, "-c", SPACY_IMPORT], small_dir, repeat)
    cold["spacy_blank"] = timed_runs([sys.executable, "-c", SPACY_FLOOR], small_dir, repeat)
    cold["version"] = timed_runs([*cc, "--version"], small_dir, repeat)
    findings = {}
    for key, path in (("claim", claim), ("noclaim", noclaim)):
        cmd = [*cc, "check", path.name, "--format", "json"]
        warm = checked(run_child(cmd, child_env(), small_dir, capture=True), cmd, (0, 1))
        findings[key] = json.loads(warm.stdout)["summary"]["findings"]
        cold[f"check_{key}"] = timed_runs([*cc, "check", path.name], small_dir, repeat, ok=(0, 1), warm=False)
        # Linted for real (the result cache not asked; the compiled rule set still cached): a cold start.
        cmd = [*cc, "check", "--no-cache", path.name]
        cold[f"check_{key}_lint"] = timed_runs(cmd, small_dir, repeat, ok=(0, 1), warm=False)
    cold["claim_findings"], cold["noclaim_findings"] = findings["claim"], findings["noclaim"]
    cmd = [*cc, "check", claim.name]
    cold["check_claim_no_cache"] = summarise(
        cmd, [checked(run_child(cmd, child_env(no_cache=True), small_dir), cmd, (0, 1))]
    )
    cold["check_claim_no_cache"]["env"] = {"CLAIMCHECK_NO_CACHE": "1"}
    if findings["claim"] == 0 or findings["noclaim"] != 0:
        log(f"warning: expected findings in claim.txt and none in noclaim.txt, got {findings}")

    # 2. Throughput, in this process, on the texts lint_paths reads.
    log("reading the corpus ...")
    files, texts = read_corpus(corpus)
    words = sum(len(t.split()) for t in texts)
    if not words:
        sys.exit(f"benchmark: no words in {corpus}")
    distinct = set()
    for text in texts:
        distinct.update(WORD_RE.findall(text.lower()))
    tp: dict = {}
    if not args.no_in_process:
        log("in-process throughput ...")
        times, lint_info = throughput(corpus, texts, claim, repeat)
        for key, runs in times.items():
            median = statistics.median(runs)
            tp[key] = {"median_s": median, "runs_s": runs, "words_per_s": words / median}
        tp["lint_paths"].update(lint_info)

    # 3. The whole process over the corpus, with its peak RSS, next to spaCy's tokenizer alone.
    log("whole-process runs ...")
    listing = work / "files.txt"
    listing.write_text("".join(f"{path.resolve()}\n" for path in files), encoding="utf-8")
    tokenizer = timed_runs([sys.executable, "-c", TOKENIZER_PROCESS, str(listing)], small_dir, repeat)
    tokenizer["words_per_s"] = words / tokenizer["median_s"]
    tp["tokenizer_process"] = tokenizer
    base = [*cc, "check", str(corpus), "--format", "json"]
    for key, extra in (
        ("whole_process", ["--jobs", "1", "--no-cache"]),
        ("whole_process_jobs2", ["--jobs", "2", "--no-cache"]),
    ):
        whole = timed_runs([*base, *extra], small_dir, repeat, ok=(0, 1), warm=False)
        whole["words_per_s"] = words / whole["median_s"]
        tp[key] = whole
    # An unchanged tree linted again: the result cache answers (filled by one untimed run).
    rerun = timed_runs([*base, "--jobs", "2"], small_dir, repeat, ok=(0, 1), warm=True)
    rerun["words_per_s"] = words / rerun["median_s"]
    tp["warm_cache_rerun"] = rerun

    # 4. `claimcheck scan` over an export of short pages: in this process, and on a local Dask
    # cluster of two worker processes that the command starts (its start-up is counted).
    scan: dict = {}
    if args.pages or args.export:
        export = args.export.resolve() if args.export else work / "export.jsonl"
        scan["make_corpus_output"] = "" if args.export else generate_export(export, args.pages)
        scan["path"], scan["generated"] = str(export), not args.export
        scan["records"], scan["words"] = export_words(export)
        log("scan runs ...")
        for key, jobs in (("local", "1"), ("cluster_2_workers", "2")):
            cmd = [*cc, "scan", str(export), "--quiet", "--jobs", jobs, "--output", str(work / "found.jsonl")]
            runs = [checked(run_child(cmd, child_env(), small_dir), cmd, (0, 1)) for _ in range(args.scan_repeat)]
            scan[key] = summarise(cmd, runs)
            scan[key]["words_per_s"] = scan["words"] / scan[key]["median_s"]
        # The target's baseline: `check --jobs 2` over the same records, written as files.
        tree = work / "export-tree"
        export_tree(export, tree)
        cmd = [*cc, "check", str(tree), "--format", "json", "--jobs", "2", "--no-cache"]
        runs = [checked(run_child(cmd, child_env(), small_dir), cmd, (0, 1)) for _ in range(args.scan_repeat)]
        scan["check_jobs2_same_records"] = summarise(cmd, runs)
        scan["check_jobs2_same_records"]["words_per_s"] = scan["words"] / scan["check_jobs2_same_records"]["median_s"]

    import spacy

    from claimcheck import __version__

    data = {
        "meta": {
            "claimcheck": __version__,
            "spacy": spacy.__version__,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "repeat": repeat,
            "claimcheck_command": cc,
            "timer": "time.perf_counter",
            "load_average_1min": {"start": load_before, "end": load_average()},
            "pythondontwritebytecode_in_env": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
        },
        "corpus": {
            "path": str(corpus),
            "generated": generated,
            "make_corpus_output": corpus_report,
            "files": len(files),
            "words": words,
            "bytes": sum(len(t.encode("utf-8")) for t in texts),
            "distinct_words": len(distinct),
        },
        "cold_start": cold,
        "throughput": tp,
        "scan": scan,
    }
    data["targets"] = targets(data)
    data["targets_cpu"] = cpu_ratios(data)

    if args.profile:
        log("profiling ...")
        data["profile"] = profile_subset(files, texts, args.profile, claim, 25, args.profile_out)

    print_table(data)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
