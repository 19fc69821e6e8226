"""`claimcheck test-pack`: a pack's examples and YAML cases, failures by file:line, exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli import main

PACK = """\
pack: acme
extends: [core]
rules:
  - id: acme/joint-claim
    check: claim
    kind: efficacy
    severity: warning
    message: Joint claim.
    suppressed_by: [hedge, negation]
    patterns:
      - [{LEMMA: rebuild}, {LOWER: cartilage}]
    explanation: Why.
    examples:
      report: [Our collagen rebuilds cartilage.]
      pass: [Collagen may rebuild cartilage.]
"""


def _pack(tmp_path: Path, cases: str | None = None, folder: str = "tests") -> Path:
    pack = tmp_path / "acme.yaml"
    pack.write_text(PACK, encoding="utf-8")
    if cases is not None:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "joint-claim.yml").write_text(cases, encoding="utf-8")
    return pack


def _run(*args: str):
    return CliRunner().invoke(main, ["test-pack", *args])


def test_a_builtin_pack_passes():
    result = _run("core")
    assert result.exit_code == 0, result.output
    assert "core: 15 rules" in result.output


def test_a_pack_file_with_cases_beside_it(tmp_path):
    cases = (
        "rule: acme/joint-claim\nreport:\n  - text: It rebuilds cartilage.\n"
        "    findings: [{line: 1, column: 4, excerpt: rebuilds cartilage}]\npass:\n  - It may rebuild cartilage.\n"
    )
    result = _run(str(_pack(tmp_path, cases)))
    assert result.exit_code == 0, result.output
    assert "acme: 1 rules, 4 cases, all passed" in result.output


def test_cases_may_sit_in_a_folder_named_after_the_pack(tmp_path):
    cases = "rule: acme/joint-claim\nreport: [It rebuilds cartilage.]\npass: [It may rebuild cartilage.]\n"
    result = _run(str(_pack(tmp_path, cases, folder="tests/acme")))
    assert "4 cases, all passed" in result.output


def test_a_failure_names_the_case_file_and_line_and_exits_1(tmp_path):
    cases = (
        "rule: acme/joint-claim\nreport:\n  - text: It rebuilds cartilage.\n"
        "    findings: [{line: 1, column: 1}]\n  - It strengthens cartilage.\npass:\n  - It rebuilds cartilage fast.\n"
    )
    pack = _pack(tmp_path, cases)
    result = _run(str(pack))
    assert result.exit_code == 1
    case_file = tmp_path / "tests" / "joint-claim.yml"
    assert f"{case_file}:3: acme/joint-claim on 'It rebuilds cartilage.': expected findings" in result.output
    assert f"{case_file}:5: acme/joint-claim did not fire on 'It strengthens cartilage.'" in result.output
    assert f"{case_file}:7: acme/joint-claim fired on a pass case" in result.output
    assert "3 failed" in result.output


def test_a_failing_example_names_the_pack_line(tmp_path):
    pack = tmp_path / "acme.yaml"
    pack.write_text(PACK.replace("pass: [Collagen may", "pass: [Collagen does"), encoding="utf-8")
    result = _run(str(pack))
    assert result.exit_code == 1
    assert f"{pack}:15: acme/joint-claim fired on a pass case" in result.output


def test_the_same_sentence_under_report_and_pass_is_a_broken_pack(tmp_path):
    cases = "rule: acme/joint-claim\npass: [Our collagen rebuilds cartilage.]\n"
    result = _run(str(_pack(tmp_path, cases)))
    assert result.exit_code == 2
    assert "lists 'Our collagen rebuilds cartilage.' under pass, and under report at" in result.output


def test_cases_for_a_rule_the_pack_lacks_are_a_broken_pack(tmp_path):
    cases = "rule: acme/knee-claim\nreport: [x]\n"
    pack = _pack(tmp_path, None)
    (tmp_path / "tests" / "acme").mkdir(parents=True)
    (tmp_path / "tests" / "acme" / "knee-claim.yml").write_text(cases, encoding="utf-8")
    result = _run(str(pack))
    assert result.exit_code == 2
    assert "'acme/knee-claim' is not a rule of pack 'acme'" in result.output


def test_an_unknown_pack_is_a_usage_error():
    assert _run("no-such-pack").exit_code == 2


# --- explain shows the fixture cases test-pack runs ----------------------------------------------


def test_explain_shows_a_builtin_rules_fixture_cases_from_the_checkout():
    import yaml

    case_file = Path(__file__).parent / "rules" / "core" / "absolute-claim.yml"
    cases = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["explain", "core/absolute-claim"])
    assert result.exit_code == 0, result.output
    reported, passing = result.output.split(f"Fixture cases ({case_file.resolve()}):")[1].split("Not reported:")
    first_report = cases["report"][0]
    assert (first_report if isinstance(first_report, str) else first_report["text"]).split("\n")[0] in reported
    first_pass = cases["pass"][0]
    assert (first_pass if isinstance(first_pass, str) else first_pass["text"]).split("\n")[0] in passing


def test_explain_shows_the_cases_beside_a_pack_file(tmp_path):
    cases = "rule: acme/joint-claim\nreport: [It rebuilds cartilage fast.]\npass: [It may rebuild cartilage.]\n"
    pack = _pack(tmp_path, cases, folder="tests/acme")
    (tmp_path / "claimcheck.yaml").write_text(f"packs: [{pack}]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "acme/joint-claim", "--config", str(tmp_path / "claimcheck.yaml")])
    assert result.exit_code == 0, result.output
    assert f"Fixture cases ({tmp_path / 'tests' / 'acme' / 'joint-claim.yml'}):" in result.output
    assert "Reported:\n\n- It rebuilds cartilage fast.\n\nNot reported:\n\n- It may rebuild cartilage." in result.output


def test_explain_without_case_files_shows_no_fixture_section(tmp_path):
    pack = _pack(tmp_path)
    (tmp_path / "claimcheck.yaml").write_text(f"packs: [{pack}]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "acme/joint-claim", "--config", str(tmp_path / "claimcheck.yaml")])
    assert result.exit_code == 0 and "Fixture cases" not in result.output
    assert "Reported:\n\n- Our collagen rebuilds cartilage." in result.output
