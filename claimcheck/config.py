"""Configuration: claimcheck.yaml (or [tool.claimcheck] in pyproject.toml), found by walking up from a path."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.packs import RuleSet, load_ruleset, load_yaml, matches, validate

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
    suppression_reason: str = "optional"  # "required": inline suppressions must give a reason

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def ruleset(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset()) -> RuleSet:
        """The packs' rules, reporting all but the disabled and ignored ones, narrowed to --select."""
        ruleset = _ruleset(self.packs, self.root, self.severity)
        for flag, selectors in (("disable", self.disable), ("--ignore", ignore), ("--select", select)):
            unknown = sorted(s for s in selectors if not any(matches(rule_id, s) for rule_id in ruleset.rules))
            if unknown:
                where = f" in {self.source}" if flag == "disable" and self.source else ""
                raise ConfigError(f"{flag}{where}: no rule matches {', '.join(unknown)} (run 'claimcheck rules')")
        reported = {
            rule_id
            for rule_id in ruleset.rules
            if not any(matches(rule_id, s) for s in self.disable | ignore)
            and (not select or any(matches(rule_id, s) for s in select))
        }
        return replace(ruleset.selecting(frozenset(reported)), suppression_reason=self.suppression_reason)

    def excludes(self, path: Path) -> bool:
        """Whether a path matches one of the config's exclude globs (relative to the config; ** spans folders)."""
        try:
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return False
        return any(_glob(pattern).fullmatch(relative) for pattern in self.exclude)


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """A gitignore-style glob: '*' within a folder, '**' across folders; a pattern without '/'
    matches a name at any depth, and a pattern that names a folder covers everything in it."""
    anywhere = "/" not in pattern.strip("/")
    regex = ""
    for part in re.split(r"(\*\*/|/\*\*$|\*\*|\*|\?)", pattern.strip("/")):
        regex += {"**/": "(?:.*/)?", "/**": "(?:/.*)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
            part, re.escape(part)
        )
    return re.compile(("(?:.*/)?" if anywhere else "") + regex + "(?:/.*)?")


@cache
def _ruleset(packs: tuple[str, ...], root: Path, severity: tuple[tuple[str, str], ...]) -> RuleSet:
    return load_ruleset(list(packs), root, dict(severity))


@cache
def _config_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads((Path(__file__).parent / "schema" / "config.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def load_config(path: Path) -> Config:
    """Read one config file; pyproject.toml without [tool.claimcheck] gives the defaults."""
    path = path.resolve()
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
        suppression_reason=data.get("suppression_reason", "optional"),
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
