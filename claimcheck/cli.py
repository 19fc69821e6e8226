"""The command line: parse arguments, run the library, pick a reporter, set the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from claimcheck import __version__, collector
from claimcheck.errors import ClaimcheckError, ExitCode, InputError
from claimcheck.findings import LintResult, Severity
from claimcheck.reporters import REPORTERS


def _say(message: str) -> None:
    """One line on stderr, with what file names and documents bring in (newlines, ESC) escaped."""
    from claimcheck.reporters.common import printable

    click.echo(printable(message), err=True)


def _split(values: tuple[str, ...], option: str) -> frozenset[str]:
    """The rule selectors of a repeatable, comma-separated option; given but empty is a mistake
    (an unset shell variable), not "every rule"."""
    found = frozenset(v.strip() for value in values for v in value.split(",") if v.strip())
    if values and not found:
        raise click.UsageError(f"{option} names no rule", click.get_current_context())
    return found


def _dash_is_stdout(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """`-o -` means standard output, as it does for most tools (None: no file)."""
    return None if value == Path("-") else value


def _load_config(config_path: Path | None, near: Path):  # type: ignore[no-untyped-def]
    from claimcheck.config import find_config, load_config

    # realpath, not resolve(): a symlink loop named first is reported as unreadable later, not
    # raised here (resolve() raises RuntimeError on a loop).
    return load_config(config_path) if config_path else find_config(Path(os.path.realpath(near)))


def _run_options(command):  # type: ignore[no-untyped-def]
    """--jobs and --no-cache, shared by every command that lints files."""
    no_cache = click.option("--no-cache", is_flag=True, help="Lint every file again instead of reusing cached results.")
    command = no_cache(command)
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        metavar="N",
        help="Worker processes, at most one per CPU [default: the number of CPUs; 1: lint in this process].",
    )(command)


def _rule_options(command):  # type: ignore[no-untyped-def]
    """--select, --ignore, --fail-on and --config, shared by check and scan."""
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="RULE",
            help="Only these rules (ids, packs or prefixes; repeat or comma-separate).",
        ),
        click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules."),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info"]),
            default=None,
            help="Lowest severity that fails the run [default: warning, or the config's fail_on].",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Use this config file instead of searching for one.",
        ),
    ]
    for option in reversed(options):  # applied bottom-up, so --help lists them in this order
        command = option(command)
    return command


def _jobs(jobs: int | None) -> int:
    from claimcheck.engine import usable_cpus

    return jobs or usable_cpus()


def _report_stale(stale: list, baseline_file: Path | None) -> None:  # type: ignore[type-arg]
    """Stale entries are news, not failures: one line each on stderr, then the count."""
    for entry in stale:
        _say(f"claimcheck: stale baseline entry: {entry.describe()}")
    if stale:
        entries = f"{len(stale)} stale baseline {'entry' if len(stale) == 1 else 'entries'}"
        _say(
            f"claimcheck: {entries} in {baseline_file} (fixed or rewritten); "
            f"'claimcheck baseline create {baseline_file}' drops them",
        )


class _Group(click.Group):
    """Turns our own errors into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            result = super().invoke(ctx)
            _flush_output(ctx)
            return result
        except BrokenPipeError:
            _output_closed(ctx)
        except ClaimcheckError as error:
            _say(f"claimcheck: error: {error}")
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            # Not click's "Aborted!" and exit 1: 1 means findings.
            _say("claimcheck: interrupted")
            ctx.exit(ExitCode.INTERRUPTED)
        except click.UsageError as error:
            _usage_error(error, ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            _flush_output(ctx)
            raise
        except Exception as error:
            stop = _stop_being_handled(error)
            if stop is not None:  # cleaning up after Ctrl-C or SIGTERM failed: the stop is what happened
                if stop == ExitCode.INTERRUPTED:
                    _say("claimcheck: interrupted")
                ctx.exit(stop)
            if os.environ.get("CLAIMCHECK_DEBUG"):
                raise
            _say(
                f"claimcheck: internal error: {type(error).__name__}: {error} "
                "(please report it; set CLAIMCHECK_DEBUG=1 for the traceback)",
            )
            ctx.exit(ExitCode.USAGE)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:  # an unknown top-level option or command
            _usage_error(error, ctx)
            raise  # not reached: _usage_error exits


def _flush_output(ctx: click.Context) -> None:
    """Flush standard output now, so that a reader gone away is met here rather than in
    Python's flush at exit (which prints "Exception ignored" and exits 120)."""
    if sys.stdout is None or sys.stdout.closed:
        return  # closed by the command itself: the language server closes it when it exits
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _output_closed(ctx)


def _output_closed(ctx: click.Context) -> None:
    """The reader of standard output went away (`claimcheck check | head`): stop quietly with
    the status a process killed by SIGPIPE reports, as git and coreutils do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere, silently
    except (OSError, ValueError):  # no file descriptor behind stdout (embedded): nothing to redirect
        pass
    ctx.exit(ExitCode.OUTPUT_CLOSED)


def _stop_being_handled(error: BaseException) -> int | None:
    """The exit status of a Ctrl-C or SIGTERM that `error` was raised while handling, if any.

    Stopping unwinds through cleanup (worker processes are killed, pipes closed); an error in
    that cleanup carries the stop as its context, and must not turn it into an internal error.
    """
    seen: BaseException | None = error.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return ExitCode.INTERRUPTED
        if isinstance(seen, SystemExit) and seen.code == ExitCode.TERMINATED:
            return ExitCode.TERMINATED
        seen = seen.__context__
    return None


def _usage_error(error: click.UsageError, ctx: click.Context) -> None:
    """A usage error in the documented form: one line, 'claimcheck: error: ...', and exit code 2."""
    command = (error.ctx or ctx).command_path
    click.echo(f"claimcheck: error: {error.format_message()} (see '{command} --help')", err=True)
    ctx.exit(ExitCode.USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimcheck")
def main() -> None:
    """Lint health-marketing copy for unhedged claims, unresolved footnotes and missing disclaimers."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so worker processes are stopped too."""
    raise SystemExit(ExitCode.TERMINATED)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=Path))  # unreadable: one line
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", *REPORTERS]),
    default="text",
    show_default=True,
    help="Report format; auto: github under GitHub Actions, else text.",
)
@_rule_options
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Read the document from stdin and report it under NAME (its extension picks the format).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not recorded in this baseline (see 'claimcheck baseline create').",
)
@click.option("--changed-since", metavar="REF", help="Report only findings on lines changed since this git revision.")
@click.option("--fix", is_flag=True, help="Apply the fixes rules declare (missing disclaimers); report what remains.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print what --fix would change as a unified diff; write nothing."
)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    callback=_dash_is_stdout,
    help="Write the report to FILE (atomically) instead of stdout ('-': stdout).",
    metavar="FILE",
)
@click.option("--verbose", "-v", is_flag=True, help="Also list, on stderr, the files a directory walk passed over.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the config's exclude to files named explicitly too (for pre-commit and editors).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=True,
    show_default=True,
    help="Skip what .gitignore and .ignore files ignore when walking directories.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors still exit 2).")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary line, no notes.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@_run_options
