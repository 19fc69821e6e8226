"""Rule packs: YAML files validated by a JSON Schema, merged along `extends`, compiled to Matcher patterns.

Loading a pack never imports spaCy: the compiled patterns are plain data that the
pipeline hands to a Matcher, so `claimcheck rules` and `explain` stay fast. Plain records here
and across claimcheck are NamedTuples: defining a frozen dataclass costs ~1.5 ms of start-up each.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claimcheck import cache as disk_cache
from claimcheck.cache import file_hash
from claimcheck.errors import ConfigError
from claimcheck.findings import Severity
from claimcheck.lemmas import word_forms
from claimcheck.matcher import add_hyphen_spelt_whole, joined_words, lines_holding, phrases, widen_to_phrases
from claimcheck.pack_regex import RegexError, bounded

if TYPE_CHECKING:
    import yaml

Pattern = list[dict[str, Any]]

# Finding kind by check: the `kind` values of the JSON contract (docs/json-output.md).
FINDING_KINDS = {
    "claim": "claim",
    "footnote-unresolved": "footnote",
    "footnote-orphan": "footnote",
    "disclaimer": "disclaimer",
    "suppression": "suppression",
}


class MatchKey(NamedTuple):
    """What a match means: a rule's claim patterns or their exceptions, a modifier (by its
    position in the rule set), or a disclaimer rule's required phrasing group or context."""

    role: str  # claim | exception | modifier | requirement | context | lead
    rule: str = ""  # the rule id; empty for modifiers
    index: int = 0  # the modifier's or the requirement group's position

    def __str__(self) -> str:
        return f"{self.role} {self.rule or ''} {self.index}".replace("  ", " ")


@dataclass(frozen=True)
class Modifier:
    """A ConText-style cue: words that hedge, negate, attribute, question or refute what they reach."""

    category: str
    direction: str
    max_scope: int | None
    stop_at: frozenset[str]
    patterns: tuple[Pattern, ...]
    id: str = ""  # names it in explanations: "hedge 'may' (core/hedge-modal)"
    ends: frozenset[str] = frozenset()  # a terminator's: the modifiers (ids) whose scope it ends; empty: all


class Fix(NamedTuple):
    """A safe fix a rule declares: text added as a paragraph of its own at the end or start."""

    append: str
    where: str = "end"  # end | start


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    check: str
    severity: Severity
    message: str
    explanation: str
    references: tuple[dict[str, str], ...] = ()
    examples: dict[str, list[str]] = field(default_factory=dict)
    claim_kind: str = ""
    suppressed_by: frozenset[str] = frozenset()
    when_cited: str = "keep"
    patterns: tuple[Pattern, ...] = ()
    exceptions: tuple[Pattern, ...] = ()
    with_claim: bool = False  # only reported beside another claim in the same sentence
    listed_under_claim: bool = False  # only reported in the items of a list a claim introduces
    list_leads: tuple[Pattern, ...] = ()  # ... or a heading of these words alone introduces ("Uses:")
    whole_line: bool = False  # only a match that holds all of its line, not under a list's lead (a label)
    when_claims: str | tuple[str, ...] = "any"
    context: tuple[Pattern, ...] = ()  # the document must match one (a disclaimer's or a claim's condition)
    require: tuple[tuple[Pattern, ...], ...] = ()
    fix: Fix | None = None  # what `check --fix` adds (disclaimer rules)
    source: str = ""  # the pack file that defines it (explain finds its fixture cases beside it)

    @property
    def positional(self) -> bool:
        """Its matches are claims only where they stand (a list item, a label's line): a bare
        condition word that times, qualifies or doubles no other claim."""
        return self.listed_under_claim or self.whole_line

    @property
    def finding_kind(self) -> str:
        """The finding kind in the JSON contract: claim, footnote, disclaimer or suppression."""
        return FINDING_KINDS[self.check]


@dataclass(frozen=True)
class RuleSet:
    """Every rule the packs define, with patterns compiled, and which of them report findings.

    Disabled claim rules still detect claims, so disclaimer rules see every claim the
    document makes; they just never report one themselves.
    """

    rules: dict[str, Rule]
    modifiers: tuple[Modifier, ...]
    digest: str  # identifies the packs and severities, for caches
    reported: frozenset[str] = frozenset()
    suppression_reason: str = "optional"  # "required": inline suppressions must say why (config)
    dropped: frozenset[str] = frozenset()  # rules a pack option turns off (unless_option): never reported
    # Entries of several words the patterns name, each one token where the text spells it
    # (matcher.phrases; found when the packs compile, which is cached, not at every start).
    phrases: tuple[str, ...] = ()

    @property
    def active(self) -> list[Rule]:
        """The rules that report findings, by id."""
        return sorted((self.rules[rule_id] for rule_id in self.reported), key=lambda rule: rule.id)

    def by_check(self, check: str) -> list[Rule]:
        return [rule for rule in self.active if rule.check == check]

    def selecting(self, rule_ids: frozenset[str]) -> RuleSet:
        """The same rules, reporting only these (never those a pack option dropped)."""
        return replace(self, reported=frozenset(rule_ids) - self.dropped)

    def matcher_patterns(self) -> dict[MatchKey, list[Pattern]]:
        """Every pattern the pipeline matches, keyed by what a match of it means."""
        keyed: dict[MatchKey, list[Pattern]] = {}
        for rule in self.rules.values():
            if rule.id in self.dropped:
                continue  # does not apply to this product: its claims are not claims here
            if rule.patterns:
                keyed[MatchKey("claim", rule.id)] = list(rule.patterns)
            if rule.exceptions:
                keyed[MatchKey("exception", rule.id)] = list(rule.exceptions)
            if rule.context:
                keyed[MatchKey("context", rule.id)] = list(rule.context)
            if rule.list_leads:
                keyed[MatchKey("lead", rule.id)] = list(rule.list_leads)
            for index, group in enumerate(rule.require):
                keyed[MatchKey("requirement", rule.id, index)] = list(group)
        for index, modifier in enumerate(self.modifiers):
            keyed[MatchKey("modifier", index=index)] = list(modifier.patterns)
        add_hyphen_spelt_whole(keyed, self.phrases)
        return keyed


