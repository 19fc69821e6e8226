"""Findings: the one record every check yields and every reporter renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __str__(self) -> str:
        return self.value


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True, slots=True)  # slots: a large tree's run holds many thousands
class Finding:
    """One problem at one place. Positions are 1-based; columns count characters."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    kind: str
    severity: Severity
    message: str
    excerpt: str
    pack: str
    explanation: str = ""  # why this text triggered the rule (which words, which hedge)

    def to_dict(self) -> dict:
        # Every field is a flat value: a shallow copy is what dataclasses.asdict's deep copy
        # makes of it, several times faster (a large tree's report holds many thousands).
        data = {name: getattr(self, name) for name in self.__slots__}
        data["severity"] = self.severity.value
        return data

    @classmethod
    def list_from_data(cls, data: Any, path: str) -> list[Finding] | None:
        """Findings from what `to_dict` made of them (a cache entry), at `path`; None unless every
        item has exactly the fields of a Finding, each of its type."""
        if not isinstance(data, list):
            return None
        findings = []
        for item in data:
            if not isinstance(item, dict) or set(item) != _FIELD_TYPES.keys():
                return None
            if not all(type(item[name]) is kind for name, kind in _FIELD_TYPES.items()):
                return None
            if item["severity"] not in _SEVERITY_VALUES or min(item["line"], item["column"]) < 1:
                return None
            findings.append(cls(**{**item, "path": path, "severity": Severity(item["severity"])}))
        return findings


# What a Finding's fields hold once serialised (Finding.to_dict): the shape a cache entry must have.
_FIELD_TYPES = {
    name: int if name in ("line", "column", "end_line", "end_column") else str for name in Finding.__annotations__
}
_SEVERITY_VALUES = frozenset(severity.value for severity in Severity)


@dataclass
class LintResult:
    """What one run produced: every reporter renders this."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be linted, one line each
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # files a directory walk passed over, and why
    paths: list[str] = field(default_factory=list)  # the files linted, as reported (JUnit lists the clean ones)
    # The text of each file with findings as it was linted (a .docx: one paragraph a line), by
    # path: what the HTML report shows, the baseline fingerprints and fixes rewrite, so no later
    # stage reads the disk again. (Only those files: a run over a large tree does not hold it whole.)
    texts: dict[str, str] = field(default_factory=dict)
    stale: list[Any] = field(default_factory=list)  # baseline entries that match no finding any more
    fixes: Any = None  # the fixes.Plan, when the run was asked to plan fixes
    # The lowest severity that fails the run (--fail-on or the config's fail_on), for reporters
    # that say pass or fail (JUnit); None: every finding fails.
    fail_on: Severity | None = None
    # How the run was made, for reports kept as evidence (claimcheck.provenance): generated,
    # commit, packs, rules... Filled by the CLI for the HTML report; empty otherwise.
    provenance: dict[str, str] = field(default_factory=dict)

    def fails(self, finding: Finding) -> bool:
        """Whether a finding fails the run: at or above `fail_on`."""
        return self.fail_on is None or finding.severity.rank >= self.fail_on.rank
