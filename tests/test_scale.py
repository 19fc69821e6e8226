"""Linting many files: --jobs, the result cache, baselines and --changed-since."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import TEXT_FINDING, assert_one_error_line, parse_json, write

from claimcheck import engine as lint

CLAIMS = [
    "Our formula cures arthritis.",
    "This device eliminates sciatica.",
    "Guaranteed results with no side effects.",
    "Clinically proven to restore cartilage.",
]


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty result cache per test, so what one test lints never answers another."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", str(cache))
    monkeypatch.delenv("CLAIMCHECK_NO_CACHE", raising=False)
    return cache


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths lint_document is called for in this process (cache hits and worker processes never call it)."""
    calls: list[str] = []
    original = lint.lint_document

    def counting(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(document.path)
        return original(document, *args, **kwargs)

    monkeypatch.setattr(lint, "lint_document", counting)
    return calls


def make_tree(root: Path, count: int = 40) -> list[Path]:
    """Small documents in nested folders: claims, hedged copy, footnotes, one clean page in five."""
    files = []
    for index in range(count):
        folder = root / f"section-{index % 4}" / ("deep" if index % 3 == 0 else "")
        lines = [f"# Page {index}", ""]
        if index % 5:
            lines += [CLAIMS[index % len(CLAIMS)], "", f"Patients may feel better after {index} weeks.^", ""]
        else:
            lines += ["Acupuncture may help some people with back pain.", ""]
        files.append(write(folder / f"page-{index:02d}.{'md' if index % 2 else 'txt'}", "\n".join(lines)))
    return files


def findings(result) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return [(f["path"], f["line"], f["rule"]) for f in parse_json(result)["findings"]]


# --- --jobs ------------------------------------------------------------------------------------


def test_jobs_2_output_is_byte_identical_to_jobs_1(cli, workdir, linted, monkeypatch):
    make_tree(workdir / "site")
    (workdir / "site" / "broken.md").write_bytes(b"\x00\x01binary")
    monkeypatch.setattr(lint, "MIN_CHARS_PER_JOB", 0)  # the tree is small; use processes anyway
    for output_format in ("text", "json"):
        one = cli("check", "--no-cache", "--jobs", "1", "--format", output_format, "site")
        in_process = len(linted)
        two = cli("check", "--no-cache", "--jobs", "2", "--format", output_format, "site")
        assert in_process == 40 and len(linted) == 40, "--jobs 2 must lint in worker processes"
        linted.clear()
        assert one.exit_code == two.exit_code == 2  # the binary file is an error either way
        assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len(findings(two)) > 40


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_are_linted_as_the_tree_is_read_and_only_flagged_texts_are_kept(workdir, monkeypatch, jobs):
    make_tree(workdir / "site")
    write(workdir / "site" / "hours.txt", "Our office opens at nine.\n")
    whole = lint.lint_paths([Path("site")])
    monkeypatch.setattr(lint, "MIN_CHARS_PER_JOB", 0)
    monkeypatch.setattr(lint, "CHUNK_CHARS", 100)  # a chunk a page or two, sent while others are read
    monkeypatch.setattr(lint, "QUEUED_CHUNKS", 1)  # reading waits for the workers
    result = lint.lint_paths([Path("site")], jobs=jobs)
    assert result.findings == whole.findings and result.paths == whole.paths
    # A large tree is not held whole: only the texts the findings point into are kept.
    assert set(result.texts) == {f.path for f in result.findings} and "site/hours.txt" not in result.texts
    assert all(text == Path(path).read_text(encoding="utf-8") for path, text in result.texts.items())


@pytest.mark.parametrize(("asked", "cpus", "workers"), [(32, 2, 2), (2, 8, 2), (4, 1, 1), (1, 8, 1)])
def test_workers_are_at_most_one_per_usable_cpu(monkeypatch, asked, cpus, workers):
    # -j 32 on 2 CPUs started 32 workers (3.9 GB), slower than 2.
    monkeypatch.setattr(lint, "usable_cpus", lambda: cpus)
    linter = lint._Linter(frozenset(), frozenset(), False, asked, None)
    assert linter.jobs == workers and linter.here == (workers == 1)


def test_the_pool_is_started_with_the_capped_number_of_workers(workdir, monkeypatch):
    make_tree(workdir / "site")
    started: list[int] = []
    monkeypatch.setattr(lint, "usable_cpus", lambda: 2)
    monkeypatch.setattr(lint, "MIN_CHARS_PER_JOB", 0)
    monkeypatch.setattr(lint, "_start_pool", lambda jobs: started.append(jobs))  # None: lint here
    result = lint.lint_paths([Path("site")], jobs=32)
    assert started == [2] and len(result.paths) == 40


def test_few_files_are_linted_in_process(cli, workdir, linted):
    make_tree(workdir / "site", count=3)
    result = cli("check", "--no-cache", "--jobs", "2", "site")
    assert result.exit_code == 1 and len(linted) == 3


def test_lint_paths_default_stays_in_process_and_uncached(workdir, linted, own_cache):
    make_tree(workdir / "site", count=6)
    result = lint.lint_paths([Path("site")])
    assert result.files == 6 and len(linted) == 6 and not (own_cache / "results").exists()


# --- result cache ------------------------------------------------------------------------------


def test_unchanged_tree_is_served_from_the_cache(cli, workdir, linted, own_cache):
    make_tree(workdir / "site")
    first = cli("check", "--jobs", "1", "site")
    assert len(linted) == 40
    assert len(list((own_cache / "results").iterdir())) == 40
    linted.clear()
    second = cli("check", "--jobs", "1", "site")
    assert linted == [] and second.stdout == first.stdout and second.exit_code == first.exit_code == 1


def test_cache_sees_edits_and_rule_selection(cli, workdir, linted):
    files = make_tree(workdir / "site", count=4)
    cli("check", "--jobs", "1", "site")
    linted.clear()
    write(files[1], files[1].read_text() + "\nIt reverses diabetes.\n")
    cli("check", "--jobs", "1", "site")
    assert linted == [str(files[1].relative_to(workdir))]
    linted.clear()
    narrowed = cli("check", "--jobs", "1", "--select", "core/absolute-claim", "--format", "json", "site")
    assert len(linted) == 4 and {rule for _, _, rule in findings(narrowed)} == {"core/absolute-claim"}


def test_cached_findings_are_reported_under_the_path_given(cli, workdir, linted):
    make_tree(workdir / "site", count=4)
    first = findings(cli("check", "--jobs", "1", "--format", "json", "site"))
    shutil.copytree(workdir / "site", workdir / "copy")
    linted.clear()
    again = findings(cli("check", "--jobs", "1", "--format", "json", "./copy"))
    assert linted == []  # same contents: every file answered by the cache
    assert again == [(str(Path("copy", *Path(p).parts[1:])), line, rule) for p, line, rule in first]


def test_no_cache_flag_and_environment_bypass_the_cache(cli, workdir, linted, own_cache, monkeypatch):
    make_tree(workdir / "site", count=4)
    cli("check", "--jobs", "1", "site")
    linted.clear()
    cli("check", "--jobs", "1", "--no-cache", "site")
    assert len(linted) == 4
    linted.clear()
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", "1")
    cli("check", "--jobs", "1", "site")
    assert len(linted) == 4
    shutil.rmtree(own_cache)
    cli("check", "--jobs", "1", "--no-cache", "site")
    assert not (own_cache / "results").exists()


# --- baselines ---------------------------------------------------------------------------------

LEGACY = "# Our clinic\n\nOur formula cures arthritis.\n\nCall us today.\n"


def test_a_version_1_baseline_is_still_read_and_matched(cli, workdir):
    """Version 1 hashed each finding's line itself into its fingerprint; its files keep working."""
    from claimcheck.engine import lint_paths
    from claimcheck.filters.baseline import fingerprint

    write(workdir / "content" / "page.md", LEGACY)
    result = lint_paths([Path("content")])
    entries = fingerprint(result.findings, workdir, result.texts, version=1)
    assert entries != fingerprint(result.findings, workdir, result.texts)
    findings = [{"path": e.path, "rule": e.rule, "excerpt": e.excerpt, "fingerprint": e.fingerprint} for e in entries]
    (workdir / "old.json").write_text(json.dumps({"version": 1, "findings": findings}))
    assert cli("check", "--baseline", "old.json", "content").exit_code == 0
    write(workdir / "content" / "page.md", LEGACY + "\nOur formula cures gout.\n")
    assert cli("check", "--baseline", "old.json", "content").exit_code == 1


def test_baseline_suppresses_recorded_findings_after_a_line_shift(cli, workdir):
    page = write(workdir / "content" / "page.md", LEGACY)
    created = cli("baseline", "create", "baseline.json", "content")
    assert created.exit_code == 0, created.output
    data = json.loads((workdir / "baseline.json").read_text())
    assert data["version"] == 2 and data["findings"]
    assert [e["path"] for e in data["findings"]] == ["content/page.md"] * len(data["findings"])
    assert data["findings"] == sorted(data["findings"], key=lambda e: (e["path"], e["rule"], e["excerpt"]))

    assert cli("check", "--baseline", "baseline.json", "content").exit_code == 0
    # Unrelated edits above the claim move it down three lines; a new claim arrives at the end.
    moved = "# Our clinic\n\nNew intro.\n\nMore intro.\n\n" + LEGACY.split("\n", 2)[2]
    write(page, moved + "\nIt reverses diabetes.\n")
    result = cli("check", "--baseline", "./baseline.json", "--format", "json", "./content")
    assert result.exit_code == 1
    assert [(f["line"], f["excerpt"]) for f in parse_json(result)["findings"]] == [(11, "reverses diabetes")]
    assert result.stderr == ""


def test_stale_baseline_entries_are_listed_without_failing(cli, workdir):
    page = write(workdir / "page.md", LEGACY + "\nOur formula cures arthritis.\n")
    cli("baseline", "create", "baseline.json", "page.md")
    entries = json.loads((workdir / "baseline.json").read_text())["findings"]
    efficacy = [e for e in entries if e["rule"] == "core/efficacy-claim"]
    assert [e["excerpt"] for e in efficacy] == ["cures arthritis"] * 2  # told apart by occurrence
    write(page, LEGACY)  # one of the two identical claims fixed
    result = cli("check", "--baseline", "baseline.json", "page.md")
    assert result.exit_code == 0, result.output
    stale = result.stderr.splitlines()
    assert len(stale) == 2
    assert stale[0].startswith("claimcheck: stale baseline entry: page.md: core/efficacy-claim 'cures arthritis'")
    assert stale[1].startswith("claimcheck: 1 stale baseline entry in baseline.json")
    assert not any(TEXT_FINDING.match(line) for line in result.stdout.splitlines())


def test_baseline_entries_of_a_file_now_clean_are_stale(cli, workdir):
    write(workdir / "a.md", LEGACY)
    page = write(workdir / "b.md", "It reverses diabetes.\n")
    cli("baseline", "create", "baseline.json", ".")
    write(page, "Our office opens at nine.\n")
    result = cli("check", "--baseline", "baseline.json", ".")
    assert result.exit_code == 0, result.output
    assert "stale baseline entry: b.md: core/efficacy-claim 'reverses diabetes'" in result.stderr


def test_baseline_entries_for_files_not_linted_are_not_stale(cli, workdir):
    write(workdir / "a.md", LEGACY)
    write(workdir / "b.md", "It reverses diabetes.\n")
    cli("baseline", "create", "baseline.json", ".")
    result = cli("check", "--baseline", "baseline.json", "a.md")
    assert result.exit_code == 0 and result.stderr == ""


def test_missing_or_broken_baseline_is_one_error_line(cli, workdir):
    write(workdir / "page.md", LEGACY)
    assert "no such baseline file" in assert_one_error_line(cli("check", "--baseline", "nope.json", "page.md"))
    write(workdir / "bad.json", "{not json")
    assert "not a claimcheck baseline" in assert_one_error_line(cli("check", "--baseline", "bad.json", "page.md"))
    special = assert_one_error_line(cli("check", "--baseline", "/dev/null", "page.md"))
    assert "cannot read the baseline: /dev/null: not a regular file" in special and "linted" not in special


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"version": 1, "findings": [{"path": 1, "rule": [], "excerpt": null, "fingerprint": {}}]}', "as text"),
        ('{"version": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}", "not a claimcheck baseline"),
        ('{"version": 1' + "0" * 5000 + ', "findings": []}', "not a claimcheck baseline"),
        ('{"version": "1", "findings": []}', "version '1' is not supported"),
        ('{"version": true, "findings": []}', "version True is not supported"),
        ('{"version": 1, "findings": {}}', "expected version and findings"),
        ("[]", "expected version and findings"),
    ],
)
def test_a_malformed_baseline_is_one_error_line(cli, workdir, content, said):
    """Each of these was an internal error or was taken silently (found by a hostile-input sweep)."""
    write(workdir / "page.md", LEGACY)
    write(workdir / "bad.json", content)
    line = assert_one_error_line(cli("check", "--baseline", "bad.json", "page.md"))
    assert said in line and "internal error" not in line


