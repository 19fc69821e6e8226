"""Configuration: claimcheck.yaml (or [tool.claimcheck] in pyproject.toml), found by walking up from a path."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.packs import RuleSet, load_ruleset, load_yaml, validate

CONFIG_NAMES = ("claimcheck.yaml", ".claimcheck.yaml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
    source: Path | None = None  # the file this came from; None for the defaults
    packs: tuple[str, ...] = ("core",)
    disable: frozenset[str] = frozenset()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = "warning"
    pipeline: str | None = None
    exclude: tuple[str, ...] = field(default=())

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def ruleset(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset()) -> RuleSet:
        """The active rules: the config's packs, less disabled and ignored rules, narrowed to --select."""
        ruleset = _ruleset(self.packs, self.root, self.disable | ignore, self.severity)
        if select:
            unknown = [s for s in select if not any(_matches(rule, s) for rule in ruleset.rules)]
            if unknown:
                raise ConfigError(f"--select: no active rule matches {', '.join(sorted(unknown))}")
            kept = {k: v for k, v in ruleset.rules.items() if any(_matches(k, s) for s in select)}
            ruleset = RuleSet(kept, ruleset.modifiers, ruleset.digest)
        return ruleset

    def excludes(self, path: Path) -> bool:
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return any(
            relative.match(pattern) or relative.as_posix().startswith(pattern.rstrip("/") + "/")
            for pattern in self.exclude
        )


def _matches(rule_id: str, selector: str) -> bool:
    """A selector is a rule id, a pack name ('core') or a prefix ending in '/'."""
    return rule_id == selector or rule_id.startswith(selector.rstrip("/") + "/")


@cache
def _ruleset(
    packs: tuple[str, ...], root: Path, disabled: frozenset[str], severity: tuple[tuple[str, str], ...]
) -> RuleSet:
    return load_ruleset(list(packs), root, disabled, dict(severity))


@cache
def _config_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads((Path(__file__).parent / "schema" / "config.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def load_config(path: Path) -> Config:
    """Read one config file; pyproject.toml without [tool.claimcheck] gives the defaults."""
    if path.name == "pyproject.toml":
        data, node = _read_pyproject(path), None
        if data is None:
            return Config()
    else:
        data, node = load_yaml(path)
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping (packs:, disable:, severity: ...)")
    validate(data, node, path, _config_validator())
    return Config(
        source=path,
        packs=tuple(data.get("packs", ["core"])),
        disable=frozenset(data.get("disable", [])),
        severity=tuple(sorted(data.get("severity", {}).items())),
        fail_on=data.get("fail_on", "warning"),
        pipeline=data.get("pipeline"),
        exclude=tuple(data.get("exclude", [])),
    )


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    return data.get("tool", {}).get("claimcheck")


@cache
def find_config(directory: Path) -> Config:
    """The nearest config at or above a directory; pyproject.toml counts only with [tool.claimcheck]."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                config = load_config(candidate)
                if config.source is not None:
                    return config
    return Config()
