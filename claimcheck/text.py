"""Text helpers every stage shares: line breaks and positions, blanking, byte-order marks, atomic writes.

Lines break at \\r\\n, \\r and \\n, as the Markdown parser, editors and the LSP specification
count them (not str.splitlines, which also breaks on form feeds and U+2028 and would shift
every line after one). Positions are 1-based (line, column) and columns count characters.
"""

from __future__ import annotations

import bisect
import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

LINE_BREAK = re.compile(r"\r\n|\r|\n")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a line with its line break, as difflib wants
_NOT_A_LINE_BREAK = re.compile(r"[^\r\n]")

# Byte-order marks claimcheck reads and writes back, with the encoding each announces.
# UTF-32 comes first: its little-endian mark starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Typographic hyphens the tokenizer does not split on, as the ASCII hyphen it does: "cancer‑fighting"
# (U+2011) is then "cancer", "-", "fighting", as rules expect. One character for one, so every
# offset into the text stays right.
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2043\ufe63\uff0d", "-"))


# A hyphen between whitespace and a word is a dash or a bullet written without its space
# ("Cancer Prevention -Lowers risk"); the tokenizer keeps "-Lowers" one token, which no rule knows.
_DASH_BEFORE_WORD = re.compile(r"(?<!\S)-(?=[^\W\d_])")


# Marks that may open a sentence before its first word: quotation marks, brackets, emphasis, a
# bullet written as a dash and an e-mail's quotation mark (the matcher starts such a sentence at
# its first word too; the scope check leaves them out of a subject).
SENTENCE_OPENERS = frozenset({"“", '"', "‘", "'", "(", "[", "_", "__", "*", "**", "«", "¿", "¡", "-", "–", "—", ">"})

# A bullet glyph that opens a line ("• For arthritis", "✔️ Relieves joint pain") is the list's
# mark, not a word of the item: read as a space, as the readers blank "- " and "* ", so the item
# starts its sentence at its first word.
_BULLET_GLYPHS = "•◦▪▫‣⁃●○■□►▶➤➢→✓✔✅☑★☆✦✧◆◇❖"
_BULLET_AT_LINE_START = re.compile(f"(?m)(?:^|(?<=\\r))([ \\t]*)([{_BULLET_GLYPHS}][\\ufe0e\\ufe0f]?)(?=[ \\t\\u00a0])")


# Invisible characters inside a word (a soft hyphen from a CMS, a zero-width space pasted in or
# put there to slip past review: "Re\u00adlieves", "C\u200bures") split it for the tokenizer. They
# are moved to the word's start (at its end they would keep a full stop on it), where the
# pipeline's LOWER leaves them out (pipeline.py).
INVISIBLE = "\u00ad\u200b\u200c\u2060\ufeff"
# (Tried only where a run starts: from every offset, a long word failed quadratically.)
_WORD_WITH_INVISIBLE = re.compile(f"(?<![\\w{INVISIBLE}])[\\w{INVISIBLE}]*[{INVISIBLE}][\\w{INVISIBLE}]*")
_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)


def _invisible_to_word_start(match: re.Match[str]) -> str:
    word = match[0].translate(_NO_INVISIBLE)
    return "".join(char for char in match[0] if char in INVISIBLE) + word


def visible(text: str) -> str:
    """The text without invisible characters, as findings quote it."""
    return text.translate(_NO_INVISIBLE)


def visible_lower(string: str) -> str:
    """A word's lower case without the invisible characters in it (the pipeline's LOWER)."""
    return string.lower().translate(_NO_INVISIBLE)


def for_matching(text: str) -> str:
    """The text as rules match it: typographic hyphens as "-", a hyphen stuck to the front of a
    word as a space, a bullet glyph that opens a line as a space, invisible characters at the start
    of their word; the same length as `text`."""
    text = text.translate(_HYPHENS)
    if any(char in text for char in INVISIBLE):
        text = _WORD_WITH_INVISIBLE.sub(_invisible_to_word_start, text)
    if "-" in text:
        text = _DASH_BEFORE_WORD.sub(" ", text)
    if any(glyph in text for glyph in _BULLET_GLYPHS):
        text = _BULLET_AT_LINE_START.sub(lambda match: match[1] + " " * len(match[2]), text)
    return text


