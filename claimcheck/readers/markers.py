"""Footnote markers and footnote definitions, found in a document's prose.

A *reference* is a marker in body copy (``relief*``, ``time^``, ``study[2]``,
``results¹``, ``[^note]``); a *definition* is a line that starts with a marker
(``* Results not typical``, ``[^note]: ...``, ``¹ Smith 2021``) or an entry of a
numbered list under a "References"/"Sources" heading. Both are keyed so that the
numbering styles agree (``[1]``, ``¹`` and ``1.`` under "References" all mean note 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SYMBOLS = r"\*{1,4}|†{1,3}|‡{1,3}|§{1,2}|¶{1,2}"
# What may follow a reference marker: space, closing punctuation or the end of the text.
_AFTER = r"(?=[\s.,;:!?)\]\"'”’]|$)"

# An emphasised stretch is a phrase or a sentence: bounded, so that a line of many asterisks
# that open nothing ("*/} */} ...") costs linear time, not a scan to the line's end for each.
_EMPHASIS = re.compile(r"(?<![\w*\\])(\*{1,3})(?=[^\s*])[^\n]{0,500}?(?<=[^\s*\\])\1(?![\w*])")
_REFERENCE = re.compile(
    rf"\[\^(?P<fn>[^\]\s]+)\](?!:)"  # Markdown footnote [^id]
    rf"|(?<!\])\[(?P<nums>\d{{1,3}}(?:\s*[,–-]\s*\d{{1,3}})*)\]"  # [1], [2,3], [4-6]
    rf"|(?<=[^\s^])(?P<caret>\^{{1,3}}){_AFTER}"  # time^, $99^^; never x^2 or 10^6
    rf"|(?<=[^\s*])\\?(?P<sym>{_SYMBOLS}){_AFTER}"  # relief*, review.*, Markdown relief\*; never first
    rf"|(?<=\|)[ \t]*(?P<cell>{_SYMBOLS})[ \t]*(?=\|)"  # a table cell holding only a marker
    rf"|(?<=[^\s⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"  # relief¹
)
_DEFINITION = re.compile(
    rf"^[ \t]*(?:\[\^(?P<fn>[^\]\s]+)\]:"
    rf"|\[(?P<num>\d{{1,3}})\]"
    rf"|(?P<caret>\^{{1,3}})(?![\d^])"
    rf"|\\?(?P<sym>{_SYMBOLS})"
    rf"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    rf"(?=[ \t]*\S)",
    re.MULTILINE,
)
# "* * *" (a cut in a quoted label) or a line of "***" (a section break); "*** In a survey" opens
# the third footnote of a "*, **, ***" series.
_OMISSION = re.compile(r"\*(?:[ \t]+\*){2}|\*{3}[ \t]*(?:\n|$)")
_NUMBERED_ENTRY = re.compile(r"^[ \t]*(?P<num>\d{1,3})[.)][ \t]+\S", re.MULTILINE)
_REFERENCES_HEADING = re.compile(
    r"^[ \t#*]*(references|sources|citations|footnotes|notes|bibliography)\b[^\n]{0,20}$",
    re.IGNORECASE | re.MULTILINE,
)
# Superscripts after these are exponents (m², cm³), not footnotes.
_UNIT_BEFORE = re.compile(r"(?:\b(?:m|cm|mm|km|ft|in|kg/m|mg/m|m/s)|\d)$")


class Marker(NamedTuple):
    """A footnote reference or definition: ``key`` is what must match, ``text`` what was written."""

    key: str
    text: str
    start: int
    end: int
    ambiguous: bool = False  # a definition that may just be a bullet ("* item")


def _key(match: re.Match[str]) -> list[str]:
    groups = match.groupdict()
    if groups.get("fn") is not None:
        return [f"fn:{groups['fn']}"]
    if groups.get("nums") is not None:
        return [f"n:{n}" for n in _expand(groups["nums"])]
    if groups.get("num") is not None:
        return [f"n:{int(groups['num'])}"]
    if groups.get("caret") is not None:
        return [groups["caret"]]
    if groups.get("sup") is not None:
        # As a string, not int(): a run of superscripts has no length bound, and Python refuses
        # to convert integers of more than 4,300 digits.
        return [f"n:{groups['sup'].translate(_SUPERSCRIPTS).lstrip('0') or '0'}"]
    return [groups.get("sym") or groups["cell"]]


def _expand(numbers: str) -> list[int]:
    """'1, 3-5' -> [1, 3, 4, 5]."""
    result: list[int] = []
    for part in re.split(r"\s*,\s*", numbers):
        bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
        result.extend(range(bounds[0], bounds[-1] + 1))
    return result


def _emphasis_delimiters(text: str) -> set[int]:
    """Offsets of asterisks that open or close *emphasis* or **bold**."""
    taken: set[int] = set()
    if "*" not in text:  # the pattern opens with a lookbehind: the regex engine would try every offset
        return taken
    for match in _EMPHASIS.finditer(text):
        run = len(match.group(1))
        taken.update(range(match.start(), match.start() + run))
        taken.update(range(match.end() - run, match.end()))
    return taken


def find_definitions(prose: str) -> list[Marker]:
    """Footnote definitions: lines opening with a marker, and numbered entries under a references heading."""
    emphasis = _emphasis_delimiters(prose)
    definitions = []
    for match in _DEFINITION.finditer(prose):
        if match.group("sym") and match.end() - 1 in emphasis:
            continue
        start = match.start("sym") if match.group("sym") else match.end() - len(match.group(0).lstrip(" \t"))
        sym = match.group("sym") or ""
        if sym and set(sym) == {"*"} and _OMISSION.match(prose, match.start("sym")):
            continue  # "* * *": an omission or a section break, not a footnote
        bullet = sym == "*" and prose[match.end() : match.end() + 1] in (" ", "\t")
        if bullet and _in_bullet_list(prose, match.start(), match.end()):
            continue  # "* item" next to another "* item" is a list, not a footnote
        end = match.end() - 1 if match.group("fn") else match.end()  # "[^id]:" is marked by "[^id]"
        definitions.extend(Marker(key, prose[start:end], start, end, bullet) for key in _key(match))
    heading = _REFERENCES_HEADING.search(prose)
    if heading:
        for match in _NUMBERED_ENTRY.finditer(prose, heading.end()):
            start = match.start("num")
            definitions.append(
                Marker(f"n:{int(match.group('num'))}", match.group("num"), start, match.end("num"), True)
            )
    return definitions


def _in_bullet_list(prose: str, start: int, end: int) -> bool:
    line_start = prose.rfind("\n", 0, start) + 1
    previous = prose[prose.rfind("\n", 0, max(line_start - 1, 0)) + 1 : line_start].lstrip(" \t")
    following = prose[prose.find("\n", end) + 1 :].lstrip(" \t") if "\n" in prose[end:] else ""
    return previous.startswith(("* ", "*\t")) or following.startswith(("* ", "*\t"))


def find_references(prose: str, definitions: list[Marker]) -> list[Marker]:
    """Footnote references in body copy, skipping emphasis, exponents and the definitions' own markers."""
    emphasis = _emphasis_delimiters(prose)
    defined_at = {offset for d in definitions for offset in range(d.start, d.end)}
    references = []
    for match in _reference_matches(prose):
        group = "cell" if match.group("cell") else "sym" if match.group("sym") else 0
        start, end = match.span(group)
        if start in defined_at or any(i in emphasis for i in range(start, end)):
            continue
        if match.group("sup") and _UNIT_BEFORE.search(prose, max(0, start - 5), start):
            continue
        if match.group("sym") and prose[end : end + 1] == "*":
            continue
        references.extend(Marker(key, prose[start:end], start, end) for key in _key(match))
    return references