def builtin_dir() -> Path:
    """The built-in packs: inside the wheel as claimcheck/rules, or the checkout's top-level rules/."""
    # The package's own folder (what importlib.resources would give for an installed package,
    # without importing it: that costs a page where nothing can fire a few milliseconds).
    packaged = Path(__file__).resolve().parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "rules"


def builtin_packs() -> list[str]:
    """The names of the packs claimcheck ships (what `rules --docs` documents)."""
    return sorted(path.stem for path in builtin_dir().glob("*.yaml"))


ENTRY_POINT_GROUP = "claimcheck.packs"


class PackSource(NamedTuple):
    """An installed pack: its name, its file and who provides it (for messages)."""

    name: str
    path: Path
    provider: str

    @property
    def builtin(self) -> bool:
        return self.path.parent == builtin_dir()


class _Installed(NamedTuple):
    """What the registry found: packs by name, and the names more than one provider gives."""

    packs: dict[str, PackSource]
    clashes: dict[str, tuple[PackSource, ...]]  # names two providers give; an error when used
    # Why an installed provider's packs could not be listed. One broken package must not stop
    # runs that never name its packs; a name that is not found reports these.
    broken: tuple[str, ...] = ()


def installed_packs() -> dict[str, PackSource]:
    """Every pack that can be named: the built-in ones, then those of installed packages
    (entry point group `claimcheck.packs`; see docs/extending.md). A name two providers
    give is left out here and refused by resolve_pack, naming both."""
    return _installed(tuple(sys.path)).packs


@cache
def _installed(search_path: tuple[str, ...]) -> _Installed:
    """Scanned once per sys.path: entry points are read from the installed distributions' metadata."""
    found: dict[str, list[PackSource]] = {}
    broken: list[str] = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        found.setdefault(path.stem, []).append(PackSource(path.stem, path, "claimcheck (built-in)"))
    for module, attr, provider in _entry_points(search_path):
        try:
            folder = _entry_point_folder(module, attr, provider)
        except ConfigError as error:
            broken.append(str(error))
            continue
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, []).append(PackSource(path.stem, path, provider))
    return _Installed(
        packs={name: sources[0] for name, sources in found.items() if len(sources) == 1},
        clashes={name: tuple(sources) for name, sources in found.items() if len(sources) > 1},
        broken=tuple(broken),
    )


def _entry_points(search_path: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """The group's entry points as (module, attr, provider), in name order.

    Kept in the disk cache, keyed by the search path and the modification times of its
    folders (installing or removing a distribution changes its folder's): importing
    importlib.metadata to scan them costs more than linting a page where nothing can fire.
    """
    stamps = []
    for folder in search_path:
        try:
            stamps.append(os.stat(folder or ".").st_mtime_ns)
        except OSError:
            stamps.append(None)
    key = json.dumps([ENTRY_POINT_GROUP, search_path, stamps])
    cached = disk_cache.load("entry-points", key)
    if isinstance(cached, list) and all(
        isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and isinstance(row[2], str)
        and (row[1] is None or isinstance(row[1], str))
        for row in cached
    ):  # fmt: skip
        return [(module, attr, provider) for module, attr, provider in cached]
    from importlib.metadata import entry_points

    found = [
        (entry.module, entry.attr, _provider(entry))
        for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))
    ]
    disk_cache.store("entry-points", key, [list(row) for row in found])
    return found


def _provider(entry: Any) -> str:
    dist = getattr(entry, "dist", None)
    package = f"{dist.name} {dist.version} " if dist is not None else ""
    return f"{package}(entry point '{entry.name} = {entry.value}')"


def _entry_point_folder(module: str, attr: str | None, provider: str) -> Path:
    """The folder of pack files an entry point names: the value is an importable package
    (`acme_packs`), and its `<name>.yaml` files are the packs it provides."""
    if attr:
        raise ConfigError(f"{provider}: a {ENTRY_POINT_GROUP} entry point names a package, not an object")
    try:
        from importlib import resources

        folder = Path(str(resources.files(module)))
    except Exception as error:  # importing a third party's package can raise anything
        reason = f"{type(error).__name__}: {error}"
        raise ConfigError(f"{provider}: cannot import the package of rule packs ({reason})") from None
    if not folder.is_dir():
        raise ConfigError(f"{provider}: {folder} is not a folder on disk (install the package unzipped)")
    return folder


def pack_names() -> list[str]:
    """The names `packs:` and `extends:` accept: built-in and installed packs."""
    return sorted(installed_packs())


def is_pack_name(reference: str) -> bool:
    """A pack name ('core'), as opposed to a path to a pack file."""
    return "/" not in reference and "\\" not in reference and not reference.endswith((".yaml", ".yml"))


