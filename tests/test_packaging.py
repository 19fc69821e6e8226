"""What users install: the distribution's name and metadata, the exported library API and its
documentation, and an sdist (built with the real build backend) that runs its own tests."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DISTRIBUTION = "health-claimcheck"
EXPORTS = ["ClaimcheckError", "Config", "ExitCode", "Finding", "LintResult", "Severity"]
EXPORTS += ["find_config", "lint_paths", "lint_text", "load_config"]


def test_distribution_name_is_not_the_unrelated_claimcheck_on_pypi():
    # `claimcheck` (and `claimcheck-core`) on PyPI are someone else's; the import package and command stay.
    project = PYPROJECT["project"]
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"claimcheck": "claimcheck.cli:main"}


def test_metadata_has_urls_python_classifiers_and_a_pygls_bound():
    project = PYPROJECT["project"]
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(project["urls"])
    versions = {c.rsplit(":: ", 1)[1] for c in project["classifiers"] if re.fullmatch(r".*:: 3\.\d+", c)}
    assert versions == {"3.10", "3.11", "3.13"}
    assert "Typing :: Typed" in project["classifiers"]
    for extra in ("lsp", "test"):
        pygls = next(r for r in project["optional-dependencies"][extra] if r.startswith("pygls"))
        assert "<3" in pygls, pygls


def test_install_instructions_use_the_distribution_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'"{DISTRIBUTION}[lsp]"' in readme
    assert f"pipx install {DISTRIBUTION}" in readme
    # No instruction installs the unrelated project by name.
    assert not re.search(r"""(pip|pipx) install ["']?claimcheck\b""", readme)
    from click.testing import CliRunner

    from claimcheck.cli import main

    assert f"'{DISTRIBUTION}[lsp]'" in CliRunner().invoke(main, ["lsp", "--help"]).output


def test_exports_are_the_documented_library_api():
    import claimcheck

    assert sorted(set(claimcheck.__all__) - {"__version__"}) == sorted(EXPORTS)
    from claimcheck.errors import ExitCode
    from claimcheck.findings import Finding, Severity

    assert claimcheck.Finding is Finding and claimcheck.Severity is Severity and claimcheck.ExitCode is ExitCode
    assert (ROOT / "claimcheck" / "py.typed").is_file()
    doc = (ROOT / "docs" / "library-api.md").read_text(encoding="utf-8")
    for name in EXPORTS:
        assert re.search(rf"^###.*`{name}\b", doc, re.MULTILINE), f"docs/library-api.md does not document {name}"
    assert "library-api.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_library_api_example_runs(monkeypatch):
    doc = (ROOT / "docs" / "library-api.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", doc, re.DOTALL)
    assert example
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(example.group(1), "docs/library-api.md", "exec"), namespace)
    assert namespace["findings"] and namespace["status"] == 1


def _hatchling_available() -> bool:
    return importlib.util.find_spec("hatchling") is not None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and wheel, built by the real build backend (hatchling, as pip would)."""
    if not _hatchling_available():
        pytest.skip("hatchling is not installed (it is in the test extra)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def test_wheel_ships_py_typed_and_the_rule_packs(built):
    names = zipfile.ZipFile(built["wheel"]).namelist()
    assert "claimcheck/py.typed" in names
    assert "claimcheck/rules/core.yaml" in names
    assert built["wheel"].name.startswith("health_claimcheck-")


def test_sdist_runs_its_own_tests(built, tmp_path):
    with tarfile.open(built["sdist"]) as archive:
        archive.extractall(tmp_path, filter="data") if hasattr(tarfile, "data_filter") else archive.extractall(tmp_path)
    (unpacked,) = tmp_path.iterdir()
    for needed in ("eval", "examples", ".pre-commit-hooks.yaml", "tests", "docs", "rules", "pyproject.toml"):
        assert (unpacked / needed).exists(), f"the sdist lacks {needed}"
    env = {**os.environ, "CLAIMCHECK_SKIP_SLOW": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    # The unpacked tree comes first on sys.path, so its own claimcheck is the one tested.
    where = subprocess.run(
        [sys.executable, "-c", "import claimcheck; print(claimcheck.__file__)"],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(unpacked.resolve())
    # Every test module collects (data files found), and the tests that read the shipped
    # data beyond the package (eval/, examples/, the hook manifest, docs/) pass.
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    collected = subprocess.run([*run, "--collect-only"], cwd=unpacked, env=env, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    chosen = ["tests/test_precommit_hook.py", "tests/test_docs.py", "tests/test_evaluation.py"]
    result = subprocess.run(
        [*run, *chosen, "-k", "not sdist"], cwd=unpacked, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_readme_two_commands_work_where_the_system_python_refuses_installs():
    """PEP 668 systems (Debian, Ubuntu, Homebrew) refuse `pip install` outside a virtual environment:
    each of the two commands makes or enters one before installing."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", readme, re.DOTALL)
    assert block
    commands = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    first, second = commands
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert second.startswith(". .venv/bin/activate && ")
    for command in commands:
        assert command.index("activate") < command.index("pip install")
