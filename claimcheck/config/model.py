"""The Config a run uses: settings from a config file (or the defaults), per-path overrides, and
the rule set they select. Settings are the fields marked SETTING: loading fills them from the
file by name, and `claimcheck config` prints them, so a new config key is a schema entry and a field.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck import selectors
from claimcheck.errors import ConfigError
from claimcheck.packs import RuleSet, load_ruleset, matches, resolve_pack
from claimcheck.readers.text import ReadOptions

DEFAULT_FRONT_MATTER_FIELDS = ("title", "description")
SETTING = {"setting": True}  # field metadata: a key of the config file


def setting(default: Any) -> Any:
    return field(default=default, metadata=SETTING)


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
    packs: tuple[str, ...] = setting(("core",))
    disable: frozenset[str] = setting(frozenset())
    severity: tuple[tuple[str, str], ...] = setting(())
    fail_on: str = setting("warning")
    exclude: tuple[str, ...] = setting(())
    pipeline: str | None = setting(None)
    suppression_reason: str = setting("optional")  # "required": inline suppressions must give a reason
    front_matter_fields: tuple[str, ...] = setting(DEFAULT_FRONT_MATTER_FIELDS)  # Markdown front matter linted
    html_skip: tuple[str, ...] = setting(())  # HTML elements not linted, besides script/style/code (e.g. nav)
    # Options the packs declare, by pack: (("us-fda-devices", (("pathway", "510k"),)),)
    pack_options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = setting(())
    overrides: tuple[Override, ...] = ()
    sources: tuple[Path, ...] = ()  # source, then the configs it extends, highest precedence first
    applied: tuple[str, ...] = ()  # origins of the overrides for_path applied

    @property
    def read_options(self) -> ReadOptions:
        """The settings the readers take, by name."""
        return ReadOptions(**{f.name: getattr(self, f.name) for f in fields(ReadOptions)})

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
        settings = {f.name: _shown(getattr(effective, f.name)) for f in fields(self) if f.metadata == SETTING}
        return {
            "path": str(path) if path is not None else None,
            "sources": [str(source) for source in self.sources] or ["(none: the built-in defaults)"],
            "overrides_applied": list(effective.applied),
            **settings,
            "rules": {rule.id: rule.severity.value for rule in effective.ruleset().active},
        }

    def _relative(self, path: Path) -> str | None:
        """A path relative to the config's folder, in '/' form; None when it lies outside."""
        try:  # realpath, not resolve(): a symlink loop is the reader's error to report, not a crash here
            return Path(os.path.realpath(path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def ruleset(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset()) -> RuleSet:
        """The packs' rules, reporting all but the disabled and ignored ones, narrowed to --select."""
        ruleset = _ruleset(self.packs, self.root, self.severity, self.pack_options, _pack_stamps(self.packs, self.root))
        # A bare rule name ('efficacy-claim') is accepted wherever `explain` accepts it.
        disable = frozenset(selectors.resolve(s, ruleset.rules) for s in self.disable)
        ignore = frozenset(selectors.resolve(s, ruleset.rules) for s in ignore)
        select = frozenset(selectors.resolve(s, ruleset.rules) for s in select)
        for flag, chosen in (("disable", disable), ("--ignore", ignore), ("--select", select)):
            unknown = sorted(s for s in chosen if not any(matches(rule_id, s) for rule_id in ruleset.rules))
            if unknown:
                where = f" in {self.source}" if flag == "disable" and self.source else ""
                hint = selectors.did_you_mean(unknown[0], selectors.known_selectors(ruleset.rules))
                raise ConfigError(f"{flag}{where}: no rule matches {', '.join(unknown)}{hint} (run 'claimcheck rules')")
        reported = {
            rule_id
            for rule_id in ruleset.rules
            if not any(matches(rule_id, s) for s in disable | ignore)
            and (not select or any(matches(rule_id, s) for s in select))
        }
        return replace(ruleset.selecting(frozenset(reported)), suppression_reason=self.suppression_reason)

    def excludes(self, path: Path) -> bool:
        """Whether a path matches one of the config's exclude globs (relative to the config; ** spans folders)."""
        relative = self._relative(path)
        return relative is not None and any(_glob(pattern).fullmatch(relative) for pattern in self.exclude)


def _shown(value: Any) -> Any:
    """A setting as YAML shows it: lists, and a mapping for severity."""
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return {key: _shown(item) for key, item in value} if value and isinstance(value[0], tuple) else list(value)
    return value


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


def stamps(paths: tuple[Path, ...]) -> Stamp:
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
    return stamps(tuple(resolve_pack(pack, root) for pack in packs))


@cache
def _ruleset(
    packs: tuple[str, ...],
    root: Path,
    severity: tuple[tuple[str, str], ...],
    pack_options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    stamps: Stamp,
) -> RuleSet:
    options = {pack: dict(chosen) for pack, chosen in pack_options}
    return load_ruleset(list(packs), root, dict(severity), options)