def resolve_pack(reference: str, base: Path | None) -> Path:
    """A pack reference is an installed pack's name or a path relative to the file that names it."""
    if is_pack_name(reference):
        return pack_source(reference).path
    path = (base or Path.cwd()) / reference
    if not path.is_file():
        raise ConfigError(f"rule pack not found: {path}")
    return path


def pack_source(name: str) -> PackSource:
    """The installed pack of this name; ConfigError when none is, or when two providers give it."""
    installed = _installed(tuple(sys.path))
    if name in installed.clashes:
        providers = " and ".join(source.provider for source in installed.clashes[name])
        raise ConfigError(f"pack '{name}' is provided twice, by {providers}: uninstall or rename one")
    if name not in installed.packs:
        from claimcheck.selectors import did_you_mean

        hint = did_you_mean(name, installed.packs)
        unreadable = "".join(f"; {reason}" for reason in installed.broken)
        raise ConfigError(f"unknown pack '{name}'{hint} (installed: {', '.join(sorted(installed.packs))}){unreadable}")
    return installed.packs[name]


@cache
def _loader() -> type:
    """Safe loading (libyaml when present: 50x faster), with YAML 1.2 booleans: only true/false.

    In a word list, `no`, `on` and `off` are words. Built on first use: a run whose rule set
    comes from the cache never imports yaml.
    """
    import yaml

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return _Loader


# Token attributes whose values are text; numbers written bare in YAML are meant as words.
_TEXT_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "SHAPE"})


