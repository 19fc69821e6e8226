"""Third-party packs: installed as Python packages, registered under the `claimcheck.packs` entry
point group, named in `packs:` and `extends:` like the built-in ones, tested with `test-pack`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_one_error_line, write

from claimcheck.errors import ConfigError
from claimcheck.packs import load_ruleset, pack_names, pack_source

EXAMPLE = Path(__file__).parent.parent / "examples" / "third-party-pack"
PACK = "cosmetic-drug-claims"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project installed offline, by pip with the hatchling already here, into a folder
    that goes on PYTHONPATH: the dist-info there is what importlib.metadata reads entry points from."""
    pytest.importorskip("hatchling")
    site = tmp_path_factory.mktemp("site")
    offline = ["--quiet", "--no-index", "--no-build-isolation", "--no-deps"]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", *offline, "--target", str(site), str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (site / "claimcheck_cosmetics" / f"{PACK}.yaml").is_file()
    return site


_PROBE = """
import sys
from claimcheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    print("EXIT", exit.code, "spacy" in sys.modules)
"""


def _claimcheck(site: Path, cwd: Path, *args: str) -> tuple[int, str, bool]:
    """Run the CLI in a fresh process that sees the installed package: exit code, output, and
    whether spaCy was imported."""
    env = {**os.environ, "PYTHONPATH": str(site), "CLAIMCHECK_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    output, _, last = done.stdout.rstrip().rpartition("\n")
    _, code, spacy = last.split()
    return int(code), output + done.stderr, spacy == "True"


def test_an_installed_pack_is_named_like_a_builtin_one(installed, tmp_path):
    write(tmp_path / "claimcheck.yaml", f"packs: [core, {PACK}]\n")
    write(tmp_path / "page.md", "Our tea tree gel treats acne overnight.\n\nThis serum may help regenerate cells.\n")
    code, output, _ = _claimcheck(installed, tmp_path, "check", "--format", "json", "page.md")
    assert code == 1, output
    assert '"rule": "cosmetic-drug-claims/skin-disease"' in output
    # The pack extends core by name across providers, so core's hedges reach its claims.
    assert "structure-function" not in output


def test_rules_and_explain_show_pack_citation_and_shipped_fixtures_without_spacy(installed, tmp_path):
    write(tmp_path / "claimcheck.yaml", f"packs: [{PACK}]\n")
    code, output, spacy = _claimcheck(installed, tmp_path, "rules")
    assert code == 0 and not spacy, output
    line = next(line for line in output.splitlines() if line.startswith(f"{PACK}/skin-disease"))
    assert f"  {PACK}  " in line and "[FDA: Is It a Cosmetic, a Drug, or Both? (Or Is It Soap?)]" in line
    code, output, spacy = _claimcheck(installed, tmp_path, "explain", "skin-disease")
    assert code == 0 and not spacy, output
    assert f"Pack: {PACK}." in output
    assert "See: FD&C Act section 201(g)(1)(B)" in output
    shipped = installed / "claimcheck_cosmetics" / "tests" / PACK / "skin-disease.yml"
    assert f"Fixture cases ({shipped}):" in output
    reported, passing = output.split(f"Fixture cases ({shipped}):")[1].split("Not reported:")
    assert "- Try our rosacea remedy today." in reported
    assert "- Does this balm cure eczema?" in passing


def test_test_pack_runs_an_installed_pack_with_its_shipped_fixtures(installed, tmp_path):
    code, output, _ = _claimcheck(installed, tmp_path, "test-pack", PACK)
    assert code == 0, output
    assert f"{PACK}: 2 rules, 22 cases, all passed" in output


def test_without_the_package_the_name_is_unknown(tmp_path):
    assert PACK not in pack_names()
    with pytest.raises(ConfigError, match=f"unknown pack '{PACK}'"):
        pack_source(PACK)


# --- providers declared by hand: a dist-info folder on sys.path is an installed distribution ------


def _provider(site: Path, dist: str, package: str, packs: dict[str, str], value: str | None = None) -> None:
    """A distribution providing packs; each test names its own package (imported ones stay in sys.modules)."""
    write(site / package / "__init__.py", "")
    for name, text in packs.items():
        write(site / package / f"{name}.yaml", text)
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    write(info / "METADATA", f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    write(info / "entry_points.txt", f"[claimcheck.packs]\n{dist} = {value or package}\n")


ACME = """\
pack: acme
extends: [core]
rules:
  - id: acme/knee-claim
    check: claim
    kind: efficacy
    severity: warning
    message: Knee claim.
    explanation: Why.
    patterns: [[{LEMMA: rebuild}, {LOWER: knees}]]
"""


def test_a_local_pack_extends_an_installed_one_by_name(tmp_path, monkeypatch):
    _provider(tmp_path / "site", "acme-packs", "acme_packs", {"acme": ACME})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    mine = write(tmp_path / "mine.yaml", ACME.replace("acme", "mine").replace("[core]", "[acme]"))
    ruleset = load_ruleset([str(mine)])
    assert {"acme/knee-claim", "mine/knee-claim", "core/efficacy-claim"} <= set(ruleset.rules)
    assert ruleset.rules["acme/knee-claim"].source == str(tmp_path / "site" / "acme_packs" / "acme.yaml")


def test_two_providers_of_one_name_are_named_both(tmp_path, monkeypatch, cli, workdir):
    _provider(tmp_path / "site", "acme-packs", "acme_packs", {"acme": ACME})
    _provider(tmp_path / "site", "other-packs", "other_packs", {"acme": ACME})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    write(workdir / "claimcheck.yaml", "packs: [acme]\n")
    line = assert_one_error_line(cli("rules"))
    assert "pack 'acme' is provided twice, by acme-packs 1.0 (entry point 'acme-packs = acme_packs')" in line
    assert "and other-packs 1.0 (entry point 'other-packs = other_packs')" in line


def test_an_installed_pack_named_like_a_builtin_one_is_a_clash(tmp_path, monkeypatch, cli, workdir):
    _provider(tmp_path / "site", "acme-packs", "acme_core_packs", {"core": ACME.replace("acme", "core")})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    write(workdir / "claimcheck.yaml", "packs: [core]\n")
    line = assert_one_error_line(cli("rules"))
    assert "pack 'core' is provided twice, by claimcheck (built-in) and acme-packs 1.0" in line


def test_an_installed_pack_file_holds_the_pack_it_is_named_after(tmp_path, monkeypatch):
    _provider(tmp_path / "site", "acme-packs", "acme_knee_packs", {"acme-knees": ACME})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with pytest.raises(ConfigError, match=r"acme-knees.yaml:1: pack: 'acme' must be 'acme-knees'"):
        load_ruleset(["acme-knees"])


def test_an_entry_point_naming_an_object_is_refused_when_its_packs_are_named(tmp_path, monkeypatch):
    _provider(tmp_path / "site", "acme-packs", "acme_object", {"acme": ACME}, value="acme_object:PACKS")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with pytest.raises(ConfigError, match=r"unknown pack 'acme'.*entry point names a package, not an object"):
        load_ruleset(["acme"])


def test_a_broken_installed_package_does_not_stop_runs_that_do_not_name_its_packs(tmp_path, monkeypatch):
    _provider(tmp_path / "site", "acme-packs", "acme_missing", {"acme": ACME}, value="no_such_module")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert "core/efficacy-claim" in load_ruleset(["core"]).rules
    with pytest.raises(ConfigError, match=r"unknown pack 'acme'.*cannot import the package of rule packs"):
        load_ruleset(["acme"])
