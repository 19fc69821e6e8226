"""Detection quality may not drop below the committed floor (eval/floors.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

EVAL = Path(__file__).parent.parent / "eval"
sys.path.insert(0, str(EVAL))

import evaluate  # noqa: E402

FLOORS = yaml.safe_load((EVAL / "floors.yaml").read_text(encoding="utf-8"))
CORPORA = {"development": EVAL, "held-out": EVAL / "heldout"}


@pytest.fixture(scope="module")
def scores():
    return {name: evaluate.evaluate(root) for name, root in CORPORA.items()}


@pytest.mark.parametrize(
    ("corpus", "check", "metric"),
    [
        (corpus, check, metric)
        for corpus, checks in FLOORS.items()
        for check, metrics in checks.items()
        for metric in metrics
    ],
)
def test_score_above_floor(scores, corpus, check, metric):
    assert getattr(scores[corpus][check], metric) >= FLOORS[corpus][check][metric]
