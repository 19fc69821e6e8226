"""claimcheck: a linter for health-marketing copy.

Library API (the same pass the CLI runs)::

    from claimcheck import lint_text, lint_paths
    findings = lint_text("Our formula cures arthritis.", path="page.md")
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "lint_paths", "lint_text"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `claimcheck --version` and `claimcheck rules` never import the NLP stack.
    if name in ("lint_text", "lint_paths"):
        from claimcheck import engine

        return getattr(engine, name)
    raise AttributeError(name)
