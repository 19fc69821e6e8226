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


def readme_snippet() -> dict:
    """The README's .pre-commit-config.yaml, parsed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(.*?)```", readme.split("### pre-commit", 1)[1], re.DOTALL)
    assert snippet, "README's pre-commit section has no YAML snippet"
    return yaml.safe_load(snippet.group(1))


@pytest.fixture(scope="module")
def claimcheck_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository whose HEAD is the current working tree of this checkout, tagged with the
    README snippet's `rev:` (the release tag), and that tag."""
    repo = tmp_path_factory.mktemp("claimcheck-snapshot") / "claimcheck"
    shutil.copytree(ROOT, repo, ignore=_NOT_COPIED, symlinks=True)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "snapshot for pre-commit")
    rev = readme_snippet()["repos"][0]["rev"]
    _git(repo, "tag", "-a", rev, "-m", f"release {rev}")
    return repo, rev


def _config(repo: Path, hook_id: str = "claimcheck") -> dict:
    """The README's snippet as written, with its GitHub URL pointing at the snapshot instead."""
    config = readme_snippet()
    config["repos"][0]["repo"] = str(repo)
    if hook_id != "claimcheck":
        config["repos"][0]["hooks"] = [{"id": hook_id}]
    return config


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")  # shared: the hook env is built once
    env = _env(home, tmp_path_factory.mktemp("claimcheck-hook-cache"))
    # The hook env gets the versions this suite runs with (already in pip's cache), not whatever
    # was released since: a new upstream release must not fail these tests with no change here.
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=False
    )
    # (Only "name==version" lines: pip refuses a constraint that is a URL or a path.)
    pinned = [line for line in frozen.stdout.splitlines() if re.fullmatch(r"[A-Za-z0-9._-]+==[^\s@;]+", line)]
    if frozen.returncode == 0 and pinned and "PIP_CONSTRAINT" not in env:
        constraints = tmp_path_factory.mktemp("constraints") / "constraints.txt"
        constraints.write_text("\n".join(pinned) + "\n", encoding="utf-8")
        env["PIP_CONSTRAINT"] = str(constraints)
    return env


def _project(tmp_path: Path, config: dict, files: dict[str, str]) -> Path:
    project = tmp_path / "site"
    project.mkdir()
    _git(project, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    _git(project, "add", "--", ".pre-commit-config.yaml", *files)
    return project


@pytest.fixture(scope="module")
def run_hook(claimcheck_repo: tuple[Path, str], hook_env: dict[str, str]):
    """`pre-commit run HOOK --files ...` in a fresh git repo with `files` staged."""
    command = _pre_commit_command()
    assert command is not None
    repo, _rev = claimcheck_repo

    def run(tmp_path: Path, files: dict[str, str], hook_id: str = "claimcheck") -> subprocess.CompletedProcess[str]:
        project = _project(tmp_path, _config(repo, hook_id), files)
        return subprocess.run(
            [*command, "run", hook_id, "--color", "never", "--files", *files],
            cwd=project,
            env=hook_env,
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


@pytest.mark.slow
@skip_unless_slow_can_run
def test_force_exclude_in_the_hook_honours_the_config_exclude(run_hook, tmp_path):
    files = {"claimcheck.yaml": "exclude: ['legal/']\n", "legal/terms.md": BAD_DOCUMENT, "visit.md": GOOD_DOCUMENT}
    result = run_hook(tmp_path, files)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "terms.md" not in output


@pytest.mark.slow
@skip_unless_slow_can_run
def test_fix_hook_adds_the_disclaimer_and_fails_the_commit_until_it_is_staged(run_hook, tmp_path):
    result = run_hook(tmp_path, {"offer.md": BAD_DOCUMENT}, hook_id="claimcheck-fix")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"^claimcheck \(fix\)\.+Failed$", output, re.MULTILINE), output
    assert "files were modified by this hook" in output
    fixed = (tmp_path / "site" / "offer.md").read_text(encoding="utf-8")
    assert fixed.startswith(BAD_DOCUMENT) and "your doctor" in fixed[len(BAD_DOCUMENT) :]


@pytest.mark.slow
@skip_unless_slow_can_run
def test_readme_snippet_blocks_a_real_git_commit(claimcheck_repo, hook_env, tmp_path):
    """`pre-commit install`, then `git commit`: the way users meet the hook."""
    command = _pre_commit_command()
    assert command is not None
    project = _project(tmp_path, _config(claimcheck_repo[0]), {"offer.md": BAD_DOCUMENT})
    subprocess.run([*command, "install"], cwd=project, env=hook_env, check=True, capture_output=True, timeout=120)

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "copy"],
            cwd=project,
            env=hook_env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )

    blocked = commit()
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "core/efficacy-claim" in blocked.stdout + blocked.stderr
    (project / "offer.md").write_text(GOOD_DOCUMENT, encoding="utf-8")
    _git(project, "add", "offer.md")
    allowed = commit()
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_readme_pre_commit_snippet_uses_the_manifest_hook_id_and_the_release_tag():
    from claimcheck import __version__

    config = readme_snippet()
    (repo,) = config["repos"]
    assert repo["rev"] == f"v{__version__}"  # the tag each release gets
    hook_ids = [hook["id"] for hook in repo["hooks"]]
    assert hook_ids == ["claimcheck"]
    manifest = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(manifest) == {"claimcheck", "claimcheck-fix"}
    for hook in manifest.values():
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"]
        assert "--force-exclude" in hook["entry"].split()
    assert "--fix" in manifest["claimcheck-fix"]["entry"].split()
