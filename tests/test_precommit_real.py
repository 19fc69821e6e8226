"""The hook under the real pre-commit framework, installed from a snapshot of this checkout.

A throwaway git repo holds a `.pre-commit-config.yaml` like the README's (`repo:` the snapshot,
`rev:` its commit, hook id `claimcheck`) and the staged documents, and `pre-commit run --files`
lints them. pre-commit builds its own virtualenv for the hook and pip-installs claimcheck into it
(spaCy and all, from the package index), so the first run takes a while; PRE_COMMIT_HOME is shared
by the whole module, so that environment is built once. (`pre-commit try-repo` would be shorter,
but it ignores PRE_COMMIT_HOME and rebuilds the environment on every call.) The snapshot is a copy
of the working tree committed to its own git repo, so uncommitted changes are what gets tested.

Marked `slow`; runs by default. Skipped when git or pre-commit is missing, or with
CLAIMCHECK_SKIP_SLOW=1.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
TIMEOUT = 15 * 60  # the first run builds the hook's virtualenv (spaCy wheels)

# Not part of the project: version control, virtualenvs, build output and tool caches.
_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    ".tox",
    "node_modules",
    "__pycache__",
    "*.pyc",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    ".benchmarks",
    "build",
    "dist",
)
# Set when pytest itself runs inside a git hook; they would point git at the wrong repository.
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
)

BAD_DOCUMENT = "# Knee pain?\n\nOur laser therapy eliminates knee pain for good.*\n"
GOOD_DOCUMENT = "# Visiting us\n\nParking is free. Bring your insurance card.\n"


def _pre_commit_command() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    executable = shutil.which("pre-commit")
    return [executable] if executable else None


def _skip_reason() -> str | None:
    if os.environ.get("CLAIMCHECK_SKIP_SLOW") == "1":
        return "CLAIMCHECK_SKIP_SLOW=1"
    if shutil.which("git") is None:
        return "git is not installed"
    if _pre_commit_command() is None:
        return "pre-commit is not installed"
    return None


skip_unless_slow_can_run = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


def _env(pre_commit_home: Path | None = None, cache_dir: Path | None = None) -> dict[str, str]:
    """The caller's environment (proxies, pip index settings, certificates) with git pinned down."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env.update(
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_AUTHOR_NAME="claimcheck tests",
        GIT_AUTHOR_EMAIL="tests@claimcheck.invalid",
        GIT_COMMITTER_NAME="claimcheck tests",
        GIT_COMMITTER_EMAIL="tests@claimcheck.invalid",
    )
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    if cache_dir is not None:
        env["CLAIMCHECK_CACHE_DIR"] = str(cache_dir)
    return env


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()


@pytest.fixture(scope="module")
def claimcheck_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository whose HEAD is the current working tree of this checkout, and that commit."""
    repo = tmp_path_factory.mktemp("claimcheck-snapshot") / "claimcheck"
    shutil.copytree(ROOT, repo, ignore=_NOT_COPIED, symlinks=True)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "snapshot for pre-commit")
    return repo, _git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def run_hook(claimcheck_repo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory):
    """`pre-commit run claimcheck --files ...` in a fresh git repo with `files` staged."""
    home = tmp_path_factory.mktemp("pre-commit-home")  # shared: the hook env is built once
    cache = tmp_path_factory.mktemp("claimcheck-hook-cache")
    command = _pre_commit_command()
    assert command is not None
    repo, rev = claimcheck_repo
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "claimcheck"}]}]}

    def run(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
        project = tmp_path / "site"
        project.mkdir()
        _git(project, "init", "-q")
        (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        for name, text in files.items():
            (project / name).write_text(text, encoding="utf-8")
        _git(project, "add", "--", ".pre-commit-config.yaml", *files)
        return subprocess.run(
            [*command, "run", "claimcheck", "--color", "never", "--files", *files],
            cwd=project,
            env=_env(home, cache),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )

    return run


@pytest.mark.slow
@skip_unless_slow_can_run
def test_pre_commit_hook_fails_on_a_staged_bad_document(run_hook, tmp_path):
    result = run_hook(tmp_path, {"bad.md": BAD_DOCUMENT})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"^claimcheck\.+Failed$", output, re.MULTILINE), output
    assert re.search(r"bad\.md:3:\d+: warning core/efficacy-claim ", output), output
    assert re.search(r"bad\.md:3:\d+: error core/footnote-unresolved ", output), output


@pytest.mark.slow
@skip_unless_slow_can_run
def test_pre_commit_hook_passes_a_good_document_and_skips_the_changelog(run_hook, tmp_path):
    # The changelog would fail the hook, so this passes only if the manifest's exclude reaches pre-commit.
    result = run_hook(tmp_path, {"visit.md": GOOD_DOCUMENT, "CHANGELOG.md": "Cures everything, guaranteed.\n"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^claimcheck\.+Passed$", output, re.MULTILINE), output
    assert "CHANGELOG.md:" not in output


def test_readme_pre_commit_snippet_uses_the_manifest_hook_id():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### pre-commit", 1)[1]
    snippet = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert snippet, "README's pre-commit section has no YAML snippet"
    config = yaml.safe_load(snippet.group(1))
    hook_ids = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert hook_ids == ["claimcheck"]
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert "claimcheck" in [hook["id"] for hook in manifest]
