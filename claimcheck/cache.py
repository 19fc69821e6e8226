"""An on-disk cache in the platform's user cache directory.

Whoever can write the cache directory must not be able to run code as the user: entries are
data, read back with checks of their shape, and anything unexpected is a miss. The checks cannot
tell a well-formed entry with altered contents from a true one, so, as with any cache kept in a
folder others can write, such a writer could change what a run reports; keep the folder private
(it is created in the user's cache directory) or set CLAIMCHECK_NO_CACHE=1.
Entries are JSON keyed by a digest of everything that determines them, and each entry stores
the hashes of the files it was built from, so an edited pack is never served stale. Entries
whose key already covers their inputs (lint results, keyed by the document's content hash)
are stored without source files and never re-validated. Compiled rule sets are the one
exception to JSON: they are objects of a few claimcheck classes, and are unpickled with only
those classes allowed (see `_ALLOWED_CLASSES`).

The cache keeps at most MAX_ENTRIES entries per namespace, evicting the least recently used.
Any failure to read or write the cache is ignored: it only saves time.
Set CLAIMCHECK_NO_CACHE=1 to bypass it (`claimcheck check --no-cache` bypasses only lint results).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import pickle
import re
from pathlib import Path
from typing import Any

from claimcheck import __version__

MAX_ENTRIES = 20_000  # per namespace; a lint result entry is a few KB
MAX_ENTRY_BYTES = 64 * 1024 * 1024

# Rule sets are built by packs.py as objects of these classes (module, name); nothing else is
# ever constructed when one is read back. A data form of RuleSet would belong to packs.py.
_ALLOWED_CLASSES = frozenset(
    {
        ("claimcheck.packs", "RuleSet"),
        ("claimcheck.packs", "Rule"),
        ("claimcheck.packs", "Modifier"),
        ("claimcheck.packs", "Fix"),
        ("claimcheck.findings", "Severity"),
    }
)
_PICKLED = frozenset({"rulesets"})
_evicted: set[str] = set()  # namespaces already trimmed by this process


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("CLAIMCHECK_CACHE_DIR") or user_cache_dir("claimcheck"))


def _enabled() -> bool:
    return os.environ.get("CLAIMCHECK_NO_CACHE", "") in ("", "0")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry(namespace: str, key: str) -> Path:
    digest = hashlib.sha256(f"{__version__}\0{key}".encode()).hexdigest()[:32]
    return cache_dir() / namespace / f"{digest}.{'pickle' if namespace in _PICKLED else 'json'}"


class _AllowedClasses(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


def _decode(namespace: str, data: bytes) -> tuple[list[tuple[str, str]], Any]:
    if namespace in _PICKLED:
        entry = _AllowedClasses(io.BytesIO(data)).load()
        from claimcheck.packs import RuleSet

        sources, value = entry
        if not isinstance(value, RuleSet):
            raise ValueError("not a rule set")
    else:
        entry = json.loads(data)
        sources, value = entry["sources"], entry["value"]
    if not all(isinstance(path, str) and isinstance(digest, str) for path, digest in sources):
        raise ValueError("bad sources")
    return sources, value


def _encode(namespace: str, sources: list[tuple[str, str]], value: Any) -> bytes:
    if namespace in _PICKLED:
        return pickle.dumps((sources, value), protocol=pickle.HIGHEST_PROTOCOL)
    return json.dumps({"sources": sources, "value": value}, ensure_ascii=False).encode("utf-8", "surrogatepass")


def load(namespace: str, key: str) -> Any | None:
    """The cached value, or None when absent, unreadable, of an unexpected shape, or built from
    files that changed since. Callers check the value's shape too."""
    if not _enabled():
        return None
    path = _entry(namespace, key)
    try:
        if path.stat().st_size > MAX_ENTRY_BYTES:
            return None
        sources, value = _decode(namespace, path.read_bytes())
        if all(file_hash(Path(source)) == digest for source, digest in sources):
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: evicted last
            return value
    except Exception:
        return None
    return None


def store(namespace: str, key: str, value: Any, sources: list[tuple[str, str]] | None = None) -> None:
    """Write atomically (temp file + rename) so parallel runs never read half an entry."""
    import tempfile  # only when writing: a run the cache answers does not pay for it

    if not _enabled():
        return
    path = _entry(namespace, key)
    try:
        data = _encode(namespace, sources or [], value)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, path)
        if namespace not in _evicted:
            _evicted.add(namespace)
            _evict(path.parent)
    except (OSError, TypeError, ValueError, pickle.PicklingError):
        pass


_ENTRY_NAME = re.compile(r"[0-9a-f]{32}\.(?:json|pickle)")  # what _entry names; nothing else is removed


def _evict(folder: Path, keep: int | None = None) -> None:
    """Remove the least recently used entries beyond `keep` (MAX_ENTRIES); files the cache did
    not name are left alone (a cache directory set to a folder that holds other files)."""
    keep = MAX_ENTRIES if keep is None else keep
    entries = []
    for entry in os.scandir(folder):
        if not _ENTRY_NAME.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            entries.append((entry.stat().st_mtime, entry.path))
    if len(entries) <= keep:
        return
    for _, path in sorted(entries)[: len(entries) - keep]:
        with contextlib.suppress(OSError):
            os.unlink(path)


@functools.cache
def code_digest() -> str:
    """Identifies the code that produces findings: claimcheck's own source and the NLP packages' versions.

    Part of the key of every cached artefact (lint results, compiled rule sets, prefilters), so
    a development checkout edited without a version bump, or an upgraded spaCy, never serves
    what the code would no longer produce. A source counts by its path, size and modification
    time, as make and pytest's caches count files: an edit changes them, and reading every source
    on every start cost more (~6 ms) than a page where nothing can fire takes to lint.
    """
    digest = hashlib.sha256(__version__.encode())
    package = os.path.dirname(__file__)
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                relative = os.path.relpath(os.path.join(folder, name), package)
                digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for name in ("spacy", "spacy-lookups-data"):
        digest.update(f"\0{name}={installed_version(name)}".encode())
    return digest.hexdigest()[:16]


@functools.cache
def installed_version(distribution: str) -> str:
    """The installed version of a distribution ("" when it is not installed).

    Read from the name of its `<name>-<version>.dist-info` folder beside the package when there
    is one: importing importlib.metadata costs more (~30 ms) than a page where nothing can fire
    takes to lint.
    """
    import importlib.util

    module = distribution.replace("-", "_")
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))).parent
        found = sorted(folder.glob(f"{module}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(module) + 1 : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return ""
