"""How a regulatory pack does on real copy of its kind (eval/real/), by row.

    python bench/pack_realcopy.py us-fda-supplements [--show]

A row is reported when a rule of the pack (not of the packs it extends) of the claim kinds
that pack targets fires on it. Positives: regulator-quoted rows labelled as claims from
sources of the pack's kind; negatives: the unlabelled rows of those sources and the
patient-education sentences. Ambiguous rows are left out. Only the development part is
ever shown row by row (--show); the held-out part is reported as aggregate numbers only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimcheck.config import Config
from claimcheck.lint import lint_text
from eval import realcopy

# Which sources are copy of the pack's kind, and which rule kinds count as the pack reporting.
PACKS = {
    "us-fda-supplements": {
        "sources": lambda row: row.product_type == "supplement" and row.source_kind.startswith("fda"),
        "kinds": {"disease"},
    },
    "us-ftc-health": {
        "sources": lambda row: row.source_kind.startswith("ftc") or row.source_kind == "fda-ftc-joint-letter",
        "kinds": None,  # every claim rule of the pack (testimonials, endorsements, gut check)
    },
}


def _fires(pack: str, kinds: set[str] | None, text: str, rules: dict) -> list[str]:
    found = lint_text(text, "row.txt", config=Config(packs=(pack,)))
    return [
        f.rule
        for f in found
        if f.rule.startswith(pack + "/") and f.kind == "claim" and (kinds is None or rules[f.rule].claim_kind in kinds)
    ]


def measure(pack: str, part: realcopy.Corpus) -> dict:
    spec = PACKS[pack]
    rules = Config(packs=(pack,)).ruleset().rules
    rows = [r for r in part.rows if spec["sources"](r) and not r.ambiguous]
    negatives = [r for r in part.negatives if not r.ambiguous and not r.expect]
    tp, fn, fp, tn = [], [], [], []
    for row in rows + negatives:
        fired = _fires(pack, spec["kinds"], row.text, rules)
        positive = bool(row.expect) and row in rows
        (tp if positive and fired else fn if positive else fp if fired else tn).append((row, fired))
    recall = len(tp) / max(1, len(tp) + len(fn))
    targets = spec.get("targets")
    if targets:
        hit = [row for row, _ in tp if row.expect & targets]
        missed = [row for row, _ in fn if row.expect & targets]
        recall_targets = len(hit) / max(1, len(hit) + len(missed))
    else:
        recall_targets = None
    precision = len(tp) / max(1, len(tp) + len(fp))
    return {
        "tp": tp,
        "fn": fn,
        "fp": fp,
        "tn": tn,
        "recall": recall,
        "recall_targets": recall_targets,
        "precision": precision,
        "rows": len(rows),
        "negatives": len(negatives),
    }


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in PACKS:
        sys.exit(f"usage: python bench/pack_realcopy.py {{{','.join(PACKS)}}} [--show]")
    pack, show = sys.argv[1], "--show" in sys.argv
    corpus = realcopy.load()
    for name in realcopy.SPLITS:
        result = measure(pack, corpus.split(name))
        fp_neg = sum(1 for row, _ in result["fp"] if row.source_kind == "patient-education")
        print(
            f"{pack} {name}: {result['rows']} rows of its kind + {result['negatives']} patient-education; "
            f"TP {len(result['tp'])} FN {len(result['fn'])} FP {len(result['fp'])} "
            f"(of which patient-education {fp_neg}) TN {len(result['tn'])}; "
            f"recall {result['recall']:.2f} precision {result['precision']:.2f}"
        )
        if result["recall_targets"] is not None:
            print(f"  recall on rows labelled {sorted(PACKS[pack]['targets'])}: {result['recall_targets']:.2f}")
        if show and name == "development":
            for label in ("fn", "fp"):
                for row, fired in result[label]:
                    print(f"  {label.upper()} [{row.source}] {row.text!r} {fired}")


if __name__ == "__main__":
    main()
