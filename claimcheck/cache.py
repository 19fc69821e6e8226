"""An on-disk cache in the platform's user cache directory.

Entries are pickles keyed by a digest of everything that determines them, and each
entry stores the hashes of the files it was built from, so an edited pack is never
served stale. Entries whose key already covers their inputs (lint results, keyed by the
document's content hash) are stored without source files and never re-validated.
Any failure to read or write the cache is ignored: it only saves time.
Set CLAIMCHECK_NO_CACHE=1 to bypass it (`claimcheck check --no-cache` bypasses only lint results).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from claimcheck import __version__


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get("CLAIMCHECK_CACHE_DIR") or user_cache_dir("claimcheck"))


def _enabled() -> bool:
    return os.environ.get("CLAIMCHECK_NO_CACHE", "") in ("", "0")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry(namespace: str, key: str) -> Path:
    digest = hashlib.sha256(f"{__version__}\0{key}".encode()).hexdigest()[:32]
    return cache_dir() / namespace / f"{digest}.pickle"


def load(namespace: str, key: str) -> Any | None:
    """The cached value, or None when absent, unreadable, or built from files that changed since."""
    if not _enabled():
        return None
    try:
        sources, value = pickle.loads(_entry(namespace, key).read_bytes())
        if all(file_hash(Path(path)) == digest for path, digest in sources):
            return value
    except Exception:
        return None
    return None


def store(namespace: str, key: str, value: Any, sources: list[tuple[str, str]] | None = None) -> None:
    """Write atomically (temp file + rename) so parallel runs never read half an entry."""
    if not _enabled():
        return
    path = _entry(namespace, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(pickle.dumps((sources or [], value), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(handle.name, path)
    except OSError:
        pass


@functools.cache
def code_digest() -> str:
    """Identifies the code that produces findings: claimcheck's own source and the NLP packages' versions.

    Part of the key of cached lint results, so a development checkout edited without a
    version bump, or an upgraded spaCy, never serves findings the code would no longer produce.
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    for name in ("spacy", "spacy-lookups-data"):
        try:
            digest.update(f"\0{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{name}=".encode())
    return digest.hexdigest()[:16]
