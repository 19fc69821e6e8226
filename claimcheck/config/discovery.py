"""Finding the config for a path: the nearest claimcheck.yaml, .claimcheck.yaml or pyproject.toml
with [tool.claimcheck], walking up from the path's folder."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from claimcheck.config.loading import load_config
from claimcheck.config.model import Config

CONFIG_NAMES = ("claimcheck.yaml", ".claimcheck.yaml", "pyproject.toml")


def find_config(directory: Path) -> Config:
    """The nearest config at or above a directory; pyproject.toml counts only with [tool.claimcheck]."""
    found = _config_file(directory)
    return load_config(found) if found else Config()


@cache
def _config_file(directory: Path) -> Path | None:
    # Which file is remembered per directory (a walk up stats every folder); what it says is not.
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            # os.path.isfile, not Path.is_file: it is False, not PermissionError, in a folder we
            # may not search; the walk goes on upwards and reading the files there reports them.
            if os.path.isfile(candidate) and load_config(candidate).source is not None:
                return candidate
    return None
