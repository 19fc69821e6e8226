"""Shared fixtures: one in-process CLI runner, fixture documents copied into tmp_path, output parsers.

Everything a test writes goes under tmp_path, and claimcheck's on-disk cache is pointed at a
per-session temporary directory so the tests neither read a stale cache nor write outside tmp.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from claimcheck.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "cli"

# `path:line:col: severity RULE message`, the editor-parsable header of a text finding.
TEXT_FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info)"
    r" (?P<rule>[a-z0-9_-]+/[a-z0-9_-]+) (?P<message>\S.*)$"
)
ERROR_PREFIX = "claimcheck: error:"

# The same examples on every run, and no per-example deadline: a CI run on a fresh machine
# must not fail on an example no earlier run tried, nor on a garbage-collection pause that
# took one example past 200 ms. (HYPOTHESIS_PROFILE=default explores afresh, as Hypothesis does.)
settings.register_profile("claimcheck", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "claimcheck"))

# What the machine's environment may set that changes claimcheck's output or behaviour; the
# tests that want one set it themselves.
_AMBIENT = (
    "FORCE_COLOR",
    "NO_COLOR",
    "GITHUB_ACTIONS",
    "CLAIMCHECK_DEBUG",
    "CLAIMCHECK_NO_CACHE",
    "CLAIMCHECK_FAST_PATH",
)


def core_rules() -> list[dict[str, Any]]:
    """The built-in core pack's rules, read straight from its YAML (not through claimcheck's loader)."""
    import yaml

    from claimcheck.packs import builtin_dir

    return yaml.safe_load((builtin_dir() / "core.yaml").read_text(encoding="utf-8"))["rules"]


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep claimcheck's compiled-pack cache inside the session's tmp dir (subprocesses inherit it)."""
    previous = os.environ.get("CLAIMCHECK_CACHE_DIR")
    os.environ["CLAIMCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("claimcheck-cache"))
    yield
    if previous is None:
        os.environ.pop("CLAIMCHECK_CACHE_DIR", None)
    else:
        os.environ["CLAIMCHECK_CACHE_DIR"] = previous


@pytest.fixture(scope="session", autouse=True)
def _plain_environment():
    """Run as on a bare machine, whatever the shell that started the suite exported."""
    previous = {name: os.environ.pop(name) for name in _AMBIENT if name in os.environ}
    yield
    os.environ.update(previous)


@pytest.fixture(scope="session", autouse=True)
def _ctrl_c_heard():
    """Let the processes the tests start hear Ctrl-C. A suite started in the background by a
    shell without job control (`bash .ci/run &`, nohup) inherits SIGINT ignored, and an ignored
    signal stays ignored across exec: the tests that send SIGINT to a claimcheck process would
    wait for it in vain. A handler (Python's own) is reset to the default in a new program."""
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # A blocked SIGINT is inherited across exec too, and Python does not unblock it.
    masks = hasattr(signal, "pthread_sigmask")  # not on Windows
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT}) if masks else None
    yield
    if blocked is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    """One CliRunner for the session: the spaCy pipeline is cached per process, so in-process runs are fast."""
    return CliRunner()


@pytest.fixture
def fresh_pipelines():
    """Run a test with an empty spaCy pipeline cache, and put the previous cache back afterwards.

    Needed around `--select`: the in-process pipeline cache is keyed by the rule set's digest,
    which --select does not change, so a narrowed rule set would otherwise reuse (or leave
    behind) a pipeline built for different rules. See test_select_*_in_the_same_process.
    """
    from claimcheck import pipeline

    saved = dict(pipeline._cache)
    pipeline._cache.clear()
    yield
    pipeline._cache.clear()
    pipeline._cache.update(saved)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory that is also the current directory (so nothing is read from the repo)."""
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def cli(runner: CliRunner, workdir: Path) -> Callable[..., Result]:
    """Run `claimcheck ARGS...` in-process from workdir; `input` is fed to stdin (bytes or str)."""

    def invoke(*args: str | os.PathLike[str], input: bytes | str | None = None) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)

    return invoke


@pytest.fixture
def fixture_copy(workdir: Path) -> Callable[..., Path]:
    """Copy a file from tests/fixtures/cli into workdir (optionally under another relative name)."""

    def copy(name: str, to: str | None = None) -> Path:
        target = workdir / (to or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / name, target)
        return target

    return copy


def write(path: Path, text: str) -> Path:
    """Write UTF-8 text exactly (no newline translation), creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def parse_json(result: Result) -> dict[str, Any]:
    assert result.stdout.strip(), f"no JSON on stdout; stderr: {result.stderr!r}"
    return json.loads(result.stdout)


def keys(findings: list[dict[str, Any]]) -> set[tuple[str, int, int, int, int]]:
    return {(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings}


def source_slice(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The text between two 1-based (line, column) positions; columns count characters, the end is exclusive."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    return text[starts[line - 1] + column - 1 : starts[end_line - 1] + end_column - 1]


def assert_one_error_line(result: Result) -> str:
    """What every error a user can cause must look like: exit 2, one `claimcheck: error:` line, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(ERROR_PREFIX), lines[0]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return lines[0]


def run_module(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`python -m claimcheck ARGS...` in a real process (for exit statuses and stdin as the OS sees them)."""
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def client(tmp_path: Path):
    """A language server over stdio (tests/test_lsp.py's LspClient), killed when the test ends."""
    pytest.importorskip("pygls")
    from test_lsp import TIMEOUT, LspClient

    # A config of its own, so no claimcheck.yaml above the temporary directory changes the rules.
    (tmp_path / "claimcheck.yaml").write_text("packs: [core]\n")
    session = LspClient(tmp_path)
    try:
        yield session
    finally:
        if session.process.poll() is None:
            session.process.kill()
            session.process.wait(timeout=TIMEOUT)


_IMPORT_PROBE = """
import sys
from claimcheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("\\nPROBE", code, "spacy" in sys.modules)
"""


def probe_spacy_import(args: list[str], cwd: Path, **env: str) -> tuple[int, bool]:
    """Run the CLI in a fresh process: its exit code, and whether it imported spaCy."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[0] == "PROBE", (done.stdout, done.stderr)
    return int(last[1]), last[2] == "True"
