"""Configuration: claimcheck.yaml (or [tool.claimcheck] in pyproject.toml), found by walking up from a path.

model: the Config and its overrides; loading: one file, validated, with what it extends;
discovery: which file applies to a path. Loaded configs and rule sets are cached by the
(mtime, size) of the files they came from, so a long-running process sees edits.
"""

from __future__ import annotations

from claimcheck.config import discovery, loading, model
from claimcheck.config.discovery import CONFIG_NAMES, find_config
from claimcheck.config.loading import load_config
from claimcheck.config.model import DEFAULT_FRONT_MATTER_FIELDS, Config, Override

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_FRONT_MATTER_FIELDS",
    "Config",
    "Override",
    "find_config",
    "forget_configs",
    "load_config",
]


def forget_configs() -> None:
    """Find and load configs and rule sets afresh (a config file was created, deleted or changed)."""
    discovery._config_file.cache_clear()
    loading._loaded.clear()
    model._ruleset.cache_clear()
