"""The footnote-marker search takes shortcuts (start only at marker characters, skip the emphasis
pattern when there is no asterisk); these check that it finds exactly what the plain regex
search finds, on text made of the characters that matter."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.readers import markers

# Marker characters, what may stand before or after them, and plain letters.
ALPHABET = "[]^*†‡§¶¹²³⁰|\\ \t\n.,:;!?)\"'”1239-–ab"
texts = st.text(alphabet=ALPHABET, max_size=60)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_reference_matches_are_finditer(text: str) -> None:
    expected = [(m.span(), m.groupdict()) for m in markers._REFERENCE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in markers._reference_matches(text)] == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n\\*", max_size=40))
def test_emphasis_shortcut_keeps_the_delimiters(text: str) -> None:
    expected: set[int] = set()
    for match in markers._EMPHASIS.finditer(text):
        run = len(match.group(1))
        expected.update(range(match.start(), match.start() + run))
        expected.update(range(match.end() - run, match.end()))
    assert markers._emphasis_delimiters(text) == expected
    assert markers._emphasis_delimiters(text.replace("*", "")) == set()


def test_known_markers_are_found() -> None:
    text = "Relief*, faster† and time^ [1] [^note] results¹ relief\\* | * | done"
    found = [m.group(0) for m in markers._reference_matches(text)]
    assert found == [m.group(0) for m in markers._REFERENCE.finditer(text)]
    assert len(found) == 8


def test_an_omission_or_a_section_break_is_no_footnote() -> None:
    # Quoted labels mark cuts with "* * *"; Markdown and plain text break sections with "***".
    for line in ("* * * For Catarrh of the Nasal Cavity", "***\nNext section", "  *  *  * and more"):
        assert markers.find_definitions(line) == [], line
    assert [d.text for d in markers.find_definitions("* Results not typical.")] == ["*"]
