"""The claim spans kept for a sentence: every span inside no other, found in one pass."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimcheck.checks.claims import _outermost

spans = st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6)).map(lambda s: (s[0], s[0] + s[1])), max_size=12)


@given(spans)
def test_outermost_keeps_exactly_the_spans_inside_no_other(found):
    inside = {a for a in found for b in found if b != a and b[0] <= a[0] and a[1] <= b[1]}
    assert _outermost(found) == sorted(set(found) - inside)


def test_many_nested_spans_in_one_sentence():
    # Every length of every match, as the Matcher reports them: 20,000 spans, one pass.
    found = [(start, start + length) for start in range(0, 10_000, 2) for length in (1, 2, 3, 4)]
    assert _outermost(found) == [(start, start + 4) for start in range(0, 10_000, 2)]