@cache
def _schema_validator():  # type: ignore[no-untyped-def]
    import jsonschema

    schema = json.loads((Path(__file__).parent / "schema" / "pack.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def require_regular_file(path: Path) -> None:
    """Configs, packs, lexicon files and test cases are read whole: a FIFO would block and
    /dev/zero never end."""
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: not a regular file")


# The most a rule pack, a lexicon file or a pack's test cases may hold. The largest built-in pack
# (core.yaml) is under 0.5 MiB and parses in about 0.4 s; parsing YAML takes hundreds of bytes of
# memory and microseconds per byte (a 2 MB config took 4.4 s and 450 MB), so a file is refused
# by its size before it is read: 16 times core.yaml still loads in seconds.
PACK_MAX_BYTES = 8 * 1024 * 1024


def read_within(path: Path, limit: int, what: str) -> bytes:
    """A config or pack file's bytes, refused (ConfigError) when over `limit` bytes: by its size
    before anything is read, and never reading more than the limit and one byte (it may grow).
    OSError as open and read raise it. (Input files are sources.read_bytes's, with InputError.)"""
    from claimcheck.sources import over_the_limit

    require_regular_file(path)
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        data = stream.read(limit + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        raise ConfigError(f"{path}: {over_the_limit(max(size, len(data)), limit)} for {what}, not read")
    return data


def load_yaml(path: Path, limit: int = PACK_MAX_BYTES, what: str = "a rule pack file") -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely, keeping the node tree so errors can name a line; a file over `limit`
    bytes (`what` it is, for the message) is refused unread."""
    import yaml

    try:
        text = read_within(path, limit, what).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    try:
        loader = _loader()(text)
        try:
            node = loader.get_single_node()
            _check_composed(node, path)  # before construct_document, which flattens merge keys in place
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    return data, node


def _check_composed(root: yaml.Node | None, path: Path) -> None:
    """Refuse what YAML accepts without a word but is a mistake or an attack: a key written twice
    in one mapping (a second `fail_on:`), and aliases that expand a few lines into millions of
    values ("billion laughs"), which validating and quoting would take minutes and gigabytes for.
    Each node is walked once, however often an alias uses it; its expanded size is counted."""
    import yaml

    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node | None, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if node is None or (id(node) in sizes and not children_done):
            continue
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
            if not children_done:
                _refuse_duplicates(node, path)
        else:
            children = []
        if not children_done:
            sizes[id(node)] = 0  # in progress: a recursive alias counts once
            stack.append((node, True))
            stack.extend((child, False) for child in children)
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        if sizes[id(node)] > MAX_EXPANDED_VALUES:
            raise _too_many_values(node, path, written=len(sizes))


def _too_many_values(node: yaml.Node, path: Path, written: int) -> ConfigError:
    # The nodes walked are the values written out; when they are under the limit, aliases made the rest.
    line = node.start_mark.line + 1
    if written > MAX_EXPANDED_VALUES:
        return ConfigError(f"{path}:{line}: this holds over {MAX_EXPANDED_VALUES:,} values; not read")
    return ConfigError(f"{path}:{line}: aliases expand this to over {MAX_EXPANDED_VALUES:,} values; not read")


MAX_EXPANDED_VALUES = 1_000_000  # the largest built-in pack (core.yaml) holds about 31,000


def _refuse_duplicates(node: yaml.MappingNode, path: Path) -> None:
    import yaml

    lines: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value != "<<":  # "<<" merges: its keys may be overridden
            line = key.start_mark.line + 1
            if (key.tag, key.value) in lines:
                first = lines[key.tag, key.value]
                raise ConfigError(f"{path}:{line}: duplicate key '{key.value}' (first at line {first})")
            lines[key.tag, key.value] = line


def line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """The 1-based line of the value at a key path in a composed YAML tree."""
    import yaml

    line = node.start_mark.line + 1 if node else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for k, value in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def dotted(keys: list[Any] | tuple[Any, ...]) -> str:
    """A key path as errors show it: rules[3].patterns[0][2].LEMMA."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".") or "(top level)"


def validate(data: Any, node: yaml.Node | None, path: Path, validator: Any) -> None:
    """Raise one ConfigError naming file, line and key path for the most relevant schema error.

    A schema node's `description` is added to its error: it says what belongs there.
    """
    import jsonschema.exceptions

    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    key_path = list(error.absolute_path)
    if path.name == "pyproject.toml":
        key_path = ["tool", "claimcheck", *key_path]
    line = line_of(node, key_path) if node is not None else None
    expected = error.schema.get("description") if isinstance(error.schema, dict) else None
    # The message quotes the value first ("[...] is not of type 'string'"): cut its middle.
    said = error.message if len(error.message) <= 300 else f"{error.message[:150]} ... {error.message[-120:]}"
    message = f"{said} (expected {expected[0].lower()}{expected[1:]})" if expected else said
    raise ConfigError(f"{path}{f':{line}' if line else ''}: {dotted(key_path)}: {message}")


class _Origin(NamedTuple):
    """Where something was written in a pack, so an error found later names file, line and key."""

    path: Path
    node: yaml.Node | None
    keys: tuple[Any, ...] = ()

    def at(self, *keys: Any) -> _Origin:
        return self._replace(keys=(*self.keys, *keys))

    @property
    def where(self) -> str:
        line = line_of(self.node, list(self.keys))
        return f"{self.path}{f':{line}' if line else ''}"

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.where}: {dotted(self.keys)}: {message}")


@dataclass
class _Merged:
    """Packs merged in `extends` order: a later lexicon or fragment of the same name replaces an
    earlier one; rule ids and pack names are unique."""

    lexicons: dict[str, list[str]] = field(default_factory=dict)
    lexicon_origins: dict[str, _Origin] = field(default_factory=dict)
    fragments: dict[str, dict[str, Any]] = field(default_factory=dict)
    fragment_origins: dict[str, _Origin] = field(default_factory=dict)
    modifiers: list[tuple[str, dict[str, Any], _Origin]] = field(default_factory=list)
    rules: dict[str, tuple[str, dict[str, Any], _Origin]] = field(default_factory=dict)
    names: dict[str, Path] = field(default_factory=dict)  # pack name -> the file that defines it
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # pack name -> the options it declares
    sources: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256) of every pack read
    loaded: set[Path] = field(default_factory=set)  # packs merged once: `[core, pack-extending-core]`


def _merge_pack(path: Path, merged: _Merged, seen: tuple[Path, ...], named: str = "") -> str:
    """Merge one pack (after the packs it extends); `named` is the name it was asked for by."""
    if path in seen:
        chain = " -> ".join(str(p) for p in (*seen, path))
        raise ConfigError(f"{path}: pack extends itself ({chain})")
    if path.resolve() in merged.loaded:
        return ""  # already merged (named and extended, or extended twice): its modifiers once
    merged.loaded.add(path.resolve())
    data, node = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: a rule pack must be a mapping with a 'pack' key")
    validate(data, node, path, _schema_validator())
    origin = _Origin(path, node)
    name = data["pack"]
    if named and name != named:  # an installed pack's name is its file's: core.yaml holds `pack: core`
        raise origin.at("pack").error(f"'{name}' must be '{named}', the name of the file {path.name}")
    for index, parent in enumerate(data.get("extends", [])):
        try:
            parent_path = resolve_pack(parent, path.parent)
        except ConfigError as error:
            raise origin.at("extends", index).error(str(error)) from None
        _merge_pack(parent_path, merged, (*seen, path), parent if is_pack_name(parent) else "")
    if name in merged.names:
        raise origin.at("pack").error(f"'{name}' is also the name of the pack {merged.names[name]}")
    merged.names[name] = path
    merged.sources.append((str(path), file_hash(path)))
    for lexicon, words in data.get("lexicons", {}).items():
        merged.lexicons[lexicon] = words if isinstance(words, list) else _lexicon_file(path, words["file"], merged)
        merged.lexicon_origins[lexicon] = origin.at("lexicons", lexicon)
    for fragment, attributes in data.get("fragments", {}).items():
        merged.fragments[fragment] = attributes
        merged.fragment_origins[fragment] = origin.at("fragments", fragment)
    merged.options[name] = data.get("options", {})
    merged.modifiers.extend((name, m, origin.at("modifiers", i)) for i, m in enumerate(data.get("modifiers", [])))
    for index, rule in enumerate(data.get("rules", [])):
        at = origin.at("rules", index)
        if not rule["id"].startswith(f"{name}/"):
            raise at.at("id").error(f"'{rule['id']}' must start with '{name}/'")
        if rule["id"] in merged.rules:
            first = merged.rules[rule["id"]][2].at("id")
            raise at.at("id").error(f"rule id '{rule['id']}' is defined twice (first at {first.where})")
        merged.rules[rule["id"]] = (name, rule, at)
    return name


def _lexicon_file(pack: Path, name: str, merged: _Merged) -> list[str]:
    """A lexicon kept in its own file beside the pack: one lemma per line, '#' comments."""
    path = (pack.parent / name).resolve()
    try:
        text = read_within(path, PACK_MAX_BYTES, "a lexicon file").decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{pack}: lexicon file {name}: {getattr(error, 'strerror', None) or error}") from None
    merged.sources.append((str(path), file_hash(path)))
    words = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    words = [word for word in words if word]
    if not words:
        raise ConfigError(f"{pack}: lexicon file {name} has no words")
    return words


def load_ruleset(
    packs: list[str],
    base: Path | None = None,
    severities: dict[str, str] | None = None,
    options: dict[str, dict[str, str]] | None = None,
) -> RuleSet:
    """Load, validate and merge packs, then apply severity overrides (by rule id or pack name)
    and the packs' options (`pack_options` in the config: they drop rules that say `unless_option`).

    The compiled result is cached on disk: parsing, validating and expanding lemmas is
    most of the start-up time that is ours rather than spaCy's.
    """
    paths = [(resolve_pack(reference, base), reference if is_pack_name(reference) else "") for reference in packs]
    # The entry checks its pack files' hashes when read; the key adds what else decides the
    # result: claimcheck's code and the lemma tables' version (code_digest), not the version alone.
    key = json.dumps([[str(p) for p, _ in paths], severities or {}, options or {}, disk_cache.code_digest()])
    ruleset = disk_cache.load("rulesets", key)
    if ruleset is None:
        ruleset, sources = _compile_ruleset(paths, severities or {}, options or {})
        _share_words(ruleset)
        disk_cache.store("rulesets", key, ruleset, sources)
    return ruleset


def _share_words(ruleset: RuleSet) -> None:
    """Make equal words, and equal word lists, one object across the rule set's patterns.

    Lexicons expanded to word forms repeat in dozens of patterns, each a list of its own
    strings: ~100,000 strings for ~20,000 distinct words. Shared, the cached rule set is a
    third of the size, and reading it back takes less time and memory (pickle stores an object
    once however often it is referred to). Patterns are never changed once compiled.
    """
    words: dict[str, str] = {}
    lists: dict[tuple[Any, ...], list[Any]] = {}

    def share(value: Any) -> Any:
        if isinstance(value, str):
            return words.setdefault(value, value)
        if isinstance(value, dict):
            for key, item in value.items():
                value[key] = share(item)
        elif isinstance(value, list):
            value[:] = [share(item) for item in value]
            if all(isinstance(item, str) for item in value):
                return lists.setdefault(tuple(value), value)
        return value

    for rule in ruleset.rules.values():
        for pattern in (
            *rule.patterns,
            *rule.exceptions,
            *rule.context,
            *rule.list_leads,
            *(p for group in rule.require for p in group),
        ):
            share(pattern)
    for modifier in ruleset.modifiers:
        for pattern in modifier.patterns:
            share(pattern)


def _compile_ruleset(
    paths: list[tuple[Path, str]], severities: dict[str, str], options: dict[str, dict[str, str]]
) -> tuple[RuleSet, list[tuple[str, str]]]:
    merged = _Merged()
    for path, named in paths:
        _merge_pack(path, merged, (), named)
    for selector in severities:
        if not any(matches(rule_id, selector) for rule_id in merged.rules):
            raise ConfigError(f"severity: no rule matches '{selector}' (run 'claimcheck rules' to list them)")
    compiler = _PatternCompiler(merged.lexicons, merged.fragments)
    for lexicon, origin in merged.lexicon_origins.items():
        try:  # every lexicon, used or not: an include of an unknown one is a broken pack
            compiler.words(lexicon)
        except _PatternError as error:
            raise origin.error(error.message) from None
    for fragment, origin in merged.fragment_origins.items():
        try:  # where it is defined, not where it is used, is where a fragment's error is
            compiler([merged.fragments[fragment]])
        except _PatternError as error:
            raise origin.at(*error.keys[1:]).error(error.message) from None
    _check_claim_kinds(merged)
    rules = {}
    for rule_id, (pack, raw, origin) in merged.rules.items():
        overrides = [severity for selector, severity in severities.items() if matches(rule_id, selector)]
        severity = overrides[-1] if overrides else raw["severity"]
        rules[rule_id] = _build_rule(pack, raw, severity, compiler, origin)
    named = [f"{pack}/{raw['id']}" for pack, raw, _ in merged.modifiers if "id" in raw]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise ConfigError(f"modifier id '{twice[0]}' is defined twice")
    known = set(named)
    modifiers = tuple(
        Modifier(
            category=raw["category"],
            direction=raw.get("direction", "forward"),
            max_scope=raw.get("max_scope"),
            stop_at=_stops(raw.get("stop_at", []), compiler, origin.at("stop_at")),
            patterns=compiler.each(raw["patterns"], origin.at("patterns")),
            id=f"{pack}/{raw['id']}" if "id" in raw else "",
            ends=_ends(pack, raw, origin, known),
        )
        for pack, raw, origin in merged.modifiers
    )
    dropped = _dropped_by_options(merged, options)
    digest = hashlib.sha256(json.dumps([merged.sources, severities, options]).encode()).hexdigest()[:16]
    ruleset = RuleSet(rules, modifiers, digest, frozenset(rules) - dropped, dropped=dropped)
    patterns = ruleset.matcher_patterns()
    joined = phrases(patterns)
    widen_to_phrases(patterns, joined)
    return replace(ruleset, phrases=joined), merged.sources


def _dropped_by_options(merged: _Merged, options: dict[str, dict[str, str]]) -> frozenset[str]:
    """The rules whose `unless_option` matches the options set, once both sides are checked.

    Options are declared by the pack (`options: {name: {values: [...]}}`); the config sets
    them per pack. An option left unset drops nothing. Options for a built-in pack that is
    not in use are ignored (a per-path `overrides` may leave it out); any other name is an error.
    """
    for pack, chosen in options.items():
        if pack not in merged.options:
            if pack in builtin_packs():
                continue
            in_use = ", ".join(sorted(merged.options))
            raise ConfigError(f"pack_options: '{pack}' is not a pack in use (packs: {in_use})")
        declared = merged.options[pack]
        for name, value in chosen.items():
            if name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                raise ConfigError(f"pack_options.{pack}: unknown option '{name}' (options of {pack}: {known})")
            if value not in declared[name]["values"]:
                allowed = ", ".join(declared[name]["values"])
                raise ConfigError(f"pack_options.{pack}.{name}: '{value}' is not one of: {allowed}")
    dropped = set()
    for rule_id, (pack, raw, _) in merged.rules.items():
        for name, values in raw.get("unless_option", {}).items():
            spec = merged.options.get(pack, {}).get(name)
            if spec is None:
                raise ConfigError(f"{rule_id}: unless_option: pack '{pack}' declares no option '{name}'")
            if unknown := [value for value in values if value not in spec["values"]]:
                raise ConfigError(f"{rule_id}: unless_option.{name}: '{unknown[0]}' is not a value of the option")
            if options.get(pack, {}).get(name) in values:
                dropped.add(rule_id)
    return frozenset(dropped)


def _ends(pack: str, raw: dict[str, Any], origin: _Origin, named: set[str]) -> frozenset[str]:
    """The modifiers whose scope a terminator ends, by id ("hedge-modal" in its own pack, or
    "pack/id"); empty: every modifier's."""
    if "ends" in raw and raw["category"] != "terminate":
        raise origin.at("ends").error("only a modifier of category 'terminate' ends other modifiers' scope")
    found = set()
    for index, name in enumerate(raw.get("ends", [])):
        full = name if "/" in name else f"{pack}/{name}"
        if full not in named:
            raise origin.at("ends", index).error(f"no modifier has the id '{name}'")
        found.add(full)
    return frozenset(found)


def _check_claim_kinds(merged: _Merged) -> None:
    """A disclaimer rule's `when: {claims: [...]}` names kinds some claim rule of the loaded packs
    has: a misspelt kind would make the disclaimer never required."""
    from claimcheck.selectors import did_you_mean

    kinds = {raw["kind"] for _, raw, _ in merged.rules.values() if raw["check"] == "claim"}
    for _, raw, origin in merged.rules.values():
        claims = raw.get("when", {}).get("claims", "any")
        for index, kind in enumerate([] if claims == "any" else claims):
            if kind not in kinds:
                hint = did_you_mean(kind, kinds) or f" (kinds of the loaded claim rules: {', '.join(sorted(kinds))})"
                raise origin.at("when", "claims", index).error(f"no claim rule has kind '{kind}'{hint}")


def matches(rule_id: str, selector: str) -> bool:
    """A selector is a rule id, a pack name ('core') or a prefix ending in '/' ('core/')."""
    return rule_id == selector or rule_id.startswith(selector.rstrip("/") + "/")


def _build_rule(pack: str, raw: dict[str, Any], severity: str, compiler: _PatternCompiler, origin: _Origin) -> Rule:
    when = raw.get("when", {})
    claims = when.get("claims", "any")
    return Rule(
        id=raw["id"],
        pack=pack,
        check=raw["check"],
        severity=Severity(severity),
        message=raw["message"],
        explanation=raw["explanation"].strip(),
        references=tuple(raw.get("references", [])),
        examples=raw.get("examples", {}),
        claim_kind=raw.get("kind", ""),
        suppressed_by=frozenset(raw.get("suppressed_by", [])),
        when_cited=raw.get("when_cited", "keep"),
        patterns=compiler.each(raw.get("patterns", []), origin.at("patterns")),
        exceptions=compiler.each(raw.get("exceptions", []), origin.at("exceptions")),
        with_claim=raw.get("with_claim", False),
        listed_under_claim=raw.get("listed_under_claim", False),
        list_leads=compiler.each(raw.get("list_leads", []), origin.at("list_leads")),
        whole_line=raw.get("whole_line", False),
        when_claims=claims if claims == "any" else tuple(claims),
        context=compiler.each(when.get("context", []), origin.at("when", "context")),
        require=tuple(compiler.each(group, origin.at("require", i)) for i, group in enumerate(raw.get("require", []))),
        fix=Fix(raw["fix"]["append"].strip(), raw["fix"].get("where", "end")) if "fix" in raw else None,
        source=str(origin.path),
    )


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return {
            op: [_as_text(v) for v in items] if isinstance(items, list) else _as_text(items)
            for op, items in value.items()
        }
    return value


class _PatternError(ConfigError):
    """A problem in one pattern, at a key path inside it; the caller adds the file and line."""

    def __init__(self, message: str, keys: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message, self.keys = message, keys


_LEXICON_REF = re.compile(r"\$([a-z][a-z0-9_]*)")  # "$name", as lexicon names are spelt in the schema
_LIST_OPS = frozenset({"IN", "NOT_IN"})
_BOUNDED_OP = re.compile(r"\{(\d*),?(\d*)\}")


class _PatternCompiler:
    """Turns pack patterns into plain Matcher patterns.

    {USE: name} becomes the fragment's attributes, "$name" the lexicon's list (alone, or as an
    entry of an IN/NOT_IN list), and LEMMA becomes LOWER over every inflection of the lemma.
    Matching word forms instead of running a lemmatizer keeps the pipeline to a tokenizer and a
    sentencizer, and matches the same words. REGEX values are checked and bounded (pack_regex).
    """

    def __init__(self, lexicons: dict[str, list[str]], fragments: dict[str, dict[str, Any]] | None = None) -> None:
        self.lexicons = lexicons
        self.fragments = fragments or {}

    def __call__(self, pattern: Pattern) -> Pattern:
        return [self._token(token, index) for index, token in enumerate(pattern)]

    def each(self, patterns: list[Pattern], origin: _Origin) -> tuple[Pattern, ...]:
        """Compile a list of patterns, an error naming the file, line and key of the culprit."""
        compiled = []
        for index, pattern in enumerate(patterns):
            try:
                compiled.append(self(pattern))
            except _PatternError as error:
                raise origin.at(index, *error.keys).error(error.message) from None
        return tuple(compiled)

    def _token(self, token: dict[str, Any], index: int) -> dict[str, Any]:
        items = list(token.items())
        if "USE" in token:
            name = token["USE"]
            if name not in self.fragments:
                defined = ", ".join(sorted(self.fragments)) or "none"
                raise _PatternError(f"unknown fragment '{name}' (defined: {defined})", (index, "USE"))
            own = {k: v for k, v in token.items() if k != "USE"}
            # A word test given beside USE narrows the fragment's, both must hold ({USE: gap,
            # LOWER: {NOT_IN: [by]}} keeps the gap's negators out too); OP and flags replace its own.
            kept = [(k, v) for k, v in self.fragments[name].items() if k not in own or k in _TEXT_ATTRS]
            items = kept + list(own.items())
        compiled = {}
        for attr, value in items:
            keys = (index, attr)
            if attr == "OP":
                _check_op(value, keys)
            value = self._expand_lexicons(value, keys)
            if attr in _TEXT_ATTRS:
                value = _several_words(_as_text(value), keys)
            if isinstance(value, dict) and "REGEX" in value:
                try:
                    value = {**value, "REGEX": bounded(value["REGEX"])}
                except RegexError as error:
                    raise _PatternError(str(error), (*keys, "REGEX")) from None
            if attr == "LEMMA":
                attr, value = "LOWER", self._lemma_forms(value, keys)
            if attr in compiled:  # LEMMA and LOWER on one token (or a fragment's LOWER): both must hold
                value = _both(compiled[attr], value, keys)
            compiled[attr] = value
        for attr, value in compiled.items():  # {IN: ..., NOT_IN: ...}: the matcher takes one predicate
            if attr in _TEXT_ATTRS and isinstance(value, dict) and len(value) > 1:
                compiled[attr] = _one_word_list(value, (index, attr))
        return compiled

    def _expand_lexicons(self, value: Any, keys: tuple[Any, ...]) -> Any:
        """ "$name" as a value means IN the lexicon; in a list op, its words take its place."""
        if isinstance(value, str) and _LEXICON_REF.fullmatch(value):
            return {"IN": self._lexicon(value, keys)}
        if not isinstance(value, dict):
            return value
        expanded = {}
        for op, items in value.items():
            if op in _LIST_OPS and isinstance(items, str) and _LEXICON_REF.fullmatch(items):
                items = self._lexicon(items, (*keys, op))
            elif op in _LIST_OPS and isinstance(items, list):
                words: list[Any] = []
                for number, item in enumerate(items):
                    is_ref = isinstance(item, str) and _LEXICON_REF.fullmatch(item)
                    words.extend(self._lexicon(item, (*keys, op, number)) if is_ref else [item])
                items = list(dict.fromkeys(words))
            expanded[op] = items
        return expanded

    def _lexicon(self, reference: str, keys: tuple[Any, ...]) -> list[str]:
        try:
            return self.words(reference[1:])
        except _PatternError as error:
            raise _PatternError(error.message, keys) from None

    def words(self, name: str, seen: tuple[str, ...] = ()) -> list[str]:
        """A lexicon's words; an entry "$other" includes that lexicon ("outcome: [$problem, $target]")."""
        if name not in self.lexicons:
            from claimcheck.selectors import did_you_mean

            hint = did_you_mean(name, self.lexicons) or f" (defined: {', '.join(sorted(self.lexicons)) or 'none'})"
            included = f" (included by '${seen[-1]}')" if seen else ""
            raise _PatternError(f"unknown lexicon '${name}'{included}{hint}")
        if name in seen:
            raise _PatternError(f"lexicon '${name}' includes itself ({' -> '.join(f'${n}' for n in (*seen, name))})")
        words: list[str] = []
        for word in self.lexicons[name]:
            is_ref = _LEXICON_REF.fullmatch(word)
            words.extend(self.words(word[1:], (*seen, name)) if is_ref else [word])
        return list(dict.fromkeys(words))

    def _lemma_forms(self, value: Any, keys: tuple[Any, ...]) -> Any:
        if isinstance(value, str):
            return {"IN": sorted(word_forms(value))}
        if isinstance(value, dict) and all(isinstance(lemmas, list) for lemmas in value.values()):
            forms = {op: sorted({f for lemma in lemmas for f in word_forms(lemma)}) for op, lemmas in value.items()}
            # "These lemmas but not those" is one word list, by word form: a form the two share
            # ("lay", of lie and of lay) is left out.
            return _one_word_list(forms, keys) if len(forms) > 1 else forms
        raise _PatternError(f"LEMMA must be a word or {{IN: [...]}} or {{NOT_IN: [...]}}, not {value!r}", keys)


def _several_words(value: Any, keys: tuple[Any, ...]) -> Any:
    """A token test's entries of several words ("athlete's foot"), checked, and each given its
    curly-apostrophe spelling too. The pipeline joins such an entry into one token where the
    text spells it (matcher.phrases), so that one token test can name it."""
    if isinstance(value, str):
        listed = {"IN": [value]}
    elif isinstance(value, dict):
        listed = {op: items for op, items in value.items() if op in _LIST_OPS and isinstance(items, list)}
    else:
        return value
    # Lexicons of thousands of words in hundreds of tokens: one C-level join and search each, as
    # a Python step per word made an uncached compile of the built-in packs 2 s slower.
    entries = lines_holding(joined_words(listed.values()), _SPACE_IN_WORD)
    if not entries:
        return value
    for entry in entries:
        if entry.split() != entry.split(" ") or any(stop in entry for stop in ".!?"):
            raise _PatternError(
                f"{entry!r}: the words of one entry are separated by single spaces, with no '.', "
                "'!' or '?' (where the text spells them so, they are joined into one token)",
                keys,
            )
    curly = {entry: entry.replace("'", "\u2019") for entry in entries if "'" in entry}
    if not curly:
        return value
    widened = {op: [*items, *(curly[w] for w in items if w in curly)] for op, items in listed.items()}
    return widened if isinstance(value, str) else {**value, **widened}


_SPACE_IN_WORD = re.compile(r"[^\S\n]")  # whitespace but the newlines joined_words puts between words


def _stops(stops: list[str], compiler: _PatternCompiler, origin: _Origin) -> frozenset[str]:
    """A modifier's stop_at: words and word sequences, where "$name" stands for a lexicon's
    entries (one list of the clause starts several modifiers stop at)."""
    found: list[str] = []
    for index, stop in enumerate(stops):
        try:
            words = compiler.words(stop[1:]) if _LEXICON_REF.fullmatch(stop) else [stop]
        except _PatternError as error:
            raise origin.at(index).error(error.message) from None
        for word in words:  # scope.py compares stops with the lower-cased words of the text
            if not word.strip() or word != word.lower() or word.startswith("$"):
                raise origin.at(index).error(f"a stop is lower-case words or '$lexicon', not {word!r}")
        found.extend(words)
    return frozenset(found)


def _both(first: Any, second: Any, keys: tuple[Any, ...]) -> Any:
    """One LOWER predicate that holds where both do. LEMMA is matched as LOWER over its word forms,
    so a token that also names LOWER ("-ing" forms of a lemma; a fragment's guard on a token
    that adds a LEMMA) would otherwise keep only one of the two. The forms are a word list, so
    the other predicate is applied to them here."""
    forms, other = (first, second) if _is_word_list(first) else (second, first)
    if not _is_word_list(forms):
        raise _PatternError("LOWER is given twice on one token (LEMMA counts as LOWER): combine them", keys)
    if isinstance(other, str):
        other = {"IN": [other]}
    if not isinstance(other, dict) or not other:
        raise _PatternError(f"LOWER must be a word or a dict of predicates, not {other!r}", keys)
    merged = forms
    # Each predicate narrows the forms in turn, IN first: after it the forms are a word list that
    # any other predicate can narrow.
    for other_op, other_value in sorted(other.items(), key=lambda item: item[0] != "IN"):
        merged = _narrowed(merged, other_op, other_value, keys)
    if merged.get("IN") == []:
        raise _PatternError("LEMMA and LOWER on this token allow no word: it can never match", keys)
    return merged


def _one_word_list(value: dict[str, Any], keys: tuple[Any, ...]) -> dict[str, Any]:
    """{IN: words, NOT_IN: ..., REGEX: ...} as the one word list where every predicate holds.
    Without IN there is no list to narrow, and the matcher takes one predicate: an error here,
    naming the token, rather than at start-up."""
    if "IN" not in value:
        ops = ", ".join(sorted(value))
        raise _PatternError(f"a word test with several predicates ({ops}) needs IN: the words it may be", keys)
    merged: dict[str, Any] = {"IN": value["IN"]}
    for op, other in value.items():
        if op != "IN":
            merged = _narrowed(merged, op, other, keys)
    if merged["IN"] == []:
        raise _PatternError("the predicates on this token allow no word: it can never match", keys)
    return merged


def _narrowed(forms: dict[str, list[str]], other_op: str, other_value: Any, keys: tuple[Any, ...]) -> dict[str, Any]:
    """The word list `forms` ({IN: ...} or {NOT_IN: ...}) where one more predicate also holds."""
    op, words = next(iter(forms.items()))
    if other_op == "REGEX" and op == "IN":
        regex = re.compile(other_value)
        return {"IN": [word for word in words if regex.search(word)]}
    if other_op in ("IN", "NOT_IN") and op == "IN":
        keep = set(other_value)
        return {"IN": [word for word in words if (word in keep) == (other_op == "IN")]}
    if other_op == "IN" and op == "NOT_IN":
        excluded = set(words)
        return {"IN": [word for word in other_value if word not in excluded]}
    if other_op == "NOT_IN" and op == "NOT_IN":
        return {"NOT_IN": list(dict.fromkeys([*words, *other_value]))}
    raise _PatternError(f"LEMMA with NOT_IN cannot be combined with LOWER {other_op} on one token", keys)


def _is_word_list(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN")


def _check_op(value: Any, keys: tuple[Any, ...]) -> None:
    """A repetition `{m,n}` the Matcher could never satisfy is a mistake: `{5,2}`, `{0}`."""
    match = _BOUNDED_OP.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return
    low, high = match.group(1), match.group(2) if "," in value else match.group(1)
    if high and (int(high) == 0 or (low and int(low) > int(high))):
        raise _PatternError(f"'{value}' asks for at least {low or 0} and at most {high} tokens", keys)
