"""Configuration: claimcheck.yaml (or [tool.claimcheck] in pyproject.toml), found by walking up from a path.

Precedence, highest first: command-line flags; the config file in use; the configs it
`extends` (a later entry over an earlier one, each over its own `extends`); the packs' own
defaults. A setting named in a config replaces the inherited one, except `severity`, which
is merged rule by rule, and `overrides`, which are appended (the inherited ones first).
Per-path `overrides` apply on top of the settings of the config that holds them, in order.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck.errors import ConfigError
from claimcheck.packs import RuleSet, line_of, load_ruleset, load_yaml, matches, resolve_pack, validate

CONFIG_NAMES = ("claimcheck.yaml", ".claimcheck.yaml", "pyproject.toml")
DEFAULT_FRONT_MATTER_FIELDS = ("title", "description")


@dataclass(frozen=True)
class Override:
    """One entry of `overrides:`: settings for the files its globs match (relative to the config's folder)."""

    files: tuple[str, ...]
    origin: str  # "<config file>: overrides[<index>]", for messages and `claimcheck config`
    packs: tuple[str, ...] | None = None  # replaces the packs
    disable: frozenset[str] = frozenset()  # added to the disabled rules
    severity: tuple[tuple[str, str], ...] = ()  # merged over the severities, rule by rule

    def matches(self, relative: str) -> bool:
        return any(_glob(pattern).fullmatch(relative) for pattern in self.files)


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
    front_matter_fields: tuple[str, ...] = DEFAULT_FRONT_MATTER_FIELDS  # Markdown front matter linted as prose
    html_skip: tuple[str, ...] = ()  # HTML elements not linted, besides script/style/code (e.g. nav, footer)
    overrides: tuple[Override, ...] = ()
    sources: tuple[Path, ...] = ()  # source, then the configs it extends, highest precedence first
    applied: tuple[str, ...] = ()  # origins of the overrides for_path applied

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def for_path(self, path: Path) -> Config:
        """The effective config for one file: the overrides whose globs match it, applied in order."""
        relative = self._relative(path)
        matching = [o for o in self.overrides if relative is not None and o.matches(relative)]
        if not matching:
            return replace(self, overrides=()) if self.overrides else self
        packs, disable, severity = self.packs, set(self.disable), dict(self.severity)
        for override in matching:
            packs = override.packs or packs
            disable |= override.disable
            severity.update(override.severity)
        return replace(
            self,
            packs=packs,
            disable=frozenset(disable),
            severity=tuple(sorted(severity.items())),  # sorted: a rule id's severity wins over its pack's
            overrides=(),  # resolved for this file; the result does not apply them again
            applied=tuple(override.origin for override in matching),
        )

    def describe(self, path: Path | None = None) -> dict[str, Any]:
        """The settings in effect for a path (or for the config as a whole), as `claimcheck config` prints them."""
        effective = self.for_path(path) if path is not None else self
        return {
            "path": str(path) if path is not None else None,
            "sources": [str(source) for source in self.sources] or ["(none: the built-in defaults)"],
            "overrides_applied": list(effective.applied),
            "packs": list(effective.packs),
            "disable": sorted(effective.disable),
            "severity": dict(effective.severity),
            "fail_on": effective.fail_on,
            "exclude": list(effective.exclude),
            "pipeline": effective.pipeline,
            "suppression_reason": effective.suppression_reason,
            "front_matter_fields": list(effective.front_matter_fields),
            "html_skip": list(effective.html_skip),
            "rules": {rule.id: rule.severity.value for rule in effective.ruleset().active},
        }

    def _relative(self, path: Path) -> str | None:
        """A path relative to the config's folder, in '/' form; None when it lies outside."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def ruleset(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset()) -> RuleSet:
        """The packs' rules, reporting all but the disabled and ignored ones, narrowed to --select."""
        ruleset = _ruleset(self.packs, self.root, self.severity, _pack_stamps(self.packs, self.root))
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
        relative = self._relative(path)
        return relative is not None and any(_glob(pattern).fullmatch(relative) for pattern in self.exclude)


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


# Loaded configs and rule sets are cached by path and the (mtime, size) of the files they were
# read from, so a long-running process (the language server) sees edits.
Stamp = tuple[tuple[str, int, int] | None, ...]


def _stamps(paths: tuple[Path, ...]) -> Stamp:
    stamps: list[tuple[str, int, int] | None] = []
    for path in paths:
        try:
            status = path.stat()
            stamps.append((str(path), status.st_mtime_ns, status.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _pack_stamps(packs: tuple[str, ...], root: Path) -> Stamp:
    """The packs named, as files; a pack they extend is checked by load_ruleset's own cache."""
    return _stamps(tuple(resolve_pack(pack, root) for pack in packs))


@cache
def _ruleset(packs: tuple[str, ...], root: Path, severity: tuple[tuple[str, str], ...], stamps: Stamp) -> RuleSet:
    return load_ruleset(list(packs), root, dict(severity))


@cache
def _config_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads((Path(__file__).parent / "schema" / "config.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


_loaded: dict[Path, tuple[Stamp, Config]] = {}


def load_config(path: Path) -> Config:
    """Read one config file and the configs it extends; pyproject.toml without [tool.claimcheck] gives the defaults.

    Served from memory while none of those files changed.
    """
    path = path.resolve()
    cached = _loaded.get(path)
    if cached is not None and cached[0] == _stamps(cached[1].sources or (path,)):
        return cached[1]
    config = _read_config(path)
    _loaded[path] = (_stamps(config.sources or (path,)), config)
    return config


def _read_config(path: Path) -> Config:
    data = _resolved(path, ())
    if data is None:
        return Config()
    return Config(
        source=path,
        packs=tuple(data.get("packs", ["core"])),
        disable=frozenset(data.get("disable", [])),
        severity=tuple(sorted(data.get("severity", {}).items())),
        fail_on=data.get("fail_on", "warning"),
        pipeline=data.get("pipeline"),
        exclude=tuple(data.get("exclude", [])),
        suppression_reason=data.get("suppression_reason", "optional"),
        front_matter_fields=tuple(data.get("front_matter_fields", DEFAULT_FRONT_MATTER_FIELDS)),
        html_skip=tuple(data.get("html_skip", [])),
        overrides=tuple(data.get("overrides", [])),
        sources=tuple(data["sources"]),
    )


def _read(path: Path) -> tuple[dict[str, Any] | None, Any]:
    """One config file's own settings, validated, with its YAML node tree (None for TOML)."""
    if path.name == "pyproject.toml":
        data, node = _read_pyproject(path), None
        if data is None:
            return None, None
    else:
        data, node = load_yaml(path)
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping (packs:, disable:, severity: ...)")
    validate(data, node, path, _config_validator())
    return data, node


def _resolved(path: Path, chain: tuple[Path, ...]) -> dict[str, Any] | None:
    """A config file's settings merged over those of the configs it extends (see the module docstring).

    Pack paths are made absolute here, since each is relative to the file that names it; globs
    (exclude, overrides) stay as written: they are relative to the config in use.
    """
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ConfigError(f"{chain[-1]}: extends makes a cycle: {cycle}")
    data, node = _read(path)
    if data is None:
        return None
    own = dict(data)
    if "packs" in own:
        own["packs"] = [_anchored(pack, path.parent) for pack in own["packs"]]
    own["overrides"] = [
        Override(
            files=tuple(entry["files"]),
            origin=f"{path}: overrides[{index}] ({', '.join(entry['files'])})",
            packs=tuple(_anchored(pack, path.parent) for pack in entry["packs"]) if "packs" in entry else None,
            disable=frozenset(entry.get("disable", [])),
            severity=tuple(sorted(entry.get("severity", {}).items())),
        )
        for index, entry in enumerate(own.get("overrides", []))
    ]
    extends = own.pop("extends", [])
    merged: dict[str, Any] = {}
    parents: list[list[Path]] = []
    for index, reference in enumerate([extends] if isinstance(extends, str) else extends):
        target = (path.parent / reference).resolve()
        line = line_of(node, ["extends", index] if isinstance(extends, list) else ["extends"]) if node else None
        where = f"{path}:{line}" if line else str(path)
        if not target.is_file():
            raise ConfigError(f"{where}: extends: config file not found: {target}")
        inherited = _resolved(target, (*chain, path))
        if inherited is None:
            raise ConfigError(f"{where}: extends: {target} has no [tool.claimcheck] table")
        parents.append(inherited.pop("sources"))
        merged = _merged(merged, inherited)
    merged = _merged(merged, own)
    # Highest precedence first: this file, then the later entries of `extends` before the earlier.
    sources = [path, *(source for found in reversed(parents) for source in found)]
    merged["sources"] = list(dict.fromkeys(sources))
    return merged


def _merged(inherited: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """`own` over `inherited`: settings replace, except severity (merged) and overrides (appended)."""
    result = {**inherited, **own}
    result["severity"] = {**inherited.get("severity", {}), **own.get("severity", {})}
    result["overrides"] = [*inherited.get("overrides", []), *own.get("overrides", [])]
    return result


def _anchored(pack: str, folder: Path) -> str:
    """A pack file made absolute against the folder of the config naming it; a built-in name as it is.

    Names and paths are told apart as packs.resolve_pack does.
    """
    if "/" not in pack and "\\" not in pack and not pack.endswith((".yaml", ".yml")):
        return pack
    return str(folder / pack)


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
            if candidate.is_file() and load_config(candidate).source is not None:
                return candidate
    return None


def forget_configs() -> None:
    """Find and load configs and rule sets afresh (a config file was created, deleted or changed)."""
    _config_file.cache_clear()
    _loaded.clear()
    _ruleset.cache_clear()
