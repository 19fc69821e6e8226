"""What a report says about its own making, for reviewers who keep it as evidence: when it was
generated, the content's git commit (and whether the tree had uncommitted changes), and the
packs and rule set used. The CLI gathers it; reporters only show it."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

from claimcheck import __version__
from claimcheck.config import Config


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def gather(
    config: Config, folder: Path, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The provenance of a run over content in `folder` with `config` (plain strings, for any reporter)."""
    ruleset = config.ruleset(select, ignore)
    facts = {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "claimcheck": __version__,
        "packs": ", ".join(config.packs),
        "config": str(config.source) if config.source else "built-in defaults",
        "rules": str(len(ruleset.reported)),
        "ruleset": ruleset.digest[:12],
    }
    commit = _git(folder, "rev-parse", "HEAD")
    if commit:
        facts["commit"] = commit
        if _git(folder, "status", "--porcelain", "--untracked-files=no"):
            facts["commit"] += " (with uncommitted changes)"
    return facts
