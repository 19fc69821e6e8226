"""The command line: parse arguments, run the library, pick a reporter, set the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from claimcheck import __version__
from claimcheck.errors import ClaimcheckError, ExitCode
from claimcheck.findings import LintResult, Severity
from claimcheck.reporters import REPORTERS


def _split(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.strip() for value in values for v in value.split(",") if v.strip())


def _load_config(config_path: Path | None, near: Path):  # type: ignore[no-untyped-def]
    from claimcheck.config import find_config, load_config

    return load_config(config_path) if config_path else find_config(near.resolve())


class _Group(click.Group):
    """Turns our own errors into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except ClaimcheckError as error:
            click.echo(f"claimcheck: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as error:
            if os.environ.get("CLAIMCHECK_DEBUG"):
                raise
            click.echo(
                f"claimcheck: internal error: {type(error).__name__}: {error} "
                "(please report it; set CLAIMCHECK_DEBUG=1 for the traceback)",
                err=True,
            )
            ctx.exit(ExitCode.USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimcheck")
def main() -> None:
    """Lint health-marketing copy for unhedged claims, unresolved footnotes and missing disclaimers."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(list(REPORTERS)), default="text", show_default=True)
@click.option(
    "--select",
    multiple=True,
    metavar="RULE",
    help="Only these rules (ids, packs or prefixes; repeat or comma-separate).",
)
@click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that fails the run [default: warning, or the config's fail_on].",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Use this config file instead of searching for one.",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Read the document from stdin and report it under NAME (its extension picks the format).",
)
def check(
    paths: tuple[Path, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    stdin_filename: str | None,
) -> None:
    """Lint files and directories (default: the current directory); '-' reads stdin."""
    from claimcheck.lint import lint_paths
    from claimcheck.reporters import REPORTERS

    selected, ignored = _split(select), _split(ignore)
    use_stdin = stdin_filename is not None or Path("-") in paths
    if use_stdin and [p for p in paths if p != Path("-")]:
        raise click.UsageError("'-' / --stdin-filename cannot be mixed with other paths")
    config = _load_config(config_path, Path(stdin_filename or ".").parent if use_stdin else (paths or (Path("."),))[0])
    if use_stdin:
        result = _lint_stdin(stdin_filename or "<stdin>", config, selected, ignored)
    else:
        result = lint_paths(paths or (Path("."),), config if config_path else None, selected, ignored)
    click.echo(REPORTERS[output_format](result, config.ruleset().rules))
    for error in result.errors:
        click.echo(f"claimcheck: error: {error}", err=True)
    threshold = Severity(fail_on or config.fail_on).rank
    if result.errors:
        sys.exit(ExitCode.USAGE)
    sys.exit(ExitCode.FINDINGS if any(f.severity.rank >= threshold for f in result.findings) else ExitCode.OK)


def _lint_stdin(name: str, config, selected: frozenset[str], ignored: frozenset[str]) -> LintResult:  # type: ignore[no-untyped-def]
    from claimcheck.documents import format_for, read_document
    from claimcheck.lint import lint_document
    from claimcheck.sources import decode

    result = LintResult(files=1)
    text = decode(sys.stdin.buffer.read(), name)
    document = read_document(text, name, format_for(name) or "text")
    result.findings = lint_document(document, config.ruleset(selected, ignored), config.pipeline)
    return result


@main.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", is_flag=True, help="Print the full rule reference as Markdown (docs/rules.md is this output).")
def rules(config_path: Path | None, docs: bool) -> None:
    """List the active rules."""
    ruleset = _load_config(config_path, Path(".")).ruleset()
    ordered = ruleset.active
    if docs:
        click.echo("# Rule reference\n\nGenerated by `claimcheck rules --docs`; do not edit by hand.\n")
        for rule in ordered:
            click.echo(_describe(rule, markdown=True))
        return
    width = max((len(rule.id) for rule in ordered), default=10)
    for rule in ordered:
        click.echo(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.kind:<10}  {rule.message}")


def _describe(rule, markdown: bool = False) -> str:  # type: ignore[no-untyped-def]
    """A rule's full explanation: what, why, examples both ways, and where it comes from."""
    heading = f"## {rule.id}\n\n" if markdown else f"{rule.id}\n\n"
    lines = [heading + f"Kind: {rule.kind}. Severity: {rule.severity.value}. Pack: {rule.pack}.\n"]
    lines.append(f"{rule.message}\n\n{rule.explanation}\n")
    for title, key in (("Reported", "report"), ("Not reported", "pass")):
        if rule.examples.get(key):
            lines.append(f"{title}:\n")
            for example in rule.examples[key]:
                lines.append(
                    f"- `{example}`".replace("\n", "\\n") if markdown else "- " + example.replace("\n", "\n    ")
                )
            lines.append("")
    for reference in rule.references:
        url = reference.get("url")
        if markdown and url:
            lines.append(f"- See: [{reference['title']}]({url})")
        else:
            lines.append(f"See: {reference['title']}" + (f" <{url}>" if url else ""))
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("rule_id", metavar="RULE")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def explain(rule_id: str, config_path: Path | None) -> None:
    """Explain a rule: what it reports, why, and examples that fail and pass."""
    ruleset = _load_config(config_path, Path(".")).ruleset()
    rule = ruleset.rules.get(rule_id) or ruleset.rules.get(f"core/{rule_id}")
    if rule is None:
        raise ClaimcheckError(f"unknown rule '{rule_id}' (run 'claimcheck rules' to list them)")
    click.echo(_describe(rule))
