"""Kept for code that imports the library API from here; the one pass lives in claimcheck.engine."""

from claimcheck.engine import lint_document, lint_paths, lint_text

__all__ = ["lint_document", "lint_paths", "lint_text"]
