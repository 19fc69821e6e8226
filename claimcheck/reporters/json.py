"""JSON: the versioned contract of docs/json-output.md."""

from __future__ import annotations

import json
from collections.abc import Mapping

from claimcheck.findings import LintResult
from claimcheck.packs import Rule
from claimcheck.reporters.common import summary, version

# Version of the JSON output contract (docs/json-output.md). Bump on incompatible change.
JSON_VERSION = 1


def render(result: LintResult, rules: Mapping[str, Rule]) -> str:
    return json.dumps(
        {
            "version": JSON_VERSION,
            "claimcheck": version(),
            "findings": [f.to_dict() for f in result.findings],
            "summary": summary(result),
        },
        ensure_ascii=False,
        indent=2,
    )
