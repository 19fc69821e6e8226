"""scope.py on token indices alone: which cues reach a claim, and why the others do not."""

from __future__ import annotations

from claimcheck.scope import Cue, coverage, resolve_cues


def words(text: str) -> list[str]:
    return text.lower().split()


def cue(text: str, sentence: str, category: str = "hedge", direction: str = "forward", **options) -> Cue:
    start = words(sentence).index(text.split()[0].lower())
    return Cue(start, start + len(text.split()), text, category, direction, **options)


def test_a_forward_hedge_covers_the_claim_after_it():
    s = "acupuncture may help reduce back pain"
    found = coverage(3, 6, (0, 6), [cue("may", s)], [], words(s))
    assert [c.text for c in found.covering] == ["may"]


def test_a_terminator_ends_the_scope_and_says_so():
    s = "it may help some but our surgery cures sciatica"
    but = cue("but", s, "terminate")
    found = coverage(7, 9, (0, 9), [cue("may", s)], [but], words(s))
    assert not found.covering
    assert found.missed[0][1] == "'but' ends the scope of 'may'"


def test_a_terminator_that_names_modifiers_ends_only_theirs():
    s = "it may ease stress and relieves pain"
    finite = Cue(4, 6, "and relieves", "terminate", ends=frozenset({"core/hedge-modal"}))
    modal = cue("may", s, modifier="core/hedge-modal")
    adverb = cue("may", s, modifier="core/hedge-adverb")
    assert coverage(5, 7, (0, 7), [modal], [finite], words(s)).missed[0][1] == "'and relieves' ends the scope of 'may'"
    assert coverage(5, 7, (0, 7), [adverb], [finite], words(s)).covering == (adverb,)


def test_max_scope_limits_the_reach():
    s = "not a single one of our many patients ever had pain relieved"
    negation = cue("not", s, "negation", max_scope=3)
    found = coverage(9, 12, (0, 12), [negation], [], words(s))
    assert found.missed[0][1] == "'not' reaches only 3 words"


def test_a_backward_cue_covers_what_comes_before_it():
    s = "relieves pain results may vary"
    vary = cue("results may vary", s, direction="backward")
    assert coverage(0, 2, (0, 5), [vary], [], words(s)).covering == (vary,)


def test_a_forward_cue_after_the_claim_does_not_cover_it():
    s = "our cream relieves pain and it may cause redness"
    found = coverage(2, 4, (0, 9), [cue("may", s)], [], words(s))
    assert found.missed[0][1] == "'may' comes after the claim and only reaches forward"


def test_a_hedge_inside_a_long_match_covers_it_but_a_negation_is_part_of_the_claim():
    s = "lowers blood pressure and may prevent strokes"
    assert coverage(0, 7, (0, 7), [cue("may", s)], [], words(s)).covering
    t = "no side effects"
    assert not coverage(0, 3, (0, 3), [cue("no", t, "negation")], [], words(t)).covering


def test_a_commerce_cue_inside_a_match_says_what_it_compares():
    s = "faster shipping than any other pharmacy"
    shipping = cue("shipping", s, "commerce", "both", max_scope=3)
    assert coverage(0, 6, (0, 6), [shipping], [], words(s)).covering == (shipping,)


def test_a_cue_reaching_both_ways_says_why_it_missed_a_claim_after_it():
    s = "cost up to 40% less than the leading brand"
    cost = cue("cost", s, "commerce", "both", max_scope=2)
    found = coverage(3, 8, (0, 8), [cost], [], words(s))
    assert found.missed == ((cost, "'cost' reaches only 2 words"),)


def test_a_subject_claim_takes_its_verbs_modal_or_negation():
    s = "managing stress could matter more than you think"
    assert coverage(0, 2, (0, 8), [cue("could", s)], [], words(s)).covering
    t = "antibiotics do not work against viruses"
    assert coverage(0, 1, (0, 6), [cue("not", t, "negation")], [], words(t)).covering


def test_a_claim_that_defines_the_subjects_class_takes_its_verbs_modal():
    s = "medicines that treat heartburn might help bladder symptoms"
    assert coverage(2, 4, (0, 8), [cue("might", s)], [], words(s)).covering
    t = "learning to reduce stress may help control symptoms"
    assert coverage(2, 4, (0, 8), [cue("may", t)], [], words(t)).covering
    # A product, a person or a longer stretch before the claim is no class being defined.
    for sentence in ("our tea that cures colds may help flu", "patients who cure colds may help flu"):
        start = words(sentence).index("colds") - 1
        assert not coverage(start, start + 2, (0, 8), [cue("may", sentence)], [], words(sentence)).covering