def check(
    paths: tuple[Path, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    stdin_filename: str | None,
    baseline_file: Path | None,
    changed_since: str | None,
    jobs: int | None,
    no_cache: bool,
    fix: bool = False,
    show_diff: bool = False,
    output: Path | None = None,
    verbose: bool = False,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
    exit_zero: bool = False,
    quiet: bool = False,
    statistics: bool = False,
) -> None:
    """Lint files and directories (default: the current directory); '-' reads stdin."""
    with collector.paused():  # what the engine imports lives as long as the run
        from claimcheck import engine, readers

    output_format = _auto_format(output_format)
    if statistics and output_format != "text":
        raise click.UsageError("--statistics prints counts as text; it cannot be used with --format")

    selected, ignored = _split(select, "--select"), _split(ignore, "--ignore")
    use_stdin = stdin_filename is not None or Path("-") in paths
    if use_stdin and [p for p in paths if p != Path("-")]:
        raise click.UsageError("'-' / --stdin-filename cannot be mixed with other paths")
    config = _load_config(config_path, Path(stdin_filename or ".").parent if use_stdin else (paths or (Path("."),))[0])
    if use_stdin and (baseline_file or changed_since is not None):
        raise click.UsageError("--baseline and --changed-since need file paths, not stdin")
    if fix and show_diff:
        raise click.UsageError("--fix and --diff cannot be used together (--diff shows what --fix would write)")
    if show_diff and output is not None:
        raise click.UsageError("--diff prints a diff, not a report; --output cannot be used with it")
    name = stdin_filename or "<stdin>"
    stdin_data = _read_stdin(name) if use_stdin else b""
    if use_stdin and force_exclude and stdin_filename and config.excludes(Path(stdin_filename)):
        # As ruff does: an excluded name is not linted; with --fix the document passes through unchanged.
        if fix:
            sys.stdout.buffer.write(stdin_data)
        sys.exit(ExitCode.OK)
    if use_stdin and readers.format_for(name) == "docx":
        raise InputError(f"{name}: a Word file is read from its path, not from standard input")
    if use_stdin:
        from claimcheck.sources import decode

        result = engine.lint_source(decode(stdin_data, name), name, config, selected, ignored, fix or show_diff)
    else:
        from claimcheck import progress

        with progress.Progress("files", progress.wanted(quiet, output_format)) as bar:
            result = engine.lint_paths(
                paths or (Path("."),),
                config if config_path else None,
                selected,
                ignored,
                jobs=_jobs(jobs),
                use_cache=not no_cache,
                baseline=baseline_file,
                changed_since=changed_since,
                fix=fix or show_diff,
                force_exclude=force_exclude,
                respect_gitignore=respect_gitignore,
                progress=bar,
            )
    if result.fixes is not None and not quiet:
        for note in result.fixes.notes:
            _say(f"claimcheck: note: {note}")
    if show_diff:
        click.echo("".join(file_plan.diff() for file_plan in result.fixes.files), nl=False)
        for error in result.errors:
            _say(f"claimcheck: error: {error}")
        sys.exit(ExitCode.USAGE if result.errors else ExitCode.FINDINGS if result.fixes.files else ExitCode.OK)
    if fix:
        _apply_fixes(result, stdin_data if use_stdin else None)
    result.fail_on = Severity(fail_on or config.fail_on)  # JUnit passes files whose findings are below it
    # With --fix on stdin, stdout carries the fixed document and the report goes to stderr.
    from claimcheck.reporters.common import for_output

    if output_format == "html":  # a report kept as review evidence says how it was made
        from claimcheck import provenance

        near = Path(stdin_filename or ".").parent if use_stdin else (paths or (Path("."),))[0]
        result.provenance = provenance.gather(config, near if os.path.isdir(near) else near.parent, selected, ignored)
    color = output is None and _use_color(sys.stderr if fix and use_stdin else sys.stdout)
    report = _render(output_format, for_output(result), config.ruleset().rules, quiet, statistics, color)
    if output is not None:
        _refuse_writing_over(output, result.paths, "--output")
        _write_report(output, "".join(report) + "\n")
    else:
        _echo_report(report, fix and use_stdin, color, quiet)
    for error in result.errors:
        _say(f"claimcheck: error: {error}")
    if verbose:
        for skipped in result.skipped:
            _say(f"claimcheck: skipped {skipped}")
    if not quiet:
        _report_stale(result.stale, baseline_file)
    threshold = Severity(fail_on or config.fail_on).rank
    if result.errors:
        sys.exit(ExitCode.USAGE)
    if exit_zero:
        sys.exit(ExitCode.OK)
    sys.exit(ExitCode.FINDINGS if any(f.severity.rank >= threshold for f in result.findings) else ExitCode.OK)


@main.command()
@click.argument("exports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id-field", default="id", show_default=True, metavar="NAME", help="The field holding a record's id.")
@click.option("--text-field", default="text", show_default=True, metavar="NAME", help="The field holding its text.")
@click.option(
    "--format-field",
    default="format",
    show_default=True,
    metavar="NAME",
    help="The field holding its format (text, markdown, mdx, html); optional.",
)
@click.option(
    "--default-format",
    type=click.Choice(["text", "markdown", "mdx", "html"]),
    default="text",
    show_default=True,
    help="The format of records without one.",
)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    callback=_dash_is_stdout,
    metavar="FILE",
    help="Write the findings here: Parquet for .parquet/.pq, else JSON Lines [default: JSON Lines on stdout].",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help=(
        "Without --scheduler: 1 lints in this process; N > 1 starts a local Dask cluster of N processes, "
        "at most one per CPU."
    ),
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=1000, show_default=True, metavar="N", help="Records per task."
)
@_rule_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary line.")
def scan(
    exports: tuple[Path, ...],
    id_field: str,
    text_field: str,
    format_field: str,
    default_format: str,
    output: Path | None,
    scheduler: str | None,
    jobs: int,
    batch_size: int,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    quiet: bool,
) -> None:
    """Lint the records of content exports (JSON Lines or Parquet) and write the findings.

    Each record has an id, a text and optionally a format; name the fields if yours differ.
    Runs in this process, on a local Dask cluster (--jobs N) or on yours (--scheduler); the
    output is the same, in export order. Needs the 'scan' extra for Parquet and Dask.
    """
    import contextlib

    from claimcheck import progress as progress_bar
    from claimcheck import scan as scanning

    config = _load_config(config_path, Path("."))
    selected, ignored = _split(select, "--select"), _split(ignore, "--ignore")
    config.ruleset(selected, ignored)  # a bad config or --select fails here, before any work
    fields = scanning.Fields(id_field, text_field, format_field, default_format)
    exports = _once_each(exports)
    threshold = Severity(fail_on or config.fail_on).rank
    bar = progress_bar.Progress("records", progress_bar.wanted(quiet))
    errors: list[str] = []
    findings = failing = flagged = 0
    if output is not None:
        _refuse_writing_over(output, exports, "--output")
    with contextlib.ExitStack() as stack:
        # Without --scheduler, -j N on fewer CPUs starts fewer workers (on one CPU, none: this process).
        jobs = jobs if scheduler else scanning.local_workers(jobs)
        client = scanning.dask_client(scheduler, jobs, stack) if scheduler or jobs > 1 else None
        writer = scanning.FindingsWriter(stack.enter_context(_output_stream(output)), _is_parquet(output))
        stack.callback(bar.close)
        bar.start(scanning.count_records(list(exports)) if bar.enabled else None)
        chunks = scanning.read_exports(list(exports), fields, batch_size)
        for scanned in scanning.scan_exports(chunks, config, fields, selected, ignored, client):
            writer.write(scanned.batch.rows())
            errors.extend(scanned.errors())
            findings += len(scanned.batch.findings)
            failing += sum(f.severity.rank >= threshold for f in scanned.batch.findings)
            flagged += len({f.path for f in scanned.batch.findings})
            bar.advance(scanned.batch.records + len(scanned.unreadable), scanned.batch.words)
        writer.close()
    _report_bad_records(errors)
    if not quiet:
        _say(
            f"claimcheck: {bar.items:,} records, {bar.words:,} words in {bar.elapsed():.1f} s "
            f"({bar.words_per_second():,.0f} words/s): {findings:,} finding{'s' * (findings != 1)} "
            f"in {flagged:,} record{'s' * (flagged != 1)}" + (f"; {len(errors):,} not linted" if errors else "")
        )
    sys.exit(ExitCode.USAGE if errors else ExitCode.FINDINGS if failing else ExitCode.OK)