def line_starts(text: str) -> tuple[int, ...]:
    """The offset at which each line starts."""
    return (0, *(match.end() for match in LINE_BREAK.finditer(text)))


def position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, given the text's line starts."""
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def split_lines(text: str) -> list[str]:
    """The text's lines without their line breaks."""
    return LINE_BREAK.split(text)


def newline_of(text: str) -> str:
    """The text's line break (its first one), or "\\n" for a single line."""
    match = LINE_BREAK.search(text)
    return match.group() if match else "\n"


def trailing_breaks(text: str) -> int:
    """How many line breaks end the text."""
    return len(LINE_BREAK.findall(text[len(text.rstrip("\r\n")) :]))


def blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with every span turned into spaces, line breaks kept (so offsets do not move)."""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if start < end:
            pieces += [text[cursor:start], _NOT_A_LINE_BREAK.sub(" ", text[start:end])]
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def encode_like(original: bytes, text: str) -> bytes:
    """Text encoded as the original bytes were: UTF-8, or UTF-8/UTF-16 with the same byte-order mark."""
    for bom, encoding in BOMS:
        if original.startswith(bom):
            return bom + text.encode(encoding, "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


class FileChanged(Exception):
    """The file on disk no longer holds the bytes it was read with; it is left alone."""


def write_atomically(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace a file's bytes with `data` through a temporary file in its directory.

    Through a symlink, the target is replaced. An existing file keeps its permission bits; a
    new one gets the umask's. With `expected`, the bytes on disk are compared with it right
    before the replace: if someone changed the file meanwhile, it is left alone (FileChanged).
    The temporary file never outlives a failure.
    """
    import tempfile  # only when a file is written (--fix, a baseline, a report): not on every run

    target = path.resolve()
    refuse_read_only(target)
    mode = _mode(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        _keep_owner(target, temporary)
        if expected is not None and _digest(target.read_bytes()) != _digest(expected):
            raise FileChanged(str(path))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def refuse_read_only(target: Path) -> None:
    """A file that may not be written is not replaced either: renaming a new file over it needs
    only the directory's permission, and would undo the file's read-only mode."""
    if target.exists() and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))


