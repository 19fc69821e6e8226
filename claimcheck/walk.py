"""Which files a run lints: explicit files as given, directories walked for the formats claimcheck reads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimcheck.config import Config, find_config
from claimcheck.ignorefiles import IgnoreFiles
from claimcheck.readers import FORMATS

# Directories never worth walking into.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache", "site-packages"}
)


def discover(
    paths: Iterable[Path],
    config: Config | None = None,
    skipped: list[str] | None = None,
    errors: list[str] | None = None,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
) -> Iterator[Path]:
    """Files to lint: explicit files as given, directories walked for the formats claimcheck reads.

    Files a walk passes over (other formats, excluded by the config, ignored by a `.gitignore`
    or `.ignore` unless `respect_gitignore` is off) are added to `skipped`; directories it
    cannot read are added to `errors`, as unreadable files are. With `force_exclude`, explicit
    files the config excludes are passed over too (pre-commit and editors name files).
    """

    def unreadable(error: OSError) -> None:
        if errors is not None:
            errors.append(f"{error.filename}: cannot read the directory ({error.strerror})")

    for path in paths:
        # os.path.isdir, not Path.is_dir: a path in a folder we may not search is False, not
        # PermissionError, so it is read as a file and reported in one line.
        if not os.path.isdir(path):
            if (
                force_exclude
                and str(path) != "-"
                and (config or find_config(path.absolute().parent.resolve())).excludes(path)
            ):
                if skipped is not None:
                    skipped.append(f"{path}: excluded by the config")
                continue
            yield path
            continue
        ignores = IgnoreFiles.above(path) if respect_gitignore else None
        for folder, dirs, files in os.walk(path, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            if ignores is not None:
                ignores.enter(Path(folder), set(files))
                dirs[:] = [d for d in dirs if not _ignored(ignores, Path(folder, d), True, skipped)]
            for name in sorted(files):
                candidate = Path(folder, name)
                if name.startswith("~$"):  # Word's lock file beside an open document
                    continue
                if Path(name).suffix.lower() not in FORMATS:
                    why = "not a format claimcheck reads"
                elif (config or find_config(candidate.parent)).excludes(candidate):
                    why = "excluded by the config"
                elif ignores is not None and (source := ignores.ignoring(candidate, False)) is not None:
                    why = f"ignored by {source}"
                else:
                    yield candidate
                    continue
                if skipped is not None:
                    skipped.append(f"{candidate}: {why}")


def _ignored(ignores: IgnoreFiles, folder: Path, is_dir: bool, skipped: list[str] | None) -> bool:
    """Whether an ignore file covers a folder (then it is not entered; --verbose says which file)."""
    source = ignores.ignoring(folder, is_dir)
    if source is not None and skipped is not None:
        skipped.append(f"{folder}{os.sep}: ignored by {source}")
    return source is not None
