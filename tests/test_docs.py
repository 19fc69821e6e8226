"""Docs that are generated must match what the code generates."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli import main

ROOT = Path(__file__).parent.parent


def test_rule_reference_is_current():
    result = CliRunner().invoke(main, ["rules", "--docs"])
    assert result.exit_code == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == result.output, (
        "docs/rules.md is stale: run `claimcheck rules --docs > docs/rules.md`"
    )


def test_readme_lists_every_core_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["rules"])
    for line in result.output.splitlines():
        assert f"`{line.split()[0]}`" in readme


def test_readme_sample_output_is_what_claimcheck_prints(monkeypatch):
    import re

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```console\n\$ claimcheck (check [^\n]+)\n(.*?)\n\.\.\.\n```", readme, re.DOTALL)
    assert sample, "README has no sample output"
    monkeypatch.chdir(Path(__file__).parent.parent)
    output = CliRunner().invoke(main, [*sample.group(1).split(), "--no-cache"]).stdout
    assert output.startswith(sample.group(2) + "\n")
