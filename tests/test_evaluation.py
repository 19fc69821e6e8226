"""Detection quality may not drop below the committed floors (eval/floors.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

EVAL = Path(__file__).parent.parent / "eval"
sys.path.insert(0, str(EVAL))

import evaluate  # noqa: E402

FLOORS = yaml.safe_load((EVAL / "floors.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores():
    return evaluate.all_scores()


@pytest.mark.parametrize(
    ("corpus", "check", "metric"),
    [
        (corpus, check, metric)
        for corpus, checks in FLOORS.items()
        for check, metrics in checks.items()
        for metric in metrics
    ],
)
def test_score_within_floor(scores, corpus, check, metric):
    value = evaluate._metric(scores[corpus][check], metric)
    assert evaluate._within(value, metric, FLOORS[corpus][check][metric]), f"{corpus}: {check} {metric} {value:.3f}"


def test_below_floors_names_each_failure():
    score = evaluate.Score(tp=1, fp=1, fn=1)
    scores = {corpus: dict.fromkeys(checks, score) for corpus, checks in FLOORS.items()}
    failures = evaluate.below_floors(scores)
    assert failures and all(": " in line and "floor" in line for line in failures)