# --- --changed-since ---------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """workdir as a git repository with LEGACY committed as page.md."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(workdir.parent / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")
    write(workdir / "page.md", LEGACY)
    git(workdir, "init", "-q")
    git(workdir, "add", "page.md")
    git(workdir, "commit", "-q", "-m", "legacy")
    return workdir


def test_changed_since_reports_only_changed_lines(cli, repo):
    moved = "# Our clinic\n\nA new intro line.\n\n" + LEGACY.split("\n", 2)[2]
    write(repo / "page.md", moved + "\nIt reverses diabetes.\n")
    write(repo / "untracked.md", "This device eliminates sciatica.\n")
    result = cli("check", "--changed-since", "HEAD", "--format", "json", ".")
    assert result.exit_code == 1, result.output
    reported = {(f["path"], f["excerpt"]) for f in parse_json(result)["findings"]}
    assert ("page.md", "reverses diabetes") in reported
    assert ("untracked.md", "eliminates sciatica") in reported  # not in git: everything counts
    assert not any("arthritis" in excerpt for _, excerpt in reported)  # only moved, not changed
    everything = {(f["path"], f["excerpt"]) for f in parse_json(cli("check", "--format", "json", "."))["findings"]}
    assert reported < everything


def test_changed_since_with_a_baseline_lists_nothing_stale(cli, repo):
    cli("baseline", "create", "baseline.json", "page.md")
    result = cli("check", "--changed-since", "HEAD", "--baseline", "baseline.json", "page.md")
    assert result.exit_code == 0 and result.stderr == ""


