"""The pre-commit hook, run the way pre-commit runs it: the manifest's entry, on the files its filters pass."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

identify = pytest.importorskip("identify.identify")

ROOT = Path(__file__).parent.parent
HOOK = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "claimcheck")


def _selected(paths: list[Path]) -> list[Path]:
    """pre-commit's filtering: files, types (all must apply), types_or (any), then exclude."""
    files = re.compile(HOOK.get("files", ""))
    exclude = re.compile(HOOK.get("exclude", "^$"))
    kept = []
    for path in paths:
        tags = identify.tags_from_path(str(path))
        if not files.search(str(path)) or exclude.search(path.name) or not set(HOOK.get("types", [])) <= tags:
            continue
        if HOOK.get("types_or") and not set(HOOK["types_or"]) & tags:
            continue
        kept.append(path)
    return kept


def _run_hook(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    entry = shlex.split(HOOK["entry"])
    assert entry[0] == "claimcheck"
    command = [sys.executable, "-m", "claimcheck", *entry[1:], *(str(f) for f in files)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_manifest_passes_exactly_the_formats_claimcheck_reads():
    from claimcheck.documents import FORMATS

    assert HOOK["language"] == "python"
    files = re.compile(HOOK["files"])
    for suffix in [*FORMATS, ".docx"]:
        assert files.search(f"content/page{suffix}"), suffix
    for other in ("setup.py", "data.json", "config.yaml", "logo.png"):
        assert not files.search(other), other


def test_hook_fails_on_a_bad_document_and_passes_on_a_good_one(tmp_path):
    bad = tmp_path / "offer.md"
    bad.write_text("# Knee pain?\n\nOur laser therapy eliminates knee pain for good.*\n", encoding="utf-8")
    good = tmp_path / "visit.md"
    good.write_text("# Visiting us\n\nParking is free. Bring your insurance card.\n", encoding="utf-8")
    script = tmp_path / "build.py"
    script.write_text("# cures everything, guaranteed\n", encoding="utf-8")
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("Cures everything, guaranteed.\n", encoding="utf-8")

    selected = _selected([bad, good, script, image, changelog])
    assert selected == [bad, good]  # code, images and the changelog never reach the hook

    failing = _run_hook(selected, tmp_path)
    assert failing.returncode == 1, failing.stderr
    assert "offer.md:3:" in failing.stdout
    passing = _run_hook([good], tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