def _once_each(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The paths, each file once: an export named twice (also as "./pages.jsonl") read again
    would make every record a duplicate of itself."""
    first: dict[Path, Path] = {}
    for path in paths:
        first.setdefault(path.resolve(), path)
    return tuple(first.values())


_BAD_RECORDS_SHOWN = 20  # a wrongly named field makes every record bad: show a few, count the rest


def _report_bad_records(errors: list[str]) -> None:
    for error in errors[:_BAD_RECORDS_SHOWN]:
        _say(f"claimcheck: error: {error}")
    if len(errors) > _BAD_RECORDS_SHOWN:
        _say(f"claimcheck: error: ... and {len(errors) - _BAD_RECORDS_SHOWN:,} more records not linted")


def _is_parquet(output: Path | None) -> bool:
    from claimcheck.scan import export_kind

    return output is not None and export_kind(output) == "parquet"


def _output_stream(output: Path | None):  # type: ignore[no-untyped-def]
    """stdout's bytes, or a file written beside `output` and renamed over it once complete."""
    import contextlib
    import tempfile

    if output is None:
        return contextlib.nullcontext(sys.stdout.buffer)

    @contextlib.contextmanager
    def replacing():  # type: ignore[no-untyped-def]
        from claimcheck.text import refuse_read_only

        try:
            refuse_read_only(output.absolute())
            handle, temporary = tempfile.mkstemp(dir=output.absolute().parent, prefix=f".{output.name}.")
        except OSError as error:
            raise ClaimcheckError(f"cannot write {output}: {error.strerror}") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                yield stream
            os.replace(temporary, output)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    return replacing()


def _read_stdin(name: str) -> bytes:
    from claimcheck.sources import read_limited

    if sys.stdin is None:  # started with standard input closed ("<&-")
        raise InputError(f"{name}: standard input is closed")
    return read_limited(sys.stdin.buffer, name)


def _auto_format(output_format: str) -> str:
    """--format auto: workflow commands under GitHub Actions (annotations on the pull request), else text."""
    if output_format != "auto":
        return output_format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _use_color(stream) -> bool:  # type: ignore[no-untyped-def]
    """Colour on a terminal; NO_COLOR (https://no-color.org) turns it off, FORCE_COLOR on."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _render(output_format: str, result: LintResult, rules, quiet: bool, statistics: bool, color: bool) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The report in pieces: the chosen format, or the per-rule counts; text takes --quiet and colour."""
    from claimcheck.reporters import report_chunks, text

    if statistics:
        return iter((text.statistics(result, rules),))
    if output_format == "text":
        return text.chunks(result, rules, summary_line=not quiet, color=color)
    return report_chunks(output_format, result, rules)


# The report is printed in pieces of about this many characters: a large tree's report is
# never held whole (it would be several copies of it: the string, its encoding, the buffers).
_PRINT_BATCH = 1 << 16


def _echo_report(report: Iterator[str], err: bool, color: bool, quiet: bool) -> None:
    """Print the report's pieces as they come, then a line break; an empty report prints
    nothing with --quiet, a blank line without (as one string printed with click.echo)."""
    batch: list[str] = []
    size, printed = 0, False
    for chunk in report:
        batch.append(chunk)
        size += len(chunk)
        printed = printed or bool(chunk)
        if size >= _PRINT_BATCH:
            # Pieces are whole findings: no ANSI sequence (which click strips when colour is off) is cut.
            click.echo("".join(batch), nl=False, err=err, color=color)
            batch, size = [], 0
    if printed or not quiet:
        click.echo("".join(batch), err=err, color=color)


def _refuse_writing_over(output: Path, inputs: Iterable[str | Path], what: str) -> None:
    """A report, findings or a baseline never replaces a file it was made from ("-o page.md page.md")."""
    if not output.exists():
        return
    for path in inputs:
        try:
            if os.path.samefile(output, path):
                raise ClaimcheckError(f"{what} {output} is one of the inputs; not written over it")
        except OSError:  # "<stdin>", or a file gone since
            continue


def _write_report(path: Path, report: str) -> None:
    """Write the report atomically over a regular file (which keeps its mode), directly into anything else.

    Renaming over /dev/null, a FIFO or /dev/stdout would replace the device, leave the reader
    waiting, or write beside the file the shell redirected to.
    """
    from claimcheck.text import write_atomically

    special = (path.exists() and not path.is_file()) or path.absolute().parts[1:2] in (("dev",), ("proc",))
    try:
        if special:
            with open(path, "wb") as stream:
                stream.write(report.encode("utf-8", "replace"))
        else:
            write_atomically(path, report.encode("utf-8", "replace"))
    except OSError as error:
        raise ClaimcheckError(f"cannot write {path}: {error.strerror}") from None


def _apply_fixes(result: LintResult, stdin_data: bytes | None) -> None:
    """Write each planned fix (stdin: print the document), then report only what remains."""
    from claimcheck import fixes

    plan = result.fixes
    if stdin_data is not None:
        after = plan.files[0].after if plan.files else next(iter(result.texts.values()))
        sys.stdout.buffer.write(fixes.encode_like(stdin_data, after))
        sys.stdout.buffer.flush()
    fixed, files = 0, 0
    for file_plan in plan.files:
        if stdin_data is None:
            try:
                fixes.write_fix(file_plan)
            except fixes.FileChanged:
                _say(f"claimcheck: warning: {file_plan.path} changed since it was linted; not fixed")
                continue
            except fixes.NotWritten as refused:
                _say(f"claimcheck: warning: {refused}")
                continue
            except OSError as error:  # a read-only directory, a full disk: report it, fix the others
                result.errors.append(f"{file_plan.path}: cannot write the fix ({error.strerror or error})")
                continue
        result.findings = [f for f in result.findings if f.path != file_plan.path] + file_plan.remaining
        result.texts[file_plan.path] = file_plan.after  # what the remaining findings point into
        fixed, files = fixed + len(file_plan.fixed), files + 1
    result.findings.sort()
    if fixed:
        _say(f"claimcheck: fixed {fixed} finding{'s' * (fixed != 1)} in {files} file{'s' * (files != 1)}")


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", is_flag=True, help="Print the full rule reference as Markdown (docs/rules.md is this output).")
def rules(config_path: Path | None, docs: bool) -> None:
    """List the active rules: id, severity, kind, pack, message and the regulation it cites."""
    config = _load_config(config_path, Path("."))
    if docs:
        from dataclasses import replace

        from claimcheck.packs import builtin_packs

        # The reference documents every built-in pack, and the configured ones besides.
        ruleset = replace(config, packs=tuple(dict.fromkeys([*builtin_packs(), *config.packs]))).ruleset()
        click.echo("# Rule reference\n\nGenerated by `claimcheck rules --docs`; do not edit by hand.\n")
        packs = list(dict.fromkeys(rule.pack for rule in ruleset.active))
        for pack in sorted(packs, key=lambda name: (name != "core", name)):
            click.echo(f"# Pack `{pack}`\n")
            for rule in ruleset.active:
                if rule.pack == pack:
                    click.echo(_describe(rule, markdown=True))
        return
    ordered = config.ruleset().active
    width = max((len(rule.id) for rule in ordered), default=10)
    pack_width = max((len(rule.pack) for rule in ordered), default=4)
    for rule in ordered:
        cites = f"  [{rule.references[0]['title']}]" if rule.references else ""
        columns = f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.finding_kind:<10}  {rule.pack:<{pack_width}}"
        click.echo(f"{columns}  {rule.message}{cites}")


