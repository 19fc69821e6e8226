"""Which files a run lints: explicit files as given, directories walked for the formats claimcheck reads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimcheck.config import Config, find_config
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
) -> Iterator[Path]:
    """Files to lint: explicit files as given, directories walked for the formats claimcheck reads.

    Files a walk passes over (other formats, excluded by the config) are added to `skipped`;
    directories it cannot read are added to `errors`, as unreadable files are.
    """

    def unreadable(error: OSError) -> None:
        if errors is not None:
            errors.append(f"{error.filename}: cannot read the directory ({error.strerror})")

    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for folder, dirs, files in os.walk(path, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder, name)
                if name.startswith("~$"):  # Word's lock file beside an open document
                    continue
                if Path(name).suffix.lower() not in FORMATS:
                    why = "not a format claimcheck reads"
                elif (config or find_config(candidate.parent)).excludes(candidate):
                    why = "excluded by the config"
                else:
                    yield candidate
                    continue
                if skipped is not None:
                    skipped.append(f"{candidate}: {why}")
