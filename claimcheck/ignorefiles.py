"""`.gitignore` and `.ignore` files, as directory walks respect them (git's matching, via pathspec).

A walk reads the ignore files of the folders it enters, and of the folders above where it
starts up to the repository's root (the folder holding `.git`), so `claimcheck check content/`
respects the repository's top-level `.gitignore` too (but a folder named on purpose is walked
even when those files ignore it). A deeper file overrides a shallower one
and `.ignore` overrides `.gitignore` in the same folder (as ripgrep and ruff do); `!pattern`
re-includes. An ignored folder is not entered, so nothing inside it can be re-included (as in git).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

IGNORE_FILES = (".gitignore", ".ignore")  # in this order: the later one wins


@dataclass
class IgnoreFiles:
    """The ignore files that apply within one walk, loaded as it enters folders."""

    specs: list[tuple[Path, Path, GitIgnoreSpec]] = field(default_factory=list)  # (folder, file, spec), outer first

    @classmethod
    def above(cls, root: Path) -> IgnoreFiles:
        """The ignore files of `root`'s parents up to the repository root (none outside a repository)."""
        root = root.resolve()
        parents: list[Path] = []
        for folder in root.parents:
            parents.append(folder)
            if (folder / ".git").exists():
                break
        else:
            parents = []  # not in a repository: only the walked tree's own ignore files count
        ignores = cls()
        for folder in reversed(parents):
            ignores.enter(folder)
        if ignores.ignoring(root, True):
            return cls()  # a folder named on purpose is walked, though its parents' files ignore it
        return ignores

    def enter(self, folder: Path, names: set[str] | None = None) -> None:
        """Load the ignore files in `folder` (`names`: its file names, when the walk already listed them)."""
        folder = folder.resolve()
        for name in IGNORE_FILES:
            if names is not None and name not in names:
                continue
            path = folder / name
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:  # absent, or unreadable: ignores nothing
                continue
            from pathspec import GitIgnoreSpec  # only where there is an ignore file: it takes a while to import

            self.specs.append((folder, path, GitIgnoreSpec.from_lines(lines)))

    def ignoring(self, path: Path, is_dir: bool) -> Path | None:
        """The ignore file that ignores `path`, or None when none does (or the last match re-includes it)."""
        # The folder is resolved, not the entry itself: ignore files match names as written, and
        # a symlink (even one that loops) is judged by where it sits.
        path = path.parent.resolve() / path.name
        decided: Path | None = None
        for folder, source, spec in self.specs:
            try:
                relative = path.relative_to(folder).as_posix()
            except ValueError:
                continue
            if relative == ".":
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                decided = source if result.include else None
        return decided
