"""Reading a config file: validation against the schema, `extends`, and per-path `overrides`.

Precedence, highest first: command-line flags; the config file in use; the configs it
`extends` (a later entry over an earlier one, each over its own `extends`); the packs' own
defaults. A setting named in a config replaces the inherited one, except `severity`, which
is merged rule by rule, and `overrides`, which are appended (the inherited ones first).
Per-path `overrides` apply on top of the settings of the config that holds them, in order.
"""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck.config.model import SETTING, Config, Override, Stamp, stamps
from claimcheck.errors import ConfigError
from claimcheck.packs import line_of, load_yaml, read_within, require_regular_file, validate

# The most a config file (claimcheck.yaml, or a pyproject.toml holding [tool.claimcheck]) may hold.
# A real one is a few kilobytes, and a large pyproject.toml a few dozen; but YAML takes hundreds of
# bytes of memory and microseconds per byte to parse (a 2 MB config took 4.4 s and 450 MB, and
# every file the config walk passes is parsed), so a file is refused by its size before it is read.
CONFIG_MAX_BYTES = 1024 * 1024


@cache
def _config_schema() -> dict[str, Any]:
    return json.loads((Path(__file__).parent.parent / "schema" / "config.schema.json").read_text())


@cache
def _config_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    return jsonschema.Draft202012Validator(_config_schema())


def _validate(data: dict[str, Any], node: Any, path: Path) -> None:
    """Validate against the schema, unless these very settings passed with this code before:
    importing jsonschema costs more (~45 ms) than linting a page where nothing can fire."""
    import hashlib

    from claimcheck import cache as disk_cache

    # The settings as read (repr keeps types apart: a date is not the string of it), not the
    # file read a second time.
    settings = hashlib.sha256(repr(data).encode()).hexdigest()
    key = json.dumps(["config", settings, disk_cache.code_digest()])
    if disk_cache.load("valid-configs", key) is True:
        return
    validate(data, node, path, _config_validator())
    disk_cache.store("valid-configs", key, True)


_loaded: dict[Path, tuple[Stamp, Config]] = {}


def load_config(path: Path) -> Config:
    """Read one config file and the configs it extends; pyproject.toml without [tool.claimcheck] gives the defaults.

    Served from memory while none of those files changed.
    """
    path = path.resolve()
    cached = _loaded.get(path)
    if cached is not None and cached[0] == stamps(cached[1].sources or (path,)):
        return cached[1]
    config = _read_config(path)
    _loaded[path] = (stamps(config.sources or (path,)), config)
    return config


def _read_config(path: Path) -> Config:
    data = _resolved(path, (), {})
    if data is None:
        return Config()
    settings = {
        f.name: _setting(f.name, data[f.name]) for f in fields(Config) if f.metadata == SETTING and f.name in data
    }
    return Config(source=path, overrides=tuple(data["overrides"]), sources=tuple(data["sources"]), **settings)


def _setting(name: str, value: Any) -> Any:
    """A setting as Config holds it: lists as tuples (disable as a set), mappings as sorted pairs."""
    if name == "disable":
        return frozenset(value)
    if name == "pack_options":  # hashable all the way down: the rule set is cached by it
        return tuple(sorted((pack, tuple(sorted(chosen.items()))) for pack, chosen in value.items()))
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return tuple(value) if isinstance(value, list) else value


def _read(path: Path) -> tuple[dict[str, Any] | None, Any]:
    """One config file's own settings, validated, with its YAML node tree (None for TOML)."""
    require_regular_file(path)
    if path.name == "pyproject.toml":
        data, node = _read_pyproject(path), None
        if data is None:
            return None, None
    else:
        data, node = load_yaml(path, CONFIG_MAX_BYTES, "a config file")
        data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config must be a mapping (packs:, disable:, severity: ...)")
    _check_keys(data, node, path)
    _validate(data, node, path)
    return data, node


def _check_keys(data: dict[str, Any], node: Any, path: Path) -> None:
    """An unknown key is named with the key it was probably meant to be."""
    from claimcheck.selectors import did_you_mean

    known = _config_schema()["properties"]
    for key in data:
        if key not in known:
            line = line_of(node, [key]) if node else None
            hint = did_you_mean(str(key), known) or f" (expected one of: {', '.join(known)})"
            raise ConfigError(f"{path}{f':{line}' if line else ''}: unknown key '{key}'{hint}")


def _resolved(path: Path, chain: tuple[Path, ...], done: dict[Path, Any]) -> dict[str, Any] | None:
    """A config file's settings merged over those of the configs it extends (see the module docstring).

    Pack paths are made absolute here, since each is relative to the file that names it; globs
    (exclude, overrides) stay as written: they are relative to the config in use. Each file is
    resolved once per load (`done`): configs that extend the same file twice at every level
    would otherwise take time doubling with each level.
    """
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ConfigError(f"{chain[-1]}: extends makes a cycle: {cycle}")
    if path not in done:
        done[path] = _resolved_once(path, chain, done)
    found = done[path]
    return None if found is None else {**found, "sources": list(found["sources"])}


def _resolved_once(path: Path, chain: tuple[Path, ...], done: dict[Path, Any]) -> dict[str, Any] | None:
    data, node = _read(path)
    if data is None:
        return None
    own = dict(data)
    if "packs" in own:
        own["packs"] = [_anchored(pack, path.parent) for pack in own["packs"]]
        for index, pack in enumerate(own["packs"]):
            if pack != Path(pack).name:  # a file, not a built-in pack's name
                _require_pack_file(Path(pack), path, line_of(node, ["packs", index]) if node else None)
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
        if target.suffix.lower() not in (".yaml", ".yml", ".toml"):
            # Never parse (and echo) a file that cannot be a config: extends: /etc/shadow.
            raise ConfigError(f"{where}: extends: {target} is not a config file (.yaml, .yml or pyproject.toml)")
        if not target.is_file():
            raise ConfigError(f"{where}: extends: config file not found: {target}")
        inherited = _resolved(target, (*chain, path), done)
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


def _require_pack_file(pack: Path, config: Path, line: int | None) -> None:
    """A pack file must be YAML by name, and a regular file: `packs: [/etc/shadow]` is refused
    before anything reads it, so no error can echo what it holds."""
    if pack.suffix.lower() not in (".yaml", ".yml"):
        raise ConfigError(f"{config}{f':{line}' if line else ''}: packs: {pack} is not a pack file (.yaml or .yml)")
    require_regular_file(pack)


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
        data = tomllib.loads(read_within(path, CONFIG_MAX_BYTES, "a config file").decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    tool = data.get("tool")
    return tool.get("claimcheck") if isinstance(tool, dict) else None  # `tool = 5` is someone else's mistake