def _keep_owner(target: Path, temporary: str) -> None:
    """The replacement keeps the file's owner and group where this process may give them (as root)."""
    try:
        info = target.stat()
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            os.chown(temporary, info.st_uid, info.st_gid)
    except OSError:  # a new file, or not allowed: the writer's own
        pass


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # a new file
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Quoted and posted copy (the pipeline's claimcheck_ellipsis and claimcheck_hashtags, and the
# fast path, which must see text as those components make it) --------------------------------

_CAMEL_WORD = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|[0-9]+")
_HASHTAG = re.compile(r"#(\w+)")


def camel_words(tag: str) -> list[str]:
    """The words of a CamelCase tag ("BeatDepression" -> Beat, Depression); [] if it is not one."""
    words = _CAMEL_WORD.findall(tag)
    return words if "".join(words) == tag else []


# A hashtag of lower-case words run together, long enough to hold two words, short enough that
# finding them costs little ("#reversediabetes"; not "#a...a" of a megabyte).
_RUN_TOGETHER_HASHTAG = re.compile(r"#[a-z]{6,40}(?![\w])")
_SHORTEST_RUN_TOGETHER_WORD = 3


def has_hashtag_to_split(text: str) -> bool:
    """Does the text hold a hashtag that the pipeline may split into words: CamelCase
    ("#BeatDepression"), or lower-case words run together ("#diabetesreversed")?"""
    return "#" in text and (
        _RUN_TOGETHER_HASHTAG.search(text) is not None
        or any(len(camel_words(match[1])) > 1 for match in _HASHTAG.finditer(text))
    )


def run_together_words(tag: str, known: Callable[[str], bool]) -> list[str]:
    """The fewest known words, of three letters or more, that spell a lower-case tag
    ("diabetesreversed" -> diabetes, reversed); [] when no two or more do."""
    if not _RUN_TOGETHER_HASHTAG.fullmatch("#" + tag):
        return []
    fewest: list[list[str] | None] = [[]] + [None] * len(tag)  # by offset: the fewest words up to it
    for start, before in enumerate(fewest):
        if before is None:
            continue  # no known words end here: most offsets of a tag that is no words
        for end in range(start + _SHORTEST_RUN_TOGETHER_WORD, len(tag) + 1):
            after = fewest[end]
            if (after is None or len(before) + 1 < len(after)) and known(tag[start:end]):
                fewest[end] = [*before, tag[start:end]]
    words = fewest[len(tag)]
    return words if words is not None and len(words) > 1 else []


# --- Lines that are statements of their own (the pipeline's claimcheck_line_ends) ----------------
# Labels, addresses and quoted copy put one statement on a line with no full stop that the
# sentencizer sees: "Northampton, Mass." (the tokenizer keeps "Mass." whole), "... Is Required
# * * *" (an elision), "Dr. Higbee's Cough, Cold and Grip Powders" (a heading). Wrapped prose
# ends its lines mid-sentence, in lower case or with a comma, and goes on.

# (Starting only where a run of blanks starts: tried at every blank of a long run with no line
# break after it, the match was quadratic in the run.)
_LINE_BREAK = re.compile(r"(?<![ \t])[ \t]*(?:\r\n?|\n)[ \t\r\n]*")
_ELISION_END = re.compile(r"(?:\*[ \t]*\*[ \t]*\*|\*\*\*|…|\.\.\.|\. \. \.)$")
_SENTENCE_END_WITHIN = re.compile(r"[.!?][\"'”’)\]]*\s+")
_FIRST_SENTENCE = re.compile(r"[^.!?]*[.!?]?")  # up to and with the first ".", "!" or "?"
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")  # words of four letters or more
# Abbreviations that run on into a name or an example when a line wraps after them.
_RUN_ON_ABBREVIATIONS = frozenset((
    "dr.", "mr.", "mrs.", "ms.", "messrs.", "prof.", "st.", "mt.", "ft.", "rev.", "fr.", "sr.", "jr.",
    "gen.", "gov.", "sen.", "rep.", "capt.", "col.", "lt.", "sgt.", "e.g.", "i.e.", "vs.", "cf.", "viz.",
    "no.", "nos.", "vol.", "p.", "pp.", "fig.", "figs.", "approx.", "incl.",
))  # fmt: skip


# A title-case line wrapped in prose goes on into a name or a question: "According to the
# American Heart\nAssociation, ...", "Researchers at Johns Hopkins\nUniversity say ...", "Does
# Turmeric Help\nArthritis Pain?". A heading joins its words with no lower-case word but these, and a
# question's first words run on to its question mark.
_HEADING_LOWER_WORDS = frozenset(("and", "or", "of"))
# Words that go on with a name wrapped before them: "the American Heart\nAssociation".
_NAME_GOES_ON = frozenset((
    "association", "university", "institute", "institutes", "center", "centre", "clinic", "foundation",
    "society", "college", "hospital", "school", "council", "department", "administration", "agency",
    "academy", "journal", "corporation", "company", "group", "health", "medical", "medicine", "network",
    "laboratories", "laboratory", "labs", "organization", "organisation", "service", "services", "board",
))  # fmt: skip
# Words a line of wrapped prose ends on that leave its sentence open.
_GOES_ON = frozenset((
    "a", "an", "the", "of", "to", "and", "or", "but", "nor", "for", "with", "by", "in", "on", "at", "from",
    "as", "than", "that", "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been", "being",
    "has", "have", "had", "can", "could", "will", "would", "may", "might", "must", "should", "shall", "do",
    "does", "did", "our", "your", "their", "its", "my", "his", "her", "this", "these", "those", "into",
    "about", "over", "under", "between", "through", "without", "within", "not", "no", "very", "more",
    "most", "such", "like", "including", "if", "when", "while", "because", "so", "both", "either", "all",
    "any", "each", "every", "some", "many", "much", "few", "several", "per", "via", "up", "down", "out",
    "you", "us", "them", "him", "me", "it", "we", "they", "i", "he", "she",
))  # fmt: skip
_QUESTION_OPENERS = frozenset((
    "does", "do", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should",
    "how", "why", "what", "when", "where", "which", "who",
))  # fmt: skip


def line_sentence_starts(text: str) -> list[int]:
    """Offsets of the lines that start a sentence because the line before ends a statement
    without a full stop the sentencizer sees (see above); each starts with a capital or a digit
    ("999 Nerve Tonic Means Pep Vim Vigor" then "999 Nerve Tonic is a high class remedy")."""
    breaks = [(match.start(), match.end()) for match in _LINE_BREAK.finditer(text)]  # one pass: linear
    starts = []
    for index, (start, end) in enumerate(breaks):
        if end == len(text) or not ("A" <= text[end] <= "Z" or "0" <= text[end] <= "9"):
            continue
        line_start = breaks[index - 1][1] if index else 0
        next_end = breaks[index + 1][0] if index + 1 < len(breaks) else len(text)
        if _ends_statement(text[line_start:start], text[end:next_end]):
            starts.append(end)
    return starts


def _ends_statement(line: str, next_line: str) -> bool:
    """Does this line end a statement: an abbreviation's full stop, an elision, or a heading
    (before a line that is not its title going on)?"""
    words = line.split()
    if not words:
        return False
    if _ELISION_END.search(line):
        return True
    if words[-1].endswith("."):
        return words[-1].lower() not in _RUN_ON_ABBREVIATIONS
    # The heading is the line's last sentence: the fast path may cut a block at a sentence
    # start within the line, and must not change what this says.
    heading = _SENTENCE_END_WITHIN.split(line)[-1]
    # Of the next line only its first sentence counts, for the same reason.
    next_sentence = _FIRST_SENTENCE.match(next_line).group()
    if _goes_on_in_title_case(next_sentence):
        return False
    titled = _TITLE_WORD.findall(heading)
    if (
        len(titled) >= 2
        and all(word[0].isupper() for word in titled)
        and line[-1].isalnum()
        and _HEADING_LOWER_WORDS.issuperset(word for word in heading.split() if word[0].islower())
        and heading.split()[0].lower() not in _QUESTION_OPENERS
    ):
        return True
    return _stands_alone(heading, next_sentence)


def _stands_alone(sentence: str, next_sentence: str) -> bool:
    """Is this line's last sentence a statement of its own, a line of label or bullet copy set
    one to a line ("Helps regulate blood sugar\nSupports healthy joints")? It starts with a
    capital and ends in a word that ends a phrase; wrapped prose ends its lines anywhere, and
    on a word that goes on ("the", "of", "and") or a comma more often than not. A capitalised
    word at the end may be a name that goes on: "the American Heart\nAssociation", "Johns
    Hopkins\nUniversity Hospital"; a question may go on to its mark ("Can turmeric relieve
    pain\nIn arthritis?")."""
    words = sentence.split()
    if not (
        len(words) >= 3
        and sentence.lstrip("[(\"'“‘")[:1].isupper()
        and sentence[-1].isalnum()
        and words[-1].lower() not in _GOES_ON
        and not (words[0].lower() in _QUESTION_OPENERS and next_sentence.endswith("?"))
    ):
        return False
    if not words[-1][0].isupper():
        return True
    following = _TITLE_WORD.findall(next_sentence)[:2]
    return (
        bool(following)
        and following[0].lower() not in _NAME_GOES_ON
        and not (len(following) == 2 and following[1][0].isupper())
    )


def _goes_on_in_title_case(sentence: str) -> bool:
    """Is the next line's first sentence in title case, a title wrapped ("Turmeric May
    Help\nEase Arthritis Pain", "Studies Suggest Turmeric\nEases Arthritis Pain") rather than a
    sentence after a heading ("Grip Powders\nA single powder breaks up a cold")?"""
    words = _TITLE_WORD.findall(sentence)
    return bool(words) and all(word[0].isupper() for word in words)


def has_spaced_ellipsis(text: str) -> bool:
    """Does the text hold a ". . ." that the pipeline joins into one token?"""
    return ". . ." in text


def ends_spaced_ellipsis(text: str, end: int) -> bool:
    """Does text[:end] end with a spaced ellipsis that join_spaced_ellipses makes one token?
    A run of n full stops separated by single spaces is merged three by three from its start,
    so its last stop ends a sentence unless n is a multiple of three."""
    stops = 0
    index = end - 1
    while index >= 0 and text[index] == ".":
        stops += 1
        if index >= 2 and text[index - 1] == " " and text[index - 2] == ".":
            index -= 2
        else:
            break
    return stops >= 3 and stops % 3 == 0
