"""JSON: the versioned contract of docs/json-output.md."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import Streamed, json_chunks, summary, version

# Version of the JSON output contract (docs/json-output.md). Bump on incompatible change.
JSON_VERSION = 1


def chunks(result: LintResult, rules: Mapping[str, Rule]) -> Iterator[str]:
    """The report in pieces, each finding's object made as it is written (see `render`)."""
    document = {
        "version": JSON_VERSION,
        "claimcheck": version(),
        "findings": Streamed(f.to_dict() for f in result.findings),
        "summary": summary(result),
    }
    return json_chunks(document)


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    """The findings and the summary as one JSON object, indented by two spaces."""
    return "".join(chunks(result, rules))
