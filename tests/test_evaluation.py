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


@pytest.fixture(scope="module")
def scores():
    return evaluate.evaluate()


@pytest.mark.parametrize(
    ("check", "metric"), [(check, metric) for check, metrics in FLOORS.items() for metric in metrics]
)
def test_score_above_floor(scores, check, metric):
    assert getattr(scores[check], metric) >= FLOORS[check][metric]