# Every _REFERENCE match holds one of these: a bracket, a caret, a marker symbol or a superscript.
_MARKER_CHAR = re.compile(r"[\[^*†‡§¶⁰¹²³⁴⁵⁶⁷⁸⁹]")


def _reference_matches(prose: str) -> Iterator[re.Match[str]]:
    """The matches of `_REFERENCE.finditer(prose)`, found from the marker characters.

    _REFERENCE's branches open with lookbehinds, so finditer runs the whole pattern at every
    offset of the prose (a twentieth of a run went to it); marker characters are rare. A match
    starts at its marker character, at the backslash right before it (``relief\\*``), or right
    after a table cell's ``|`` and the blanks that follow it: those starts are tried in order,
    skipping what an earlier match took, as finditer would.
    """
    taken = 0  # where the last match ended
    tables = "|" in prose
    for char in _MARKER_CHAR.finditer(prose):
        position = char.start()
        if position < taken:
            continue
        starts = [position]
        if position and prose[position - 1] == "\\":
            starts.insert(0, position - 1)
        if tables:
            cell = position
            while cell and prose[cell - 1] in " \t":
                cell -= 1
            if cell < position and cell and prose[cell - 1] == "|":
                starts.insert(0, cell)
        for start in starts:
            match = _REFERENCE.match(prose, start) if start >= taken else None
            if match:
                taken = match.end()
                yield match
                break


_STANDALONE = re.compile(rf"\[?(?P<nums>\d{{1,3}}(?:\s*[,–-]\s*\d{{1,3}})*)\]?|(?P<sym>{_SYMBOLS})")


def standalone_keys(written: str) -> list[str]:
    """Keys of a marker written on its own, as in a superscript element (``1``, ``[2,3]``, ``*``, ``†``); [] if none."""
    match = _STANDALONE.fullmatch(written.strip())
    if not match:
        return []
    return [f"n:{n}" for n in _expand(match["nums"])] if match["nums"] else [match["sym"]]


def is_exponent_after(text: str) -> bool:
    """Whether a superscript right after `text` is an exponent (m², 10⁶), not a footnote."""
    return bool(_UNIT_BEFORE.search(text[-5:]))