def test_changed_since_a_bad_ref_is_one_error_line(cli, repo):
    line = assert_one_error_line(cli("check", "--changed-since", "no-such-branch", "."))
    assert "no-such-branch" in line
    assert_one_error_line(cli("check", "--changed-since", "--output=x", "."))


def test_changed_since_outside_any_repository_is_one_error_line(cli, workdir):
    # Nothing can have changed "since HEAD" where there is no repository: reporting every line,
    # as it did, hid a run from the wrong folder.
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    write(workdir / "page.md", LEGACY)
    line = assert_one_error_line(cli("check", "--changed-since", "HEAD", "page.md"))
    assert "page.md is not in a git repository" in line


def test_changed_since_without_git_is_one_error_line(cli, workdir, monkeypatch):
    write(workdir / "page.md", LEGACY)
    monkeypatch.setenv("PATH", str(workdir))
    assert "needs git" in assert_one_error_line(cli("check", "--changed-since", "HEAD", "page.md"))


def test_changed_lines_parses_hunks_and_header_lookalikes():
    from claimcheck.filters.changed_lines import changed_lines

    diff = "\n".join(
        [
            "diff --git a/x.md b/x.md",
            "--- a/x.md",
            "+++ b/x.md",
            "@@ -1,0 +2,2 @@",
            "+++ b/not-a-header.md",
            "+second",
            "@@ -9 +10,0 @@",
            "-deleted",
            "@@ -20 +20 @@",
            "-old",
            "+new",
            "diff --git a/gone.md b/gone.md",
            "--- a/gone.md",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-bye",
            '+++ "b/sp\\303\\251cial \\"q\\".md"',
            "@@ -0,0 +1 @@",
            "+hi",
        ]
    )
    assert changed_lines(diff) == {"x.md": {2, 3, 20}, 'spécial "q".md': {1}}
