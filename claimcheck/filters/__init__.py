"""Filters: what the checks found, narrowed to what a run reports. In pipeline order:

1. suppressions: inline comments in the document (per document, inside lint_document),
   which also report directives that suppress nothing;
2. baseline: findings recorded by `claimcheck baseline create` (per run);
3. changed_lines: findings off the lines changed since a git revision (per run).
"""
