"""Start-up: what a run builds is cached on disk under keys that change with what built it, a
broken entry is rebuilt, and a page where nothing can fire imports as little as it can.

Speed itself is measured in bench/benchmark.py, never here.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimcheck import cache, compiled, packs
from claimcheck.config import Config

# Runs the CLI, then prints which of the modules a no-fire page should not need it imported.
_MODULES_PROBE = """
import sys
from claimcheck.cli import main
try:
    main(sys.argv[1:], prog_name="claimcheck")
except SystemExit as done:
    code = done.code
print("PROBE", code, *(name in sys.modules for name in MODULES))
"""
_HEAVY = ("spacy", "yaml", "importlib.metadata", "jsonschema")


def _probe(args: list[str], cwd: Path, modules: tuple[str, ...] = _HEAVY) -> list[str]:
    source = f"MODULES = {modules!r}\n{_MODULES_PROBE}"
    done = subprocess.run([sys.executable, "-c", source, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[0] == "PROBE", (done.stdout, done.stderr)
    return last[1:]


def test_a_no_fire_page_imports_neither_spacy_nor_yaml_nor_importlib_metadata(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLAIMCHECK_NO_CACHE", raising=False)
    work = tmp_path / "work"  # the current directory is on the search path: the cache is not in it
    work.mkdir()
    page = work / "page.txt"
    page.write_text("Our clinic is open Monday through Friday. Parking is free behind the building.\n")
    assert _probe(["check", "--no-cache", str(page)], work)[0] == "0"  # fills the cache
    assert _probe(["check", "--no-cache", str(page)], work) == ["0", "False", "False", "False", "False"]


def test_a_text_page_imports_no_other_format_s_reader(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    page = tmp_path / "page.txt"
    page.write_text("Our clinic is open Monday through Friday.\n")
    others = ("claimcheck.readers.markdown", "claimcheck.readers.html", "claimcheck.readers.docx", "html.parser")
    assert _probe(["check", "--no-cache", str(page)], tmp_path, others) == ["0", "False", "False", "False", "False"]
    (tmp_path / "page.md").write_text("# Hours\n\nOur clinic is open Monday through Friday.\n")
    assert _probe(["check", "--no-cache", str(tmp_path / "page.md")], tmp_path, others)[:3] == ["0", "True", "False"]


def test_a_config_validated_before_is_not_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLAIMCHECK_NO_CACHE", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    (work / "claimcheck.yaml").write_text("packs: [core]\ndisable: [core/unused-suppression]\n")
    page = work / "page.txt"
    page.write_text("Our clinic is open Monday through Friday.\n")
    assert _probe(["check", "--no-cache", str(page)], work)[-1] == "True"  # validated, and remembered
    assert _probe(["check", "--no-cache", str(page)], work)[-1] == "False"  # jsonschema not imported
    # Any change to the file is validated afresh, and an invalid config is still an error.
    (work / "claimcheck.yaml").write_text("packs: core\n")
    assert _probe(["check", "--no-cache", str(page)], work)[0] == "2"
    assert _probe(["check", "--no-cache", str(page)], work)[0] == "2"


def test_the_probe_sees_yaml_when_the_packs_are_compiled(tmp_path, monkeypatch):
    # The control for the test above: without the cache the packs are parsed from YAML (and the
    # prefilter compiled from spaCy's tokenizer exceptions), and entry points scanned.
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", "1")
    page = tmp_path / "page.txt"
    page.write_text("Our clinic is open Monday through Friday.\n")
    code, _, yaml_imported, metadata_imported, _ = _probe(["check", str(page)], tmp_path)
    assert (code, yaml_imported, metadata_imported) == ("0", "True", "True")


@pytest.mark.parametrize("distribution", ["spacy", "spacy-lookups-data", "click", "PyYAML", "no-such-distribution"])
def test_installed_version_agrees_with_importlib_metadata(distribution):
    try:
        expected = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        expected = ""
    assert cache.installed_version(distribution) == expected


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """An empty cache directory, and no prefilter or installed-pack scan kept in this process."""
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CLAIMCHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(compiled, "_prefilters", {})
    packs._installed.cache_clear()
    yield tmp_path / "cache"
    packs._installed.cache_clear()


def _counting(monkeypatch, module, name: str) -> list[int]:
    """Replace module.name with a wrapper that records each call; the list of calls."""
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _counting_compiler(monkeypatch) -> list[int]:
    return _counting(monkeypatch, compiled, "compile_prefilter")


def test_the_prefilter_is_compiled_once_then_read_from_the_cache(own_cache, monkeypatch):
    calls = _counting_compiler(monkeypatch)
    ruleset = Config().ruleset()
    first = compiled.get_prefilter(ruleset)
    monkeypatch.setattr(compiled, "_prefilters", {})
    assert compiled.get_prefilter(ruleset) == first
    assert len(calls) == 1


def test_a_compiled_entry_of_other_code_is_not_used(own_cache, monkeypatch):
    calls = _counting_compiler(monkeypatch)
    ruleset = Config().ruleset()
    compiled.get_prefilter(ruleset)
    monkeypatch.setattr(compiled, "_prefilters", {})
    monkeypatch.setattr(cache, "code_digest", lambda: "edited-source")  # same version, other code
    compiled.get_prefilter(ruleset)
    assert len(calls) == 2


@pytest.mark.parametrize("garbage", [b"", b"{not json", json.dumps({"sources": [], "value": {"surface": 1}}).encode()])
def test_a_corrupt_compiled_entry_is_rebuilt(own_cache, monkeypatch, garbage):
    ruleset = Config().ruleset()
    first = compiled.get_prefilter(ruleset)
    entries = list((own_cache / "compiled").iterdir())
    assert entries
    for entry in entries:
        entry.write_bytes(garbage)
    monkeypatch.setattr(compiled, "_prefilters", {})
    calls = _counting_compiler(monkeypatch)
    assert compiled.get_prefilter(ruleset) == first
    assert len(calls) == 1


def _spoil(data, how):
    """A real prefilter entry with one value of the wrong kind."""
    word = next(iter(data["surface"]))
    if how == "string requirement":
        data["surface_values"][0][0].append("7")
    elif how == "bool requirement":
        data["triggers"][0].append(True)
    elif how == "empty word":
        data["surface"][""] = data["surface"].pop(word)
    elif how == "string gap":
        data["trigger_gaps"][next(i for i, g in enumerate(data["trigger_gaps"]) if g)][0] = "2"
    elif how == "number flag":
        data["surface_values"][0][1] = 1
    elif how == "short gaps":
        data["trigger_gaps"].pop()
    elif how == "value past the end":
        data["surface"][word] = len(data["surface_values"])
    elif how == "negative value":
        data["surface"][word] = -1
    elif how == "bool value":
        data["surface"][word] = True
    elif how == "string requirements":
        data["surface_values"][0][0] = ""
    elif how == "object requirements":
        data["surface_values"][0][0] = {}
    elif how == "string trigger":
        data["triggers"][0] = "ab"
    elif how == "gated trigger past the end":
        data["gated"]["core/indication-claim"][0].append(len(data["triggers"]))
    elif how == "gated rule without claims":
        data["gated"]["core/indication-claim"] = [[0]]
    elif how == "no words":  # well typed, but the triggers' requirements are met by nothing
        data["surface"], data["surface_values"] = {}, []
    return data


@pytest.mark.parametrize(
    "how",
    [
        "string requirement", "bool requirement", "empty word", "string gap", "number flag", "short gaps",
        "value past the end", "negative value", "bool value", "string requirements", "object requirements",
        "string trigger", "no words", "gated trigger past the end", "gated rule without claims",
    ],
)  # fmt: skip
def test_a_compiled_entry_with_a_wrong_kind_of_value_is_refused(own_cache, how):
    ruleset = Config().ruleset()
    first = compiled.get_prefilter(ruleset)
    assert compiled._prefilter_from_data(compiled._prefilter_to_data(first)) == first
    spoilt = _spoil(json.loads(json.dumps(compiled._prefilter_to_data(first))), how)
    assert compiled._prefilter_from_data(spoilt) is None


def test_a_rule_set_entry_of_other_code_is_not_used(own_cache, monkeypatch):
    compiled_rulesets = _counting(monkeypatch, packs, "_compile_ruleset")
    packs.load_ruleset(["core"])
    packs.load_ruleset(["core"])
    assert len(compiled_rulesets) == 1
    monkeypatch.setattr(cache, "code_digest", lambda: "edited-source")
    packs.load_ruleset(["core"])
    assert len(compiled_rulesets) == 2


@pytest.mark.parametrize("garbage", [[["acme_packs"]], {"x": 1}, [[1, None, "p"]], "core"])
def test_a_wrong_shaped_entry_point_entry_is_scanned_again(own_cache, monkeypatch, garbage):
    expected = packs._entry_points(tuple(sys.path))
    monkeypatch.setattr(cache, "load", lambda namespace, key: garbage)
    assert packs._entry_points(tuple(sys.path)) == expected
    assert "core" in packs.installed_packs()


def test_installing_a_distribution_invalidates_the_entry_point_entry(own_cache, tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    search = tuple(sys.path)
    assert packs._entry_points(search) == packs._entry_points(search)  # the second from the cache
    # A distribution that provides packs appears: its folder's modification time changes.
    (site / "acme_packs").mkdir()
    (site / "acme_packs" / "__init__.py").write_text("")
    info = site / "acme_packs-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-packs\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[claimcheck.packs]\nacme = acme_packs\n")
    stat = os.stat(site)
    os.utime(site, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # even on a coarse clock
    found = packs._entry_points(search)
    assert [module for module, _, _ in found] == ["acme_packs"]
    assert packs._entry_points(search) == found
