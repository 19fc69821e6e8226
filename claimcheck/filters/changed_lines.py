"""--changed-since: which lines of which files changed since a git revision.

One `git diff --unified=0 REF` per repository (against the working tree, so staged and
unstaged edits count), read for the new side of every hunk. Untracked or ignored files, and
files outside any repository when others are in one, are new as a whole: every line counts as
changed. When no file is in a repository, REF means nothing: that is an error.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from claimcheck.errors import ClaimcheckError
from claimcheck.findings import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class ChangedLines:
    """Changed line numbers per file since `ref`; None for a file that is new as a whole."""

    def __init__(self, ref: str) -> None:
        if shutil.which("git") is None:
            raise ClaimcheckError("--changed-since needs git, and git is not installed (or not on PATH)")
        if not ref or ref.startswith("-"):  # never let a "ref" become a git option
            raise ClaimcheckError(f"--changed-since: '{ref}' is not a git revision")
        self.ref = ref
        self._toplevels: dict[Path, Path | None] = {}
        self._repos: dict[Path, tuple[frozenset[str], dict[str, set[int]]]] = {}

    def verify(self, paths: Iterable[Path]) -> None:
        """Fail early, before linting, when REF is not a commit in a repository a path is in,
        or when no path is in a repository at all: there is nothing it could have changed since,
        and reporting every line would hide the mistake (a run from the wrong folder)."""
        outside = None
        for path in paths:
            top = self._toplevel(path if os.path.isdir(path) else path.parent)  # never PermissionError
            if top is None:
                outside = outside or path
            else:
                self._repo(top)
        if outside is not None and not self._repos:
            raise ClaimcheckError(f"--changed-since: {outside} is not in a git repository")

    def lines(self, path: str) -> set[int] | None:
        folder, name = os.path.split(os.path.abspath(path))
        top = self._toplevel(Path(folder))
        if top is None:
            return None
        tracked, changed = self._repo(top)
        relative = (Path(os.path.realpath(folder)) / name).relative_to(top).as_posix()
        if relative not in tracked:
            return None
        return changed.get(relative, set())

    def keep(self, finding: Finding) -> bool:
        """Whether a finding touches a changed line."""
        lines = self.lines(finding.path)
        return lines is None or any(line in lines for line in range(finding.line, finding.end_line + 1))

    def _toplevel(self, folder: Path) -> Path | None:
        folder = Path(os.path.realpath(folder))
        if folder not in self._toplevels:
            done = _git(folder, "rev-parse", "--show-toplevel", check=False)
            top = done.stdout.rstrip("\n") if done.returncode == 0 else ""
            self._toplevels[folder] = Path(os.path.realpath(top)) if top else None
        return self._toplevels[folder]

    def _repo(self, top: Path) -> tuple[frozenset[str], dict[str, set[int]]]:
        if top not in self._repos:
            verified = _git(top, "rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}", check=False)
            if verified.returncode != 0:
                raise ClaimcheckError(f"--changed-since: '{self.ref}' is not a commit in the git repository {top}")
            tracked = frozenset(_git(top, "ls-files", "-z", "--full-name").stdout.split("\0")) - {""}
            diff = _git(
                top,
                *("-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--unified=0"),
                *("--src-prefix=a/", "--dst-prefix=b/", self.ref, "--"),
            ).stdout
            self._repos[top] = (tracked, changed_lines(diff))
        return self._repos[top]


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except OSError as error:
        raise ClaimcheckError(f"--changed-since: cannot run git ({error.strerror})") from None
    if check and done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise ClaimcheckError(f"--changed-since: git {args[0]} in {cwd}: {message}")
    return done


def changed_lines(diff: str) -> dict[str, set[int]]:
    """The new-side line numbers of every hunk in a `git diff --unified=0` patch, per path."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    remaining = 0  # body lines left in the current hunk, which may look like headers ("+++ b/x")
    for line in diff.split("\n"):
        if remaining:
            if line[:1] in ("+", "-"):
                remaining -= 1
            continue
        if line.startswith("+++ "):
            name = line[4:].rstrip("\t")  # git appends a tab to names with spaces
            if name.startswith('"'):
                name = codecs.escape_decode(name[1:-1].encode("utf-8", "surrogateescape"))[0].decode(
                    "utf-8", "surrogateescape"
                )
            current = changed.setdefault(name[2:], set()) if name.startswith("b/") else None
        elif hunk := _HUNK.match(line):
            old_count, start, new_count = hunk.groups()
            count = 1 if new_count is None else int(new_count)
            if current is not None:
                current.update(range(int(start), int(start) + count))
            remaining = (1 if old_count is None else int(old_count)) + count
    return changed
