"""The conveniences users know from ruff, Vale and yamllint: --exit-zero, --quiet, --statistics,
colour (NO_COLOR/FORCE_COLOR, and a real terminal), --format auto, claimcheck-disable-line,
claimcheck init, "did you mean", bare rule names, usage errors in one form, shell completion."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.config import forget_configs

CLAIM = "Our cream cures arthritis.\n\nConsult your physician.\n"
RUN = ["check", "--no-cache", "--jobs", "1"]


def _invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env, input=input)


@pytest.fixture
def page(workdir: Path) -> Path:
    path = workdir / "page.md"
    path.write_text(CLAIM, encoding="utf-8")
    return path


def test_exit_zero_quiet_and_statistics(page: Path) -> None:
    assert _invoke(*RUN, "page.md").exit_code == 1
    assert _invoke(*RUN, "--exit-zero", "page.md").exit_code == 0
    assert _invoke(*RUN, "--exit-zero", "missing.md").exit_code == 2  # errors are still errors
    quiet = _invoke(*RUN, "-q", "page.md")
    assert quiet.exit_code == 1 and "core/efficacy-claim" in quiet.stdout and "Found" not in quiet.stdout
    assert _invoke(*RUN, "-q", "--select", "core/footnote-orphan", "page.md").stdout == ""
    stats = _invoke(*RUN, "--statistics", "page.md")
    assert stats.exit_code == 1
    assert stats.stdout.splitlines()[0].split()[:3] == ["1", "warning", "core/efficacy-claim"]
    assert stats.stdout.splitlines()[-1] == "1 finding in 1 file."
    mixed = _invoke(*RUN, "--statistics", "--format", "json", "page.md")
    assert mixed.exit_code == 2 and mixed.stderr.startswith("claimcheck: error: --statistics")


def test_colour_honours_no_color_and_force_color(page: Path) -> None:
    assert "\x1b[" not in _invoke(*RUN, "page.md").stdout  # not a terminal
    forced = _invoke(*RUN, "page.md", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[33m\x1b[1mwarning\x1b[0m" in forced
    assert "\x1b[" not in _invoke(*RUN, "page.md", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in _invoke(*RUN, "--format", "json", "page.md", env={"FORCE_COLOR": "1"}).stdout


def _on_a_terminal(cwd: Path, env: dict[str, str]) -> str:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *RUN, "page.md"], cwd=cwd, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(controller)
    return output.decode("utf-8", "replace")


def test_colour_on_a_real_terminal(page: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    assert "\x1b[1m" in _on_a_terminal(page.parent, env)
    assert "\x1b[" not in _on_a_terminal(page.parent, {**env, "NO_COLOR": "1"})


def test_format_auto_is_github_under_github_actions(page: Path) -> None:
    under_actions = _invoke(*RUN, "--format", "auto", "page.md", env={"GITHUB_ACTIONS": "true"})
    assert under_actions.stdout.startswith("::warning file=page.md,line=1,")
    elsewhere = _invoke(*RUN, "--format", "auto", "page.md", env={"GITHUB_ACTIONS": ""})
    assert elsewhere.stdout.startswith("page.md:1:")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("page.md", "Our cream cures arthritis. <!-- claimcheck-disable-line core/efficacy-claim -- ok -->\n"),
        ("page.html", "<p>Our cream cures arthritis. <!-- claimcheck-disable-line efficacy-claim --></p>\n"),
        ("page.mdx", "Our cream cures arthritis. {/* claimcheck-disable-line core/efficacy-claim */}\n"),
    ],
)
def test_disable_line_suppresses_on_its_own_line(workdir: Path, name: str, text: str) -> None:
    (workdir / name).write_text(text + "\nConsult your physician.\n", encoding="utf-8")
    result = _invoke(*RUN, name)
    assert result.exit_code == 0, result.stdout
    (workdir / name).write_text(text + "\nIt cures gout.\n\nConsult your physician.\n", encoding="utf-8")
    result = _invoke(*RUN, "--format", "json", name)
    assert '"line": 3' in result.stdout and '"line": 1,' not in result.stdout  # only its own line


def test_unused_disable_line_is_reported(workdir: Path) -> None:
    (workdir / "page.md").write_text("Opening hours. <!-- claimcheck-disable-line core/efficacy-claim -->\n")
    result = _invoke(*RUN, "page.md")
    assert "core/unused-suppression" in result.stdout and "on line 1 to suppress" in result.stdout


def test_init_writes_a_starter_config_that_check_uses(workdir: Path) -> None:
    created = _invoke("init", "--pack", "us-fda-supplements", "--pack", "core")
    assert created.exit_code == 0, created.output
    text = (workdir / "claimcheck.yaml").read_text(encoding="utf-8")
    assert "  - us-fda-supplements\n  - core\n" in text
    shown = _invoke("config")
    assert shown.exit_code == 0 and "us-fda-supplements" in shown.stdout
    again = _invoke("init")
    assert again.exit_code == 2 and "exists; use --force" in again.stderr
    assert _invoke("init", "--force").exit_code == 0
    assert "  - core\n" in (workdir / "claimcheck.yaml").read_text(encoding="utf-8")
    typo = _invoke("init", "--force", "--pack", "us-fda-suplements")
    assert typo.exit_code == 2 and "(did you mean us-fda-supplements?)" in typo.stderr


def test_did_you_mean_for_rules_and_config_keys(page: Path) -> None:
    select = _invoke(*RUN, "--select", "core/efficasy-claim", "page.md")
    assert select.exit_code == 2 and "(did you mean core/efficacy-claim?)" in select.stderr
    explain = _invoke("explain", "efficacy-clam")
    assert explain.exit_code == 2 and "(did you mean core/efficacy-claim?)" in explain.stderr
    (page.parent / "claimcheck.yaml").write_text("packs: [core]\nfail-on: error\n", encoding="utf-8")
    forget_configs()  # found configs are cached per process; this one is new
    key = _invoke(*RUN, "page.md")
    assert key.exit_code == 2
    assert (
        key.stderr.strip()
        == f"claimcheck: error: {page.parent / 'claimcheck.yaml'}:2: unknown key 'fail-on' (did you mean fail_on?)"
    )


def test_bare_rule_names_work_wherever_explain_takes_them(page: Path) -> None:
    assert _invoke("explain", "efficacy-claim").exit_code == 0
    selected = _invoke(*RUN, "--select", "efficacy-claim", "--format", "json", "page.md")
    assert selected.exit_code == 1 and '"core/efficacy-claim"' in selected.stdout
    assert _invoke(*RUN, "--ignore", "efficacy-claim", "page.md").exit_code == 0
    (page.parent / "claimcheck.yaml").write_text("disable: [efficacy-claim]\n", encoding="utf-8")
    forget_configs()
    assert _invoke(*RUN, "page.md").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["chek"], ["--bogus"], ["check", "--format", "nope"], ["check", "--fix", "--diff"]],
)
def test_usage_errors_are_one_line_in_the_documented_form(workdir: Path, args: list[str]) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("claimcheck: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.skipif(shutil.which("claimcheck") is None, reason="the claimcheck command is not installed")
def test_shell_completion_as_documented() -> None:
    env = {**os.environ, "_CLAIMCHECK_COMPLETE": "bash_complete", "COMP_WORDS": "claimcheck ch", "COMP_CWORD": "1"}
    result = subprocess.run(["claimcheck"], env=env, capture_output=True, text=True, timeout=60)
    assert "plain,check" in result.stdout.splitlines()
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_CLAIMCHECK_COMPLETE": f"{shell}_source"}
        script = subprocess.run(["claimcheck"], env=env, capture_output=True, text=True, timeout=60).stdout
        assert "_CLAIMCHECK_COMPLETE" in script, shell
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "_CLAIMCHECK_COMPLETE=bash_source claimcheck" in readme
