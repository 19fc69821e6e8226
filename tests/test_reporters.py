"""The CI output formats (SARIF, GitHub annotations, JUnit, GitLab Code Quality) against golden files.

The goldens are rendered from a fixed LintResult of hand-made findings and the real core rules,
so they change only when a reporter (or a core rule's text) changes, never with detection.
Regenerate them with `CLAIMCHECK_UPDATE_GOLDENS=1 python -m pytest tests/test_reporters.py`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from claimcheck import reporters
from claimcheck.cli import main
from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.packs import Rule, load_ruleset
from claimcheck.reporters import REPORTERS

ROOT = Path(__file__).parent.parent
GOLDENS = Path(__file__).parent / "fixtures" / "reporters"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"
GOLDEN_FILES = {
    "sarif": "result.sarif.json",
    "github": "result.github.txt",
    "junit": "result.junit.xml",
    "gitlab": "result.gitlab.json",
}
CI_FORMATS = list(GOLDEN_FILES)


@pytest.fixture(scope="module")
def core() -> dict[str, Rule]:
    return load_ruleset(["core"]).rules


@pytest.fixture(autouse=True)
def _golden_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Goldens do not change with the release number."""
    monkeypatch.setattr(reporters.common, "__version__", "0.0.0+golden")


def finding(path: str, line: int, column: int, rule: str, **overrides: Any) -> Finding:
    fields: dict[str, Any] = {
        "path": path,
        "line": line,
        "column": column,
        "end_line": line,
        "end_column": column + 19,
        "rule": rule,
        "kind": "claim",
        "severity": Severity.WARNING,
        "message": 'Efficacy claim stated as fact; hedge it ("may help") or substantiate it.',
        "excerpt": "eliminates sciatica",
        "pack": "core",
        "explanation": "triggered by 'eliminates sciatica'",
    }
    fields.update(overrides)
    return Finding(**fields)


def fixed_result() -> LintResult:
    """Every case a reporter must get right: severities, multi-line spans, repeated excerpts,
    characters that need escaping, a rule no pack defines, a clean file and an unreadable one."""
    odd = "notes/q&a, 50%.txt"
    findings = [
        finding("pages/clinic.md", 3, 1, "core/efficacy-claim"),
        finding(
            "pages/clinic.md",
            5,
            10,
            "core/efficacy-claim",
            end_line=6,
            end_column=9,
            excerpt="eliminates\nsciatica",
            explanation="triggered by 'eliminates sciatica'; 100% <sure> & \"fast\", really: yes\r\n",
        ),
        finding(
            "pages/clinic.md",
            7,
            4,
            "core/footnote-unresolved",
            end_column=5,
            kind="footnote",
            severity=Severity.ERROR,
            message="Footnote marker does not resolve; no footnote in this document starts with it. ('^')",
            excerpt="^",
            explanation="",
        ),
        finding(
            odd,
            1,
            1,
            "core/supplement-disclaimer-missing",
            end_column=29,
            kind="disclaimer",
            severity=Severity.ERROR,
            message="A dietary supplement makes a health claim without the FDA (DSHEA) disclaimer.",
            excerpt="Clinically proven to rebuild",
            explanation="first health claim: 'Clinically proven to rebuild'",
        ),
        finding(
            odd,
            2,
            5,
            "house/soft-claim",
            end_column=12,
            severity=Severity.INFO,
            message="House style: soften this.",
            excerpt="best\x0cever",
            pack="house",
            explanation="",
        ),
    ]
    return LintResult(
        findings=sorted(findings),
        errors=["pages/broken.md: binary file (contains NUL bytes), not linted"],
        files=3,
        paths=["pages/clinic.md", "pages/clean.md", odd],
    )


def sarif_validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(text: str) -> dict[str, Any]:
    data = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return data


# --- goldens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CI_FORMATS)
def test_output_matches_golden(name: str, core: dict[str, Rule]) -> None:
    output = REPORTERS[name](fixed_result(), core) + "\n"
    golden = GOLDENS / GOLDEN_FILES[name]
    if os.environ.get("CLAIMCHECK_UPDATE_GOLDENS"):
        golden.write_bytes(output.encode("utf-8"))
    assert golden.read_bytes().decode("utf-8") == output, (
        f"{golden.name} is stale: if the change is intended, rerun with CLAIMCHECK_UPDATE_GOLDENS=1"
    )


@pytest.mark.parametrize("name", CI_FORMATS)
def test_every_format_handles_zero_findings(name: str, core: dict[str, Rule]) -> None:
    output = REPORTERS[name](LintResult(files=1, paths=["clean.md"]), core)
    if name == "sarif":
        run = assert_valid_sarif(output)["runs"][0]
        assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    elif name == "gitlab":
        assert json.loads(output) == []
    elif name == "github":
        assert output == ""
    else:
        suite = ET.fromstring(output).find("testsuite")
        assert suite is not None and suite.get("tests") == "1" and suite.get("failures") == "0"
        assert suite.find("testcase/failure") is None


def test_every_format_is_a_cli_choice(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["check", "--help"])
    for name in CI_FORMATS:
        assert name in result.output


# --- SARIF -----------------------------------------------------------------------------------