def _describe(rule, markdown: bool = False) -> str:  # type: ignore[no-untyped-def]
    """A rule's full explanation: what, why, examples both ways, and where it comes from."""
    heading = f"## {rule.id}\n\n" if markdown else f"{rule.id}\n\n"
    lines = [heading + f"Kind: {rule.finding_kind}. Severity: {rule.severity.value}. Pack: {rule.pack}.\n"]
    lines.append(f"{rule.message}\n\n{rule.explanation}\n")
    for title, key in (("Reported", "report"), ("Not reported", "pass")):
        if rule.examples.get(key):
            lines.append(f"{title}:\n")
            lines.extend(_example(example, markdown) for example in rule.examples[key])
            lines.append("")
    if rule.fix is not None:
        lines.append(f'Fix (`check --fix`): adds "{rule.fix.append}" at the {rule.fix.where} of the document.\n')
    for reference in rule.references:
        url = reference.get("url")
        if markdown and url:
            lines.append(f"- See: [{reference['title']}]({url})")
        else:
            lines.append(f"See: {reference['title']}" + (f" <{url}>" if url else ""))
    return "\n".join(lines) + "\n"


def _example(text: str, markdown: bool) -> str:
    return f"- `{text}`".replace("\n", "\\n") if markdown else "- " + text.replace("\n", "\n    ")


