"""claimcheck: a linter for health-marketing copy.

Library API (the same pass the CLI runs; documented in docs/library-api.md)::

    from claimcheck import lint_text, lint_paths
    findings = lint_text("Our formula cures arthritis.", path="page.md")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "ClaimcheckError",
    "Config",
    "ExitCode",
    "Finding",
    "LintResult",
    "Severity",
    "__version__",
    "find_config",
    "lint_paths",
    "lint_text",
    "load_config",
]

if TYPE_CHECKING:  # what type checkers see; at run time the names load on first use (below)
    from claimcheck.config import Config, find_config, load_config
    from claimcheck.engine import lint_paths, lint_text
    from claimcheck.errors import ClaimcheckError, ExitCode
    from claimcheck.findings import Finding, LintResult, Severity

# Where each exported name lives. Loaded lazily, so that `claimcheck --version` and
# `claimcheck rules` never import the NLP stack.
_EXPORTS = {
    "lint_text": "claimcheck.engine",
    "lint_paths": "claimcheck.engine",
    "Config": "claimcheck.config",
    "find_config": "claimcheck.config",
    "load_config": "claimcheck.config",
    "Finding": "claimcheck.findings",
    "LintResult": "claimcheck.findings",
    "Severity": "claimcheck.findings",
    "ExitCode": "claimcheck.errors",
    "ClaimcheckError": "claimcheck.errors",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
