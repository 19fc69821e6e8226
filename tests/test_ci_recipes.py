"""The CI recipes in docs/ci/ work when copied: the workflow and the GitLab job validate against
their published schemas (check-jsonschema's own copies, no network), every claimcheck command in
them parses, and CI reports locate files from the repository root whatever the directory."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claimcheck.cli import main

ROOT = Path(__file__).parent.parent
CI = ROOT / "docs" / "ci"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"


def _check_jsonschema() -> list[str]:
    if shutil.which("check-jsonschema"):
        return ["check-jsonschema"]
    pytest.importorskip("check_jsonschema")
    return [sys.executable, "-m", "check_jsonschema"]


@pytest.mark.parametrize(
    ("recipe", "schema"), [("github-workflow.yml", "vendor.github-workflows"), ("gitlab-ci.yml", "vendor.gitlab-ci")]
)
def test_recipe_validates_against_its_published_schema(recipe: str, schema: str) -> None:
    result = subprocess.run(
        [*_check_jsonschema(), "--builtin-schema", schema, str(CI / recipe)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _claimcheck_commands(text: str) -> list[list[str]]:
    commands = []
    for match in re.finditer(r"(?:^|[\s'/])claimcheck (check [^\n']*?)(?:\s*\|\|.*)?(?:'|$)", text, re.MULTILINE):
        words = shlex.split(re.sub(r"\$\(.*\)", "HEAD", match.group(1)))
        commands.append([w.replace("$CONTENT", "content/") for w in words])
    return commands


@pytest.mark.parametrize("recipe", ["github-workflow.yml", "gitlab-ci.yml", "Jenkinsfile"])
def test_every_claimcheck_command_in_a_recipe_parses(recipe: str) -> None:
    commands = _claimcheck_commands((CI / recipe).read_text(encoding="utf-8"))
    assert commands, recipe
    for words in commands:
        main.make_context("claimcheck", list(words))  # raises a UsageError on an unknown option


def test_github_workflow_annotates_changed_lines_and_uploads_sarif_despite_findings() -> None:
    workflow = yaml.safe_load((CI / "github-workflow.yml").read_text(encoding="utf-8"))
    annotate = " ".join(step.get("run", "") for step in workflow["jobs"]["annotate"]["steps"])
    assert "--format github" in annotate and "--changed-since" in annotate
    scanning = workflow["jobs"]["code-scanning"]
    assert scanning["permissions"]["security-events"] == "write"
    upload = next(s for s in scanning["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "!cancelled()" in upload["if"]  # runs after the claimcheck step failed on findings
    assert any("--format sarif" in step.get("run", "") for step in scanning["steps"])


def test_gitlab_job_keeps_both_reports_on_failure() -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["claimcheck"]
    assert job["artifacts"]["when"] == "always"
    assert set(job["artifacts"]["reports"]) == {"codequality", "junit"}


def test_jenkins_stage_records_junit_always() -> None:
    text = (CI / "Jenkinsfile").read_text(encoding="utf-8")
    assert re.search(r"post\s*\{\s*always\s*\{\s*junit ", text)
    assert "--format junit" in text


@pytest.fixture
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose copy is in site/content, linted from that folder."""
    (tmp_path / ".git").mkdir()
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    (content / "page.md").write_text("Our cream cures arthritis.\n", encoding="utf-8")
    monkeypatch.chdir(content)
    return tmp_path


def test_ci_reports_locate_files_from_the_repository_root_in_any_directory(runner, nested: Path) -> None:  # type: ignore[no-untyped-def]
    run = ["check", "--no-cache", "--jobs", "1", "page.md"]
    sarif = json.loads(runner.invoke(main, [*run, "--format", "sarif"]).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"site/content/page.md"}
    if SARIF_SCHEMA.is_file():
        import jsonschema

        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    github = runner.invoke(main, [*run, "--format", "github"]).stdout
    assert "file=site/content/page.md," in github
    gitlab = json.loads(runner.invoke(main, [*run, "--format", "gitlab"]).stdout)
    assert {issue["location"]["path"] for issue in gitlab} == {"site/content/page.md"}
    text = runner.invoke(main, run).stdout
    assert text.startswith("page.md:1:")  # people read paths from where they stand