def _describe_cases(rule) -> str:  # type: ignore[no-untyped-def]
    """The rule's fixture cases (what `test-pack` runs beyond the examples), when its pack has them."""
    from claimcheck.packtest import rule_cases

    file, cases = rule_cases(rule)
    if file is None:
        return ""
    lines = [f"Fixture cases ({file}):\n"]
    for title, expect in (("Reported", "report"), ("Not reported", "pass")):
        texts = [case.text for case in cases if case.expect == expect]
        if texts:
            lines.extend([f"{title}:\n", *(_example(text, markdown=False) for text in texts), ""])
    return "\n".join(lines)


@main.command()
@click.argument("rule_id", metavar="RULE")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def explain(rule_id: str, config_path: Path | None) -> None:
    """Explain a rule: its pack, what it reports and why, examples and fixture cases both ways, citations."""
    ruleset = _load_config(config_path, Path(".")).ruleset()
    from claimcheck import selectors

    rule = ruleset.rules.get(selectors.resolve(rule_id, ruleset.rules))
    if rule is None:
        hint = selectors.did_you_mean(rule_id, ruleset.rules)
        raise ClaimcheckError(f"unknown rule '{rule_id}'{hint} (run 'claimcheck rules' to list them)")
    click.echo(_describe(rule))
    cases = _describe_cases(rule)
    if cases:
        click.echo(cases)