def test_a_subject_rule_stops_at_a_conjunction_and_at_without():
    s = "eliminates pain and may reduce swelling"
    assert not coverage(0, 2, (0, 6), [cue("may", s)], [], words(s)).covering
    t = "lose weight without dieting"
    assert not coverage(0, 2, (0, 4), [cue("without", t, "negation")], [], words(t)).covering


def test_a_cue_in_an_earlier_sentence_is_named():
    s = "it may help . our surgery cures sciatica"
    found = coverage(5, 7, (4, 7), [cue("may", s)], [], words(s))
    assert found.missed == ((found.missed[0][0], "'may' is in a different sentence"),)


def test_only_the_nearest_earlier_cue_of_each_category_is_named():
    s = "it is not a drug . " + "it may help . " * 50 + "our surgery cures sciatica"
    starts = [i for i, word in enumerate(words(s)) if word == "may"]
    cues = [Cue(3, 4, "not", "negation"), *(Cue(i, i + 1, "may", "hedge") for i in starts)]
    end = len(words(s))
    found = coverage(end - 3, end, (end - 4, end), cues, [], words(s))
    assert [cue.start for cue, _ in found.missed] == [starts[-1]]  # the negation is 50 sentences back
    near = cues[:1] + cues[-3:]
    found = coverage(end - 3, end, (end - 4, end), near, [], words(s))
    assert [(cue.category, cue.start) for cue, _ in found.missed] == [("hedge", starts[-1]), ("negation", 3)]


def test_resolve_cues_keeps_the_longest_and_drops_what_pseudo_cues_overlap():
    long = Cue(0, 3, "is believed to", "hedge")
    short = Cue(1, 2, "believed", "hedge")
    pseudo_hit = Cue(5, 6, "not", "negation")
    kept, terminators = resolve_cues([short, long, pseudo_hit, Cue(7, 8, "but", "terminate")], [(5, 7)])
    assert kept == [long]
    assert [t.text for t in terminators] == ["but"]


def test_resolve_cues_keeps_a_nested_cue_that_reaches_further():
    # "Determine if": a pack's cue of 16 words must not hide core's "if", which reaches further.
    outer = Cue(0, 2, "Determine if", "hypothetical", max_scope=16)
    inner = Cue(1, 2, "if", "hypothetical")
    kept, _ = resolve_cues([outer, inner], [])
    assert kept == [outer, inner]
    # ... but a nested cue that reaches no further is one cue with the outer one.
    kept, _ = resolve_cues([outer, Cue(1, 2, "if", "hypothetical", max_scope=8)], [])
    assert kept == [outer]


def test_a_backward_cue_stops_at_its_stop_words():
    s = "our tea prevents colds , and it is unclear why"
    unclear = cue("is unclear", s, direction="backward", stop_at=frozenset({","}))
    found = coverage(2, 4, (0, 10), [unclear], [], words(s))
    assert found.missed[0][1] == "',' ends the scope of 'is unclear'"


def test_a_comma_stop_between_clauses_still_ends_the_scope():
    s = "ginger may help nausea , and our tea cures colds"
    may = cue("may", s, stop_at=frozenset({","}))
    found = coverage(8, 10, (0, 10), [may], [], words(s))
    assert found.missed[0][1] == "',' ends the scope of 'may'"


def test_no_cue_reaches_more_than_a_hundred_words():
    # The bound that keeps a sentence of thousands of cues linear: 99 words away is reached, 101 not.
    for gap, reached in ((99, True), (101, False)):
        s = "it may " + "x " * gap + "cure colds"
        lower = words(s)
        found = coverage(len(lower) - 2, len(lower), (0, len(lower)), [cue("may", s)], [], lower)
        assert bool(found.covering) is reached, gap


def test_cues_of_a_category_inside_another_are_one_but_overlapping_ones_are_both_kept():
    believed = Cue(1, 4, "is believed to", "hedge", "forward")
    inner = Cue(2, 3, "believed", "hedge", "forward")
    predicate = Cue(1, 3, "is limited", "hedge", "both")
    evidence = Cue(2, 4, "limited evidence", "hedge", "forward")
    assert resolve_cues([inner, believed], [])[0] == [believed]
    assert resolve_cues([evidence, predicate], [])[0] == [predicate, evidence]
