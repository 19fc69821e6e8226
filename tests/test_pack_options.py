"""Pack options: a pack declares them (`options:`), a config sets them (`pack_options:`), and a
rule's `unless_option` drops it from the rule set when the option has one of its values."""

from __future__ import annotations

import pytest
from conftest import assert_one_error_line, parse_json, write

from claimcheck.config import Config, load_config
from claimcheck.errors import ConfigError
from claimcheck.lint import lint_text

APPROVED = "Our FDA-approved TENS unit relieves back pain.\n"


def devices(pathway: str | None = None) -> Config:
    chosen = (("us-fda-devices", (("pathway", pathway),)),) if pathway else ()
    return Config(packs=("us-fda-devices",), pack_options=chosen)


def rules_found(text: str, config: Config) -> set[str]:
    return {f.rule for f in lint_text(text, "page.md", config=config)}


def test_an_option_value_named_by_unless_option_drops_the_rule():
    assert "us-fda-devices/fda-approved" in rules_found(APPROVED, devices("510k"))
    assert "us-fda-devices/fda-approved" not in rules_found(APPROVED, devices("pma"))
    # Dropped, yet still a rule of the set: `explain` and `disable` keep working.
    ruleset = devices("pma").ruleset()
    assert "us-fda-devices/fda-approved" in ruleset.rules
    assert "us-fda-devices/fda-approved" not in {rule.id for rule in ruleset.active}
    assert devices("pma").ruleset(select=frozenset({"us-fda-devices/fda-approved"})).active == []


def test_an_unset_option_drops_nothing():
    active = {rule.id for rule in devices().ruleset().active}
    assert {"us-fda-devices/fda-approved", "us-fda-devices/fda-cleared"} <= active


def test_unknown_options_and_values_are_errors_that_name_them():
    with pytest.raises(ConfigError, match=r"pack_options\.us-fda-devices\.pathway: '510' is not one of: 510k, pma"):
        devices("510").ruleset()
    wrong = Config(packs=("us-fda-devices",), pack_options=(("us-fda-devices", (("path", "pma"),)),))
    with pytest.raises(ConfigError, match=r"unknown option 'path' \(options of us-fda-devices: pathway\)"):
        wrong.ruleset()
    typo = Config(packs=("us-fda-devices",), pack_options=(("us-fda-device", (("pathway", "pma"),)),))
    with pytest.raises(ConfigError, match=r"'us-fda-device' is not a pack in use"):
        typo.ruleset()


def test_options_of_a_builtin_pack_not_in_use_are_ignored():
    # A per-path override may use other packs; the options of the config's packs stay valid.
    config = Config(packs=("core",), pack_options=(("us-fda-devices", (("pathway", "pma"),)),))
    assert "core/efficacy-claim" in {rule.id for rule in config.ruleset().active}


def test_a_rule_naming_an_undeclared_option_is_a_broken_pack(tmp_path):
    pack = write(
        tmp_path / "mine.yaml",
        "pack: mine\noptions: {kind: {values: [a, b]}}\nrules:\n"
        "  - id: mine/rule\n    check: claim\n    kind: x\n    severity: info\n    message: m\n"
        "    explanation: e\n    unless_option: {colour: [a]}\n    patterns: [[{LOWER: x}]]\n",
    )
    with pytest.raises(ConfigError, match=r"mine/rule: unless_option: pack 'mine' declares no option 'colour'"):
        Config(packs=(str(pack),)).ruleset()


def test_pack_options_from_a_config_file(workdir, cli):
    write(workdir / "claimcheck.yaml", "packs: [us-fda-devices]\npack_options:\n  us-fda-devices: {pathway: pma}\n")
    config = load_config(workdir / "claimcheck.yaml")
    assert config.pack_options == (("us-fda-devices", (("pathway", "pma"),)),)
    assert config.describe()["pack_options"] == {"us-fda-devices": {"pathway": "pma"}}
    page = write(workdir / "page.md", APPROVED)
    rules = {f["rule"] for f in parse_json(cli("check", "--format", "json", page))["findings"]}
    assert "us-fda-devices/fda-approved" not in rules


def test_a_bad_value_in_the_config_is_one_error_line(workdir, cli):
    write(workdir / "claimcheck.yaml", "packs: [us-fda-devices]\npack_options:\n  us-fda-devices: {pathway: 501k}\n")
    page = write(workdir / "page.md", APPROVED)
    line = assert_one_error_line(cli("check", page))
    assert "pack_options.us-fda-devices.pathway: '501k' is not one of: 510k, pma, de_novo, exempt" in line


def test_pack_options_must_be_a_mapping_of_mappings(workdir, cli):
    write(workdir / "claimcheck.yaml", "pack_options: {us-fda-devices: pma}\n")
    page = write(workdir / "page.md", APPROVED)
    assert "pack_options.us-fda-devices" in assert_one_error_line(cli("check", page))


# --- options in a pack's YAML cases (claimcheck test-pack) -------------------------------------

OPTION_PACK = """\
pack: acme
extends: [core]
options:
  product: {values: [food, medicine]}
rules:
  - id: acme/cure-claim
    check: claim
    kind: disease
    severity: error
    unless_option: {product: [medicine]}
    message: Cure claim.
    patterns:
      - [{LEMMA: cure}, {LOWER: colds}]
    explanation: Why.
"""


def _option_pack(tmp_path, cases: str):
    pack = write(tmp_path / "acme.yaml", OPTION_PACK)
    write(tmp_path / "tests" / "cure-claim.yml", cases)
    return pack


def test_a_case_is_linted_with_its_options(tmp_path):
    from claimcheck.packtest import Runner, collect

    cases = (
        "rule: acme/cure-claim\n"
        "report:\n  - Our tea cures colds.\n  - {text: Our soup cures colds., options: {product: food}}\n"
        "pass:\n  - {text: Our tea cures colds., options: {product: medicine}}\n"
    )
    outcome = Runner().run(collect(str(_option_pack(tmp_path, cases))))
    assert outcome.failures == [] and outcome.ran == 3
    # The same sentence under report and pass is no contradiction when the options differ;
    # with the same options it is.
    broken = "rule: acme/cure-claim\nreport:\n  - Our tea cures colds.\npass:\n  - Our tea cures colds.\n"
    with pytest.raises(ConfigError, match="under pass, and under report"):
        collect(str(_option_pack(tmp_path, broken)))


def test_malformed_case_options_are_a_broken_pack(tmp_path):
    from claimcheck.packtest import collect

    cases = "rule: acme/cure-claim\nreport:\n  - {text: Our tea cures colds., options: medicine}\n"
    with pytest.raises(ConfigError, match=r"report\[0\]\.options: a mapping"):
        collect(str(_option_pack(tmp_path, cases)))
    cases = "rule: acme/cure-claim\npass:\n  - {text: Our tea cures colds., option: {product: food}}\n"
    with pytest.raises(ConfigError, match=r"pass\[0\]: a case is a sentence or a mapping with 'text'"):
        collect(str(_option_pack(tmp_path, cases)))