@main.command("test-pack")
@click.argument("packs", nargs=-1, required=True, metavar="PACK_OR_PATH...")
@click.option("--quiet", "-q", is_flag=True, help="Print only the failures.")
def test_pack(packs: tuple[str, ...], quiet: bool) -> None:
    """Run every rule's examples and the pack's YAML cases; exit 1 if any case fails.

    An installed pack is named ('us-fda-supplements', or one a package provides); a pack file is
    a path. Its cases are the rules' `examples` and tests/<pack>/<rule>.yml or tests/<rule>.yml
    beside the pack file (tests/rules/<pack>/ in a checkout for the built-in packs).
    """
    from claimcheck.packtest import Runner, collect

    collected = [collect(pack, Path.cwd()) for pack in packs]  # a broken pack: exit 2 before running
    runner, failed = Runner(), False
    for pack in collected:
        outcome = runner.run(pack)
        for failure in outcome.failures:
            click.echo(failure)
        failed = failed or bool(outcome.failures)
        if not quiet or outcome.failures:
            status = f"{len(outcome.failures)} failed" if outcome.failures else "all passed"
            click.echo(f"{pack.name}: {len(pack.rules)} rules, {outcome.ran} cases, {status}")
    if failed:
        sys.exit(ExitCode.FINDINGS)


