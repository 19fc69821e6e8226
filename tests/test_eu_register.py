"""The eu-health-claims allow-list: where it came from, that scripts/eu_register.py makes it, and
that the pack reports none of the claims it authorises."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import yaml

from claimcheck.config import Config
from claimcheck.lint import lint_text

ROOT = Path(__file__).parent.parent
PACK = ROOT / "rules" / "eu-health-claims"
REGISTER = yaml.safe_load((PACK / "register.yaml").read_text(encoding="utf-8"))
CONFIG = Config(packs=("eu-health-claims",))


def pack_findings(text: str) -> list[str]:
    found = lint_text(text, "page.md", config=CONFIG)
    return [f"{f.rule} {f.excerpt!r}" for f in found if f.rule.startswith("eu-health-claims/")]


def test_the_register_says_what_it_is():
    assert REGISTER["source"] and REGISTER["source_url"].startswith("https://")
    datetime.date.fromisoformat(REGISTER["retrieved"])
    assert "2011/833/EU" in REGISTER["licence"]
    assert REGISTER["count"] == len(REGISTER["claims"]) > 0
    assert all(claim["claim"] and claim["substance"] and claim["conditions"] for claim in REGISTER["claims"])


def test_no_authorised_claim_is_reported():
    document = "\n\n".join(f"{claim['claim']}." for claim in REGISTER["claims"])
    assert pack_findings(document) == []


def test_every_authorised_claim_answers_a_general_benefit():
    # Article 10(3): "good for you" is allowed beside a specific authorised claim.
    rule = "eu-health-claims/general-benefit-needs-specific"
    unanswered = [
        claim["claim"]
        for claim in REGISTER["claims"]
        if any(found.startswith(rule) for found in pack_findings(f"Good for you.\n\n{claim['claim']}."))
    ]
    assert unanswered == []


def test_the_script_makes_the_committed_files(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import eu_register
    finally:
        sys.path.pop(0)
    arguments = ["--retrieved", REGISTER["retrieved"], "--source", REGISTER["source"]]
    arguments += ["--source-url", REGISTER["source_url"], "--note", REGISTER["note"], "--out", str(tmp_path)]
    assert eu_register.main([str(ROOT / "data" / "eu-register" / "subset-432-2012.csv"), *arguments]) == 0
    for name in ("register.yaml", "lexicons/authorised_substance.txt"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (PACK / name).read_text(encoding="utf-8"), name


def test_the_script_keeps_only_authorised_claims(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import eu_register
    finally:
        sys.path.pop(0)
    export = tmp_path / "export.csv"
    export.write_text(
        'Claim type,"Nutrient, substance, food or food category",Claim,Conditions of use of the claim / '
        "Restrictions of use / Reasons for non-authorisation,Health relationship,Status\n"
        "Art.13(1),Zinc,Zinc contributes to normal cognitive function,source of zinc,cognitive function,Authorised\n"
        "Art.13(1),Green tea,Green tea supports your metabolism,not substantiated,metabolism,Non-authorised\n",
        encoding="utf-8",
    )
    assert eu_register.main([str(export), "--retrieved", "2026-01-01", "--out", str(tmp_path / "pack")]) == 0
    written = yaml.safe_load((tmp_path / "pack" / "register.yaml").read_text(encoding="utf-8"))
    assert [claim["claim"] for claim in written["claims"]] == ["Zinc contributes to normal cognitive function"]
    assert (tmp_path / "pack" / "lexicons" / "authorised_substance.txt").read_text().splitlines()[1:] == ["zinc"]
