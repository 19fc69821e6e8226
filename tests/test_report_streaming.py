"""Reports written in pieces (reporters' `chunks`, the CLI's batched printing) are the same bytes
as the report written whole: what json.dumps makes, and what `render` returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck import cli
from claimcheck.cli import main
from claimcheck.findings import Finding, LintResult, Severity
from claimcheck.packs import load_ruleset
from claimcheck.reporters import REPORTERS, report_chunks
from claimcheck.reporters.common import Streamed, json_chunks

TRICKY = [
    {},
    [],
    {"a": [], "b": {}, "c": [[], {}], "d": None, "e": True, "f": 1.5, "g": -3},
    {"text": 'line\nbreak, "quotes", tab\t, ESC \x1b, é, 😀, \u2028', "nested": {"deep": [1, [2, [3]]]}},
    [{"x": 1}, {"y": [{"z": "w"}]}],
    "plain",
    42,
]


@pytest.mark.parametrize("value", TRICKY)
def test_json_chunks_is_json_dumps(value: object) -> None:
    assert "".join(json_chunks(value)) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"a": "x\ny", "b": [1, {}]}, {"c": []}, 3]])
def test_streamed_arrays_are_written_like_lists(items: list) -> None:
    document = {"head": 1, "runs": [{"results": Streamed(iter(items)), "tail": "t"}]}
    expected = {"head": 1, "runs": [{"results": items, "tail": "t"}]}
    assert "".join(json_chunks(document)) == json.dumps(expected, ensure_ascii=False, indent=2)


def _finding(path: str, line: int, rule: str = "core/efficacy-claim") -> Finding:
    return Finding(
        path=path,
        line=line,
        column=3,
        end_line=line,
        end_column=20,
        rule=rule,
        kind="claim",
        severity=Severity.WARNING,
        message="Efficacy claim stated as fact.",
        excerpt='cures "all"\npain',
        pack="core",
        explanation="triggered by 'cures'",
    )


@pytest.mark.parametrize("name", [name for name in REPORTERS if name != "html"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_chunks_join_to_render(name: str, count: int) -> None:
    rules = load_ruleset(["core"]).rules
    findings = [_finding(f"docs/page{n}.md", n + 1) for n in range(count)]
    result = LintResult(findings=findings, files=2, paths=["docs/page0.md", "b.md"], errors=["x.md: unreadable"])
    assert "".join(report_chunks(name, result, rules)) == REPORTERS[name](result, rules)


def test_printing_in_batches_is_printing_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Batches of a few characters: every finding's piece is printed on its own.
    (tmp_path / "a.txt").write_text("Our capsules cure arthritis. This tea eliminates pain.\n", encoding="utf-8")
    runner = CliRunner()
    for output_format in ("text", "json", "github"):
        args = ["check", str(tmp_path), "--no-cache", "--format", output_format]
        whole = runner.invoke(main, args)
        monkeypatch.setattr(cli, "_PRINT_BATCH", 8)
        pieces = runner.invoke(main, args)
        monkeypatch.undo()
        assert whole.exit_code == pieces.exit_code == 1
        assert pieces.output == whole.output and whole.output.count("cure") >= 1


def test_quiet_empty_report_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Our clinic is open on Monday.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(tmp_path), "--no-cache", "--quiet"]).output == ""
    assert runner.invoke(main, ["check", str(tmp_path), "--no-cache"]).output == "No findings in 1 file.\n"