_STARTER = """\
# claimcheck configuration (https://github.com/claimcheck/claimcheck#configuration)
packs:                       # built-in or installed packs (claimcheck rules --docs), or paths to your own
{packs}
fail_on: warning             # lowest severity that fails a run: error | warning | info
exclude:                     # globs, relative to this file (.gitignore'd paths are skipped anyway)
  - drafts/**
disable: []                  # rule ids or packs, e.g. core/comparative-claim
severity: {{}}                 # per-rule overrides, e.g. core/physician-disclaimer-missing: error
"""


@main.command()
@click.option(
    "--pack",
    "packs",
    multiple=True,
    metavar="PACK",
    help="A pack to enable (repeatable; default: core), e.g. --pack us-fda-supplements.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing claimcheck.yaml.")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
def init(packs: tuple[str, ...], force: bool, directory: Path) -> None:
    """Write a starter claimcheck.yaml in DIRECTORY (default: .), asking nothing."""
    from claimcheck import selectors
    from claimcheck.packs import pack_names

    chosen = list(dict.fromkeys(v.strip() for value in packs for v in value.split(",") if v.strip())) or ["core"]
    for pack in chosen:
        if pack not in pack_names() and not Path(directory, pack).is_file():
            hint = selectors.did_you_mean(pack, pack_names())
            raise ClaimcheckError(
                f"--pack: no installed pack or pack file '{pack}'{hint} (installed: {', '.join(pack_names())})"
            )
    if directory.exists() and not directory.is_dir():
        raise ClaimcheckError(f"{directory}: not a directory")
    target = directory / "claimcheck.yaml"
    if target.exists() and not force:
        raise ClaimcheckError(f"{target} exists; use --force to overwrite it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(_STARTER.format(packs="\n".join(f"  - {pack}" for pack in chosen)), encoding="utf-8")
    except OSError as error:
        raise ClaimcheckError(f"{target}: cannot write ({error.strerror})") from None
    click.echo(f"Wrote {target} (packs: {', '.join(chosen)}). Next: claimcheck check")


@main.command("config")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def show_config(path: Path, config_path: Path | None) -> None:
    """Print the configuration in effect for PATH (default: .) as YAML, with its active rules."""
    import yaml

    described = _load_config(config_path, path).describe(path)
    click.echo(yaml.safe_dump(described, sort_keys=False, allow_unicode=True), nl=False)


@main.command()
def lsp() -> None:
    """Run the Language Server on stdin/stdout (needs the 'lsp' extra: pip install 'health-claimcheck[lsp]')."""
    try:
        from claimcheck.editors.lsp import serve
    except ImportError as error:
        raise ClaimcheckError(
            f"the language server needs pygls ({error}); install it with: pip install 'health-claimcheck[lsp]'"
        ) from None
    serve()


@main.group()
def baseline() -> None:
    """Record today's findings so that 'check --baseline' reports only new ones."""


@baseline.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=Path))  # unreadable: one line
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this config file instead of searching for one.",
)
@_run_options
def baseline_create(
    file: Path, paths: tuple[Path, ...], config_path: Path | None, jobs: int | None, no_cache: bool
) -> None:
    """Lint PATHS (default: the current directory) and record every finding in FILE (JSON)."""
    from claimcheck import engine
    from claimcheck.filters import baseline as baselines

    config = _load_config(config_path, (paths or (Path("."),))[0])
    run = {"jobs": _jobs(jobs), "use_cache": not no_cache}
    result = engine.lint_paths(paths or (Path("."),), config if config_path else None, **run)
    _refuse_writing_over(file, result.paths, "the baseline")
    entries = baselines.write(file, result.findings, result.texts)
    for error in result.errors:
        _say(f"claimcheck: error: {error}")
    files = len({entry.path for entry in entries})
    click.echo(
        f"Recorded {len(entries)} finding{'s' * (len(entries) != 1)} in {files} file{'s' * (files != 1)} "
        f"({result.files} linted) in {file}."
    )
    sys.exit(ExitCode.USAGE if result.errors else ExitCode.OK)