def test_sarif_golden_is_valid(core: dict[str, Rule]) -> None:
    data = assert_valid_sarif(REPORTERS["sarif"](fixed_result(), core))
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in fixed_result().findings})
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    efficacy = next(r for r in rules if r["id"] == "core/efficacy-claim")
    assert efficacy["helpUri"] == core["core/efficacy-claim"].references[0]["url"]
    assert efficacy["fullDescription"]["text"] == core["core/efficacy-claim"].explanation
    assert efficacy["properties"]["pack"] == "core" and efficacy["properties"]["kind"] == "claim"
    assert [r["level"] for r in run["results"]] == ["error", "note", "warning", "warning", "error"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"pages/clinic.md", "notes/q%26a%2C%2050%25.txt"}
    assert run["invocations"][0]["executionSuccessful"] is False


def test_fingerprints_survive_line_shifts_and_tell_repeats_apart(core: dict[str, Rule]) -> None:
    def fingerprints(result: LintResult) -> list[str]:
        run = json.loads(REPORTERS["sarif"](result, core))["runs"][0]
        sarif = [r["partialFingerprints"][reporters.FINGERPRINT_KEY] for r in run["results"]]
        assert sarif == [issue["fingerprint"] for issue in json.loads(REPORTERS["gitlab"](result, core))]
        return sarif

    original = fixed_result()
    shifted = dataclasses.replace(
        original,
        findings=[dataclasses.replace(f, line=f.line + 7, end_line=f.end_line + 7) for f in original.findings],
    )
    assert fingerprints(original) == fingerprints(shifted)
    assert len(set(fingerprints(original))) == len(original.findings)  # the two identical excerpts differ


def test_cli_sarif_on_examples_is_valid(runner, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    sarif_validator()  # skip before linting if the schema is absent
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["check", "--format", "sarif", "examples/"])
    assert result.exit_code == 1, result.output
    run = assert_valid_sarif(result.stdout)["runs"][0]
    assert run["results"], "the examples contain claims on purpose"
    for item in run["results"]:
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("examples/")
        assert location["region"]["startColumn"] >= 1


# --- GitHub ----------------------------------------------------------------------------------


def test_github_escapes_data_and_properties(core: dict[str, Rule]) -> None:
    lines = REPORTERS["github"](fixed_result(), core).splitlines()
    assert len(lines) == len(fixed_result().findings) + 1  # one per finding, one per unreadable file
    multi_line = next(line for line in lines if "line=5" in line)
    assert multi_line.startswith(
        "::warning file=pages/clinic.md,line=5,col=10,endLine=6,endColumn=9,title=core/efficacy-claim::"
    )
    assert "%0A" in multi_line and "100%25" in multi_line and "%0D%0A" in multi_line
    assert "\r" not in multi_line
    odd = next(line for line in lines if "house/soft-claim" in line)
    assert odd.startswith("::notice file=notes/q&a%2C 50%25.txt,line=2,")
    assert lines[-1].startswith("::error title=claimcheck::pages/broken.md")


# --- JUnit -----------------------------------------------------------------------------------


def test_junit_lists_clean_files_and_escapes(core: dict[str, Rule]) -> None:
    suite = ET.fromstring(REPORTERS["junit"](fixed_result(), core)).find("testsuite")
    assert suite is not None and suite.get("name") == "claimcheck"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"pages/clinic.md", "pages/clean.md", "notes/q&a, 50%.txt", "pages/broken.md"}
    assert cases["pages/clean.md"].find("failure") is None
    failure = cases["pages/clinic.md"].find("failure")
    assert failure is not None and failure.get("message") == "3 findings (1 error, 2 warning)"
    assert '100% <sure> & "fast"' in (failure.text or "")
    assert cases["pages/broken.md"].find("error") is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")


def test_junit_from_cli_includes_files_without_findings(runner, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    (workdir / "clean.md").write_text("Our clinic is open Monday to Friday.\n", encoding="utf-8")
    (workdir / "claim.md").write_text("Our surgery cures sciatica.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--format", "junit", "."])
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    outcomes = {case.get("name"): case.find("failure") is not None for case in suite.iter("testcase")}
    assert outcomes == {"claim.md": True, "clean.md": False}

    stdin = runner.invoke(main, ["check", "--format", "junit", "--stdin-filename", "page.md"], input="Plain text.\n")
    names = [case.get("name") for case in ET.fromstring(stdin.stdout).iter("testcase")]
    assert names == ["page.md"]


# --- GitLab ----------------------------------------------------------------------------------


def test_gitlab_issues_have_the_required_fields(core: dict[str, Rule]) -> None:
    issues = json.loads(REPORTERS["gitlab"](fixed_result(), core))
    assert [issue["severity"] for issue in issues] == ["critical", "info", "major", "major", "critical"]
    for issue, f in zip(issues, fixed_result().findings, strict=True):
        assert issue["check_name"] == f.rule and issue["description"]
        assert issue["location"]["path"] == f.path
        assert issue["location"]["positions"]["begin"] == {"line": f.line, "column": f.column}


@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
def test_junit_follows_fail_on_as_the_exit_code_does(runner, workdir: Path, fail_on: str) -> None:  # type: ignore[no-untyped-def]
    # A warning (efficacy claim) and nothing at error level: Jenkins and the exit code must agree.
    (workdir / "page.md").write_text("Our cream eliminates knee pain.\n\nConsult your physician.\n", encoding="utf-8")
    (workdir / "visit.md").write_text("Parking is free.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--no-cache", "--format", "junit", "--fail-on", fail_on, "."])
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    assert suite.get("failures") == str(len(failed))
    assert result.exit_code == (1 if failed else 0)
    assert failed == (set() if fail_on == "error" else {"page.md"})
    if fail_on == "error":  # below the fail level: still in the report, as output
        assert "core/efficacy-claim" in (cases["page.md"].findtext("system-out") or "")
