"""The command line: exit statuses, the text and JSON output contracts, rule selection, rules/explain/--version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    ERROR_PREFIX,
    FIXTURES,
    TEXT_FINDING,
    assert_one_error_line,
    core_rules,
    parse_json,
    probe_spacy_import,
    run_module,
    source_slice,
    write,
)

import claimcheck

CORE_RULE_IDS = {rule["id"] for rule in core_rules()}
FINDING_FIELDS = {
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "rule": str,
    "kind": str,
    "severity": str,
    "message": str,
    "excerpt": str,
    "pack": str,
}


@pytest.fixture
def clinic(fixture_copy) -> Path:
    return fixture_copy("clinic.md")


@pytest.fixture
def clean(fixture_copy) -> Path:
    return fixture_copy("clean.md")


def rules_of(result) -> set[str]:
    return {f["rule"] for f in parse_json(result)["findings"]}


# --- exit statuses ---------------------------------------------------------------------------


def test_clean_page_exits_0_with_no_findings(cli, clean):
    result = cli("check", clean)
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stdout.splitlines() if TEXT_FINDING.match(line)]
    assert result.stderr == ""


def test_page_with_claims_exits_1(cli, clinic):
    result = cli("check", clinic)
    assert result.exit_code == 1, result.output
    assert result.stderr == ""


@pytest.mark.usefixtures("fresh_pipelines")
def test_default_fail_level_is_warning(cli, clinic):
    # Only warnings selected: they fail the run unless told otherwise.
    result = cli("check", "--select", "core/efficacy-claim", "--format", "json", clinic)
    severities = {f["severity"] for f in parse_json(result)["findings"]}
    assert severities == {"warning"}
    assert result.exit_code == 1


@pytest.mark.usefixtures("fresh_pipelines")
@pytest.mark.parametrize(
    ("selected", "fail_on", "expected"),
    [
        ("core/efficacy-claim", "error", 0),  # warnings only
        ("core/efficacy-claim", "warning", 1),
        ("core/efficacy-claim", "info", 1),
        ("core/footnote-unresolved", "error", 1),  # an error
        ("core/footnote-unresolved", "warning", 1),
    ],
)
def test_fail_on_sets_the_lowest_failing_severity(cli, clinic, selected, fail_on, expected):
    result = cli("check", "--select", selected, "--fail-on", fail_on, clinic)
    assert result.exit_code == expected, result.output


def test_fail_on_info_counts_info_findings(cli, clinic, workdir):
    write(workdir / "claimcheck.yaml", "severity:\n  core/footnote-unresolved: info\n")
    args = ("check", "--select", "core/footnote-unresolved", clinic)
    assert {f["severity"] for f in parse_json(cli(*args, "--format", "json"))["findings"]} == {"info"}
    assert cli(*args).exit_code == 0  # default level: warning
    assert cli(*args, "--fail-on", "warning").exit_code == 0
    assert cli(*args, "--fail-on", "info").exit_code == 1


def test_unknown_fail_on_level_is_a_usage_error(cli, clinic):
    result = cli("check", "--fail-on", "critical", clinic)
    assert result.exit_code == 2
    assert "critical" in result.stderr


def test_unknown_option_is_a_usage_error(cli, clinic):
    assert cli("check", "--no-such-option", clinic).exit_code == 2


# --- text output -----------------------------------------------------------------------------


def test_text_output_is_editor_parsable_and_matches_json(cli, clinic):
    text = cli("check", clinic)
    lines = text.stdout.splitlines()
    headers = [(i, TEXT_FINDING.match(line)) for i, line in enumerate(lines)]
    headers = [(i, m) for i, m in headers if m]
    findings = parse_json(cli("check", "--format", "json", clinic))["findings"]
    assert len(headers) == len(findings) >= 3
    for (i, match), finding in zip(headers, findings, strict=True):
        assert match["path"] == finding["path"] == str(clinic)
        assert (int(match["line"]), int(match["column"])) == (finding["line"], finding["column"])
        assert (match["severity"], match["rule"]) == (finding["severity"], finding["rule"])
        assert match["message"] == finding["message"]
        # The excerpt follows on an indented line (whitespace folded, as an editor shows one line).
        excerpt_line = lines[i + 1]
        assert excerpt_line.startswith("    ") and not TEXT_FINDING.match(excerpt_line)
        assert " ".join(finding["excerpt"].split()) in excerpt_line


def test_text_output_of_every_nonheader_line_is_indented_or_the_summary(cli, clinic):
    lines = cli("check", clinic).stdout.splitlines()
    body = [line for line in lines[:-1] if not TEXT_FINDING.match(line)]
    assert body and all(line.startswith("    ") for line in body), body
    assert not lines[-1].startswith(" ") and not TEXT_FINDING.match(lines[-1])  # a summary line ends it


# --- JSON output contract --------------------------------------------------------------------


def test_json_output_contract(cli, clinic):
    result = cli("check", "--format", "json", clinic)
    assert result.exit_code == 1
    data = parse_json(result)
    assert {"version", "claimcheck", "findings", "summary"} <= set(data)
    assert isinstance(data["version"], int) and data["version"] >= 1
    assert data["claimcheck"] == claimcheck.__version__
    assert data["findings"], "the clinic page has claims"
    for finding in data["findings"]:
        for name, kind in FINDING_FIELDS.items():
            assert isinstance(finding[name], kind), (name, finding)
        assert finding["kind"] in {"claim", "footnote", "disclaimer"}
        assert finding["severity"] in {"error", "warning", "info"}
        assert finding["pack"] == "core" and finding["rule"].startswith("core/")
        assert finding["path"] == str(clinic)
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert (finding["end_line"], finding["end_column"]) > (finding["line"], finding["column"])
        assert finding["message"] and finding["excerpt"]
    summary = data["summary"]
    assert summary["files"] == 1
    assert summary["findings"] == len(data["findings"])
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        assert summary[key] == sum(f["severity"] == severity for f in data["findings"])


def test_json_finding_kinds_match_their_rules(cli, clinic):
    findings = parse_json(cli("check", "--format", "json", clinic))["findings"]
    kinds = {f["rule"]: f["kind"] for f in findings}
    assert kinds["core/efficacy-claim"] == "claim"
    assert kinds["core/footnote-unresolved"] == "footnote"
    assert kinds["core/physician-disclaimer-missing"] == "disclaimer"


def test_json_excerpt_is_the_source_text_at_the_reported_range(cli, clinic):
    text = clinic.read_text(encoding="utf-8")
    findings = parse_json(cli("check", "--format", "json", clinic))["findings"]
    assert findings
    for f in findings:
        assert source_slice(text, f["line"], f["column"], f["end_line"], f["end_column"]) == f["excerpt"], f


def test_json_positions_of_a_footnote_marker(cli, clinic):
    # The one position that needs no NLP: the '*' closing "...money back.*" on line 10.
    text = clinic.read_text(encoding="utf-8")
    line_no = next(n for n, line in enumerate(text.splitlines(), 1) if line.endswith("back.*"))
    column = text.splitlines()[line_no - 1].index("*") + 1
    findings = parse_json(cli("check", "--format", "json", "--select", "core/footnote-unresolved", clinic))["findings"]
    assert [(f["line"], f["column"], f["end_line"], f["end_column"], f["excerpt"]) for f in findings] == [
        (line_no, column, line_no, column + 1, "*")
    ]


def test_json_columns_count_characters_not_bytes(cli, workdir):
    # "Réservez ✓ 🙂" puts 1-, 2-, 3- and 4-byte characters before the marker.
    page = write(workdir / "page.txt", "Réservez ✓ 🙂 today, fast relief.*\n")
    findings = parse_json(cli("check", "--format", "json", "--select", "core/footnote-unresolved", page))["findings"]
    assert [(f["line"], f["column"], f["excerpt"]) for f in findings] == [(1, 33, "*")]


def test_json_reports_the_same_findings_as_text(cli, clinic):
    json_findings = parse_json(cli("check", "--format", "json", clinic))["findings"]
    text_findings = [TEXT_FINDING.match(line) for line in cli("check", clinic).stdout.splitlines()]
    assert sorted((f["rule"], f["line"], f["column"]) for f in json_findings) == sorted(
        (m["rule"], int(m["line"]), int(m["column"])) for m in text_findings if m
    )


# --- --select / --ignore ---------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_pipelines")
def test_select_one_rule(cli, clinic):
    assert rules_of(cli("check", "--format", "json", "--select", "core/efficacy-claim", clinic)) == {
        "core/efficacy-claim"
    }


def test_select_pack_name_selects_every_rule_of_the_pack(cli, clinic):
    everything = rules_of(cli("check", "--format", "json", clinic))
    assert rules_of(cli("check", "--format", "json", "--select", "core", clinic)) == everything


@pytest.mark.usefixtures("fresh_pipelines")
@pytest.mark.parametrize(
    "select_args",
    [
        ("--select", "core/efficacy-claim,core/footnote-unresolved"),
        ("--select", " core/efficacy-claim , core/footnote-unresolved "),
        ("--select", "core/efficacy-claim", "--select", "core/footnote-unresolved"),
    ],
    ids=["comma", "comma-with-spaces", "repeated"],
)
def test_select_several_rules(cli, clinic, select_args):
    result = cli("check", "--format", "json", *select_args, clinic)
    assert rules_of(result) == {"core/efficacy-claim", "core/footnote-unresolved"}


def test_ignore_one_rule(cli, clinic):
    everything = rules_of(cli("check", "--format", "json", clinic))
    assert "core/efficacy-claim" in everything
    assert rules_of(cli("check", "--format", "json", "--ignore", "core/efficacy-claim", clinic)) == everything - {
        "core/efficacy-claim"
    }


def test_ignore_comma_separated_rules(cli, clinic):
    everything = rules_of(cli("check", "--format", "json", clinic))
    ignored = {"core/efficacy-claim", "core/footnote-unresolved"}
    result = cli("check", "--format", "json", "--ignore", ",".join(sorted(ignored)), clinic)
    assert rules_of(result) == everything - ignored


def test_ignore_pack_name_ignores_everything(cli, clinic):
    result = cli("check", "--format", "json", "--ignore", "core", clinic)
    assert parse_json(result)["findings"] == []
    assert result.exit_code == 0


def test_select_and_ignore_combine(cli, clinic):
    result = cli(
        "check",
        "--format",
        "json",
        "--select",
        "core",
        "--ignore",
        "core/efficacy-claim,core/physician-disclaimer-missing",
        clinic,
    )
    rules = rules_of(result)
    assert "core/footnote-unresolved" in rules
    assert not rules & {"core/efficacy-claim", "core/physician-disclaimer-missing"}


@pytest.mark.usefixtures("fresh_pipelines")
def test_select_after_a_full_run_in_the_same_process(cli, clinic):
    cli("check", clinic)
    result = cli("check", "--format", "json", "--select", "core/efficacy-claim", clinic)
    assert result.exit_code == 1, result.stderr
    assert rules_of(result) == {"core/efficacy-claim"}


@pytest.mark.usefixtures("fresh_pipelines")
def test_full_run_after_a_select_run_in_the_same_process(cli, clinic):
    from claimcheck import pipeline

    expected = rules_of(cli("check", "--format", "json", clinic))
    assert "core/absolute-claim" in expected
    pipeline._cache.clear()
    cli("check", "--select", "core/efficacy-claim", clinic)
    assert rules_of(cli("check", "--format", "json", clinic)) == expected


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("selector", ["core/no-such-rule", "nosuchpack", "core/efficacy-claim,core/no-such-rule"])
def test_unknown_selector_is_one_clear_error_line(cli, clinic, option, selector):
    line = assert_one_error_line(cli("check", option, selector, clinic))
    unknown = selector.split(",")[-1]
    assert unknown in line


def test_unknown_ignore_selector_names_the_option(cli, clinic):
    line = assert_one_error_line(cli("check", "--ignore", "core/no-such-rule", clinic))
    assert "--ignore" in line and "in config" not in line


def test_select_prefix_with_slash(cli, clinic):
    assert rules_of(cli("check", "--format", "json", "--select", "core/", clinic)) == rules_of(
        cli("check", "--format", "json", clinic)
    )


def test_ignore_prefix_with_slash(cli, clinic):
    result = cli("check", "--format", "json", "--ignore", "core/", clinic)
    assert result.exit_code == 0 and parse_json(result)["findings"] == []


# --- rules, explain, --version, --help ---------------------------------------------------------


def test_rules_lists_every_core_rule(cli):
    result = cli("rules")
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert listed == CORE_RULE_IDS
    assert len(CORE_RULE_IDS) >= 9


def test_rules_shows_severity_and_kind(cli):
    lines = {line.split()[0]: line.split()[1:3] for line in cli("rules").stdout.splitlines() if line.strip()}
    assert lines["core/absolute-claim"] == ["error", "claim"]
    assert lines["core/footnote-orphan"] == ["warning", "footnote"]
    assert lines["core/physician-disclaimer-missing"] == ["warning", "disclaimer"]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["core/efficacy-claim", "efficacy-claim"])
def test_explain_prints_the_explanation_and_examples(cli, name):
    raw = next(r for r in core_rules() if r["id"] == "core/efficacy-claim")
    result = cli("explain", name)
    assert result.exit_code == 0, result.output
    out = _flat(result.stdout)
    assert "core/efficacy-claim" in out
    assert _flat(raw["message"]) in out
    assert _flat(raw["explanation"]) in out
    examples = raw["examples"]["report"] + raw["examples"]["pass"]
    assert examples
    for example in examples:
        assert _flat(example) in out, example
    # Reported examples come before the ones that pass.
    assert out.index(_flat(raw["examples"]["report"][0])) < out.index(_flat(raw["examples"]["pass"][0]))


def test_explain_unknown_rule_exits_2(cli):
    line = assert_one_error_line(cli("explain", "core/no-such-rule"))
    assert "core/no-such-rule" in line


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert "claimcheck" in result.stdout and claimcheck.__version__ in result.stdout


def test_help_lists_the_commands(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("check", "rules", "explain"):
        assert command in result.stdout


# --- what a real process imports and returns ---------------------------------------------------


def _probe(args: list[str], cwd: Path) -> tuple[int, bool]:
    # No compiled-pack cache: compiling the packs from YAML is the path that must stay spaCy-free too.
    return probe_spacy_import(args, cwd, CLAIMCHECK_NO_CACHE="1")


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["rules"], ["explain", "core/efficacy-claim"], ["check", "--help"]],
    ids=lambda a: " ".join(a),
)
def test_light_commands_do_not_import_spacy(args, tmp_path):
    code, imported = _probe(args, tmp_path)
    assert code == 0
    assert not imported, f"claimcheck {' '.join(args)} imported spaCy"


def test_the_probe_sees_spacy_when_checking(tmp_path):
    # The control for the test above: linting a claim does need spaCy, and the probe notices.
    write(tmp_path / "page.txt", "Chiropractic adjustments relieve sciatica and restore mobility.\n")
    code, imported = _probe(["check", "page.txt"], tmp_path)
    assert code == 1 and imported


def test_python_m_claimcheck_reads_stdin_and_exits_1(tmp_path):
    done = run_module(
        "check", "--stdin-filename", "clinic.md", cwd=tmp_path, input=(FIXTURES / "clinic.md").read_bytes()
    )
    assert done.returncode == 1, done.stderr
    headers = [TEXT_FINDING.match(line) for line in done.stdout.decode().splitlines()]
    assert {m["path"] for m in headers if m} == {"clinic.md"}
    assert done.stderr == b""


def test_python_m_claimcheck_config_error_is_one_line_and_exit_2(tmp_path):
    write(tmp_path / "claimcheck.yaml", "packs: [nosuchpack]\n")
    write(tmp_path / "page.md", "Opening hours: 8 to 6.\n")
    done = run_module("check", "page.md", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX) and "nosuchpack" in lines[0], lines


@pytest.mark.parametrize("command", [["check", "page.txt"], ["check", "page.txt", "--format", "json"], ["rules"]])
def test_a_reader_gone_away_ends_the_run_quietly(workdir, command):
    # `claimcheck check . | head`: the pipe closes before claimcheck writes. One quiet stop with
    # SIGPIPE's status (128 + 13), not "internal error: BrokenPipeError" or Python's
    # "Exception ignored" at exit.
    write(workdir / "page.txt", "Our tea cures anxiety.\n" * 200)
    process = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *command], cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # the reader is gone before the first line is written
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 141, stderr
    assert stderr == b""
