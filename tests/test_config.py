"""Configuration: discovery, pyproject.toml, --config, local packs, disable/severity/fail_on/exclude, and bad config."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, assert_one_error_line, core_rules, parse_json, write

# A page whose findings do not depend on the NLP: a footnote marker that resolves nowhere (error),
# plus a footnote that nothing references (warning).
FOOTNOTES_PAGE = "Evening hours for busy parents.*\n\n† Monday to Thursday only.\n"
# A page with one claim the core pack reports (its own example) and nothing else of note.
CLAIM_PAGE = "Chiropractic adjustments relieve sciatica and restore mobility.\n"


def rules_of(result) -> set[str]:
    return {f["rule"] for f in parse_json(result)["findings"]}


# --- discovery -------------------------------------------------------------------------------


def test_config_is_found_by_walking_up_from_the_linted_file(cli, workdir):
    write(workdir / "site" / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    inside = write(workdir / "site" / "pages" / "deep" / "page.md", FOOTNOTES_PAGE)
    outside = write(workdir / "other" / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", inside)) == {"core/footnote-orphan"}
    assert rules_of(cli("check", "--format", "json", outside)) == {"core/footnote-orphan", "core/footnote-unresolved"}


def test_config_is_found_when_linting_a_directory(cli, workdir):
    write(workdir / "site" / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    write(workdir / "site" / "pages" / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", workdir / "site")) == {"core/footnote-orphan"}


def test_dot_claimcheck_yaml_is_found_too(cli, workdir):
    write(workdir / "site" / ".claimcheck.yaml", "disable: [core/footnote-orphan]\n")
    page = write(workdir / "site" / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", page)) == {"core/footnote-unresolved"}


def test_the_nearest_config_wins(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    write(workdir / "blog" / "claimcheck.yaml", "disable: [core/footnote-orphan]\n")
    page = write(workdir / "blog" / "post.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", page)) == {"core/footnote-unresolved"}


def test_each_file_uses_its_own_nearest_config(cli, workdir):
    write(workdir / "a" / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    write(workdir / "b" / "claimcheck.yaml", "disable: [core/footnote-orphan]\n")
    write(workdir / "a" / "page.md", FOOTNOTES_PAGE)
    write(workdir / "b" / "page.md", FOOTNOTES_PAGE)
    findings = parse_json(cli("check", "--format", "json", workdir))["findings"]
    assert {(Path(f["path"]).parent.name, f["rule"]) for f in findings} == {
        ("a", "core/footnote-orphan"),
        ("b", "core/footnote-unresolved"),
    }


def test_pyproject_tool_claimcheck_is_a_config(cli, workdir):
    write(
        workdir / "pyproject.toml",
        '[project]\nname = "clinic-site"\n\n[tool.claimcheck]\n'
        'disable = ["core/footnote-orphan"]\nseverity = { "core/footnote-unresolved" = "info" }\n',
    )
    page = write(workdir / "content" / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    assert [(f["rule"], f["severity"]) for f in parse_json(result)["findings"]] == [
        ("core/footnote-unresolved", "info")
    ]
    assert result.exit_code == 0


def test_pyproject_fail_on(cli, workdir):
    write(workdir / "pyproject.toml", '[tool.claimcheck]\nfail_on = "error"\ndisable = ["core/footnote-unresolved"]\n')
    page = write(workdir / "page.md", FOOTNOTES_PAGE)  # only the orphan footnote is left: a warning
    assert cli("check", page).exit_code == 0
    assert cli("check", "--fail-on", "warning", page).exit_code == 1


def test_pyproject_without_tool_claimcheck_is_skipped(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    write(workdir / "site" / "pyproject.toml", '[project]\nname = "clinic-site"\n')
    page = write(workdir / "site" / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", page)) == {"core/footnote-orphan"}


def test_claimcheck_yaml_takes_precedence_over_pyproject_in_the_same_folder(cli, workdir):
    write(workdir / "pyproject.toml", '[tool.claimcheck]\ndisable = ["core/footnote-orphan"]\n')
    write(workdir / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", page)) == {"core/footnote-orphan"}


def test_config_option_replaces_discovery(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core/footnote-unresolved]\n")
    chosen = write(workdir / "configs" / "strict.yaml", "disable: [core/footnote-orphan]\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert rules_of(cli("check", "--format", "json", page)) == {"core/footnote-orphan"}
    assert rules_of(cli("check", "--format", "json", "--config", chosen, page)) == {"core/footnote-unresolved"}


def test_config_option_must_exist(cli, workdir):
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--config", workdir / "missing.yaml", page)
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr


def test_rules_command_uses_the_discovered_config(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core/footnote-orphan, core/comparative-claim]\n")
    listed = {line.split()[0] for line in cli("rules").stdout.splitlines() if line.strip()}
    assert "core/efficacy-claim" in listed
    assert not listed & {"core/footnote-orphan", "core/comparative-claim"}


# --- disable, severity, fail_on ----------------------------------------------------------------


def test_disable_a_rule(cli, workdir):
    page = write(workdir / "page.md", CLAIM_PAGE + "\n" + FOOTNOTES_PAGE)
    assert "core/efficacy-claim" in rules_of(cli("check", "--format", "json", page))
    write(workdir / "site" / "claimcheck.yaml", "disable:\n  - core/efficacy-claim\n")
    page = write(workdir / "site" / "page.md", CLAIM_PAGE + "\n" + FOOTNOTES_PAGE)
    rules = rules_of(cli("check", "--format", "json", page))
    assert "core/efficacy-claim" not in rules
    assert {"core/footnote-unresolved", "core/footnote-orphan"} <= rules


def test_disable_a_whole_pack(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core]\n")
    page = write(workdir / "page.md", CLAIM_PAGE + "\n" + FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    assert parse_json(result)["findings"] == []
    assert result.exit_code == 0


def test_disable_a_prefix_with_slash(cli, workdir):
    write(workdir / "claimcheck.yaml", "disable: [core/]\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    # A prefix ending in "/" selects every rule of the pack, like the pack's name.
    assert result.exit_code == 0
    assert parse_json(result)["findings"] == []


def test_severity_override(cli, workdir):
    write(workdir / "claimcheck.yaml", "severity:\n  core/footnote-unresolved: warning\n  core/footnote-orphan: info\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    assert {(f["rule"], f["severity"]) for f in parse_json(result)["findings"]} == {
        ("core/footnote-unresolved", "warning"),
        ("core/footnote-orphan", "info"),
    }
    assert parse_json(result)["summary"]["errors"] == 0
    assert cli("check", "--fail-on", "error", page).exit_code == 0


def test_severity_override_for_a_whole_pack(cli, workdir):
    write(workdir / "claimcheck.yaml", "severity:\n  core: info\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    # A pack name sets the severity of each of its rules; info is below the default fail level.
    assert {f["severity"] for f in parse_json(result)["findings"]} == {"info"}
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("fail_on", "cli_fail_on", "expected"),
    [
        ("error", None, 0),  # only warnings and info left: below the config's level
        ("warning", None, 1),
        ("info", None, 1),
        ("error", "warning", 1),  # the option wins over the config
        ("info", "error", 0),
    ],
)
def test_config_fail_on(cli, workdir, fail_on, cli_fail_on, expected):
    write(
        workdir / "claimcheck.yaml",
        f"fail_on: {fail_on}\nseverity:\n  core/footnote-unresolved: warning\n  core/footnote-orphan: info\n",
    )
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    args = ("check", page) if cli_fail_on is None else ("check", "--fail-on", cli_fail_on, page)
    assert cli(*args).exit_code == expected


def test_fail_on_info_with_only_info_findings(cli, workdir):
    write(
        workdir / "claimcheck.yaml",
        "fail_on: info\ndisable: [core/footnote-unresolved]\nseverity:\n  core/footnote-orphan: info\n",
    )
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    assert [f["severity"] for f in parse_json(cli("check", "--format", "json", page))["findings"]] == ["info"]
    assert cli("check", page).exit_code == 1


# --- local packs ---------------------------------------------------------------------------------


def house_project(workdir: Path, config_dir: str = "site") -> Path:
    """A config in site/ naming the house pack by a path relative to the config file."""
    (workdir / config_dir / "packs").mkdir(parents=True)
    (workdir / config_dir / "packs" / "house.yaml").write_bytes((FIXTURES / "packs" / "house.yaml").read_bytes())
    return write(workdir / config_dir / "claimcheck.yaml", "packs: [packs/house.yaml]\n")


def test_local_pack_that_extends_core_adds_its_rule(cli, workdir):
    house_project(workdir)
    page = write(workdir / "site" / "page.md", CLAIM_PAGE + "\nOur patients call the results life-changing.\n")
    findings = parse_json(cli("check", "--format", "json", page))["findings"]
    rules = {f["rule"] for f in findings}
    assert {"house/life-changing", "core/efficacy-claim"} <= rules
    house = next(f for f in findings if f["rule"] == "house/life-changing")
    assert (house["pack"], house["kind"], house["severity"], house["excerpt"]) == (
        "house",
        "claim",
        "info",
        "life-changing",
    )
    assert next(f for f in findings if f["rule"] == "core/efficacy-claim")["pack"] == "core"


def test_local_pack_path_is_relative_to_the_config_not_the_cwd(cli, workdir, monkeypatch):
    config = house_project(workdir, "cfg")
    page = write(workdir / "content" / "page.md", "Our patients call the results life-changing.\n")
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("check", "--format", "json", "--config", config, page)
    assert "house/life-changing" in rules_of(result)


def test_rules_lists_the_local_pack_and_everything_it_extends(cli, workdir):
    config = house_project(workdir)
    listed = {line.split()[0] for line in cli("rules", "--config", config).stdout.splitlines() if line.strip()}
    assert listed == {rule["id"] for rule in core_rules()} | {"house/life-changing"}


def test_explain_a_local_rule(cli, workdir):
    config = house_project(workdir)
    result = cli("explain", "--config", config, "house/life-changing")
    assert result.exit_code == 0, result.output
    for text in (
        'Avoid "life-changing" in patient-facing copy.',
        "House style guide, section 4.",
        "Our patients call the results life-changing.",
        "Our patients call the results encouraging.",
    ):
        assert text in result.stdout


def test_pack_extending_a_local_pack_by_relative_path(cli, workdir):
    house_project(workdir)
    write(
        workdir / "site" / "packs" / "clinic.yaml",
        "pack: clinic\nextends: [house.yaml]\nrules:\n"
        "  - id: clinic/pain-free\n    check: claim\n    kind: absolute\n    severity: warning\n"
        "    message: Do not promise pain-free visits.\n    explanation: Clinic policy.\n"
        '    patterns:\n      - [{LOWER: pain}, {ORTH: "-"}, {LOWER: free}]\n',
    )
    write(workdir / "site" / "claimcheck.yaml", "packs: [packs/clinic.yaml]\n")
    page = write(workdir / "site" / "page.md", "A pain-free visit, life-changing results.\n")
    assert {"clinic/pain-free", "house/life-changing"} <= rules_of(cli("check", "--format", "json", page))


def test_disable_and_severity_apply_to_local_rules(cli, workdir):
    house_project(workdir)
    write(
        workdir / "site" / "claimcheck.yaml",
        "packs: [packs/house.yaml]\ndisable: [core]\nseverity:\n  house/life-changing: error\n",
    )
    page = write(workdir / "site" / "page.md", CLAIM_PAGE + "\nOur patients call the results life-changing.\n")
    findings = parse_json(cli("check", "--format", "json", page))["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [("house/life-changing", "error")]


def test_relative_config_path_in_two_directories_in_one_process(cli, workdir, monkeypatch):
    for name in ("one", "two"):
        write(
            workdir / name / "pack.yaml",
            f"pack: acme\nrules:\n  - id: acme/word\n    check: footnote-unresolved\n    severity: warning\n"
            f"    message: Marker in folder {name}.\n    explanation: x\n",
        )
        write(workdir / name / "claimcheck.yaml", "packs: [pack.yaml]\n")
        write(workdir / name / "page.txt", "Fast relief.*\n")
    messages = []
    for name in ("one", "two"):
        monkeypatch.chdir(workdir / name)
        findings = parse_json(cli("check", "--format", "json", "--config", "claimcheck.yaml", "page.txt"))["findings"]
        messages.append(findings[0]["message"])
    assert messages[0].startswith("Marker in folder one.")
    assert messages[1].startswith("Marker in folder two.")


# --- exclude -------------------------------------------------------------------------------------


def exclude_tree(workdir: Path, patterns: list[str]) -> Path:
    write(workdir / "site" / "claimcheck.yaml", "exclude:\n" + "".join(f"  - {p!r}\n" for p in patterns))
    for name in ("index.md", "notes.txt", "drafts/idea.md", "legacy/old.md", "legacy/2019/older.md", "blog/post.md"):
        write(workdir / "site" / name, FOOTNOTES_PAGE)
    return workdir / "site"


def linted(cli, *args) -> set[str]:
    result = cli("check", "--format", "json", "--select", "core/footnote-unresolved", *args)
    return {Path(f["path"]).relative_to(Path.cwd() / "site").as_posix() for f in parse_json(result)["findings"]}


def test_exclude_folder_and_suffix_globs(cli, workdir):
    site = exclude_tree(workdir, ["drafts/", "*.txt", "legacy"])
    assert linted(cli, site) == {"index.md", "blog/post.md"}


def test_exclude_is_relative_to_the_config_file(cli, workdir, monkeypatch):
    site = exclude_tree(workdir, ["blog/*.md"])
    monkeypatch.chdir(site / "blog")
    result = cli("check", "--format", "json", "--select", "core/footnote-unresolved", site)
    found = {Path(f["path"]).name for f in parse_json(result)["findings"]}
    assert "post.md" not in found and "index.md" in found


def test_exclude_applies_with_config_option(cli, workdir):
    site = exclude_tree(workdir, ["drafts/", "legacy/", "blog/"])
    assert linted(cli, "--config", site / "claimcheck.yaml", site) == {"index.md", "notes.txt"}


def test_nothing_excluded_without_patterns(cli, workdir):
    site = exclude_tree(workdir, [])
    write(site / "claimcheck.yaml", "fail_on: warning\n")
    assert linted(cli, site) == {
        "index.md",
        "notes.txt",
        "drafts/idea.md",
        "legacy/old.md",
        "legacy/2019/older.md",
        "blog/post.md",
    }


def test_exclude_recursive_glob(cli, workdir):
    site = exclude_tree(workdir, ["legacy/**"])
    assert linted(cli, site) == {"index.md", "notes.txt", "drafts/idea.md", "blog/post.md"}


def test_exclude_recursive_glob_with_suffix(cli, workdir):
    site = exclude_tree(workdir, ["legacy/**/*.md"])
    assert linted(cli, site) == {"index.md", "notes.txt", "drafts/idea.md", "blog/post.md"}


# --- bad config: one line on stderr, exit 2, no traceback ---------------------------------------


def test_malformed_yaml_config_names_file_and_line(cli, workdir):
    config = workdir / "claimcheck.yaml"
    config.write_bytes((FIXTURES / "malformed-config.yaml").read_bytes())
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", page))
    assert f"{config}:5:" in line  # `  exclude:` is indented under a scalar on line 5
    assert "YAML" in line


def test_pack_schema_error_names_file_line_and_key_path(cli, workdir):
    (workdir / "packs").mkdir()
    pack = workdir / "packs" / "bad-severity.yaml"
    pack.write_bytes((FIXTURES / "packs" / "bad-severity.yaml").read_bytes())
    write(workdir / "claimcheck.yaml", "packs: [packs/bad-severity.yaml]\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", page))
    assert f"{pack}:8:" in line
    assert "rules[0].severity" in line
    assert "critical" in line


BAD_CONFIGS = {
    "unknown-builtin-pack": ({"claimcheck.yaml": "packs: [core, nosuchpack]\n"}, ["nosuchpack"]),
    "missing-local-pack": ({"claimcheck.yaml": "packs: [packs/missing.yaml]\n"}, ["missing.yaml"]),
    "unknown-rule-in-disable": ({"claimcheck.yaml": "disable: [core/no-such-rule]\n"}, ["core/no-such-rule"]),
    "unknown-rule-in-severity": ({"claimcheck.yaml": "severity:\n  core/no-such-rule: info\n"}, ["core/no-such-rule"]),
    "bad-severity-value": (
        {"claimcheck.yaml": "severity:\n  core/efficacy-claim: loud\n"},
        ["claimcheck.yaml:2:", "core/efficacy-claim", "loud"],
    ),
    "bad-fail-on": ({"claimcheck.yaml": "packs: [core]\nfail_on: never\n"}, ["claimcheck.yaml:2:", "fail_on", "never"]),
    "unknown-key": ({"claimcheck.yaml": "packs: [core]\nrulez: [x]\n"}, ["claimcheck.yaml", "rulez"]),
    "packs-not-a-list": ({"claimcheck.yaml": "packs: core\n"}, ["claimcheck.yaml:1:", "packs"]),
    "not-a-mapping": ({"claimcheck.yaml": "- core\n- house\n"}, ["claimcheck.yaml:1"]),
    "bad-pyproject": ({"pyproject.toml": "[tool.claimcheck\ndisable = [\n"}, ["pyproject.toml"]),
    "pyproject-schema": (
        {"pyproject.toml": '[tool.claimcheck]\nfail_on = "sometimes"\n'},
        ["pyproject.toml", "sometimes"],
    ),
    "pack-id-prefix": (
        {
            "claimcheck.yaml": "packs: [house.yaml]\n",
            "house.yaml": "pack: house\nrules:\n  - id: clinic/x\n    check: footnote-orphan\n"
            "    severity: info\n    message: m\n    explanation: e\n",
        },
        ["house.yaml:3:", "clinic/x"],
    ),
    "pack-extends-itself": (
        {"claimcheck.yaml": "packs: [house.yaml]\n", "house.yaml": "pack: house\nextends: [house.yaml]\n"},
        ["house.yaml", "extends"],
    ),
    "pack-unknown-lexicon": (
        {
            "claimcheck.yaml": "packs: [house.yaml]\n",
            "house.yaml": "pack: house\nrules:\n  - id: house/x\n    check: claim\n    kind: efficacy\n"
            "    severity: info\n    message: m\n    explanation: e\n    patterns:\n      - [{LOWER: $nowhere}]\n",
        },
        ["$nowhere"],
    ),
    "pack-not-utf8": ({"claimcheck.yaml": "packs: [house.yaml]\n", "house.yaml": b"pack: h\xe9\n"}, ["house.yaml"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_config_is_one_error_line(cli, workdir, case):
    files, expected = BAD_CONFIGS[case]
    for name, content in files.items():
        (workdir / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", page))
    for text in expected:
        assert text in line, (text, line)


def test_pyproject_schema_error_has_no_none_line_number(cli, workdir):
    write(workdir / "pyproject.toml", '[project]\nname = "site"\n\n[tool.claimcheck]\nfail_on = "sometimes"\n')
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", page))
    assert "None" not in line


@pytest.mark.parametrize(
    "command", [["rules"], ["explain", "core/efficacy-claim"], ["check", "--stdin-filename", "page.md"]]
)
def test_bad_config_fails_every_command_the_same_way(cli, workdir, command):
    (workdir / "claimcheck.yaml").write_bytes((FIXTURES / "malformed-config.yaml").read_bytes())
    line = assert_one_error_line(cli(*command, input=FOOTNOTES_PAGE))
    assert "claimcheck.yaml:5:" in line


def test_bad_config_given_with_config_option(cli, workdir):
    config = workdir / "elsewhere" / "strict.yaml"
    config.parent.mkdir()
    config.write_bytes((FIXTURES / "malformed-config.yaml").read_bytes())
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    line = assert_one_error_line(cli("check", "--config", config, page))
    assert "strict.yaml:5:" in line


def test_empty_config_means_defaults(cli, workdir):
    write(workdir / "claimcheck.yaml", "# nothing configured yet\n")
    page = write(workdir / "page.md", FOOTNOTES_PAGE)
    result = cli("check", "--format", "json", page)
    assert rules_of(result) == {"core/footnote-unresolved", "core/footnote-orphan"}
    assert result.exit_code == 1
