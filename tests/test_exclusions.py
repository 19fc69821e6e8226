"""Exclusions that hold everywhere: config `exclude` on named files with --force-exclude (files
and --stdin-filename), and `.gitignore`/`.ignore` in directory walks, checked against git itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import main
from claimcheck.walk import discover

CLAIM = "Our cream cures arthritis.\n"
RUN = ["check", "--no-cache", "--jobs", "1", "--format", "json"]


def _write(path: Path, text: str = CLAIM) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _linted(*args: str) -> set[str]:
    result = CliRunner().invoke(main, [*RUN, *args])
    assert result.exit_code in (0, 1), result.output
    return {Path(f["path"]).as_posix() for f in json.loads(result.stdout)["findings"]}


def test_force_exclude_applies_the_config_exclude_to_named_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "claimcheck.yaml", "exclude: ['legal/', '*.draft.md']\n")
    named = [str(_write(tmp_path / p)) for p in ("legal/terms.md", "page.draft.md", "page.md")]
    assert len(_linted(*named)) == 3  # named files are linted whatever the config says...
    assert _linted("--force-exclude", *named) == {(tmp_path / "page.md").as_posix()}  # ...unless asked
    everything_excluded = CliRunner().invoke(main, [*RUN[:-2], "--force-exclude", named[0]])
    assert everything_excluded.exit_code == 0, everything_excluded.output


def test_force_exclude_applies_to_stdin_filename(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "claimcheck.yaml", "exclude: ['legal/']\n")
    args = ["check", "--no-cache", "--force-exclude", "--stdin-filename"]
    excluded = CliRunner().invoke(main, [*args, "legal/terms.md"], input=CLAIM)
    assert excluded.exit_code == 0 and excluded.stdout == ""
    passed_through = CliRunner().invoke(main, [*args, "legal/terms.md", "--fix"], input=CLAIM)
    assert passed_through.exit_code == 0 and passed_through.stdout == CLAIM
    linted = CliRunner().invoke(main, [*args, "content/page.md"], input=CLAIM)
    assert linted.exit_code == 1 and "core/efficacy-claim" in linted.stdout


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A repository with a built site, drafts and a nested .ignore, as a static-site project has."""
    (tmp_path / ".git").mkdir()  # a repository root, as far as the walk is concerned
    _write(tmp_path / ".gitignore", "public/\n_site/\n/build/\n*.draft.md\n!keep.draft.md\n")
    for page in (
        "content/page.md",
        "content/keep.draft.md",
        "content/idea.draft.md",
        "content/build/page.md",  # `/build/` is anchored at the root: this one is linted
        "public/page.html",
        "_site/page.html",
        "build/page.md",
        "content/notes/private.md",
        "content/notes/shared.md",
    ):
        _write(tmp_path / page)
    _write(tmp_path / "content" / "notes" / ".ignore", "private.md\n")
    return tmp_path


LINTED = {"content/page.md", "content/keep.draft.md", "content/build/page.md", "content/notes/shared.md"}


def test_walks_respect_gitignore_and_ignore_files(site, monkeypatch):
    monkeypatch.chdir(site)
    assert _linted(".") == LINTED
    assert _linted("content") == {p for p in LINTED if p.startswith("content/")}  # the root .gitignore still holds
    assert len(_linted("--no-respect-gitignore", ".")) == 9
    assert _linted("public") == {"public/page.html"}  # a folder named on purpose is walked
    verbose = CliRunner().invoke(main, [*RUN, "--verbose", "."])
    assert f"claimcheck: skipped public{os.sep}: ignored by {site / '.gitignore'}" in verbose.stderr
    assert f"ignored by {site / 'content' / 'notes' / '.ignore'}" in verbose.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_matching_agrees_with_git(site):
    shutil.rmtree(site / ".git")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "init", "-q"], cwd=site, check=True, env=env)
    # git does not read .ignore; give git the same rule so both sides see the same ignore files.
    _write(site / "content" / "notes" / ".gitignore", "private.md\n")
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    files = [f for f in files if not f.startswith(".git/") and not f.endswith("ignore")]
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=site,
        input="\n".join(files),
        capture_output=True,
        text=True,
        env=env,
    )
    ignored_by_git = set(checked.stdout.split())
    walked = {p.relative_to(site).as_posix() for p in discover([site])}
    assert walked == set(files) - ignored_by_git
